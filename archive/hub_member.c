// SPDX-License-Identifier: MIT
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <archive.h>
#include <archive_entry.h>
#include <unistd.h>
#include <zlib.h>
/* the buffer-less decoder the peek uses is in zstd's static-only section */
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>
#include <zstd_errors.h>

#include "archive/hub_member.h"
#include "archive/archive_priv.h"

/* The member chosen so far, and what was seen to judge the choice at EOF. */
struct pick {
	void *data;
	size_t size;
	char name[256];
	size_t regular;		/* regular files seen */
	size_t btf;		/* of those, named *.btf */
};

static bool ends_in_btf(const char *path)
{
	size_t n = strlen(path);

	return n >= 4 && !strcmp(path + n - 4, ".btf");
}

/* Skipping a member still decompresses it, so the whole stream is bounded
 * too: twice the member cap, plus room for headers and small extras.
 */
size_t hub_member_stream_cap(size_t member_cap)
{
	const size_t slack = 1024 * 1024;

	if (member_cap > (SIZE_MAX - slack) / 2)
		return SIZE_MAX;
	return member_cap * 2 + slack;
}

/* libarchive does not check gzip's CRC-32 and length trailer, so flipped
 * bytes in a .tar.gz would pass as data. zlib does: inflate every member
 * once more, discarding the output, bounded like the tar pass.
 */
static int gzip_verify(const void *data, size_t size, size_t budget, const char *name,
		       struct bp_err *err)
{
	const unsigned char *in = data;
	unsigned char out[64 * 1024];
	z_stream zs = { 0 };
	size_t pos, total = 0;
	int zr, ret = 0;

	if (size < 2 || in[0] != 0x1f || in[1] != 0x8b)
		return 0;
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
		return bp_err_set(err, ENOMEM, "%s: out of memory", name);
	zs.next_in = (Bytef *)in;
	for (;;) {
		pos = (size_t)(zs.next_in - in);
		if (!zs.avail_in) {
			if (pos == size) {
				ret = bp_err_set(err, EBADMSG, "%s: truncated gzip data", name);
				break;
			}
			zs.avail_in = size - pos > UINT_MAX ? UINT_MAX : (uInt)(size - pos);
		}
		zs.next_out = out;
		zs.avail_out = sizeof(out);
		zr = inflate(&zs, Z_NO_FLUSH);
		total += sizeof(out) - zs.avail_out;
		if (total > budget) {
			ret = bp_err_set(err, EFBIG, "%s: archive decompresses past %zu bytes",
					 name, budget);
			break;
		}
		if (zr == Z_STREAM_END) {
			/* another member follows, or trailing bytes gzip ignores too */
			pos = (size_t)(zs.next_in - in);
			if (size - pos < 2 || in[pos] != 0x1f || in[pos + 1] != 0x8b)
				break;
			inflateReset(&zs);
			continue;
		}
		if (zr != Z_OK && zr != Z_BUF_ERROR) {
			ret = bp_err_set(err, EBADMSG, "%s: corrupt gzip data: %s", name,
					 zs.msg ? zs.msg : "inflate failed");
			break;
		}
	}
	inflateEnd(&zs);
	return ret;
}

static int take_entry(struct archive *a, struct archive_entry *e, const char *name,
		      size_t cap, struct pick *pk, struct bp_err *err)
{
	const char *path = ar_entry_path(e);
	void *buf;
	size_t len;
	bool is_btf;
	int ret;

	if (!path)
		return bp_err_set(err, EILSEQ, "%s: member with an unreadable name", name);
	if (!ar_path_is_safe(path))
		return bp_err_set(err, EINVAL, "%s: member %s: absolute path or \"..\" component",
				  name, path);
	/* hard links have no data of their own; directories, symlinks and
	 * devices cannot be the BTF
	 */
	if (archive_entry_filetype(e) != AE_IFREG || archive_entry_hardlink(e))
		return 0;
	/* a header with an empty name field is corrupt (bsdtar skips it, GNU
	 * tar renames it "."), not a nameless kernel BTF
	 */
	if (!*path)
		return bp_err_set(err, EINVAL, "%s: corrupt archive: member with an empty name",
				  name);
	if (archive_entry_size_is_set(e) && archive_entry_size(e) > 0 &&
	    (uint64_t)archive_entry_size(e) > cap)
		return bp_err_set(err, EFBIG,
				  "%s: member %s is %lld bytes, above the %zu-byte limit", name,
				  path, (long long)archive_entry_size(e), cap);

	pk->regular++;
	is_btf = ends_in_btf(path);
	if (is_btf && pk->btf++)
		return bp_err_set(err, EINVAL, "%s: two .btf members: %s and %s", name,
				  pk->name, path);
	if (!is_btf && pk->regular > 1) {
		/* only a .btf member can be chosen now */
		if (!pk->btf) {
			free(pk->data);
			pk->data = NULL;
		}
		return 0;
	}
	/* a .btf replaces an earlier pick: never hold two members at once */
	free(pk->data);
	pk->data = NULL;

	ret = ar_read_data_capped(a, cap, &buf, &len);
	if (ret == -EFBIG)
		return bp_err_set(err, EFBIG,
				  "%s: member %s decompresses past the %zu-byte limit", name,
				  path, cap);
	if (ret == -ENOMEM)
		return bp_err_set(err, ENOMEM, "%s: out of memory reading member %s", name, path);
	if (ret)
		return bp_err_set(err, EBADMSG, "%s: corrupt or truncated archive (member %s): %s",
				  name, path, ar_errstr(a));
	pk->data = buf;
	pk->size = len;
	snprintf(pk->name, sizeof(pk->name), "%s", path);
	return 0;
}

static int finish_pick(struct pick *pk, const char *name, struct hub_member *out,
		       struct bp_err *err)
{
	if (!pk->regular)
		return bp_err_set(err, ENOENT, "%s: no regular file in the archive", name);
	if (!pk->btf && pk->regular > 1)
		return bp_err_set(err, EINVAL, "%s: %zu regular files and none named *.btf",
				  name, pk->regular);
	out->data = pk->data;
	out->size = pk->size;
	memcpy(out->name, pk->name, sizeof(out->name));
	pk->data = NULL;
	return 0;
}

static bool is_zstd(const void *data, size_t size)
{
	static const unsigned char magic[4] = { 0x28, 0xb5, 0x2f, 0xfd };

	return size >= sizeof(magic) && !memcmp(data, magic, sizeof(magic));
}

/* libarchive 3.6's zstd reader keeps zstd's default window limit (128 MiB),
 * so it refuses `zstd --long=31` data. Decode it here in one pass into one
 * flat buffer: the output is the window, so no window is allocated and
 * nothing limits it, and the buffer bounds the bytes a bomb can produce.
 */
static int zstd_decode(const void *data, size_t size, size_t cap, const char *name,
		       void **out, size_t *len, struct bp_err *err)
{
	ZSTD_DCtx *dctx;
	size_t r;
	char *buf;

	*out = NULL;
	if (cap == SIZE_MAX)
		cap--;
	dctx = ZSTD_createDCtx();
	/* one byte past cap, so output beyond it is seen; untouched pages of
	 * a big buffer cost no memory
	 */
	buf = malloc(cap + 1);
	if (!dctx || !buf) {
		ZSTD_freeDCtx(dctx);
		free(buf);
		return bp_err_set(err, ENOMEM, "%s: out of memory", name);
	}
	r = ZSTD_decompressDCtx(dctx, buf, cap + 1, data, size);
	ZSTD_freeDCtx(dctx);
	if (ZSTD_isError(r) && ZSTD_getErrorCode(r) != ZSTD_error_dstSize_tooSmall) {
		free(buf);
		return bp_err_set(err, EBADMSG, "%s: corrupt zstd data: %s", name,
				  ZSTD_getErrorName(r));
	}
	if (ZSTD_isError(r) || r > cap) {
		free(buf);
		return bp_err_set(err, EFBIG, "%s: archive decompresses past %zu bytes", name, cap);
	}
	*out = buf;
	*len = r;
	return 0;
}

static struct archive *open_reader(void)
{
	struct archive *a = archive_read_new();

	if (!a)
		return NULL;
	/* a warning only says some filter would need an external program */
	archive_read_support_filter_all(a);
	/* covers ustar, pax and GNU tar */
	archive_read_support_format_tar(a);
	return a;
}

static int read_member(const void *data, size_t size, const char *name, size_t member_cap,
		       size_t budget, struct hub_member *out, struct bp_err *err)
{
	struct pick pk = { 0 };
	struct archive_entry *e;
	struct archive *a;
	int ret, r;

	a = open_reader();
	if (!a)
		return bp_err_set(err, ENOMEM, "%s: out of memory", name);
	if (archive_read_open_memory(a, data, size) != ARCHIVE_OK) {
		ret = bp_err_set(err, EBADMSG, "%s: not a readable archive: %s", name,
				 ar_errstr(a));
		goto out;
	}
	for (;;) {
		r = archive_read_next_header(a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			ret = bp_err_set(err, EBADMSG, "%s: corrupt or truncated archive: %s",
					 name, ar_errstr(a));
			goto out;
		}
		if ((uint64_t)archive_filter_bytes(a, 0) > budget) {
			ret = bp_err_set(err, EFBIG, "%s: archive decompresses past %zu bytes "
					 "(member limit %zu)", name, budget, member_cap);
			goto out;
		}
		ret = take_entry(a, e, name, member_cap, &pk, err);
		if (ret)
			goto out;
	}
	ret = gzip_verify(data, size, budget, name, err);
	if (ret)
		goto out;
	ret = finish_pick(&pk, name, out, err);
out:
	free(pk.data);
	archive_read_free(a);
	return ret;
}

int hub_member_read_capped(const void *data, size_t size, const char *name,
				   size_t member_cap, size_t stream_cap,
				   struct hub_member *out, struct bp_err *err)
{
	size_t budget = stream_cap ? stream_cap : hub_member_stream_cap(member_cap);
	void *tar = NULL;
	size_t tar_size = 0;
	int ret;

	memset(out, 0, sizeof(*out));
	if (!size)
		return bp_err_set(err, EINVAL, "%s: empty file, not an archive", name);
	if (is_zstd(data, size)) {
		ret = zstd_decode(data, size, budget, name, &tar, &tar_size, err);
		if (ret)
			return ret;
		data = tar;
		size = tar_size;
	}
	ret = read_member(data, size, name, member_cap, budget, out, err);
	free(tar);
	return ret;
}

int hub_member_read(const void *data, size_t size, const char *name,
			    size_t member_cap, struct hub_member *out,
			    struct bp_err *err)
{
	return hub_member_read_capped(data, size, name, member_cap, 0, out, err);
}

/* How much a peek decompresses at most, and zstd's largest block. */
#define PEEK_OUT (64UL * 1024)
#define ZSTD_BLOCK_MAX (128UL * 1024)

static bool pread_all(int fd, void *buf, size_t n, off_t off)
{
	ssize_t r;

	while (n) {
		r = pread(fd, buf, n, off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		buf = (char *)buf + r;
		n -= (size_t)r;
		off += r;
	}
	return true;
}

/* The first PEEK_OUT bytes (or fewer) of a zstd stream's first frame, block
 * by block with the buffer-less decoder, reading only the blocks it needs:
 * a window limit does not apply, the prefix is its own history.
 */
static size_t zstd_prefix(int fd, char *dst, size_t cap)
{
	ZSTD_DCtx *dctx = ZSTD_createDCtx();
	char *src = malloc(ZSTD_BLOCK_MAX + 64);
	size_t pos = 0, next, r;
	off_t off = 0;

	if (!dctx || !src || ZSTD_isError(ZSTD_decompressBegin(dctx)))
		goto out;
	while (pos < PEEK_OUT && cap - pos >= ZSTD_BLOCK_MAX) {
		next = ZSTD_nextSrcSizeToDecompress(dctx);
		if (!next || next > ZSTD_BLOCK_MAX + 64 || !pread_all(fd, src, next, off))
			break;
		off += (off_t)next;
		r = ZSTD_decompressContinue(dctx, dst + pos, cap - pos, src, next);
		if (ZSTD_isError(r))
			break;
		pos += r;
	}
out:
	free(src);
	ZSTD_freeDCtx(dctx);
	return pos;
}

/* Headers up to the first regular member; entries with data of their own
 * before it would have to be decompressed to skip, so the look ends there.
 */
static int peek_entries(struct archive *a, const char *name, struct hub_member_peek *out,
			struct bp_err *err)
{
	struct archive_entry *e;
	const char *path;
	la_ssize_t n;
	int r;

	for (;;) {
		r = archive_read_next_header(a, &e);
		if (r == ARCHIVE_EOF)
			return -ENOENT;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
			return bp_err_set(err, EBADMSG, "%s: corrupt or truncated archive: %s",
					  name, ar_errstr(a));
		if (archive_entry_filetype(e) == AE_IFREG && !archive_entry_hardlink(e))
			break;
		if (archive_entry_size(e) > 0)
			return -ENOENT;
	}
	if (!archive_entry_size_is_set(e) || archive_entry_size(e) < 0)
		return -ENOENT;
	path = ar_entry_path(e);
	out->member_size = (size_t)archive_entry_size(e);
	out->named_btf = path && ends_in_btf(path);
	n = archive_read_data(a, out->head, sizeof(out->head));
	if (n < 0)
		return bp_err_set(err, EBADMSG, "%s: corrupt or truncated archive (member %s): %s",
				  name, path ? path : "?", ar_errstr(a));
	out->head_len = (size_t)n;
	return 0;
}

int hub_member_peek(int fd, const char *name, struct hub_member_peek *out,
			struct bp_err *err)
{
	unsigned char magic[4];
	struct archive *a;
	char *prefix = NULL;
	size_t len = 0;
	int ret;

	memset(out, 0, sizeof(*out));
	a = open_reader();
	if (!a)
		return bp_err_set(err, ENOMEM, "%s: out of memory", name);
	if (pread_all(fd, magic, sizeof(magic), 0) && is_zstd(magic, sizeof(magic))) {
		prefix = malloc(PEEK_OUT + ZSTD_BLOCK_MAX);
		if (prefix)
			len = zstd_prefix(fd, prefix, PEEK_OUT + ZSTD_BLOCK_MAX);
		/* a cut tar is no verdict on the archive: only a hint is lost */
		ret = len && archive_read_open_memory(a, prefix, len) == ARCHIVE_OK
			      ? peek_entries(a, name, out, NULL) : -ENOENT;
		if (ret)
			ret = -ENOENT;
	} else if (lseek(fd, 0, SEEK_SET) < 0 ||
		   archive_read_open_fd(a, fd, 64 * 1024) != ARCHIVE_OK) {
		ret = bp_err_set(err, EBADMSG, "%s: not a readable archive: %s", name,
				 ar_errstr(a));
	} else {
		ret = peek_entries(a, name, out, err);
	}
	archive_read_free(a);
	free(prefix);
	return ret;
}
