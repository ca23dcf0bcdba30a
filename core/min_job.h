/* SPDX-License-Identifier: MIT */
/* One kernel, many objects: run the engine for every object against the
 * kernel BTF, feed the minimizer, and count outcomes per object.
 */
#ifndef BTFPACK_CORE_MIN_JOB_H
#define BTFPACK_CORE_MIN_JOB_H

#include <stddef.h>

#include "base/error.h"
#include "core/relo_engine.h"

struct btf;
struct bpf_obj;
struct cand_index;

struct min_obj_stats {
	size_t resolved;
	size_t unresolved;
	size_t failed;
};

/* observe (may be NULL) sees every event after the minimizer did, e.g. for
 * a trace or to report rejected relocations. stats has obj_cnt entries.
 * The output is self-checked before it is returned: its serialized bytes
 * must re-parse in libbpf and pass btf_validate(), and where the minimizer
 * could not make it exact by construction, core_verify_min() must accept
 * it; otherwise the kernel fails with err saying why.
 */
int core_minimize(const struct btf *src, const struct cand_index *idx,
		  struct bpf_obj *const *objs, size_t obj_cnt,
		  struct min_obj_stats *stats, relo_visit_fn observe, void *observe_ctx,
		  struct btf **out, struct bp_err *err);

/* Serialize a BTF into a malloc'ed buffer (caller frees). */
int core_btf_serialize(const struct btf *btf, void **data, size_t *size,
		       struct bp_err *err);

#endif
