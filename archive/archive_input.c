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
#include <zlib.h>

#include "archive/archive_input.h"
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
static size_t stream_budget(size_t member_cap)
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
	free(pk->data);
	pk->data = buf;
	pk->size = len;
	snprintf(pk->name, sizeof(pk->name), "%s", path);
	return 0;
}

static int finish_pick(struct pick *pk, const char *name, struct archive_member *out,
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

int archive_read_btf_member(const void *data, size_t size, const char *name,
			    size_t member_cap, struct archive_member *out,
			    struct bp_err *err)
{
	size_t budget = stream_budget(member_cap);
	struct pick pk = { 0 };
	struct archive_entry *e;
	struct archive *a;
	int ret, r;

	memset(out, 0, sizeof(*out));
	if (!size)
		return bp_err_set(err, EINVAL, "%s: empty file, not an archive", name);
	a = archive_read_new();
	if (!a)
		return bp_err_set(err, ENOMEM, "%s: out of memory", name);
	/* a warning only says some filter would need an external program */
	archive_read_support_filter_all(a);
	/* covers ustar, pax and GNU tar */
	archive_read_support_format_tar(a);
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
