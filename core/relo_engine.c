// SPDX-License-Identifier: MIT
/* The engine driver: libbpf 1.1's bpf_object__relocate_core() loop and
 * bpf_core_calc_relo_insn(), without instructions. Candidate lists are cached
 * per local root type for the whole object and narrowed to the candidates
 * that matched, as libbpf does; every candidate is still matched against
 * every record so the minimizer can keep what any subset of programs needs.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/btf_util.h"
#include "core/cand_index.h"
#include "core/relo_engine.h"
#include "core/relo_internal.h"

/* Candidates of one local root type, in target id order. */
struct cand_list {
	__u32 *ids;
	bool *in_play;		/* still in libbpf's narrowed list */
	size_t cnt;
};

struct engine {
	const struct objfile *obj;
	const struct btf *local;
	const struct btf *targ;
	const struct cand_index *idx;
	struct cand_list **cache;	/* by local type id */
	__u32 local_cnt;
	struct relo_cand *cands;	/* per-record scratch */
	size_t cands_cap;
	struct core_spec local_spec;
	struct bp_err *err;
};

static int find_cands(struct engine *e, __u32 local_id, const struct btf_type *local_t,
		      const char *local_name, struct cand_list **out)
{
	struct cand_list *list;
	const __u32 *ids;
	size_t n, i;

	ids = cand_index_lookup(e->idx, local_name, core_essential_name_len(local_name), &n);
	list = calloc(1, sizeof(*list));
	if (!list)
		return -ENOMEM;
	if (n) {
		list->ids = malloc(n * sizeof(*list->ids));
		list->in_play = malloc(n * sizeof(*list->in_play));
		if (!list->ids || !list->in_play) {
			free(list->ids);
			free(list->in_play);
			free(list);
			return -ENOMEM;
		}
	}
	for (i = 0; i < n; i++) {
		const struct btf_type *t = btf__type_by_id(e->targ, ids[i]);

		/* same kind, or enum vs enum64 (libbpf's btf_kind_core_compat) */
		if (btf_kind(t) != btf_kind(local_t) &&
		    !(btf_is_any_enum(t) && btf_is_any_enum(local_t)))
			continue;
		list->ids[list->cnt] = ids[i];
		list->in_play[list->cnt] = true;
		list->cnt++;
	}
	e->cache[local_id] = list;
	*out = list;
	return 0;
}

static int reserve_cands(struct engine *e, size_t n)
{
	struct relo_cand *c;

	if (n <= e->cands_cap)
		return 0;
	c = realloc(e->cands, n * sizeof(*c));
	if (!c)
		return -ENOMEM;
	e->cands = c;
	e->cands_cap = n;
	return 0;
}

static void fail(struct relo_event *ev, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct relo_event *ev, int err, const char *fmt, ...)
{
	va_list ap;

	ev->status = RELO_REJECTED;
	ev->err = err;
	va_start(ap, fmt);
	vsnprintf(ev->reason, sizeof(ev->reason), fmt, ap);
	va_end(ap);
}

/* Where libbpf fails a calculation without a log line (a bitfield of a type
 * without a size, a size it cannot resolve), btfpack still has to say why in
 * its warning: give such a failure a reason of its own.
 */
static void calc_failed(struct relo_event *ev, const struct core_relo *rec, int err)
{
	ev->status = RELO_REJECTED;
	ev->err = err;
	if (!ev->reason[0])
		snprintf(ev->reason, sizeof(ev->reason),
			 "relo %u at insn #%u: cannot compute the new value: %s", rec->kind,
			 rec->insn_off / 8, strerror(-err));
}

/* Walk the in-play candidates in order as bpf_core_calc_relo_insn() does. */
static void decide(struct engine *e, const struct core_relo *rec, struct cand_list *list,
		   struct relo_event *ev)
{
	const struct core_spec *targ = NULL;
	struct core_relo_res cand_res;
	size_t i, pos = 0, matched = 0;
	int ret;

	for (i = 0; i < list->cnt; i++) {
		struct relo_cand *c = &e->cands[i];

		if (!c->in_play)
			continue;
		pos++;
		if (c->match < 0) {
			fail(ev, c->match, "error matching candidate #%zu [%u]: %d", pos - 1,
			     c->targ_id, c->match);
			return;
		}
		if (c->match == 0)
			continue;
		ret = core_calc_relo(rec, &e->local_spec, &c->spec, &cand_res, ev->reason,
				     sizeof(ev->reason));
		if (ret) {
			calc_failed(ev, rec, ret);
			return;
		}
		if (!matched) {
			ev->res = cand_res;
			targ = &c->spec;
		} else if (c->spec.bit_offset != targ->bit_offset) {
			fail(ev, -EINVAL, "field offset ambiguity: %u != %u", c->spec.bit_offset,
			     targ->bit_offset);
			return;
		} else if (cand_res.poison != ev->res.poison || cand_res.new_val != ev->res.new_val) {
			fail(ev, -EINVAL, "relocation decision ambiguity: %s %llu != %s %llu",
			     cand_res.poison ? "failure" : "success",
			     (unsigned long long)cand_res.new_val,
			     ev->res.poison ? "failure" : "success",
			     (unsigned long long)ev->res.new_val);
			return;
		}
		matched++;
	}

	if (matched) {
		/* narrow the cached list to the candidates that matched */
		for (i = 0; i < list->cnt; i++)
			list->in_play[i] = list->in_play[i] && e->cands[i].match > 0;
		ev->status = RELO_RESOLVED;
		ev->targ = targ;
		return;
	}
	ret = core_calc_relo(rec, &e->local_spec, NULL, &ev->res, ev->reason, sizeof(ev->reason));
	if (ret) {
		calc_failed(ev, rec, ret);
		return;
	}
	ev->status = RELO_UNRESOLVED;
}

static int match_all(struct engine *e, struct cand_list *list, struct relo_event *ev)
{
	size_t i;
	int ret;

	ret = reserve_cands(e, list->cnt);
	if (ret)
		return ret;
	for (i = 0; i < list->cnt; i++) {
		struct relo_cand *c = &e->cands[i];

		c->targ_id = list->ids[i];
		c->in_play = list->in_play[i];
		c->match = core_spec_match(&e->local_spec, e->targ, c->targ_id, &c->spec);
	}
	ev->cands = e->cands;
	ev->cand_cnt = list->cnt;
	return 0;
}

static int process_record(struct engine *e, const struct core_relo_sec *sec, size_t rec_idx,
			  struct relo_event *ev)
{
	const struct core_relo *rec = &e->obj->relos[sec->first + rec_idx];
	const struct btf_type *local_t;
	struct cand_list *list = NULL;
	const char *local_name;
	int ret;

	memset(ev, 0, sizeof(*ev));
	ev->obj = e->obj;
	ev->sec = sec;
	ev->sec_rec = rec_idx;
	ev->rec = rec;

	if (rec->insn_off % 8) {
		fail(ev, -EINVAL, "instruction offset %u is not a multiple of 8", rec->insn_off);
		return 0;
	}
	local_t = btf__type_by_id(e->local, rec->type_id);
	local_name = local_t ? btf_str(e->local, local_t->name_off) : NULL;
	if (!local_t || !local_name) {
		fail(ev, -EINVAL, "local type [%u] does not exist", rec->type_id);
		return 0;
	}
	if (rec->kind != CORE_TYPE_ID_LOCAL) {
		if (str_empty(local_name)) {
			fail(ev, -EINVAL, "target candidate search failed for [%u] %s <anon>: -22",
			     rec->type_id, btf_kind_name(local_t));
			return 0;
		}
		list = e->cache[rec->type_id];
		if (!list) {
			ret = find_cands(e, rec->type_id, local_t, local_name, &list);
			if (ret)
				return ret;
		}
	}

	ret = core_parse_spec(e->local, rec, &e->local_spec);
	if (ret) {
		const char *access = btf_str(e->local, rec->access_str_off);

		fail(ev, -EINVAL, "parsing [%u] %s %s + %s failed: %d", rec->type_id,
		     btf_kind_name(local_t), str_empty(local_name) ? "<anon>" : local_name,
		     access ? access : "<?>", ret);
		return 0;
	}
	ev->local = &e->local_spec;

	if (rec->kind == CORE_TYPE_ID_LOCAL) {
		ev->status = RELO_RESOLVED;
		ev->res.orig_val = e->local_spec.root_type_id;
		ev->res.new_val = e->local_spec.root_type_id;
		return 0;
	}
	ret = match_all(e, list, ev);
	if (ret)
		return ret;
	decide(e, rec, list, ev);
	return 0;
}

static void engine_free(struct engine *e)
{
	__u32 i;

	if (e->cache) {
		for (i = 0; i < e->local_cnt; i++) {
			if (!e->cache[i])
				continue;
			free(e->cache[i]->ids);
			free(e->cache[i]->in_play);
			free(e->cache[i]);
		}
	}
	free(e->cache);
	free(e->cands);
}

int relo_engine_run(const struct objfile *obj, const struct btf *targ,
		    const struct cand_index *idx, relo_visit_fn visit, void *ctx,
		    struct bp_err *err)
{
	struct engine e = { .obj = obj, .local = obj->btf, .targ = targ, .idx = idx, .err = err };
	struct relo_event ev;
	size_t s, r;
	int ret = 0;

	if (!obj->relo_cnt)
		return 0;
	e.local_cnt = btf__type_cnt(obj->btf);
	e.cache = calloc(e.local_cnt, sizeof(*e.cache));
	if (!e.cache)
		return bp_err_set(err, ENOMEM, "%s: out of memory", obj->name);

	for (s = 0; s < obj->sec_cnt && !ret; s++) {
		for (r = 0; r < obj->secs[s].count && !ret; r++) {
			ret = process_record(&e, &obj->secs[s], r, &ev);
			if (ret) {
				bp_err_set(err, -ret, "%s: out of memory", obj->name);
				break;
			}
			ret = visit ? visit(ctx, &ev) : 0;
		}
	}
	engine_free(&e);
	return ret;
}
