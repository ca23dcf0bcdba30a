/* SPDX-License-Identifier: MIT */
/* btfpack diff: what changed between two bundles, from their indexes:
 * kernels added, removed or changed (status, blob, or carried_from: kept
 * by --keep-from, or built again), objects added, removed or changed
 * (relocation digest; in a format 1 index, file hash or relocation count),
 * for a nightly change log.
 */
#ifndef BTFPACK_ARCHIVE_BUNDLE_DIFF_H
#define BTFPACK_ARCHIVE_BUNDLE_DIFF_H

#include <stddef.h>

#include "archive/bundle_load.h"
#include "base/error.h"

enum diff_kind { DIFF_ADDED, DIFF_REMOVED, DIFF_CHANGED };

struct diff_kernel {
	enum diff_kind kind;
	const struct index_kernel *old_k;	/* NULL when added */
	const struct index_kernel *new_k;	/* NULL when removed */
};

struct diff_object {
	enum diff_kind kind;
	const struct index_object *old_o;
	const struct index_object *new_o;
};

struct bundle_diff {
	struct bundle_content old_b, new_b;
	struct diff_kernel *kernels;	/* by path, byte order */
	size_t kernel_cnt;
	size_t added, removed, changed;
	struct diff_object *objects;	/* by name (then arch) */
	size_t obj_cnt;
};

/* Reads both indexes (no blobs); errors name the bundle. */
int bundle_diff(const char *old_path, const char *new_path, struct bundle_diff *out,
		struct bp_err *err);
void bundle_diff_free(struct bundle_diff *d);

#endif
