/* SPDX-License-Identifier: MIT */
#ifndef BTFPACK_CORE_MINIMIZE_INTERNAL_H
#define BTFPACK_CORE_MINIMIZE_INTERNAL_H

#include <stdbool.h>

#include "base/error.h"
#include "core/keep_set.h"

struct btf;
struct cand_index;
struct relo_event;

struct minimizer {
	const struct btf *src;
	const struct cand_index *idx;
	unsigned int loaders;	/* enum min_loader bits */
	struct keep_set *ks;
	bool check;	/* the output is not exact by construction */
	bool whole;	/* keep matching candidates whole */
};

/* Extend the kept set until every kept type's references are kept. Sets
 * *check when the output keeps something whose decisions it cannot
 * reproduce by construction (a pointer-typed bitfield).
 */
int minimize_close(const struct btf *src, struct keep_set *ks, bool *check,
		   struct bp_err *err);

/* cilium/ebpf's reads for ev: every type of src named like the local root,
 * of any kind (minimize_cilium.c).
 */
void cilium_mark_event(struct minimizer *m, const struct relo_event *ev);

/* Write the kept subset as a new BTF in canonical order. */
int minimize_emit_btf(const struct btf *src, const struct keep_set *ks, struct btf **out,
		      struct bp_err *err);

#endif
