/* SPDX-License-Identifier: MIT */
/* One kernel, many objects: run the engine for every object against the
 * kernel BTF, feed the minimizer, and count outcomes per object.
 */
#ifndef BTFPACK_CORE_MINIMIZE_RUN_H
#define BTFPACK_CORE_MINIMIZE_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"
#include "core/minimize.h"
#include "core/relo_engine.h"

/* Version of what minimize_run() makes of given inputs: bump it whenever
 * the minimized bytes or the counts for the same kernel and relocations
 * change (engine, minimizer, emitter), so caches and bundles built by the
 * old rules are told apart (index.json provenance, build --cache keys).
 */
#define BTFPACK_OUTPUT_FORMAT 2

struct btf;
struct objfile;
struct cand_index;

struct minimize_stats {
	size_t resolved;
	size_t unresolved;
	size_t rejected;
};

/* observe (may be NULL) sees every event after the minimizer did, e.g. for
 * a trace or to report rejected relocations. stats has obj_cnt entries.
 * The output is self-checked before it is returned: its serialized bytes
 * must re-parse in libbpf and pass btf_validate(); with verify, and always
 * where the minimizer could not make it exact by construction,
 * verify_min() must decide every relocation on it as on src. When it does
 * not, the candidates are kept whole and checked again; only if that fails
 * too does the kernel fail (-EPROTO, err saying what differed first).
 * loaders (enum min_loader bits) says whose rules the output must serve.
 */
int minimize_run(const struct btf *src, const struct cand_index *idx,
		 struct objfile *const *objs, size_t obj_cnt,
		 struct minimize_stats *stats, relo_visit_fn observe, void *observe_ctx,
		 bool verify, unsigned int loaders, struct btf **out, struct bp_err *err);

/* Serialize a BTF into a malloc'ed buffer (caller frees). */
int minimize_serialize(const struct btf *btf, void **data, size_t *size,
		       struct bp_err *err);

#endif
