/* SPDX-License-Identifier: MIT */
/* Writing a bundle from settled kernels: the profile's render plan over
 * the ok kernels in index order (a kernel the profile cannot hold fails
 * alone, before anything is written), the items, index.json, then the
 * commit. build and merge both write through it, so a merged bundle is
 * made by the same steps as one build's.
 */
#ifndef BTFPACK_BATCH_BUNDLE_EMIT_H
#define BTFPACK_BATCH_BUNDLE_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "archive/bundle_render.h"
#include "archive/bundle_writer.h"
#include "base/error.h"
#include "dedup/dedup_plan.h"
#include "dedup/index_json.h"

struct emit_opts {
	enum bundle_profile profile;
	enum dedup_mode dedup;
	bool aliases;
	time_t mtime;
};

struct bundle_emit {
	struct emit_opts o;
	struct render_entry *entries;	/* the ok kernels, in index order */
	size_t *entry_kernel;		/* per entry: its kernel */
	size_t entry_cnt;
	struct render_plan plan;
	struct index_alias *aliases;
	size_t alias_cnt;
	size_t unique, bytes_out;	/* distinct blobs planned, their bytes */
};

/* Plan kernels[0..cnt) (data[i]: an ok kernel's bytes, kernels[i].size of
 * them). A kernel the profile cannot hold turns "failed" in kernels[],
 * its error the plan's (valid until bundle_emit_free()); *dropped counts
 * them.
 */
int bundle_emit_plan(struct bundle_emit *e, const struct emit_opts *o,
		     struct index_kernel *kernels, size_t cnt, const void *const *data,
		     size_t *dropped, struct bp_err *err);

/* Set doc's profile, dedup and aliases from the plan. */
void bundle_emit_doc(const struct bundle_emit *e, struct index_doc *doc);

/* The items, index.json rendered from doc (if the profile has one), then
 * commit *w (NULL after, whatever the outcome of the commit).
 */
int bundle_emit_write(struct bundle_emit *e, struct bundle_writer **w,
		      const struct index_doc *doc, struct bp_err *err);

void bundle_emit_free(struct bundle_emit *e);

#endif
