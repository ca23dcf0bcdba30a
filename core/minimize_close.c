// SPDX-License-Identifier: MIT
/* Closure of the kept set: a kept type keeps what it refers to at least as a
 * husk, so the output is self-contained and every value libbpf derives from
 * a kept member (its size, kind, signedness, array bounds) is unchanged.
 * Pointers are the exception: their pointee is kept only where a decision
 * reads it; elsewhere they become "void *", which no field rule can tell
 * apart.
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

static int close_composite(struct worklist *w, const struct btf *btf, struct keep_set *ks,
			   __u32 id, const struct btf_type *t)
{
	const struct btf_member *m = btf_members(t);
	__u16 vlen = btf_vlen(t), i;
	int ret;

	for (i = 0; i < vlen; i++) {
		if (!keep_has_member(ks, id, i))
			continue;
		/* libbpf lets a zero-length array be indexed only when it is the
		 * last member: keep the real last one so "last" stays true/false
		 */
		if (i + 1 < vlen && is_zero_len_array(btf, m[i].type))
			keep_member(ks, id, vlen - 1);
	}
	for (i = 0; i < vlen; i++) {
		if (!keep_has_member(ks, id, i))
			continue;
		ret = keep_ref(w, ks, m[i].type);
		if (ret)
			return ret;
	}
	return 0;
}

static int close_type(struct worklist *w, const struct btf *btf, struct keep_set *ks, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const struct btf_param *p;
	int ret, i;

	switch (btf_kind(t)) {
	case BTF_KIND_PTR:
		return keep_has_pointee(ks, id) ? keep_ref(w, ks, t->type) : 0;
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
	case BTF_KIND_FUNC:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
		return keep_ref(w, ks, t->type);
	case BTF_KIND_ARRAY:
		ret = keep_ref(w, ks, btf_array(t)->type);
		return ret ? ret : keep_ref(w, ks, btf_array(t)->index_type);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return close_composite(w, btf, ks, id, t);
	case BTF_KIND_FUNC_PROTO:
		ret = keep_ref(w, ks, t->type);
		p = btf_params(t);
		for (i = 0; !ret && i < btf_vlen(t); i++)
			ret = keep_ref(w, ks, p[i].type);
		return ret;
	default:
		return 0;
	}
}

int minimize_close(const struct btf *src, struct keep_set *ks, struct bp_err *err)
{
	__u32 cnt = btf__type_cnt(src), id;
	struct worklist w = { 0 };
	int ret = 0;

	w.seen = calloc(cnt, 1);
	if (!w.seen)
		return bp_err_set(err, ENOMEM, "out of memory");
	for (id = 1; id < cnt && !ret; id++) {
		if (keep_has_type(ks, id))
			ret = push(&w, id);
	}
	while (!ret && w.cnt)
		ret = close_type(&w, src, ks, w.ids[--w.cnt]);
	free(w.ids);
	free(w.seen);
	if (!ret && keep_set_error(ks))
		ret = -ENOMEM;
	return ret ? bp_err_set(err, -ret, "out of memory") : 0;
}
