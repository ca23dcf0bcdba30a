// SPDX-License-Identifier: MIT
/* The canonical relocation digest (core/relo_digest.h). The engine keeps
 * one narrowing candidate list per local root type id (relo_engine.c), so
 * records are grouped by root: within a group their order is kept, the
 * groups themselves are sorted. A root is rendered by shape, not by id:
 * every local type it reaches, numbered in the order a breadth-first walk
 * first meets it, with names as strings and every size, offset, encoding
 * and enumerator value. That is more than any decision reads (a superset:
 * a change there costs a miss, never a wrong hit).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <xxhash.h>

#include "core/btf_util.h"
#include "core/objfile.h"
#include "core/relo_digest.h"

#define REF_VOID 0u
#define REF_DANGLING 0xfffffffeu
#define STR_NONE 0xffffffffu

struct shape_walk {
	const struct btf *btf;
	__u32 type_cnt;
	__u32 *ordinal;		/* by local id: 0 unseen, else 1 + place in queue */
	__u32 *queue;		/* ids in the order first met */
	__u32 qlen;
	XXH3_state_t *st;
};

static void put_u32(XXH3_state_t *st, __u32 v)
{
	XXH3_128bits_update(st, &v, sizeof(v));
}

static void put_str(XXH3_state_t *st, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	put_u32(st, s ? (__u32)n : STR_NONE);
	XXH3_128bits_update(st, s ? s : "", n);
}

/* A reference: the referenced type's ordinal, queued when first met. */
static void put_ref(struct shape_walk *w, __u32 id)
{
	if (!id) {
		put_u32(w->st, REF_VOID);
		return;
	}
	if (id >= w->type_cnt) {
		put_u32(w->st, REF_DANGLING);
		return;
	}
	if (!w->ordinal[id]) {
		w->queue[w->qlen++] = id;
		w->ordinal[id] = w->qlen;
	}
	put_u32(w->st, w->ordinal[id]);
}

static void put_members(struct shape_walk *w, const struct btf_type *t)
{
	const struct btf_member *m = btf_members(t);
	__u16 i;

	for (i = 0; i < btf_vlen(t); i++, m++) {
		put_str(w->st, btf_str(w->btf, m->name_off));
		put_ref(w, m->type);
		put_u32(w->st, m->offset);
	}
}

static void put_enums(struct shape_walk *w, const struct btf_type *t)
{
	__u16 i;

	for (i = 0; i < btf_vlen(t); i++) {
		if (btf_is_enum64(t)) {
			const struct btf_enum64 *e = btf_enum64(t) + i;

			put_str(w->st, btf_str(w->btf, e->name_off));
			put_u32(w->st, e->val_lo32);
			put_u32(w->st, e->val_hi32);
		} else {
			const struct btf_enum *e = btf_enum(t) + i;

			put_str(w->st, btf_str(w->btf, e->name_off));
			put_u32(w->st, (__u32)e->val);
		}
	}
}

static void put_params(struct shape_walk *w, const struct btf_type *t)
{
	const struct btf_param *p = btf_params(t);
	__u16 i;

	put_ref(w, t->type);
	for (i = 0; i < btf_vlen(t); i++, p++) {
		put_str(w->st, btf_str(w->btf, p->name_off));
		put_ref(w, p->type);
	}
}

static void put_secinfos(struct shape_walk *w, const struct btf_type *t)
{
	const struct btf_var_secinfo *v = btf_var_secinfos(t);
	__u16 i;

	put_u32(w->st, t->size);
	for (i = 0; i < btf_vlen(t); i++, v++) {
		put_ref(w, v->type);
		put_u32(w->st, v->offset);
		put_u32(w->st, v->size);
	}
}

/* One type: kind word and name, then what its kind carries. */
static void put_type(struct shape_walk *w, const struct btf_type *t)
{
	put_u32(w->st, t->info);
	put_str(w->st, btf_str(w->btf, t->name_off));
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		put_u32(w->st, t->size);
		put_u32(w->st, *(const __u32 *)(t + 1));
		break;
	case BTF_KIND_ARRAY:
		put_ref(w, btf_array(t)->type);
		put_ref(w, btf_array(t)->index_type);
		put_u32(w->st, btf_array(t)->nelems);
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		put_u32(w->st, t->size);
		put_members(w, t);
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		put_u32(w->st, t->size);
		put_enums(w, t);
		break;
	case BTF_KIND_FUNC_PROTO:
		put_params(w, t);
		break;
	case BTF_KIND_VAR:
		put_ref(w, t->type);
		put_u32(w->st, btf_var(t)->linkage);
		break;
	case BTF_KIND_DATASEC:
		put_secinfos(w, t);
		break;
	case BTF_KIND_DECL_TAG:
		put_ref(w, t->type);
		put_u32(w->st, (__u32)btf_decl_tag(t)->component_idx);
		break;
	case BTF_KIND_PTR:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC:
	case BTF_KIND_TYPE_TAG:
		put_ref(w, t->type);
		break;
	default:		/* fwd, float: the info word and size say all */
		put_u32(w->st, t->size);
		break;
	}
}

/* Everything root reaches, in first-met order; the walk is left clean. */
static void put_shape(struct shape_walk *w, __u32 root)
{
	__u32 i;

	put_ref(w, root);
	for (i = 0; i < w->qlen; i++)
		put_type(w, btf__type_by_id(w->btf, w->queue[i]));
	for (i = 0; i < w->qlen; i++)
		w->ordinal[w->queue[i]] = 0;
	w->qlen = 0;
}

/* A record the engine rejects before it looks at any candidate list. */
static bool record_is_bad(const struct objfile *obj, const struct core_relo *r)
{
	const struct btf_type *t = btf__type_by_id(obj->btf, r->type_id);

	return r->insn_off % 8 || !t || !btf_str(obj->btf, t->name_off);
}

static int cmp_by_root(const void *a, const void *b, void *ctx)
{
	const struct core_relo *relos = ctx;
	size_t ia = *(const size_t *)a, ib = *(const size_t *)b;
	__u32 ta = relos[ia].type_id, tb = relos[ib].type_id;

	if (ta != tb)
		return ta < tb ? -1 : 1;
	return (ia > ib) - (ia < ib);
}

static int cmp_digest(const void *a, const void *b)
{
	const XXH128_hash_t *x = a, *y = b;

	if (x->high64 != y->high64)
		return x->high64 < y->high64 ? -1 : 1;
	return (x->low64 > y->low64) - (x->low64 < y->low64);
}

/* One group: the root's shape, then (kind, access string) in record order. */
static XXH128_hash_t group_digest(struct shape_walk *w, const struct objfile *obj,
				  const size_t *recs, size_t n)
{
	size_t i;

	XXH3_128bits_reset(w->st);
	put_shape(w, obj->relos[recs[0]].type_id);
	put_u32(w->st, (__u32)n);
	for (i = 0; i < n; i++) {
		const struct core_relo *r = &obj->relos[recs[i]];

		put_u32(w->st, r->kind);
		put_str(w->st, btf_str(obj->btf, r->access_str_off));
	}
	return XXH3_128bits_digest(w->st);
}

/* Records in file order, the good ones sorted by root (stable). */
static size_t order_records(const struct objfile *obj, size_t *order)
{
	size_t i, n = 0;

	for (i = 0; i < obj->relo_cnt; i++) {
		if (!record_is_bad(obj, &obj->relos[i]))
			order[n++] = i;
	}
	qsort_r(order, n, sizeof(*order), cmp_by_root, obj->relos);
	return n;
}

static size_t digest_groups(struct shape_walk *w, const struct objfile *obj,
			    const size_t *order, size_t n, XXH128_hash_t *groups)
{
	size_t i, start, cnt = 0;

	for (start = 0; start < n; start = i) {
		for (i = start + 1; i < n; i++) {
			if (obj->relos[order[i]].type_id != obj->relos[order[start]].type_id)
				break;
		}
		groups[cnt++] = group_digest(w, obj, order + start, i - start);
	}
	qsort(groups, cnt, sizeof(*groups), cmp_digest);
	return cnt;
}

static void final_digest(XXH3_state_t *st, const struct objfile *obj, size_t good,
			 const XXH128_hash_t *groups, size_t cnt, struct relo_digest *out)
{
	XXH128_hash_t h;
	size_t i;

	XXH3_128bits_reset(st);
	put_u32(st, RELO_DIGEST_VERSION);
	put_u32(st, obj->btf ? (__u32)btf__pointer_size(obj->btf) : 0);
	put_u32(st, (__u32)(obj->relo_cnt - good));	/* rejected whatever the kernel */
	put_u32(st, (__u32)cnt);
	for (i = 0; i < cnt; i++) {
		put_u32(st, (__u32)(groups[i].high64 >> 32));
		put_u32(st, (__u32)groups[i].high64);
		put_u32(st, (__u32)(groups[i].low64 >> 32));
		put_u32(st, (__u32)groups[i].low64);
	}
	h = XXH3_128bits_digest(st);
	out->high = h.high64;
	out->low = h.low64;
}

int relo_digest_object(const struct objfile *obj, struct relo_digest *out,
		       struct bp_err *err)
{
	size_t n = obj->btf ? obj->relo_cnt : 0, good = 0, cnt = 0;
	struct shape_walk w = { .btf = obj->btf };
	XXH128_hash_t *groups = NULL;
	size_t *order = NULL;
	int ret = 0;

	w.st = XXH3_createState();
	w.type_cnt = obj->btf ? btf__type_cnt(obj->btf) : 0;
	w.ordinal = calloc(w.type_cnt + 1, sizeof(*w.ordinal));
	w.queue = malloc((w.type_cnt + 1) * sizeof(*w.queue));
	order = malloc((n + 1) * sizeof(*order));
	groups = malloc((n + 1) * sizeof(*groups));
	if (!w.st || !w.ordinal || !w.queue || !order || !groups) {
		ret = bp_err_set(err, ENOMEM, "%s: out of memory", obj->name);
		goto out;
	}
	if (n) {
		good = order_records(obj, order);
		cnt = digest_groups(&w, obj, order, good, groups);
	}
	final_digest(w.st, obj, good, groups, cnt, out);
out:
	XXH3_freeState(w.st);
	free(w.ordinal);
	free(w.queue);
	free(order);
	free(groups);
	return ret;
}
