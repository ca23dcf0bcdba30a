/* SPDX-License-Identifier: MIT */
/* Reading a bundle back (tar of any compression, or a directory), for
 * applications looking up their kernel's BTF and for tests.
 */
#ifndef BTFPACK_ARCHIVE_BUNDLE_READER_H
#define BTFPACK_ARCHIVE_BUNDLE_READER_H

#include <stddef.h>

#include "base/error.h"

enum bundle_entry_type {
	BUNDLE_ENTRY_FILE,
	BUNDLE_ENTRY_DIR,
	BUNDLE_ENTRY_SYMLINK,
	BUNDLE_ENTRY_HARDLINK,
};

struct bundle_entry {
	const char *path;		/* relative, no leading "./" */
	enum bundle_entry_type type;
	const char *link_target;	/* symlink/hardlink target, else NULL */
	const void *data;		/* file contents, else NULL */
	size_t size;
};

/* Called for each entry in archive order (directories: a walk sorted by
 * byte value, not locale, parents first). A non-zero return stops the walk
 * and is returned. entry and its strings and data are valid during the
 * call only.
 *
 * Tar names lose any leading "./" and trailing '/'; a name or hard link
 * target that is absolute or has a ".." component fails the read (-EINVAL).
 * Devices and fifos are skipped. In a directory bundle, a regular file whose
 * inode was already seen in the walk is reported as a hard link to the first
 * path that had it.
 */
typedef int (*bundle_entry_fn)(void *ctx, const struct bundle_entry *entry);

int bundle_read(const char *path, bundle_entry_fn fn, void *ctx, struct bp_err *err);

/* Where a bundle is: path (a tar file or a directory), or else a tar held
 * in memory (mem, mem_size), which is read in place, never copied. name is
 * for messages.
 */
struct bundle_src {
	const char *name;
	const char *path;
	const void *mem;
	size_t mem_size;
};

/* A bundle's catalogue: every entry's path, type and link target, read
 * once (a tar is decompressed to its end, so truncation shows here), and
 * index.json's bytes. Entries are read from the source again on demand;
 * a memory source must outlive the catalogue. Errors: -errno when the
 * source cannot be opened or listed, -EBADMSG when it is not a tar,
 * corrupt or truncated, -EINVAL for unsafe names.
 */
struct bundle_cat;

int bundle_cat_open(const struct bundle_src *src, struct bundle_cat **cat, struct bp_err *err);
void bundle_cat_free(struct bundle_cat *cat);
const char *bundle_cat_name(const struct bundle_cat *cat);
/* Entries sorted by path, directories included; i < bundle_cat_count(). */
size_t bundle_cat_count(const struct bundle_cat *cat);
const char *bundle_cat_path(const struct bundle_cat *cat, size_t i,
			    enum bundle_entry_type *type);
/* index.json's bytes (valid while cat is), or NULL when it has none. */
const void *bundle_cat_index(const struct bundle_cat *cat, size_t *size);
/* The regular file entry_path ends at, through links and index.json
 * (malloc'ed): two entries with the same one hold the same bytes.
 */
int bundle_cat_resolve(const struct bundle_cat *cat, const char *entry_path, char **final,
		       struct bp_err *err);
/* bundle_lookup() on an open catalogue; cat is only read. */
int bundle_cat_get(const struct bundle_cat *cat, const char *entry_path, void **data,
		   size_t *size, struct bp_err *err);

/* Resolve one path to its bytes, following symlinks and hard links inside
 * the bundle (and index.json's blob mapping for --dedup index bundles).
 * *data is malloc'ed.
 *
 * Paths are resolved component by component inside the bundle: symlink
 * targets relative to the link's directory, hard link targets from the root.
 * A target that is absolute or climbs above the root is -EPERM, more than 40
 * links is -ELOOP, a directory -EISDIR. When entry_path is not an entry
 * (-ENOENT), index.json is consulted: the object in its "kernels" array
 * whose "path" is entry_path names a "blob" (32 hex digits) stored at
 * blobs/<blob>.btf. A tar bundle is decompressed twice: once for its
 * catalogue (and index.json), once for the entry's data.
 */
int bundle_lookup(const char *path, const char *entry_path, void **data, size_t *size,
		  struct bp_err *err);

#endif
