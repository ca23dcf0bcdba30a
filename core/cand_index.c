// SPDX-License-Identifier: MIT
/* Open-addressing table from essential name to a run of type ids. Built in
 * two passes (count, then place) so each name's ids are contiguous and in
 * ascending order: the order libbpf scans candidates in. Slots are 16 bytes
 * and the table is sized by named types, to stay cheap on 130k-type kernels.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>

#include "core/btf_util.h"
#include "core/cand_index.h"

struct name_slot {
	__u32 rep_id;		/* a type with this essential name; 0: empty */
	__u32 len;		/* essential name length */
	__u32 first;		/* index into ids[] */
	__u32 cnt;
};

struct cand_index {
	const struct btf *btf;
	const char **names;	/* by type id, only while building */
	struct name_slot *slots;
	size_t mask;
	__u32 *ids;
};

/* Per named type, kept between the passes. */
struct name_key {
	__u32 len;		/* 0: unnamed */
	__u32 hash;
};

/* libbpf's flavor rule: the name up to the last "X___Y" where X and Y are
 * not '_' (libbpf scans backwards from the end; the last such separator is
 * the one it finds first). One forward pass, which also yields the length.
 * The reads past an '_' stop at the terminating NUL: name[i + 1] == '_'
 * fails before name[i + 2] is read, and so on.
 */
size_t core_essential_name_len(const char *name)
{
	size_t best = SIZE_MAX, i;

	for (i = 0; name[i]; i++) {
		if (name[i] == '_' && i && name[i - 1] != '_' && name[i + 1] == '_' &&
		    name[i + 2] == '_' && name[i + 3] && name[i + 3] != '_')
			best = i;
	}
	return best != SIZE_MAX ? best : i;
}

/* FNV-1a with a final avalanche so the low bits, which pick the slot, mix
 * the whole name.
 */
static __u32 name_hash(const char *s, size_t len)
{
	__u32 h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	return h ^ (h >> 16);
}

static const char *type_name(const struct btf *btf, __u32 id)
{
	return btf_str(btf, btf__type_by_id(btf, id)->name_off);
}

static const char *slot_name(const struct cand_index *idx, __u32 id)
{
	return idx->names ? idx->names[id] : type_name(idx->btf, id);
}

static struct name_slot *find_slot(const struct cand_index *idx, const char *name,
				   size_t len, __u32 hash)
{
	size_t pos = hash & idx->mask;

	for (;; pos = (pos + 1) & idx->mask) {
		struct name_slot *s = &idx->slots[pos];

		if (!s->rep_id ||
		    (s->len == len && memcmp(slot_name(idx, s->rep_id), name, len) == 0))
			return s;
	}
}

static size_t table_size_for(size_t entries)
{
	size_t size = 16;

	while (size < entries * 2)
		size <<= 1;
	return size;
}

static void count_names(struct cand_index *idx, struct name_key *keys, __u32 cnt)
{
	__u32 id;

	for (id = 1; id < cnt; id++) {
		const char *name = idx->names[id];
		struct name_slot *s;

		if (!keys[id].len)
			continue;
		s = find_slot(idx, name, keys[id].len, keys[id].hash);
		if (!s->rep_id) {
			s->rep_id = id;
			s->len = keys[id].len;
		}
		s->cnt++;
	}
}

static void place_ids(struct cand_index *idx, const struct name_key *keys, __u32 cnt)
{
	__u32 id, next = 0;
	size_t i;

	/* point each run's end, then fill backwards so ids end up ascending */
	for (i = 0; i <= idx->mask; i++) {
		next += idx->slots[i].cnt;
		idx->slots[i].first = next;
	}
	for (id = cnt - 1; id > 0; id--) {
		struct name_slot *s;

		if (!keys[id].len)
			continue;
		s = find_slot(idx, idx->names[id], keys[id].len, keys[id].hash);
		idx->ids[--s->first] = id;
	}
}

int cand_index_build(const struct btf *targ, struct cand_index **out, struct bp_err *err)
{
	__u32 cnt = btf__type_cnt(targ), id, named = 0;
	struct name_key *keys;
	struct cand_index *idx;

	*out = NULL;
	idx = calloc(1, sizeof(*idx));
	keys = malloc((size_t)cnt * sizeof(*keys));
	if (!idx || !keys)
		goto nomem;
	idx->btf = targ;
	idx->names = malloc((size_t)cnt * sizeof(*idx->names));
	if (!idx->names)
		goto nomem;
	for (id = 1; id < cnt; id++) {
		const char *name = type_name(targ, id);

		idx->names[id] = name;

		keys[id].len = str_empty(name) ? 0 : (__u32)core_essential_name_len(name);
		keys[id].hash = keys[id].len ? name_hash(name, keys[id].len) : 0;
		named += keys[id].len != 0;
	}
	idx->mask = table_size_for(named) - 1;
	idx->slots = calloc(idx->mask + 1, sizeof(*idx->slots));
	idx->ids = malloc(((size_t)named + 1) * sizeof(*idx->ids));
	if (!idx->slots || !idx->ids)
		goto nomem;
	count_names(idx, keys, cnt);
	place_ids(idx, keys, cnt);
	free(keys);
	free(idx->names);
	idx->names = NULL;
	*out = idx;
	return 0;
nomem:
	free(keys);
	cand_index_free(idx);
	return bp_err_set(err, ENOMEM, "out of memory for the candidate index");
}

void cand_index_free(struct cand_index *idx)
{
	if (!idx)
		return;
	free(idx->names);
	free(idx->slots);
	free(idx->ids);
	free(idx);
}

const __u32 *cand_index_lookup(const struct cand_index *idx, const char *name,
			       size_t len, size_t *cnt)
{
	const struct name_slot *s;

	if (!len) {
		*cnt = 0;
		return NULL;
	}
	s = find_slot(idx, name, len, name_hash(name, len));
	*cnt = s->rep_id ? s->cnt : 0;
	return s->rep_id ? idx->ids + s->first : NULL;
}
