/* SPDX-License-Identifier: MIT */
/* The engine's building blocks, each mirroring one libbpf 1.1 routine
 * (named in the comment at its definition), shared by the engine driver and
 * the minimizer. Return conventions follow libbpf: 1 match, 0 no match,
 * negative errno for errors.
 */
#ifndef BTFPACK_CORE_RELO_INTERNAL_H
#define BTFPACK_CORE_RELO_INTERNAL_H

#include "core/objfile.h"
#include "core/relo_types.h"

struct btf;
struct keep_set;

int core_parse_spec(const struct btf *btf, const struct core_relo *relo,
		    struct core_spec *spec);

int core_spec_match(const struct core_spec *local_spec, const struct btf *targ_btf,
		    __u32 targ_id, struct core_spec *targ_spec);

int core_fields_are_compat(const struct btf *local_btf, __u32 local_id,
			   const struct btf *targ_btf, __u32 targ_id);

/* ks (may be NULL) receives every target type the check reads. */
int core_types_are_compat(const struct btf *local_btf, __u32 local_id,
			  const struct btf *targ_btf, __u32 targ_id, struct keep_set *ks);

int core_types_match(const struct btf *local_btf, __u32 local_id,
		     const struct btf *targ_btf, __u32 targ_id, struct keep_set *ks);

/* targ_spec NULL: the value for "no target found". reason gets libbpf's
 * warning text when it fails.
 */
int core_calc_relo(const struct core_relo *relo, const struct core_spec *local_spec,
		   const struct core_spec *targ_spec, struct core_relo_res *res,
		   char *reason, size_t reason_size);

#endif
