/* SPDX-License-Identifier: MIT */
/* What a bundle holds, for `btfpack ls`: its entries (files with their size
 * and content hash, links with their targets), dedup figures, and the
 * objects its index.json says it was minimized for.
 */
#ifndef BTFPACK_ARCHIVE_BUNDLE_LIST_H
#define BTFPACK_ARCHIVE_BUNDLE_LIST_H

#include <stddef.h>

#include "archive/bundle_reader.h"
#include "base/error.h"
#include "dedup/hash.h"

struct bundle_list_entry {
	char *path;
	enum bundle_entry_type type;	/* never BUNDLE_ENTRY_DIR */
	char *target;			/* links: the target as stored */
	size_t size;			/* files: bytes */
	char hash[BP_HASH_HEX_LEN + 1];	/* files: xxh3-128 of the bytes */
};

struct bundle_list {
	struct bundle_list_entry *entries;	/* in bundle order */
	size_t cnt;
	size_t files, symlinks, hardlinks;
	size_t file_bytes;	/* all regular files, index.json included */
	size_t unique_files;	/* distinct contents among the files */
	size_t unique_bytes;
	char **objects;		/* index.json's object names, or NULL */
	size_t obj_cnt;
	char *dedup;		/* index.json's dedup mode, or NULL */
};

int bundle_list(const char *path, struct bundle_list *out, struct bp_err *err);
void bundle_list_free(struct bundle_list *l);

#endif
