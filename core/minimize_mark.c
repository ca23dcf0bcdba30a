// SPDX-License-Identifier: MIT
/* From engine decisions to the kept set. For every record, every candidate
 * that matches it (whether or not libbpf's narrowed list would still offer
 * it) keeps what its match and its values read; so the minimized BTF gives
 * each candidate the same match and values for every record, and libbpf's
 * narrowing over it replays the same way, for any subset of programs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/btf_util.h"
#include "core/minimize.h"
#include "core/minimize_internal.h"
#include "core/relo_internal.h"

void minimizer_keep_whole(struct minimizer *m)
{
	m->whole = true;
}

int min_loader_parse(const char *name, unsigned int *loaders)
{
	if (!strcmp(name, "libbpf"))
		*loaders = MIN_LOADER_LIBBPF;
	else if (!strcmp(name, "cilium"))
		*loaders = MIN_LOADER_CILIUM;
	else if (!strcmp(name, "all"))
		*loaders = MIN_LOADER_ALL;
	else
		return -EINVAL;
	return 0;
}

const char *min_loader_name(unsigned int loaders)
{
	if (loaders == MIN_LOADER_LIBBPF)
		return "libbpf";
	if (loaders == MIN_LOADER_CILIUM)
		return "cilium";
	return "all";
}

int minimizer_new(const struct btf *src, const struct cand_index *idx, unsigned int loaders,
		  struct minimizer **out, struct bp_err *err)
{
	struct minimizer *m = calloc(1, sizeof(*m));

	*out = NULL;
	if (!m)
		return bp_err_set(err, ENOMEM, "out of memory");
	m->src = src;
	m->idx = idx;
	m->loaders = loaders;
	m->ks = keep_set_new(src);
	if (!m->ks) {
		free(m);
		return bp_err_set(err, ENOMEM, "out of memory");
	}
	*out = m;
	return 0;
}

void minimizer_free(struct minimizer *m)
{
	if (!m)
		return;
	keep_set_free(m->ks);
	free(m);
}

/* A field access: the root, and along the low-level path every member
 * (named or anonymous) and array it steps through.
 */
static void keep_field_path(struct keep_set *ks, const struct core_spec *spec)
{
	const struct btf *btf = spec->btf;
	__u32 id = spec->root_type_id;
	const struct btf_type *t;
	int i;

	keep_chain(ks, id);
	for (i = 1; i < spec->raw_len; i++) {
		t = btf_skip_mods(btf, id, &id);
		if (!t)
			return;
		if (btf_is_composite(t)) {
			__u32 idx = (__u32)spec->raw_spec[i];

			if (idx >= btf_vlen(t))
				return;
			keep_member(ks, id, idx);
			id = btf_members(t)[idx].type;
		} else if (btf_is_array(t)) {
			id = btf_array(t)->type;
		} else {
			return;
		}
		keep_chain(ks, id);
	}
}

static void keep_enumval(struct keep_set *ks, const struct core_spec *spec)
{
	keep_chain(ks, spec->root_type_id);
	keep_enumerator(ks, spec->spec[0].type_id, spec->spec[0].idx);
}

/* A candidate whose matching failed with an error: the error can come from
 * anywhere the match walked (libbpf's 64-step limit in a search through
 * nested or self-containing anonymous members, a compatibility check's
 * depth limit), so keep everything the candidate reaches, exactly, and
 * libbpf meets the same error against the minimized BTF.
 */
static void keep_erroring(struct keep_set *ks, __u32 id)
{
	keep_whole(ks, id);
}

static void keep_candidate(struct minimizer *m, const struct relo_event *ev,
			   const struct relo_cand *c)
{
	struct keep_set *ks = m->ks;
	enum core_kind kind = (enum core_kind)ev->rec->kind;

	keep_root(ks, c->targ_id);
	if (c->match < 0) {
		keep_erroring(ks, c->targ_id);
		return;
	}
	if (m->whole) {
		keep_whole(ks, c->targ_id);
		return;
	}
	if (core_kind_is_field(kind))
		keep_field_path(ks, &c->spec);
	else if (core_kind_is_enumval(kind))
		keep_enumval(ks, &c->spec);
	else if (kind == CORE_TYPE_MATCHES)
		core_types_match(ev->local->btf, ev->local->root_type_id, m->src, c->targ_id, ks);
	else
		core_types_are_compat(ev->local->btf, ev->local->root_type_id, m->src,
				      c->targ_id, ks);
}

int minimizer_visit(void *ctx, const struct relo_event *ev)
{
	struct minimizer *m = ctx;
	size_t i;

	if (!ev->local)
		return 0; /* failed before any target was looked at */
	for (i = 0; i < ev->cand_cnt; i++) {
		if (ev->cands[i].match != 0)
			keep_candidate(m, ev, &ev->cands[i]);
	}
	if (m->loaders & MIN_LOADER_CILIUM)
		cilium_mark_event(m, ev);
	return keep_set_error(m->ks) ? -ENOMEM : 0;
}

bool minimizer_needs_check(const struct minimizer *m)
{
	return m->check;
}

int minimizer_emit(struct minimizer *m, struct btf **out, struct bp_err *err)
{
	int ret;

	*out = NULL;
	if (keep_set_error(m->ks))
		return bp_err_set(err, ENOMEM, "out of memory while marking types");
	ret = minimize_close(m->src, m->ks, &m->check, err);
	if (ret)
		return ret;
	return minimize_emit_btf(m->src, m->ks, out, err);
}
