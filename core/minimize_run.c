// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "core/objfile.h"
#include "core/btf_util.h"
#include "core/minimize_run.h"
#include "core/minimize.h"
#include "core/verify.h"

struct job_ctx {
	struct minimizer *min;
	struct minimize_stats *stats;
	relo_visit_fn observe;
	void *observe_ctx;
};

static int job_visit(void *ctx, const struct relo_event *ev)
{
	struct job_ctx *j = ctx;
	int ret;

	ret = minimizer_visit(j->min, ev);
	if (ret)
		return ret;
	if (ev->status == RELO_RESOLVED)
		j->stats->resolved++;
	else if (ev->status == RELO_UNRESOLVED)
		j->stats->unresolved++;
	else
		j->stats->rejected++;
	return j->observe ? j->observe(j->observe_ctx, ev) : 0;
}

/* The output's own bytes must parse in libbpf and pass the checks every
 * source passes; cheap (the output is small), and it stops a whole family
 * of emitter defects from reaching a loader.
 */
static int check_reparse(const struct btf *min, struct bp_err *err)
{
	struct btf *again;
	const void *raw;
	__u32 size;
	int ret;

	raw = btf__raw_data(min, &size);
	if (!raw)
		return bp_err_set(err, ENOMEM, "cannot serialize the minimized BTF: out of memory");
	again = btf__new(raw, size);
	ret = libbpf_get_error(again);
	if (ret)
		return bp_err_set(err, -ret, "minimized BTF does not parse in libbpf: %s",
				  strerror(-ret));
	ret = btf_validate(again, "minimized BTF", err);
	btf__free(again);
	return ret;
}

/* An output the minimizer could not make exact by construction ships only
 * if the engine decides every relocation on it as on the source. Pointer
 * bitfields are the one such construction today; the message says so.
 */
static int check_decisions(const struct btf *src, const struct cand_index *idx,
			   const struct btf *min, struct objfile *const *objs, size_t obj_cnt,
			   struct bp_err *err)
{
	char msg[BP_ERR_MSG_MAX];
	int ret;

	ret = verify_min(src, idx, min, objs, obj_cnt, err);
	if (ret != -EPROTO)
		return ret;
	snprintf(msg, sizeof(msg), "%s", err->msg);
	return bp_err_set(err, EPROTO,
			  "cannot minimize: %s (a pointer bitfield: libbpf 1.1 takes its load size from the pointee's type id, which a minimized BTF renumbers)",
			  msg);
}

/* One pass: run the engine for every object, mark what the decisions
 * read (or whole candidates), emit and re-parse the output.
 */
static int mark_and_emit(const struct btf *src, const struct cand_index *idx,
			 struct objfile *const *objs, size_t obj_cnt, bool whole,
			 unsigned int loaders, struct job_ctx *j, struct minimize_stats *stats, struct btf **out,
			 bool *needs_check, struct bp_err *err)
{
	size_t i;
	int ret;

	*out = NULL;
	ret = minimizer_new(src, idx, loaders, &j->min, err);
	if (ret)
		return ret;
	if (whole)
		minimizer_keep_whole(j->min);
	for (i = 0; i < obj_cnt; i++) {
		memset(&stats[i], 0, sizeof(stats[i]));
		j->stats = &stats[i];
		ret = relo_engine_run(objs[i], src, idx, job_visit, j, err);
		if (ret) {
			if (ret == -ENOMEM)
				bp_err_set(err, ENOMEM, "%s: out of memory", objs[i]->name);
			goto out;
		}
	}
	ret = minimizer_emit(j->min, out, err);
	if (!ret)
		ret = check_reparse(*out, err);
	*needs_check = minimizer_needs_check(j->min);
out:
	if (ret) {
		btf__free(*out);
		*out = NULL;
	}
	minimizer_free(j->min);
	j->min = NULL;
	return ret;
}

/* A closer cut decided something differently: keep every matching
 * candidate whole and check again. Observers saw the first pass already.
 */
static int retry_whole(const struct btf *src, const struct cand_index *idx,
		       struct objfile *const *objs, size_t obj_cnt, unsigned int loaders,
		       struct btf **out)
{
	struct minimize_stats *scratch = calloc(obj_cnt ? obj_cnt : 1, sizeof(*scratch));
	struct job_ctx j = { 0 };
	struct bp_err err;
	bool needs_check;
	int ret;

	if (!scratch)
		return -ENOMEM;
	ret = mark_and_emit(src, idx, objs, obj_cnt, true, loaders, &j, scratch, out, &needs_check,
			    &err);
	if (!ret)
		ret = verify_min(src, idx, *out, objs, obj_cnt, &err);
	if (ret) {
		btf__free(*out);
		*out = NULL;
	}
	free(scratch);
	return ret;
}

int minimize_run(const struct btf *src, const struct cand_index *idx,
		 struct objfile *const *objs, size_t obj_cnt,
		 struct minimize_stats *stats, relo_visit_fn observe, void *observe_ctx,
		 bool verify, unsigned int loaders, struct btf **out, struct bp_err *err)
{
	struct job_ctx j = { .observe = observe, .observe_ctx = observe_ctx };
	bool needs_check = false;
	int ret;

	ret = mark_and_emit(src, idx, objs, obj_cnt, false, loaders, &j, stats, out, &needs_check,
			    err);
	if (ret || (!verify && !needs_check))
		return ret;
	ret = needs_check ? check_decisions(src, idx, *out, objs, obj_cnt, err)
			  : verify_min(src, idx, *out, objs, obj_cnt, err);
	if (ret != -EPROTO)
		goto out;
	btf__free(*out);
	*out = NULL;
	/* the first message stays: it says what the closer cut got wrong */
	if (!retry_whole(src, idx, objs, obj_cnt, loaders, out))
		ret = 0;
out:
	if (ret) {
		btf__free(*out);
		*out = NULL;
	}
	return ret;
}

int minimize_serialize(const struct btf *btf, void **data, size_t *size,
		       struct bp_err *err)
{
	const void *raw;
	__u32 raw_size;
	void *copy;

	raw = btf__raw_data(btf, &raw_size);
	if (!raw)
		return bp_err_set(err, ENOMEM, "cannot serialize BTF: out of memory");
	copy = malloc(raw_size ? raw_size : 1);
	if (!copy)
		return bp_err_set(err, ENOMEM, "cannot serialize BTF: out of memory");
	memcpy(copy, raw, raw_size);
	*data = copy;
	*size = raw_size;
	return 0;
}
