/* SPDX-License-Identifier: MIT */
/* Hub inputs: the kernel BTF inside a compressed tarball, decompressed in
 * memory with libarchive. No temp files; a cap on the decompressed size of
 * the member refuses decompression bombs.
 */
#ifndef BTFPACK_ARCHIVE_INPUT_H
#define BTFPACK_ARCHIVE_INPUT_H

#include <stddef.h>

#include "core/error.h"

/* Default cap: far above the largest real kernel BTF (~10 MiB today). */
#define ARCHIVE_DEFAULT_MEMBER_CAP (256UL * 1024 * 1024)

struct archive_member {
	void *data;		/* malloc'ed, freed by the caller */
	size_t size;
	char name[256];		/* member path inside the archive */
};

/* Read the kernel BTF member of a tar archive (any compression libarchive
 * detects: xz, gzip, zstd, none) held in memory. The member is the only
 * regular file, or else the only one whose name ends in ".btf"; anything
 * else is an error naming the archive. name is for messages.
 *
 * Directories, symlinks and hard links are not candidates. Any entry with
 * an absolute path or a ".." component fails the archive (-EINVAL). A
 * member above member_cap fails with -EFBIG, whether its header says so or
 * its data streams past the cap; so does a whole decompressed stream above
 * 2 * member_cap + 1 MiB (skipping members still decompresses them). gzip
 * inputs also get their CRC-32 trailer checked, which libarchive skips.
 * Corrupt or truncated data: -EBADMSG with libarchive's message.
 */
int archive_read_btf_member(const void *data, size_t size, const char *name,
			    size_t member_cap, struct archive_member *out,
			    struct bp_err *err);

#endif
