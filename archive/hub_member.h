/* SPDX-License-Identifier: MIT */
/* Hub inputs: the kernel BTF inside a compressed tarball, decompressed in
 * memory with libarchive (zstd with libzstd). No temp files; a cap on the
 * decompressed size of the member refuses decompression bombs.
 */
#ifndef BTFPACK_ARCHIVE_HUB_MEMBER_H
#define BTFPACK_ARCHIVE_HUB_MEMBER_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"

/* Default cap: far above the largest real kernel BTF (~10 MiB today). */
#define HUB_MEMBER_DEFAULT_CAP (256UL * 1024 * 1024)

struct hub_member {
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
int hub_member_read(const void *data, size_t size, const char *name,
			    size_t member_cap, struct hub_member *out,
			    struct bp_err *err);

/* The same with the whole-stream limit given (0: the default above). zstd
 * streams are decoded here, whatever window they were written with (zstd
 * --long=31): into one buffer of at most stream_cap bytes, which is then the
 * only window, and the tar in it is read by libarchive.
 */
int hub_member_read_capped(const void *data, size_t size, const char *name,
				   size_t member_cap, size_t stream_cap,
				   struct hub_member *out, struct bp_err *err);

/* The default whole-stream limit for member_cap: 2 * member_cap + 1 MiB. */
size_t hub_member_stream_cap(size_t member_cap);

/* The first regular member of an archive, as its tar header says. */
struct hub_member_peek {
	size_t member_size;
	bool named_btf;			/* its name ends in ".btf" */
	unsigned char head[32];		/* its first bytes */
	size_t head_len;
};

/* A cheap look at the archive open at fd (read from offset 0): only the
 * start of the stream is decompressed, up to the first regular member's
 * header and first bytes. -ENOENT when no regular member shows up there
 * (none at all, or too far in); -EBADMSG when the start is unreadable.
 */
int hub_member_peek(int fd, const char *name, struct hub_member_peek *out,
			struct bp_err *err);

#endif
