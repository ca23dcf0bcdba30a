// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "core/bpf_obj.h"
#include "core/min_job.h"
#include "core/minimize.h"

struct job_ctx {
	struct minimizer *min;
	struct min_obj_stats *stats;
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
		j->stats->failed++;
	return j->observe ? j->observe(j->observe_ctx, ev) : 0;
}

int core_minimize(const struct btf *src, const struct cand_index *idx,
		  struct bpf_obj *const *objs, size_t obj_cnt,
		  struct min_obj_stats *stats, relo_visit_fn observe, void *observe_ctx,
		  struct btf **out, struct bp_err *err)
{
	struct job_ctx j = { .observe = observe, .observe_ctx = observe_ctx };
	size_t i;
	int ret;

	*out = NULL;
	ret = minimizer_new(src, &j.min, err);
	if (ret)
		return ret;
	for (i = 0; i < obj_cnt; i++) {
		memset(&stats[i], 0, sizeof(stats[i]));
		j.stats = &stats[i];
		ret = relo_engine_run(objs[i], src, idx, job_visit, &j, err);
		if (ret) {
			if (ret == -ENOMEM)
				bp_err_set(err, ENOMEM, "%s: out of memory", objs[i]->name);
			goto out;
		}
	}
	ret = minimizer_emit(j.min, out, err);
out:
	minimizer_free(j.min);
	return ret;
}

int core_btf_serialize(const struct btf *btf, void **data, size_t *size,
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
