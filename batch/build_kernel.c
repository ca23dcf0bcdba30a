// SPDX-License-Identifier: MIT
/* One kernel of a build: read (decompressing in memory), parse, minimize for
 * the objects of its architecture, hash, and optionally self-verify. Runs
 * on worker threads; everything it touches is its own except the objects,
 * which are only read.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>

#include "archive/hub_member.h"
#include "batch/build.h"
#include "batch/build_cache.h"
#include "batch/kernel_cache.h"
#include "batch/mem_budget.h"
#include "core/objfile.h"
#include "core/cand_index.h"
#include "base/fileio.h"
#include "core/minimize_run.h"
#include "core/source_btf.h"
#include "core/verify.h"

struct kernel_work {
	struct bp_file_view view;
	struct hub_member member;
	struct btf *btf;
	struct cand_index *idx;
	struct btf *min;
	struct objfile **objs;
	size_t *obj_idx;
	struct minimize_stats *stats;
	size_t obj_cnt;			/* selected for the kernel's arch */
	struct cache_source src;	/* a decoded-source cache hit */
};

/* The decoded BTF from the cache instead of the archive. */
static int load_cached(const struct hub_kernel *k, struct kernel_work *w,
		       struct kernel_result *res, struct bp_err *err)
{
	void *raw;
	int ret;

	ret = build_cache_decode_source(&w->src, &raw, err);
	if (ret)
		return ret;
	res->btf_size = w->src.member_size;
	ret = source_btf_load_mem(raw, w->src.raw_size, k->source, &w->btf, err);
	free(raw);
	build_cache_source_free(&w->src);
	return ret;
}

static int load_kernel(const struct hub_kernel *k, const struct mem_plan *plan,
		       struct kernel_work *w, struct kernel_result *res, struct bp_err *err)
{
	const void *data;
	size_t size;
	int ret;

	ret = bp_view_file(k->abs_path, BP_MAX_INPUT_FILE, &w->view, err);
	if (ret)
		return ret;
	res->source_size = w->view.size;
	bp_hash_bytes(w->view.data, w->view.size, &res->source_hash);
	res->source_read = true;
	data = w->view.data;
	size = w->view.size;
	if (k->kind == HUB_ARCHIVE) {
		res->decompressed = true;
		ret = hub_member_read_capped(w->view.data, w->view.size, k->source,
						     plan->member_cap, plan->stream_cap,
						     &w->member, err);
		if (ret)
			return ret;
		data = w->member.data;
		size = w->member.size;
	}
	res->btf_size = size;
	ret = source_btf_load_mem(data, size, k->source, &w->btf, err);
	/* the parsed BTF owns a copy: drop the bytes early to bound memory */
	free(w->member.data);
	w->member.data = NULL;
	bp_unview_file(&w->view);
	return ret;
}

static int minimize_kernel(const struct build_opts *o, struct kernel_work *w, struct kernel_result *res, struct bp_err *err)
{
	size_t n = w->obj_cnt, i;
	int ret;

	ret = cand_index_build(w->btf, &w->idx, err);
	if (!ret)
		ret = minimize_run(w->btf, w->idx, w->objs, n, w->stats, NULL, NULL, o->verify, o->loaders,
				   &w->min, err);
	if (ret)
		return ret;
	for (i = 0; i < n; i++) {
		struct index_coverage *c = &res->coverage[w->obj_idx[i]];

		c->resolved = w->stats[i].resolved;
		c->unresolved = w->stats[i].unresolved;
		c->rejected = w->stats[i].rejected;
		res->resolved += c->resolved;
		res->unresolved += c->unresolved;
		res->rejected += c->rejected;
	}
	ret = minimize_serialize(w->min, &res->blob, &res->blob_size, err);
	if (!ret)
		bp_hash_bytes(res->blob, res->blob_size, &res->blob_hash);
	return ret;
}

/* Every per-kernel error starts with the kernel's hub path, whichever
 * stage failed.
 */
static void name_kernel(struct bp_err *err, const struct hub_kernel *k)
{
	size_t n = strlen(k->source);

	if (strncmp(err->msg, k->source, n) || err->msg[n] != ':')
		bp_err_prefix(err, k->source);
}

/* One reservation, before the big allocations, from a cheap look at the
 * input; always taken or passed, so the next kernel's turn comes.
 */
static int reserve_memory(const struct build_opts *o, const struct hub_kernel *k,
			  struct mem_budget *budget, size_t ticket, struct mem_plan *plan,
			  size_t *held, struct bp_err *err)
{
	int ret = mem_plan_kernel(k->abs_path, k->source, k->kind == HUB_ARCHIVE, o->member_cap,
				  plan, err);
	int r = mem_budget_reserve(budget, ticket, ret ? 0 : plan->estimate, held);
	char est[32], lim[32];

	if (ret)
		return ret;
	if (r == -EFBIG)
		return bp_err_set(err, EFBIG, "%s: needs an estimated %s of memory, more than "
				  "the %s budget (--max-memory)", k->source,
				  mem_size_str(est, plan->estimate),
				  mem_size_str(lim, budget->limit));
	if (r)
		return bp_err_set(err, -r, "%s: not built: the batch is stopping", k->source);
	return 0;
}

/* An input that failed before it was loaded (its memory plan) is still
 * named by its bytes when they can be read, as --cache names it: the index
 * must not depend on --cache.
 */
static void hash_unplanned(const struct hub_kernel *k, struct kernel_result *res)
{
	struct bp_err err;

	/* in pieces, as --cache hashes: a huge input must not be mapped whole
	 * by the kernel its memory plan just refused
	 */
	if (!res->source_read &&
	    !build_cache_hash_file(k->abs_path, &res->source_hash, &res->source_size, &err))
		res->source_read = true;
}

/* With --cache: the result, or what reading the decoded source costs. */
static int reserve_cached(const struct hub_kernel *k, struct mem_budget *budget, size_t ticket, struct kernel_work *w,
			  struct kernel_result *res, struct mem_plan *plan, struct bp_err *err)
{
	size_t n = res->cached == KC_RESULT ? res->blob_size
		   : mem_plan_cached(w->src.frame_size, w->src.raw_size);
	int r = mem_budget_reserve(budget, ticket, n, &res->mem_held);

	memset(plan, 0, sizeof(*plan));
	if (r == -EFBIG)
		return bp_err_set(err, EFBIG, "%s: needs more memory than the budget (--max-memory)",
				  k->source);
	if (r)
		return bp_err_set(err, -r, "%s: not built: the batch is stopping", k->source);
	return 0;
}

/* Parsed: the input and the member are gone; keep what the rest needs. */
static void shrink_to_parsed(struct mem_budget *budget, const struct btf *btf,
			     size_t input_size, size_t *held)
{
	const enum btf_endianness host = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
					 ? BTF_LITTLE_ENDIAN : BTF_BIG_ENDIAN;
	size_t bytes = input_size;
	__u32 raw = 0;

	/* in host byte order libbpf hands back the copy it holds, no new one;
	 * else the input size bounds it (an ELF's .BTF is smaller)
	 */
	if (btf__endianness(btf) == host && btf__raw_data(btf, &raw) && raw < bytes)
		bytes = raw;
	mem_budget_shrink(budget, held, mem_parsed_cost(bytes, btf__type_cnt(btf)));
}

/* Everything but a result-cache hit: read (the archive, or the decoded
 * source from the cache), minimize, and keep both in the cache.
 */
static int compute_kernel(const struct build_opts *o, const struct hub_kernel *k,
			  struct mem_budget *budget, const struct mem_plan *plan,
			  struct kernel_work *w, struct kernel_result *res, struct bp_err *err)
{
	int ret = res->cached == KC_SOURCE ? load_cached(k, w, res, err)
					   : load_kernel(k, plan, w, res, err);

	if (ret)
		return ret;
	if (res->cached == KC_MISS)
		kernel_cache_store_source(o, res, w->btf);
	shrink_to_parsed(budget, w->btf, res->btf_size, &res->mem_held);
	ret = minimize_kernel(o, w, res, err);
	if (!ret)
		kernel_cache_store_result(o, k, w->obj_idx, w->obj_cnt, res);
	return ret;
}

void build_kernel(const struct build_opts *o, const struct hub_kernel *k,
		  struct mem_budget *budget, size_t ticket, struct kernel_result *res)
{
	size_t nobj = o->objs.cnt ? o->objs.cnt : 1;
	struct kernel_work w = { 0 };
	struct bp_err err = { { 0 } };
	struct mem_plan plan;
	int ret;

	memset(res, 0, sizeof(*res));
	w.objs = calloc(nobj, sizeof(*w.objs));
	w.obj_idx = calloc(nobj, sizeof(*w.obj_idx));
	w.stats = calloc(nobj, sizeof(*w.stats));
	res->coverage = calloc(nobj, sizeof(*res->coverage));
	if (w.objs && w.obj_idx && w.stats && res->coverage) {
		w.obj_cnt = obj_set_select(&o->objs, k->arch, w.objs, w.obj_idx);
		res->cached = kernel_cache_find(o, k, w.obj_idx, w.obj_cnt, res, &w.src);
	}
	if (res->cached == KC_RESULT || res->cached == KC_SOURCE) {
		ret = reserve_cached(k, budget, ticket, &w, res, &plan, &err);
	} else {
		res->decompressed = k->kind == HUB_ARCHIVE;	/* the plan peeks in */
		ret = reserve_memory(o, k, budget, ticket, &plan, &res->mem_held, &err);
		if (ret && k->kind != HUB_DIR)
			hash_unplanned(k, res);
	}
	if (!ret && (!w.objs || !w.obj_idx || !w.stats || !res->coverage))
		ret = bp_err_set(&err, ENOMEM, "%s: out of memory", k->source);
	if (!ret && res->cached != KC_RESULT)
		ret = compute_kernel(o, k, budget, &plan, &w, res, &err);
	if (ret == -EPROTO)
		bp_err_prefix(&err, "verification failed");
	if (ret)
		name_kernel(&err, k);
	res->ok = !ret;
	if (ret) {
		memcpy(res->error, err.msg, sizeof(res->error));
		free(res->blob);
		res->blob = NULL;
	}
	free(w.member.data);
	bp_unview_file(&w.view);
	build_cache_source_free(&w.src);
	btf__free(w.min);
	cand_index_free(w.idx);
	btf__free(w.btf);
	free(w.objs);
	free(w.obj_idx);
	free(w.stats);
	/* only the blob stays, until the writer has it */
	mem_budget_shrink(budget, &res->mem_held, res->blob ? res->blob_size : 0);
}

void kernel_result_clear(struct kernel_result *res)
{
	free(res->blob);
	free(res->coverage);
	memset(res, 0, sizeof(*res));
}
