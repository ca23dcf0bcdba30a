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

#include "archive/archive_input.h"
#include "cmd/build.h"
#include "core/bpf_obj.h"
#include "core/cand_index.h"
#include "core/fileio.h"
#include "core/min_job.h"
#include "core/source_btf.h"
#include "core/verify.h"

struct kernel_work {
	struct bp_file_view view;
	struct archive_member member;
	struct btf *btf;
	struct cand_index *idx;
	struct btf *min;
	struct bpf_obj **objs;
	size_t *obj_idx;
	struct min_obj_stats *stats;
};

static int load_kernel(const struct build_opts *o, const struct hub_kernel *k,
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
		ret = archive_read_btf_member(w->view.data, w->view.size, k->source,
					      o->member_cap, &w->member, err);
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

static int minimize_kernel(const struct build_opts *o, const struct hub_kernel *k,
			   struct kernel_work *w, struct kernel_result *res, struct bp_err *err)
{
	size_t n, i;
	int ret;

	n = obj_set_select(&o->objs, k->arch, w->objs, w->obj_idx);
	ret = cand_index_build(w->btf, &w->idx, err);
	if (!ret)
		ret = core_minimize(w->btf, w->idx, w->objs, n, w->stats, NULL, NULL, &w->min,
				    err);
	if (!ret && o->verify)
		ret = core_verify_min(w->btf, w->idx, w->min, w->objs, n, err);
	if (ret)
		return ret;
	for (i = 0; i < n; i++) {
		struct index_coverage *c = &res->coverage[w->obj_idx[i]];

		c->resolved = w->stats[i].resolved;
		c->unresolved = w->stats[i].unresolved;
		c->rejected = w->stats[i].failed;
		res->resolved += c->resolved;
		res->unresolved += c->unresolved;
		res->rejected += c->rejected;
	}
	ret = core_btf_serialize(w->min, &res->blob, &res->blob_size, err);
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

void build_kernel(const struct build_opts *o, const struct hub_kernel *k,
		  struct kernel_result *res)
{
	size_t nobj = o->objs.cnt ? o->objs.cnt : 1;
	struct kernel_work w = { 0 };
	struct bp_err err = { { 0 } };
	int ret;

	memset(res, 0, sizeof(*res));
	w.objs = calloc(nobj, sizeof(*w.objs));
	w.obj_idx = calloc(nobj, sizeof(*w.obj_idx));
	w.stats = calloc(nobj, sizeof(*w.stats));
	res->coverage = calloc(nobj, sizeof(*res->coverage));
	if (!w.objs || !w.obj_idx || !w.stats || !res->coverage)
		ret = bp_err_set(&err, ENOMEM, "%s: out of memory", k->source);
	else
		ret = load_kernel(o, k, &w, res, &err);
	if (!ret)
		ret = minimize_kernel(o, k, &w, res, &err);
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
	btf__free(w.min);
	cand_index_free(w.idx);
	btf__free(w.btf);
	free(w.objs);
	free(w.obj_idx);
	free(w.stats);
}

void kernel_result_clear(struct kernel_result *res)
{
	free(res->blob);
	free(res->coverage);
	memset(res, 0, sizeof(*res));
}
