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
struct cand_index;
struct minimizer;

/* Whose rules the kept set must serve. libbpf 1.1's are always kept (the
 * engine decides, and verify_min() checks, with them); these add what the
 * other loaders read (docs/design.md, "Loaders differ").
 */
enum min_loader {
	MIN_LOADER_LIBBPF = 1 << 0,	/* libbpf 1.1 to 1.5 */
	MIN_LOADER_CILIUM = 1 << 1,	/* cilium/ebpf 0.9 to 0.11, 0.15's TYPE_MATCHES */
	MIN_LOADER_ALL = MIN_LOADER_LIBBPF | MIN_LOADER_CILIUM,
};

/* "libbpf", "cilium" or "all" to a min_loader set; -EINVAL otherwise. */
int min_loader_parse(const char *name, unsigned int *loaders);
/* The inverse: the name min_loader_parse() takes for a set. */
const char *min_loader_name(unsigned int loaders);

/* idx is src's candidate index (the cilium rules look up every kind). */
int minimizer_new(const struct btf *src, const struct cand_index *idx, unsigned int loaders,
		  struct minimizer **out, struct bp_err *err);

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
