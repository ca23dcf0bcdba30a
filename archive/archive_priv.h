/* SPDX-License-Identifier: MIT */
/* Helpers shared by the archive module's sources; not part of its API. */
#ifndef BTFPACK_ARCHIVE_PRIV_H
#define BTFPACK_ARCHIVE_PRIV_H

#include <stdbool.h>
#include <stddef.h>

struct archive;
struct archive_entry;

/* Links are followed at most this many times, as the kernel's MAXSYMLINKS. */
#define AR_MAX_LINK_HOPS 40

/* Stream the current entry's data into a malloc'ed buffer, refusing to go
 * past cap bytes whatever the header claims. Returns 0, -EFBIG when the data
 * goes past cap, -ENOMEM, or -EBADMSG when libarchive fails (its message is
 * in archive_error_string()). *data is always non-NULL on success.
 */
int ar_read_data_capped(struct archive *a, size_t cap, void **data, size_t *size);

/* The entry's path, as the locale sees it or else as UTF-8; NULL if neither. */
const char *ar_entry_path(struct archive_entry *e);

/* Skip leading "./" (and "/" runs after them); "./a/b" -> "a/b". */
const char *ar_skip_dot_slash(const char *path);

/* Relative and free of ".." components. */
bool ar_path_is_safe(const char *path);

/* libarchive's message, never NULL. */
const char *ar_errstr(struct archive *a);

/* ---- bundle_read.c, for bundle_lookup.c ---- */

#include "archive/bundle_reader.h"

/* Called with each tar entry's metadata (data NULL);
 * bundle_tar_entry_data() reads the data of the current entry. ordinal
 * counts every header, so a later walk can find the same entry again.
 */
typedef int (*bundle_tar_fn)(void *ctx, struct archive *a, const struct bundle_entry *e,
			     size_t ordinal, struct bp_err *err);

int bundle_tar_walk(const struct bundle_src *src, bundle_tar_fn fn, void *ctx,
		    struct bp_err *err);
/* A directory bundle's walk with files' data NULL (size from stat). */
int bundle_dir_walk_meta(const char *root, bundle_entry_fn fn, void *ctx, struct bp_err *err);
int bundle_tar_entry_data(struct archive *a, const char *bundle, const char *entry,
			  void **data, size_t *size, struct bp_err *err);
/* "a/b", malloc'ed; NULL when out of memory. */
char *bundle_join(const char *a, const char *b);
/* A symlink's target, malloc'ed; -errno. */
int bundle_read_link(const char *full, size_t hint, char **out);

#endif
