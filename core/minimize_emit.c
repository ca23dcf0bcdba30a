// SPDX-License-Identifier: MIT
/* Emission of the kept subset with libbpf's BTF writer.
 *
 * Canonical order: first the candidate roots sorted by essential name (ties,
 * i.e. duplicate candidates, keep their source order, which libbpf's log and
 * ambiguity checks follow), then everything else in depth-first pre-order
 * from those roots, references visited in declaration order. Nothing depends
 * on source type ids beyond that tie, so kernels whose relevant types agree
 * produce byte-identical BTF.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "core/btf_util.h"
#include "core/cand_index.h"
#include "core/minimize_internal.h"

struct emitter {
	const struct btf *src;
	const struct keep_set *ks;
	__u32 cnt;		/* source type count */
	__u32 *new_id;		/* source id -> output id, 0 = dropped */
	__u32 *order;		/* output id - 1 -> source id */
	__u32 out_cnt;
	__u32 *stack;
	size_t stack_cnt;
	size_t stack_cap;
	__u32 *refs;		/* push_refs scratch */
	size_t refs_cnt;
	size_t refs_cap;
	__u32 refs_of;
};

static int cmp_roots(const void *a, const void *b, void *ctx)
{
	const struct btf *btf = ctx;
	__u32 ia = *(const __u32 *)a, ib = *(const __u32 *)b;
	const char *na = btf_str(btf, btf__type_by_id(btf, ia)->name_off);
	const char *nb = btf_str(btf, btf__type_by_id(btf, ib)->name_off);
	size_t la = core_essential_name_len(na), lb = core_essential_name_len(nb);
	int c = memcmp(na, nb, la < lb ? la : lb);

	if (c)
		return c;
	if (la != lb)
		return la < lb ? -1 : 1;
	return ia < ib ? -1 : ia > ib;
}

static int stack_push(struct emitter *e, __u32 id)
{
	__u32 *s;

	if (!id || !keep_has_type(e->ks, id) || e->new_id[id])
		return 0;
	if (e->stack_cnt == e->stack_cap) {
		e->stack_cap = e->stack_cap ? e->stack_cap * 2 : 256;
		s = realloc(e->stack, e->stack_cap * sizeof(*s));
		if (!s)
			return -ENOMEM;
		e->stack = s;
	}
	e->stack[e->stack_cnt++] = id;
	return 0;
}

static int collect_ref(void *ctx, __u32 *ref, enum btf_ref_role role, __u32 index)
{
	struct emitter *e = ctx;
	__u32 *refs;

	if (!keep_follows_ref(e->ks, e->refs_of, role, index))
		return 0;
	if (e->refs_cnt == e->refs_cap) {
		e->refs_cap = e->refs_cap ? e->refs_cap * 2 : 64;
		refs = realloc(e->refs, e->refs_cap * sizeof(*refs));
		if (!refs)
			return -ENOMEM;
		e->refs = refs;
	}
	e->refs[e->refs_cnt++] = *ref;
	return 0;
}

/* Push the followed references of id in reverse, so they pop in order. */
static int push_refs(struct emitter *e, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(e->src, id);
	size_t i;
	int ret;

	e->refs_cnt = 0;
	e->refs_of = id;
	/* read-only walk; see btf_refs.h */
	ret = btf_type_visit_refs((struct btf_type *)t, collect_ref, e);
	for (i = e->refs_cnt; !ret && i-- > 0;)
		ret = stack_push(e, e->refs[i]);
	return ret;
}

static void assign(struct emitter *e, __u32 id)
{
	e->order[e->out_cnt++] = id;
	e->new_id[id] = e->out_cnt;
}

static int drain(struct emitter *e)
{
	__u32 id;
	int ret = 0;

	while (!ret && e->stack_cnt) {
		id = e->stack[--e->stack_cnt];
		if (e->new_id[id])
			continue;
		assign(e, id);
		ret = push_refs(e, id);
	}
	return ret;
}

static int visit_from(struct emitter *e, __u32 id)
{
	return stack_push(e, id) ?: drain(e);
}

/* For a root that already has its id: its references, depth first. */
static int visit_refs(struct emitter *e, __u32 root)
{
	return push_refs(e, root) ?: drain(e);
}

static int cmp_ids(const void *a, const void *b)
{
	__u32 x = *(const __u32 *)a, y = *(const __u32 *)b;

	return (x > y) - (x < y);
}

static int build_order(struct emitter *e)
{
	__u32 *roots, *kept, nroots = 0, i;
	const __u32 *ids;
	size_t n, k;
	int ret = 0;

	n = keep_ids(e->ks, &ids);
	roots = malloc((n + 1) * sizeof(*roots));
	kept = malloc((n + 1) * sizeof(*kept));
	if (!roots || !kept) {
		free(roots);
		free(kept);
		return -ENOMEM;
	}
	if (n)
		memcpy(kept, ids, n * sizeof(*kept));
	for (k = 0; k < n; k++) {
		if (keep_is_root(e->ks, kept[k]))
			roots[nroots++] = kept[k];
	}
	qsort_r(roots, nroots, sizeof(*roots), cmp_roots, (void *)e->src);
	/* roots take the first ids so duplicate candidates stay in order */
	for (i = 0; i < nroots; i++)
		assign(e, roots[i]);
	for (i = 0; i < nroots && !ret; i++)
		ret = visit_refs(e, roots[i]);
	/* anything unreachable from a root (none expected) in source order */
	qsort(kept, n, sizeof(*kept), cmp_ids);
	for (k = 0; k < n && !ret; k++)
		ret = visit_from(e, kept[k]);
	free(roots);
	free(kept);
	return ret;
}

static bool is_long_alias(const char *name)
{
	static const char *const aliases[] = {
		"long", "long int", "int long", "unsigned long", "long unsigned",
		"unsigned long int", "unsigned int long", "long unsigned int",
		"long int unsigned", "int unsigned long", "int long unsigned",
	};
	size_t i;

	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++) {
		if (strcmp(name, aliases[i]) == 0)
			return true;
	}
	return false;
}

/* The first int libbpf would take as "long" to learn the pointer size. */
static __u32 find_long(const struct btf *btf, __u32 cnt, const __u32 *ids, bool use_ids)
{
	__u32 i, id;

	for (i = use_ids ? 0 : 1; i < cnt; i++) {
		const struct btf_type *t;

		id = use_ids ? ids[i] : i;
		t = btf__type_by_id(btf, id);
		if (btf_is_int(t) && (t->size == 4 || t->size == 8) &&
		    is_long_alias(btf_str(btf, t->name_off)))
			return id;
	}
	return 0;
}

/* A minimized BTF without a "long" makes libbpf assume the loader's own
 * pointer size: wrong for a 32-bit loader on a 64-bit kernel. Carry the
 * source's "long" whenever pointers are present.
 */
static void add_pointer_size_hint(struct emitter *e)
{
	bool has_ptr = false;
	__u32 i, long_id;

	for (i = 0; i < e->out_cnt && !has_ptr; i++)
		has_ptr = btf_is_ptr(btf__type_by_id(e->src, e->order[i]));
	if (!has_ptr || find_long(e->src, e->out_cnt, e->order, true))
		return;
	long_id = find_long(e->src, e->cnt, NULL, false);
	if (long_id && !e->new_id[long_id])
		assign(e, long_id);
}

static struct btf_type *out_type(struct btf *out, __u32 id)
{
	/* the writer hands out const pointers; the types are ours to patch */
	return (struct btf_type *)btf__type_by_id(out, id);
}

static void set_kflag(struct btf_type *t, bool kflag)
{
	t->info = (t->info & ~(1U << 31)) | ((__u32)kflag << 31);
}

static __u32 map_ref(const struct emitter *e, __u32 id)
{
	return id < e->cnt ? e->new_id[id] : 0;
}

static int emit_composite(const struct emitter *e, struct btf *out, __u32 id,
			  const struct btf_type *t)
{
	const char *name = btf_str(e->src, t->name_off);
	const struct btf_member *m = btf_members(t);
	int ret, i, new_id;

	new_id = btf_is_struct(t) ? btf__add_struct(out, name, t->size)
				  : btf__add_union(out, name, t->size);
	if (new_id < 0)
		return new_id;
	for (i = 0; i < btf_vlen(t); i++) {
		struct btf_type *nt;

		if (!keep_has_member(e->ks, id, (__u32)i))
			continue;
		ret = btf__add_field(out, btf_str(e->src, m[i].name_off), (int)map_ref(e, m[i].type),
				     0, 0);
		if (ret)
			return ret;
		/* the offset word verbatim, read under the source's kflag */
		nt = out_type(out, (__u32)new_id);
		btf_members(nt)[btf_vlen(nt) - 1].offset = m[i].offset;
	}
	set_kflag(out_type(out, (__u32)new_id), btf_kflag(t));
	return new_id;
}

static int emit_enum(const struct emitter *e, struct btf *out, __u32 id,
		     const struct btf_type *t)
{
	const char *name = btf_str(e->src, t->name_off);
	int ret = 0, i, new_id;

	if (btf_is_enum(t))
		new_id = btf__add_enum(out, name, t->size);
	else
		new_id = btf__add_enum64(out, name, t->size, btf_kflag(t));
	if (new_id < 0)
		return new_id;
	for (i = 0; i < btf_vlen(t) && !ret; i++) {
		if (!keep_has_member(e->ks, id, (__u32)i))
			continue;
		if (btf_is_enum(t))
			ret = btf__add_enum_value(out, btf_str(e->src, btf_enum(t)[i].name_off),
						  (__s64)(__u32)btf_enum(t)[i].val);
		else
			ret = btf__add_enum64_value(out,
						    btf_str(e->src, btf_enum64(t)[i].name_off),
						    btf_enum64_value(btf_enum64(t) + i));
	}
	if (ret)
		return ret;
	set_kflag(out_type(out, (__u32)new_id), btf_kflag(t));
	return new_id;
}

struct remap_ctx {
	const struct emitter *e;
	__u32 src_id;
};

static int remap_ref(void *ctx, __u32 *ref, enum btf_ref_role role, __u32 index)
{
	const struct remap_ctx *r = ctx;

	*ref = keep_follows_ref(r->e->ks, r->src_id, role, index) ? map_ref(r->e, *ref) : 0;
	return 0;
}

/* Everything else is copied whole and its references renumbered. */
static int emit_copy(const struct emitter *e, struct btf *out, __u32 id,
		     const struct btf_type *t)
{
	struct remap_ctx r = { .e = e, .src_id = id };
	int new_id;

	new_id = btf__add_type(out, e->src, t);
	if (new_id < 0)
		return new_id;
	btf_type_visit_refs(out_type(out, (__u32)new_id), remap_ref, &r);
	return new_id;
}

static int emit_all(const struct emitter *e, struct btf *out, struct bp_err *err)
{
	__u32 i;
	int ret;

	for (i = 0; i < e->out_cnt; i++) {
		__u32 id = e->order[i];
		const struct btf_type *t = btf__type_by_id(e->src, id);

		if (btf_is_composite(t))
			ret = emit_composite(e, out, id, t);
		else if (btf_is_datasec(t))
			/* variables are never kept: an empty section */
			ret = btf__add_datasec(out, btf_str(e->src, t->name_off), t->size);
		else if (btf_is_any_enum(t))
			ret = emit_enum(e, out, id, t);
		else
			ret = emit_copy(e, out, id, t);
		if (ret < 0)
			return bp_err_set(err, -ret, "cannot write type [%u] '%s' to the minimized BTF: %s",
					  id, btf_str(e->src, t->name_off), strerror(-ret));
		if ((__u32)ret != i + 1)
			return bp_err_set(err, EINVAL, "minimized BTF out of order at type [%u]", id);
	}
	return 0;
}

int minimize_emit_btf(const struct btf *src, const struct keep_set *ks, struct btf **out,
		      struct bp_err *err)
{
	struct emitter e = { .src = src, .ks = ks, .cnt = btf__type_cnt(src) };
	struct btf *btf = NULL;
	int ret;

	*out = NULL;
	e.new_id = calloc(e.cnt, sizeof(*e.new_id));
	e.order = malloc((size_t)e.cnt * sizeof(*e.order));
	if (!e.new_id || !e.order) {
		ret = bp_err_set(err, ENOMEM, "out of memory");
		goto out;
	}
	ret = build_order(&e);
	if (ret) {
		ret = bp_err_set(err, -ret, "out of memory");
		goto out;
	}
	add_pointer_size_hint(&e);

	btf = btf__new_empty();
	ret = libbpf_get_error(btf);
	if (ret) {
		btf = NULL;
		ret = bp_err_set(err, -ret, "cannot create BTF: %s", strerror(-ret));
		goto out;
	}
	btf__set_endianness(btf, btf__endianness(src));
	ret = emit_all(&e, btf, err);
	if (ret)
		goto out;
	*out = btf;
	btf = NULL;
out:
	btf__free(btf);
	free(e.stack);
	free(e.refs);
	free(e.new_id);
	free(e.order);
	return ret;
}
