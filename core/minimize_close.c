// SPDX-License-Identifier: MIT
/* Closure of the kept set: a kept type keeps what it refers to at least as a
 * husk, so the output is self-contained and every value libbpf derives from
 * a kept member (its size, kind, signedness, array bounds) is unchanged.
 * Pointers are the exception: their pointee is kept only where a decision
 * reads it; elsewhere they become "void *", which no field rule can tell
 * apart -- except as the type of a bitfield, see keep_ptr_bitfields().
 */
#include <errno.h>
#include <stdlib.h>

#include "core/btf_util.h"
#include "core/minimize_internal.h"

struct worklist {
	__u32 *ids;
	size_t cnt;
	size_t cap;
	unsigned char *seen;
};

static int push(struct worklist *w, __u32 id)
{
	__u32 *ids;

	if (!id || w->seen[id])
		return 0;
	w->seen[id] = 1;
	if (w->cnt == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 256;
		ids = realloc(w->ids, w->cap * sizeof(*ids));
		if (!ids)
			return -ENOMEM;
		w->ids = ids;
	}
	w->ids[w->cnt++] = id;
	return 0;
}

static int keep_ref(struct worklist *w, struct keep_set *ks, __u32 id)
{
	keep_type(ks, id);
	return push(w, id);
}

static bool is_zero_len_array(const struct btf *btf, __u32 id)
{
	const struct btf_type *t = btf_skip_mods(btf, id, NULL);

	return t && btf_is_array(t) && btf_array(t)->nelems == 0;
}

/* libbpf lets a zero-length array be indexed only when it is the last
 * member: keep the real last one so "last" stays true or false.
 */
static void keep_flex_status(const struct btf *btf, struct keep_set *ks, __u32 id,
			     const struct btf_type *t)
{
	const struct btf_member *m = btf_members(t);
	__u16 vlen = btf_vlen(t), i;

	for (i = 0; i + 1 < vlen; i++) {
		if (keep_has_member(ks, id, i) && is_zero_len_array(btf, m[i].type)) {
			keep_member(ks, id, vlen - 1);
			return;
		}
	}
}

/* A pointer-typed bitfield (no compiler emits one, hostile BTF can): for a
 * bitfield libbpf 1.1 takes the load size from the member type's size word,
 * which for a pointer is the pointee's type id. A "void *" there makes it 0
 * and libbpf divides by it (SIGFPE), so the pointee is always kept; its id
 * still changes, so the output's decisions must be checked (*check).
 */
static int keep_ptr_bitfields(struct worklist *w, const struct btf *btf, struct keep_set *ks,
			      __u32 id, const struct btf_type *t, bool *check)
{
	const struct btf_member *m = btf_members(t);
	const struct btf_type *mt;
	__u16 vlen = btf_vlen(t), i;
	__u32 ptr_id;
	int ret = 0;

	for (i = 0; i < vlen && !ret; i++) {
		if (!btf_member_bitfield_size(t, i) || !keep_has_member(ks, id, i))
			continue;
		mt = btf_skip_mods(btf, m[i].type, &ptr_id);
		if (!mt || !btf_is_ptr(mt))
			continue;
		*check = true;
		keep_pointee(ks, ptr_id);
		ret = keep_ref(w, ks, mt->type);
	}
	return ret;
}

struct close_ctx {
	struct worklist *w;
	struct keep_set *ks;
	__u32 id;
};

static int close_ref(void *ctx, __u32 *ref, enum btf_ref_role role, __u32 index)
{
	struct close_ctx *c = ctx;

	if (!keep_follows_ref(c->ks, c->id, role, index))
		return 0;
	return keep_ref(c->w, c->ks, *ref);
}

static int close_type(struct worklist *w, const struct btf *btf, struct keep_set *ks, __u32 id,
		      bool *check)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	struct close_ctx c = { .w = w, .ks = ks, .id = id };
	int ret;

	if (btf_is_composite(t)) {
		keep_flex_status(btf, ks, id, t);
		ret = keep_ptr_bitfields(w, btf, ks, id, t, check);
		if (ret)
			return ret;
	}
	/* read-only walk; see btf_refs.h */
	return btf_type_visit_refs((struct btf_type *)t, close_ref, &c);
}

int minimize_close(const struct btf *src, struct keep_set *ks, bool *check, struct bp_err *err)
{
	__u32 cnt = btf__type_cnt(src);
	struct worklist w = { 0 };
	const __u32 *ids;
	size_t n, i;
	int ret = 0;

	w.seen = calloc(cnt, 1);
	if (!w.seen)
		return bp_err_set(err, ENOMEM, "out of memory");
	/* the list grows while we push: take its length once */
	n = keep_ids(ks, &ids);
	for (i = 0; i < n && !ret; i++) {
		keep_ids(ks, &ids);
		ret = push(&w, ids[i]);
	}
	while (!ret && w.cnt)
		ret = close_type(&w, src, ks, w.ids[--w.cnt], check);
	free(w.ids);
	free(w.seen);
	if (!ret && keep_set_error(ks))
		ret = -ENOMEM;
	return ret ? bp_err_set(err, -ret, "out of memory") : 0;
}
