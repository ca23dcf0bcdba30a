// SPDX-License-Identifier: MIT
/* One flag byte per type, plus member bitmaps for the few composites and
 * enums whose members are kept, found through a per-type slot number.
 */
#include <stdlib.h>
#include <bpf/btf.h>

#include "core/btf_util.h"
#include "core/keep_set.h"

enum {
	KEEP_TYPE = 1 << 0,
	KEEP_ROOT = 1 << 1,
	KEEP_POINTEE = 1 << 2,
	KEEP_WHOLE = 1 << 3,	/* keep_whole() walked it */
};

struct member_set {
	__u32 kept;		/* members/enumerators kept */
	__u32 nbits;		/* members/enumerators of the type */
	__u64 *bits;
};

struct keep_set {
	const struct btf *btf;
	__u32 cnt;
	bool oom;
	unsigned char *flags;	/* by type id */
	__u32 *mslot;		/* by type id: 1 + index into msets, 0 none */
	struct member_set *msets;
	__u32 mset_cnt;
	__u32 mset_cap;
	__u32 *kept_ids;	/* every id with KEEP_TYPE, first-kept order */
	size_t kept_cnt;
	size_t kept_cap;
};

struct keep_set *keep_set_new(const struct btf *btf)
{
	struct keep_set *ks = calloc(1, sizeof(*ks));

	if (!ks)
		return NULL;
	ks->btf = btf;
	ks->cnt = btf__type_cnt(btf);
	ks->flags = calloc(ks->cnt, 1);
	ks->mslot = calloc(ks->cnt, sizeof(*ks->mslot));
	if (!ks->flags || !ks->mslot) {
		keep_set_free(ks);
		return NULL;
	}
	return ks;
}

void keep_set_free(struct keep_set *ks)
{
	__u32 i;

	if (!ks)
		return;
	for (i = 0; i < ks->mset_cnt; i++)
		free(ks->msets[i].bits);
	free(ks->msets);
	free(ks->kept_ids);
	free(ks->flags);
	free(ks->mslot);
	free(ks);
}

bool keep_set_error(const struct keep_set *ks)
{
	return ks->oom;
}

static void note_kept(struct keep_set *ks, __u32 id)
{
	__u32 *ids;

	if (ks->kept_cnt == ks->kept_cap) {
		size_t cap = ks->kept_cap ? ks->kept_cap * 2 : 256;

		ids = realloc(ks->kept_ids, cap * sizeof(*ids));
		if (!ids) {
			ks->oom = true;
			return;
		}
		ks->kept_ids = ids;
		ks->kept_cap = cap;
	}
	ks->kept_ids[ks->kept_cnt++] = id;
}

static void set_flags(struct keep_set *ks, __u32 id, unsigned char f)
{
	/* id 0 is void: nothing to keep */
	if (!id || id >= ks->cnt)
		return;
	if ((f & KEEP_TYPE) && !(ks->flags[id] & KEEP_TYPE))
		note_kept(ks, id);
	ks->flags[id] |= f;
}

void keep_type(struct keep_set *ks, __u32 id)
{
	set_flags(ks, id, KEEP_TYPE);
}

void keep_root(struct keep_set *ks, __u32 id)
{
	set_flags(ks, id, KEEP_TYPE | KEEP_ROOT);
}

void keep_pointee(struct keep_set *ks, __u32 ptr_id)
{
	set_flags(ks, ptr_id, KEEP_TYPE | KEEP_POINTEE);
}

void keep_chain(struct keep_set *ks, __u32 id)
{
	const struct btf_type *t;
	int steps = 0;

	for (;;) {
		keep_type(ks, id);
		t = btf__type_by_id(ks->btf, id);
		if (!t || !(btf_is_mod(t) || btf_is_typedef(t)) || ++steps > BTF_CHAIN_MAX)
			return;
		id = t->type;
	}
}

static __u16 member_cnt(const struct keep_set *ks, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(ks->btf, id);

	if (!t || !(btf_is_composite(t) || btf_is_any_enum(t)))
		return 0;
	return btf_vlen(t);
}

static struct member_set *member_set_of(struct keep_set *ks, __u32 id, __u16 vlen)
{
	struct member_set *m;

	if (ks->mslot[id])
		return &ks->msets[ks->mslot[id] - 1];
	if (ks->mset_cnt == ks->mset_cap) {
		__u32 cap = ks->mset_cap ? ks->mset_cap * 2 : 64;

		m = realloc(ks->msets, cap * sizeof(*m));
		if (!m)
			return NULL;
		ks->msets = m;
		ks->mset_cap = cap;
	}
	m = &ks->msets[ks->mset_cnt];
	m->bits = calloc((vlen + 63) / 64, sizeof(*m->bits));
	if (!m->bits)
		return NULL;
	m->kept = 0;
	m->nbits = vlen;
	ks->mslot[id] = ++ks->mset_cnt;
	return m;
}

void keep_member(struct keep_set *ks, __u32 id, __u32 idx)
{
	__u16 vlen = member_cnt(ks, id);
	struct member_set *m;

	if (!id || idx >= vlen)
		return;
	set_flags(ks, id, KEEP_TYPE);
	m = member_set_of(ks, id, vlen);
	if (!m) {
		ks->oom = true;
		return;
	}
	if (m->bits[idx / 64] & (1ULL << (idx % 64)))
		return;
	m->bits[idx / 64] |= 1ULL << (idx % 64);
	m->kept++;
}

void keep_all_members(struct keep_set *ks, __u32 id)
{
	__u16 i, vlen = member_cnt(ks, id);

	keep_type(ks, id);
	for (i = 0; i < vlen; i++)
		keep_member(ks, id, i);
}

struct whole_walk {
	struct keep_set *ks;
	__u32 *stack;
	size_t cnt;
	size_t cap;
};

static int whole_push(void *ctx, __u32 *ref, enum btf_ref_role role, __u32 index)
{
	struct whole_walk *w = ctx;
	__u32 id = *ref, *s;

	(void)role;
	(void)index;
	if (!id || id >= w->ks->cnt || (w->ks->flags[id] & KEEP_WHOLE))
		return 0;
	w->ks->flags[id] |= KEEP_WHOLE;
	if (w->cnt == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 64;
		s = realloc(w->stack, w->cap * sizeof(*s));
		if (!s)
			return -1;
		w->stack = s;
	}
	w->stack[w->cnt++] = id;
	return 0;
}

void keep_whole(struct keep_set *ks, __u32 id)
{
	struct whole_walk w = { .ks = ks };
	const struct btf_type *t;
	__u32 cur = id;

	if (whole_push(&w, &cur, REF_TARGET, 0))
		ks->oom = true;
	while (!ks->oom && w.cnt) {
		cur = w.stack[--w.cnt];
		t = btf__type_by_id(ks->btf, cur);
		if (btf_is_ptr(t))
			keep_pointee(ks, cur);
		else
			keep_all_members(ks, cur);	/* a plain keep for other kinds */
		/* read-only walk; see btf_refs.h */
		if (btf_type_visit_refs((struct btf_type *)t, whole_push, &w))
			ks->oom = true;
	}
	free(w.stack);
}

void keep_enumerator(struct keep_set *ks, __u32 id, __u32 idx)
{
	keep_member(ks, id, idx);
}

bool keep_has_type(const struct keep_set *ks, __u32 id)
{
	return id < ks->cnt && (ks->flags[id] & KEEP_TYPE);
}

bool keep_is_root(const struct keep_set *ks, __u32 id)
{
	return id < ks->cnt && (ks->flags[id] & KEEP_ROOT);
}

bool keep_has_pointee(const struct keep_set *ks, __u32 ptr_id)
{
	return ptr_id < ks->cnt && (ks->flags[ptr_id] & KEEP_POINTEE);
}

bool keep_has_member(const struct keep_set *ks, __u32 id, __u32 idx)
{
	const struct member_set *m;

	if (id >= ks->cnt || !ks->mslot[id])
		return false;
	m = &ks->msets[ks->mslot[id] - 1];
	return idx < m->nbits && (m->bits[idx / 64] & (1ULL << (idx % 64)));
}

__u32 keep_member_count(const struct keep_set *ks, __u32 id)
{
	if (id >= ks->cnt || !ks->mslot[id])
		return 0;
	return ks->msets[ks->mslot[id] - 1].kept;
}

bool keep_follows_ref(const struct keep_set *ks, __u32 id, enum btf_ref_role role,
		      __u32 index)
{
	if (role == REF_POINTEE)
		return keep_has_pointee(ks, id);
	if (role == REF_MEMBER || role == REF_VAR)
		return keep_has_member(ks, id, index);
	return true;
}

size_t keep_ids(const struct keep_set *ks, const __u32 **ids)
{
	*ids = ks->kept_ids;
	return ks->kept_cnt;
}
