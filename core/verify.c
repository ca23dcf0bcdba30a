// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <bpf/btf.h>

#include "core/objfile.h"
#include "core/cand_index.h"
#include "core/btf_util.h"
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

/* "resolved 1256", "unresolved", "rejected (-3)"; with the other fields
 * compared when detail is set (the values alone were equal).
 */
static void format_decision(char *buf, size_t size, const struct decision *d, bool detail)
{
	int n;

	if (d->status == RELO_REJECTED)
		n = snprintf(buf, size, "rejected (%d)", d->err);
	else if (d->status == RELO_UNRESOLVED)
		n = snprintf(buf, size, "unresolved");
	else
		n = snprintf(buf, size, "resolved %llu", (unsigned long long)d->res.new_val);
	if (detail && n >= 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, " (bit offset %u, size %u, poison %d)",
			 d->bit_offset, d->res.new_sz, d->res.poison);
}

static const struct core_relo_sec *sec_of(const struct objfile *obj, size_t i)
{
	size_t s;

	for (s = 0; s < obj->sec_cnt; s++) {
		if (i >= obj->secs[s].first && i < obj->secs[s].first + obj->secs[s].count)
			return &obj->secs[s];
	}
	return NULL;
}

/* The local root type as "struct task_struct" (or "[id]" when unnamed). */
static void local_type_name(const struct objfile *obj, __u32 id, char *buf, size_t size)
{
	const struct btf_type *t = obj->btf ? btf__type_by_id(obj->btf, id) : NULL;
	const char *name = t ? btf__name_by_offset(obj->btf, t->name_off) : NULL;

	if (!t)
		snprintf(buf, size, "[%u]?", id);
	else if (name && *name)
		snprintf(buf, size, "%s %s", btf_kind_name(t), name);
	else
		snprintf(buf, size, "%s [%u]", btf_kind_name(t), id);
}

static int report_diff(const struct objfile *obj, size_t i, const struct decision *a,
		       const struct decision *b, verify_diff_fn fn, void *ctx)
{
	const struct core_relo *rec = &obj->relos[i];
	const struct core_relo_sec *sec = sec_of(obj, i);
	const char *access = obj->btf ? btf__str_by_offset(obj->btf, rec->access_str_off) : NULL;
	bool detail = a->status == b->status && a->res.new_val == b->res.new_val;
	struct verify_diff d = {
		.obj = obj,
		.sec = sec ? sec->name : "?",
		.sec_rec = i - (sec ? sec->first : 0),
		.insn_off = rec->insn_off,
		.kind = core_kind_str(rec->kind),
		.access = access ? access : "?",
	};

	local_type_name(obj, rec->type_id, d.local, sizeof(d.local));
	format_decision(d.first, sizeof(d.first), a, detail);
	format_decision(d.second, sizeof(d.second), b, detail);
	return fn(ctx, &d);
}

int verify_obj_each(const struct btf *first, const struct cand_index *first_idx,
		    const struct btf *second, const struct cand_index *second_idx,
		    const struct objfile *obj, verify_diff_fn fn, void *ctx, size_t *diffs,
		    struct bp_err *err)
{
	struct recorder a = { 0 }, b = { 0 };
	size_t i;
	int ret;

	*diffs = 0;
	if (!obj->relo_cnt)
		return 0;
	a.d = calloc(obj->relo_cnt, sizeof(*a.d));
	b.d = calloc(obj->relo_cnt, sizeof(*b.d));
	if (!a.d || !b.d) {
		ret = bp_err_set(err, ENOMEM, "%s: out of memory", obj->name);
		goto out;
	}
	ret = relo_engine_run(obj, first, first_idx, record, &a, err);
	if (!ret)
		ret = relo_engine_run(obj, second, second_idx, record, &b, err);
	for (i = 0; !ret && i < obj->relo_cnt; i++) {
		if (same_decision(&a.d[i], &b.d[i]))
			continue;
		++*diffs;
		ret = report_diff(obj, i, &a.d[i], &b.d[i], fn, ctx);
	}
out:
	free(a.d);
	free(b.d);
	return ret;
}

/* The build's check stops at the first difference, named in err. */
static int first_diff(void *ctx, const struct verify_diff *d)
{
	return bp_err_set(ctx, EPROTO, "%s: sec '%s' relo #%zu: full BTF: %s; minimized: %s",
			  d->obj->name, d->sec, d->sec_rec, d->first, d->second);
}

static int verify_obj(const struct btf *full, const struct cand_index *full_idx,
		      const struct btf *min, const struct cand_index *min_idx,
		      const struct objfile *obj, struct bp_err *err)
{
	size_t diffs;

	return verify_obj_each(full, full_idx, min, min_idx, obj, first_diff, err, &diffs, err);
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
