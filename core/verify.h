/* SPDX-License-Identifier: MIT */
/* Self-check of a minimized BTF: decide every relocation of every object
 * against the full and the minimized BTF with the engine and compare. Only
 * a TYPE_ID_TARGET value may differ (it is a type id of its BTF), and only
 * in number, not in being zero or not.
 */
#ifndef BTFPACK_CORE_VERIFY_H
#define BTFPACK_CORE_VERIFY_H

#include <stddef.h>

#include "base/error.h"

struct btf;
struct objfile;
struct cand_index;

/* Returns 0 when all decisions agree, -EPROTO with err naming the first
 * differing relocation when not, or another negative errno on failure.
 */
int verify_min(const struct btf *full, const struct cand_index *full_idx,
		    const struct btf *min, struct objfile *const *objs, size_t obj_cnt,
		    struct bp_err *err);

#endif
