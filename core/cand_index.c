// SPDX-License-Identifier: MIT
/* Open-addressing table from essential name to a run of type ids. Built in
 * two passes (count, then fill) so each name's ids are contiguous and in
 * ascending order: the order libbpf scans candidates in.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <xxhash.h>

#include "core/btf_util.h"
#include "core/cand_index.h"

struct name_slot {
	const char *name;	/* NULL: empty slot */
	__u32 len;
	__u32 first;		/* index into ids[] */
	__u32 cnt;
	__u32 fill;
};

struct cand_index {
	struct name_slot *slots;
	size_t mask;
	__u32 *ids;
};

/* libbpf's flavor rule: the last "X___Y" where X and Y are not '_'. */
static bool is_flavor_sep(const char *s)
{
	return s[0] != '_' && s[1] == '_' && s[2] == '_' && s[3] == '_' && s[4] != '_';
}

size_t core_essential_name_len(const char *name)
{
	size_t n = strlen(name), i;

	if (n < 5)
		return n;
	for (i = n - 4; i-- > 0;) {
		if (is_flavor_sep(name + i))
			return i + 1;
	}
	return n;
}

static struct name_slot *find_slot(const struct cand_index *idx, const char *name,
				   size_t len)
{
	size_t pos = XXH3_64bits(name, len) & idx->mask;

	for (;; pos = (pos + 1) & idx->mask) {
		struct name_slot *s = &idx->slots[pos];

		if (!s->name || (s->len == len && memcmp(s->name, name, len) == 0))
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

int cand_index_build(const struct btf *targ, struct cand_index **out, struct bp_err *err)
{
	__u32 cnt = btf__type_cnt(targ), id, next = 0;
	struct cand_index *idx;
	size_t i;

	*out = NULL;
	idx = calloc(1, sizeof(*idx));
	if (!idx)
		return bp_err_set(err, ENOMEM, "out of memory for the candidate index");
	idx->mask = table_size_for(cnt) - 1;
	idx->slots = calloc(idx->mask + 1, sizeof(*idx->slots));
	idx->ids = malloc((size_t)cnt * sizeof(*idx->ids));
	if (!idx->slots || !idx->ids)
		goto nomem;

	for (id = 1; id < cnt; id++) {
		const char *name = btf_str(targ, btf__type_by_id(targ, id)->name_off);
		struct name_slot *s;
		size_t len;

		if (str_empty(name))
			continue;
		len = core_essential_name_len(name);
		s = find_slot(idx, name, len);
		if (!s->name) {
			s->name = name;
			s->len = (__u32)len;
		}
		s->cnt++;
	}
	for (i = 0; i <= idx->mask; i++) {
		idx->slots[i].first = next;
		next += idx->slots[i].cnt;
	}
	for (id = 1; id < cnt; id++) {
		const char *name = btf_str(targ, btf__type_by_id(targ, id)->name_off);
		struct name_slot *s;

		if (str_empty(name))
			continue;
		s = find_slot(idx, name, core_essential_name_len(name));
		idx->ids[s->first + s->fill++] = id;
	}
	*out = idx;
	return 0;
nomem:
	cand_index_free(idx);
	return bp_err_set(err, ENOMEM, "out of memory for the candidate index");
}

void cand_index_free(struct cand_index *idx)
{
	if (!idx)
		return;
	free(idx->slots);
	free(idx->ids);
	free(idx);
}

const __u32 *cand_index_lookup(const struct cand_index *idx, const char *name,
			       size_t len, size_t *cnt)
{
	const struct name_slot *s = find_slot(idx, name, len);

	*cnt = s->name ? s->cnt : 0;
	return s->name ? idx->ids + s->first : NULL;
}
