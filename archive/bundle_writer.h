/* SPDX-License-Identifier: MIT */
/* Bundle output: a directory or a tar (plain, .gz, .xz, .zst), written to a
 * temp path next to the destination and renamed into place on commit, so a
 * reader never sees a partial bundle. Entries get fixed owner (0/0, no
 * names), fixed modes (0644 files and hard links, 0755 dirs, 0777 symlinks)
 * and one mtime (tar: no atime/ctime; gzip: no header timestamp; xz: one
 * thread), so equal inputs give byte-identical bundles. Parent directories
 * get their own entries, once, before their first child. Tars are ustar,
 * with pax records only for names or targets that do not fit.
 */
#ifndef BTFPACK_ARCHIVE_BUNDLE_WRITER_H
#define BTFPACK_ARCHIVE_BUNDLE_WRITER_H

#include <stddef.h>
#include <time.h>

#include "base/error.h"

enum bundle_format {
	BUNDLE_DIR,
	BUNDLE_TAR,
	BUNDLE_TAR_GZ,
	BUNDLE_TAR_XZ,
	BUNDLE_TAR_ZST,
};

/* By extension: .tar, .tar.gz/.tgz, .tar.xz/.txz, .tar.zst/.tzst; anything
 * else is a directory.
 */
enum bundle_format bundle_format_for_path(const char *path);

/* Where a bundle keeps its index, at its top: no kernel entry may take
 * this path or lie below it.
 */
#define BUNDLE_INDEX_PATH "index.json"

struct bundle_writer;

/* Takes path's lock (core/cleanup.h) until commit or abort: -EBUSY when
 * another run is writing path.
 */
int bundle_open(const char *path, enum bundle_format fmt, time_t mtime,
		struct bundle_writer **out, struct bp_err *err);

enum bundle_flags {
	/* tar only: member names as given, for readers that compare the
	 * 100-byte ustar name field (bcc): strict ustar (no pax records; a
	 * name over BUNDLE_USTAR_NAME_MAX bytes is -ENAMETOOLONG), no
	 * directory entries, "./" prefixes and empty components allowed
	 * (".." components and absolute names are still -EINVAL); files only
	 */
	BUNDLE_VERBATIM_NAMES = 1u << 0,
	/* gzip at level 9 (xz stays at 6: level 9 takes 674 MiB to encode) */
	BUNDLE_MAX_COMPRESSION = 1u << 1,
};

/* bcc copies a name into a 100-byte buffer and strcmp()s the field */
#define BUNDLE_USTAR_NAME_MAX 99

int bundle_open_flags(const char *path, enum bundle_format fmt, time_t mtime,
		      unsigned int flags, struct bundle_writer **out, struct bp_err *err);

/* A tar.xz in memory holding one regular file, name, with data (the
 * btfhub-archive per-kernel file): ustar, owner 0, mode 0644, mtime.
 * *out is malloc'ed.
 */
int bundle_tar_xz_one(const char *name, const void *data, size_t size, time_t mtime,
		      void **out, size_t *out_size, struct bp_err *err);

/* Paths are relative ("android/12-5.10/arm64/x.btf"), '/'-separated, and
 * must be added in the order they should appear (callers sort).
 * Errors: -EINVAL for an empty, absolute or non-canonical path ("a//b",
 * "a/./b", "..", trailing '/'), -EEXIST for a path added twice, -ENOTDIR
 * when a parent was added as a file. Those leave the writer usable; a failed
 * write does not: later adds and the commit then fail.
 */
int bundle_add_file(struct bundle_writer *w, const char *path, const void *data,
		    size_t size, struct bp_err *err);
/* A symlink whose target is relative to the link's directory; targets that
 * are empty, absolute or climb out of the bundle are -EINVAL.
 */
int bundle_add_symlink(struct bundle_writer *w, const char *path, const char *target,
		       struct bp_err *err);
/* A hard link to a file (or hard link) added earlier, target being its
 * bundle path; anything else is -ENOENT.
 */
int bundle_add_hardlink(struct bundle_writer *w, const char *path, const char *target,
			struct bp_err *err);

/* Finish, fsync (directories: syncfs) and rename into place; an existing
 * directory bundle is swapped out in one step (renameat2 RENAME_EXCHANGE)
 * and then removed. On failure the temp output is removed and the
 * destination left as it was. The writer is freed either way.
 */
int bundle_commit(struct bundle_writer *w, struct bp_err *err);
/* Drop everything written so far; the writer is freed. NULL is a no-op. */
void bundle_abort(struct bundle_writer *w);

#endif
