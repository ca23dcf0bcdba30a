/* SPDX-License-Identifier: MIT */
/* The minimizer: collects, from engine events, what each relocation's
 * decision depends on in the target BTF, and emits that subset as a new,
 * canonical BTF (same relevant types => byte-identical output).
 */
#ifndef BTFPACK_CORE_MINIMIZE_H
#define BTFPACK_CORE_MINIMIZE_H

#include <stdbool.h>

#include "base/error.h"
#include "core/relo_engine.h"

struct btf;
struct minimizer;

int minimizer_new(const struct btf *src, struct minimizer **out, struct bp_err *err);

/* Keep every matching candidate whole (everything it reaches, exactly):
 * larger output, but exact by construction but for pointer bitfields; the
 * fallback when a closer cut decided something differently.
 */
void minimizer_keep_whole(struct minimizer *m);
void minimizer_free(struct minimizer *m);

/* Record what ev depends on; usable directly as a relo_visit_fn. */
int minimizer_visit(void *minimizer, const struct relo_event *ev);

/* Build the minimized BTF (caller frees with btf__free). */
int minimizer_emit(struct minimizer *m, struct btf **out, struct bp_err *err);

/* After minimizer_emit(): true when the output's decisions are not equal
 * to the source's by construction and must be checked (verify_min)
 * before it may be used.
 */
bool minimizer_needs_check(const struct minimizer *m);

#endif
