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

#endif
