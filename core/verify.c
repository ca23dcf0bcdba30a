// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/objfile.h"
#include "core/cand_index.h"
#include "core/relo_engine.h"
#include "core/verify.h"

/* What must be equal about one decision. */
struct decision {
	enum relo_status status;
	int err;
	struct core_relo_res res;
	__u32 bit_offset;
};

struct recorder {
	struct decision *d;
	size_t cnt;
};

static int record(void *ctx, const struct relo_event *ev)
{
	struct recorder *r = ctx;
	struct decision *d = &r->d[r->cnt++];

	memset(d, 0, sizeof(*d));
	d->status = ev->status;
	d->err = ev->err;
	if (ev->status != RELO_REJECTED)
		d->res = ev->res;
	if (ev->targ)
		d->bit_offset = ev->targ->bit_offset;
	if (ev->rec->kind == CORE_TYPE_ID_TARGET)
		d->res.new_val = d->res.new_val != 0; /* an id: only found or not */
	return 0;
}

static bool same_decision(const struct decision *a, const struct decision *b)
{
	return a->status == b->status && a->err == b->err && a->bit_offset == b->bit_offset &&
	       a->res.orig_val == b->res.orig_val && a->res.new_val == b->res.new_val &&
	       a->res.poison == b->res.poison && a->res.validate == b->res.validate &&
	       a->res.fail_memsz_adjust == b->res.fail_memsz_adjust &&
	       a->res.orig_sz == b->res.orig_sz && a->res.new_sz == b->res.new_sz;
}

static const char *status_name(enum relo_status s)
{
	return s == RELO_RESOLVED ? "resolved" : s == RELO_UNRESOLVED ? "unresolved" : "rejected";
}

static int describe(const struct objfile *obj, size_t i, const struct decision *a,
		    const struct decision *b, struct bp_err *err)
{
	const struct core_relo_sec *sec = obj->secs;
	size_t s;

	for (s = 0; s < obj->sec_cnt; s++) {
		if (i >= obj->secs[s].first && i < obj->secs[s].first + obj->secs[s].count)
			sec = &obj->secs[s];
	}
	return bp_err_set(err, EPROTO,
			  "%s: sec '%s' relo #%zu: full BTF: %s, value %llu; minimized: %s, value %llu",
			  obj->name, sec ? sec->name : "?", i - (sec ? sec->first : 0),
			  status_name(a->status), (unsigned long long)a->res.new_val,
			  status_name(b->status), (unsigned long long)b->res.new_val);
}

static int verify_obj(const struct btf *full, const struct cand_index *full_idx,
		      const struct btf *min, const struct cand_index *min_idx,
		      const struct objfile *obj, struct bp_err *err)
{
	struct recorder a = { 0 }, b = { 0 };
	size_t i;
	int ret;

	if (!obj->relo_cnt)
		return 0;
	a.d = calloc(obj->relo_cnt, sizeof(*a.d));
	b.d = calloc(obj->relo_cnt, sizeof(*b.d));
	if (!a.d || !b.d) {
		ret = bp_err_set(err, ENOMEM, "%s: out of memory", obj->name);
		goto out;
	}
	ret = relo_engine_run(obj, full, full_idx, record, &a, err);
	if (!ret)
		ret = relo_engine_run(obj, min, min_idx, record, &b, err);
	for (i = 0; !ret && i < obj->relo_cnt; i++) {
		if (!same_decision(&a.d[i], &b.d[i]))
			ret = describe(obj, i, &a.d[i], &b.d[i], err);
	}
out:
	free(a.d);
	free(b.d);
	return ret;
}

int verify_min(const struct btf *full, const struct cand_index *full_idx,
		    const struct btf *min, struct objfile *const *objs, size_t obj_cnt,
		    struct bp_err *err)
{
	struct cand_index *min_idx;
	size_t i;
	int ret;

	ret = cand_index_build(min, &min_idx, err);
	for (i = 0; !ret && i < obj_cnt; i++)
		ret = verify_obj(full, full_idx, min, min_idx, objs[i], err);
	cand_index_free(min_idx);
	return ret;
}
