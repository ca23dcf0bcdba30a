/* SPDX-License-Identifier: MIT */
/* A whole bundle in memory: its index read back and every distinct file
 * content by hash, for merge (parts), diff and --keep-from (the old
 * bundle). Blobs are found by the hash the index names, so any --dedup
 * mode (files, links, blobs/) reads the same.
 */
#ifndef BTFPACK_ARCHIVE_BUNDLE_LOAD_H
#define BTFPACK_ARCHIVE_BUNDLE_LOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"
#include "dedup/hash.h"
#include "dedup/index_json.h"

struct bundle_blob {
	struct bp_hash hash;
	void *data;
	size_t size;
};

struct bundle_content {
	struct index_parsed ix;
	struct bundle_blob *blobs;	/* sorted by hash, distinct */
	size_t blob_cnt;
};

/* with_blobs false reads only the index (diff). -ENOENT when the bundle has
 * no index.json; errors name path.
 */
int bundle_load(const char *path, bool with_blobs, struct bundle_content *out,
		struct bp_err *err);
/* The bytes whose xxh128 is h, or NULL. */
const struct bundle_blob *bundle_content_blob(const struct bundle_content *c,
					      const struct bp_hash *h);
void bundle_content_free(struct bundle_content *c);

#endif
