/* SPDX-License-Identifier: MIT */
/* Which blobs were seen before: content hash -> bundle path of the first
 * entry that carried it. Entries must be offered in bundle order so "first"
 * is deterministic.
 */
#ifndef BTFPACK_DEDUP_BLOB_STORE_H
#define BTFPACK_DEDUP_BLOB_STORE_H

#include <stddef.h>

#include "dedup/hash.h"

struct blob_store;

/* NULL on allocation failure. */
struct blob_store *blob_store_new(void);
void blob_store_free(struct blob_store *s);

/* Record path as carrying h. Returns 0 and sets *first to NULL when h is
 * new (the store keeps a copy of path), or to the path of the first entry
 * with h (owned by the store, valid until blob_store_free()); -ENOMEM on
 * allocation failure, the store unchanged. first may be NULL.
 */
int blob_store_add(struct blob_store *s, const struct bp_hash *h, const char *path,
		   const char **first);

/* The same, remembering tag with a new hash; *first_tag (may be NULL) is
 * the first adder's tag, or tag itself when h is new.
 */
int blob_store_add_tag(struct blob_store *s, const struct bp_hash *h, const char *path,
		       size_t tag, const char **first, size_t *first_tag);

/* Distinct hashes added so far. */
size_t blob_store_unique(const struct blob_store *s);

/* Relative symlink target from link_path's directory to target_path, both
 * bundle-relative: ("a/b/x.btf", "a/c/y.btf") -> "../c/y.btf", same
 * directory -> "y.btf", nothing in common -> one "../" per directory of
 * link_path. Paths must be normalized ('/'-separated, no leading '/', no
 * empty, "." or ".." components). Caller frees; NULL on allocation failure.
 */
char *blob_relative_target(const char *link_path, const char *target_path);

#endif
