// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <bpf/btf.h>

#include "core/keep_set.h"

enum {
	KEEP_TYPE = 1 << 0,
	KEEP_ROOT = 1 << 1,
	KEEP_POINTEE = 1 << 2,
};

struct keep_entry {
	unsigned char flags;
	__u32 kept;		/* members/enumerators kept */
	__u32 nbits;		/* size of bits, in members */
	__u64 *bits;		/* one bit per member/enumerator, lazily */
};

struct keep_set {
	const struct btf *btf;
	__u32 cnt;
	bool oom;
	struct keep_entry *entries;
};

struct keep_set *keep_set_new(const struct btf *btf)
{
	struct keep_set *ks = calloc(1, sizeof(*ks));

	if (!ks)
		return NULL;
	ks->btf = btf;
	ks->cnt = btf__type_cnt(btf);
	ks->entries = calloc(ks->cnt, sizeof(*ks->entries));
	if (!ks->entries) {
		free(ks);
		return NULL;
	}
	return ks;
}

void keep_set_free(struct keep_set *ks)
{
	__u32 i;

	if (!ks)
		return;
	for (i = 0; i < ks->cnt; i++)
		free(ks->entries[i].bits);
	free(ks->entries);
	free(ks);
}

bool keep_set_error(const struct keep_set *ks)
{
	return ks->oom;
}

static struct keep_entry *entry(struct keep_set *ks, __u32 id)
{
	/* id 0 is void: nothing to keep */
	return id && id < ks->cnt ? &ks->entries[id] : NULL;
}

void keep_type(struct keep_set *ks, __u32 id)
{
	struct keep_entry *e = entry(ks, id);

	if (e)
		e->flags |= KEEP_TYPE;
}

void keep_root(struct keep_set *ks, __u32 id)
{
	struct keep_entry *e = entry(ks, id);

	if (e)
		e->flags |= KEEP_TYPE | KEEP_ROOT;
}

void keep_pointee(struct keep_set *ks, __u32 ptr_id)
{
	struct keep_entry *e = entry(ks, ptr_id);

	if (e)
		e->flags |= KEEP_TYPE | KEEP_POINTEE;
}

static __u16 member_cnt(const struct keep_set *ks, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(ks->btf, id);

	if (!t || !(btf_is_composite(t) || btf_is_any_enum(t)))
		return 0;
	return btf_vlen(t);
}

void keep_member(struct keep_set *ks, __u32 id, __u32 idx)
{
	struct keep_entry *e = entry(ks, id);
	__u16 vlen = member_cnt(ks, id);

	if (!e || idx >= vlen)
		return;
	e->flags |= KEEP_TYPE;
	if (!e->bits) {
		e->bits = calloc((vlen + 63) / 64, sizeof(*e->bits));
		if (!e->bits) {
			ks->oom = true;
			return;
		}
		e->nbits = vlen;
	}
	if (e->bits[idx / 64] & (1ULL << (idx % 64)))
		return;
	e->bits[idx / 64] |= 1ULL << (idx % 64);
	e->kept++;
}

void keep_all_members(struct keep_set *ks, __u32 id)
{
	__u16 i, vlen = member_cnt(ks, id);

	keep_type(ks, id);
	for (i = 0; i < vlen; i++)
		keep_member(ks, id, i);
}

void keep_enumerator(struct keep_set *ks, __u32 id, __u32 idx)
{
	keep_member(ks, id, idx);
}

bool keep_has_type(const struct keep_set *ks, __u32 id)
{
	return id < ks->cnt && (ks->entries[id].flags & KEEP_TYPE);
}

bool keep_is_root(const struct keep_set *ks, __u32 id)
{
	return id < ks->cnt && (ks->entries[id].flags & KEEP_ROOT);
}

bool keep_has_pointee(const struct keep_set *ks, __u32 ptr_id)
{
	return ptr_id < ks->cnt && (ks->entries[ptr_id].flags & KEEP_POINTEE);
}

bool keep_has_member(const struct keep_set *ks, __u32 id, __u32 idx)
{
	const struct keep_entry *e;

	if (id >= ks->cnt)
		return false;
	e = &ks->entries[id];
	return idx < e->nbits && (e->bits[idx / 64] & (1ULL << (idx % 64)));
}

__u32 keep_member_count(const struct keep_set *ks, __u32 id)
{
	return id < ks->cnt ? ks->entries[id].kept : 0;
}
