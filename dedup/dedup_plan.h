/* SPDX-License-Identifier: MIT */
/* The dedup decision: how each kernel's minimized BTF goes into a bundle
 * (its own file, a link to the first kernel with the same bytes, or a blob
 * named by its hash), and how blobs are named. The batch asks, the bundle
 * writer carries it out, the bundle reader finds blobs by the same name.
 */
#ifndef BTFPACK_DEDUP_DEDUP_PLAN_H
#define BTFPACK_DEDUP_DEDUP_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "dedup/blob_store.h"
#include "dedup/hash.h"

enum dedup_mode {
	DEDUP_SYMLINK,		/* repeats are relative symlinks to the first */
	DEDUP_HARDLINK,		/* repeats are hard links to the first */
	DEDUP_INDEX,		/* one blobs/<xxh128>.btf per content; index.json maps */
	DEDUP_NONE,		/* every kernel its own copy */
};

/* "symlink", "hardlink", "index", "none"; NULL past the last mode. */
const char *dedup_mode_name(enum dedup_mode mode);

/* By name; -EINVAL for an unknown one. */
int dedup_mode_parse(const char *name, enum dedup_mode *mode);

/* Where a blob of --dedup index lives in the bundle: "blobs/<hex>.btf". */
#define DEDUP_BLOB_PATH_MAX (sizeof("blobs/.btf") + BP_HASH_HEX_LEN)
void dedup_blob_path(const char hex[BP_HASH_HEX_LEN + 1], char out[DEDUP_BLOB_PATH_MAX]);

enum dedup_action {
	DEDUP_ADD_NOTHING,	/* --dedup index, bytes seen before: an index row only */
	DEDUP_ADD_FILE,		/* write the bytes at path */
	DEDUP_ADD_SYMLINK,	/* symlink path -> target (relative) */
	DEDUP_ADD_HARDLINK,	/* hard link path -> target (bundle path) */
};

struct dedup_entry {
	enum dedup_action action;
	char path[4096];	/* the bundle entry to add */
	char *target;		/* links: malloc'ed target, else NULL */
	const char *link;	/* for the index: the entry it links to (the store's) */
	bool new_blob;		/* first time these bytes are seen */
};

/* Decide for the kernel at kernel_path whose blob hashes to h, recording
 * it in the store (so call in bundle order). -ENOMEM, -ENAMETOOLONG.
 */
int dedup_place(struct blob_store *s, enum dedup_mode mode, const struct bp_hash *h,
		const char *kernel_path, struct dedup_entry *out);
void dedup_entry_clear(struct dedup_entry *e);

#endif
