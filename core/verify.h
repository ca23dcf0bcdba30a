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

/* One relocation decided differently against two BTFs; strings are valid
 * during the callback only.
 */
struct verify_diff {
	const struct objfile *obj;
	const char *sec;		/* program section */
	size_t sec_rec;			/* record index within it */
	unsigned int insn_off;		/* byte offset of the instruction */
	const char *kind;		/* libbpf's name: "byte_off", ... */
	char local[160];		/* local root type: "struct task_struct" */
	const char *access;		/* access string: "0:45:2" */
	char first[96], second[96];	/* each decision: "resolved 1256", ... */
};

/* Non-zero stops the walk and is returned. */
typedef int (*verify_diff_fn)(void *ctx, const struct verify_diff *d);

/* Decide every relocation of obj against first and second and call fn for
 * each that differs (in record order); *diffs counts them. Returns 0, fn's
 * non-zero value, or a negative errno for resource errors.
 */
int verify_obj_each(const struct btf *first, const struct cand_index *first_idx,
		    const struct btf *second, const struct cand_index *second_idx,
		    const struct objfile *obj, verify_diff_fn fn, void *ctx, size_t *diffs,
		    struct bp_err *err);

#endif
