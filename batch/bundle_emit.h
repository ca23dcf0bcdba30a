/* SPDX-License-Identifier: MIT */
/* Writing a bundle from settled results: each kernel's blob placed by the
 * dedup decision, strictly in bundle order, then index.json, then the
 * commit. build and merge both write through it, so a merged bundle is
 * made by the same steps as one build's.
 */
#ifndef BTFPACK_BATCH_BUNDLE_EMIT_H
#define BTFPACK_BATCH_BUNDLE_EMIT_H

#include <stddef.h>
#include <time.h>

#include "archive/bundle_writer.h"
#include "base/error.h"
#include "dedup/blob_store.h"
#include "dedup/dedup_plan.h"
#include "dedup/hash.h"
#include "dedup/index_json.h"

struct bundle_emit {
	struct bundle_writer *w;	/* NULL once committed or aborted */
	struct blob_store *blobs;
	enum dedup_mode dedup;
	char **links;		/* per kernel: bundle path it links to, or NULL */
	size_t cnt;
	size_t bytes_out;	/* distinct blob bytes written */
};

/* For cnt kernels; takes path's lock (-EBUSY when another run writes it). */
int bundle_emit_open(struct bundle_emit *e, const char *path, enum bundle_format fmt,
		     time_t mtime, enum dedup_mode dedup, size_t cnt, struct bp_err *err);

/* Kernel i (call in increasing i) at bundle_path, an ok kernel's blob. */
int bundle_emit_kernel(struct bundle_emit *e, size_t i, const char *bundle_path,
		       const struct bp_hash *h, const void *blob, size_t size, struct bp_err *err);

/* index.json rendered from doc (whose kernels' link fields the caller set
 * from e->links), then commit: the bundle is in place or nothing is.
 */
int bundle_emit_commit(struct bundle_emit *e, const struct index_doc *doc, struct bp_err *err);

/* Aborts an uncommitted bundle; frees everything. */
void bundle_emit_free(struct bundle_emit *e);

#endif
