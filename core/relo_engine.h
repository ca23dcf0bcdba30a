/* SPDX-License-Identifier: MIT */
/* The CO-RE relocation engine: decides every relocation of a BPF object
 * against a target BTF exactly as libbpf's loader would (including its
 * per-object candidate cache that narrows candidates as relocations match),
 * and reports each decision together with every candidate's match so the
 * minimizer can keep what any decision depends on.
 */
#ifndef BTFPACK_CORE_RELO_ENGINE_H
#define BTFPACK_CORE_RELO_ENGINE_H

#include <stddef.h>

#include "core/objfile.h"
#include "base/error.h"
#include "core/relo_types.h"

struct cand_index;

enum relo_status {
	RELO_RESOLVED,		/* a target matched; instruction patched */
	RELO_UNRESOLVED,	/* no target matched: poisoned or 0 patched */
	RELO_REJECTED,		/* libbpf rejects the object at this record */
};

/* One candidate of the local root type, matched against this record. */
struct relo_cand {
	__u32 targ_id;
	int match;		/* 1 matches, 0 does not, <0 error while matching */
	bool in_play;		/* still in libbpf's narrowed candidate list */
	struct core_spec spec;	/* target spec when match == 1 */
};

struct relo_event {
	const struct objfile *obj;
	const struct core_relo_sec *sec;
	size_t sec_rec;			/* record index within the section */
	const struct core_relo *rec;
	const struct core_spec *local;	/* NULL when the record failed to parse */
	enum relo_status status;
	int err;			/* negative errno when RELO_REJECTED */
	char reason[160];		/* why it failed, libbpf's wording */
	struct core_relo_res res;	/* valid unless RELO_REJECTED */
	const struct core_spec *targ;	/* first matching in-play spec, or NULL */
	const struct relo_cand *cands;	/* all candidates, unnarrowed */
	size_t cand_cnt;
};

typedef int (*relo_visit_fn)(void *ctx, const struct relo_event *ev);

/* Decide every record of obj against targ; call visit once per record in
 * file order. A visitor returning non-zero stops the run with that value.
 * Returns 0, or a negative errno for resource errors (not for relocations
 * libbpf would reject: those are RELO_REJECTED events).
 */
int relo_engine_run(const struct objfile *obj, const struct btf *targ,
		    const struct cand_index *idx, relo_visit_fn visit, void *ctx,
		    struct bp_err *err);

/* libbpf-style one-line rendering of a spec, e.g.
 * "<byte_off> [12] struct task_struct.pid (0:45 @ offset 1256)".
 */
int relo_spec_format(char *buf, size_t size, const struct core_spec *spec);

#endif
