// SPDX-License-Identifier: MIT
/* Kernel BTF members out of hub tarballs, built here with libarchive. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <unistd.h>
#include <archive.h>
#include <archive_entry.h>
/* ZSTD_getFrameHeader, to check the test archive has the big window */
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

#include "archive/hub_member.h"
#include "archive/archive_priv.h"

enum filter { F_NONE, F_GZIP, F_XZ, F_ZSTD };

struct member {
	const char *path;
	unsigned int type;	/* AE_IFREG (default), AE_IFDIR, AE_IFLNK */
	const void *data;
	size_t size;
	const char *symlink;
	const char *hardlink;
};

struct blob {
	unsigned char *data;
	size_t size;
};

static void add_filter(struct archive *a, enum filter f)
{
	switch (f) {
	case F_GZIP:
		assert_true(archive_write_add_filter_gzip(a) >= ARCHIVE_WARN);
		break;
	case F_XZ:
		assert_true(archive_write_add_filter_xz(a) >= ARCHIVE_WARN);
		break;
	case F_ZSTD:
		assert_true(archive_write_add_filter_zstd(a) >= ARCHIVE_WARN);
		break;
	default:
		assert_int_equal(archive_write_add_filter_none(a), ARCHIVE_OK);
	}
}

/* A tar (GNU format when gnu, else pax) of members, in memory. */
static struct blob make_tar(enum filter f, bool gnu, const struct member *m, size_t n)
{
	struct archive_entry *e;
	struct archive *a;
	struct blob b;
	size_t cap = 1024 * 1024, used = 0, i;

	for (i = 0; i < n; i++)
		cap += m[i].size + 1024;
	b.data = malloc(cap);
	assert_non_null(b.data);
	a = archive_write_new();
	assert_non_null(a);
	if (gnu)
		assert_int_equal(archive_write_set_format_gnutar(a), ARCHIVE_OK);
	else
		assert_int_equal(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
	add_filter(a, f);
	assert_int_equal(archive_write_open_memory(a, b.data, cap, &used), ARCHIVE_OK);
	for (i = 0; i < n; i++) {
		e = archive_entry_new();
		archive_entry_set_pathname(e, m[i].path);
		archive_entry_set_filetype(e, m[i].type ? m[i].type : AE_IFREG);
		archive_entry_set_perm(e, 0644);
		if (m[i].symlink)
			archive_entry_set_symlink(e, m[i].symlink);
		if (m[i].hardlink)
			archive_entry_set_hardlink(e, m[i].hardlink);
		if (!m[i].type && !m[i].hardlink)
			archive_entry_set_size(e, (la_int64_t)m[i].size);
		assert_true(archive_write_header(a, e) >= ARCHIVE_WARN);
		if (m[i].size)
			assert_int_equal(archive_write_data(a, m[i].data, m[i].size),
					 (la_ssize_t)m[i].size);
		archive_entry_free(e);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	b.size = used;
	return b;
}

/* Bytes that compress but are not all alike. */
static void *pattern(size_t size, uint32_t seed)
{
	unsigned char *p = malloc(size ? size : 1);
	size_t i;

	assert_non_null(p);
	for (i = 0; i < size; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (unsigned char)((seed >> 16) % 16 + 'a');
	}
	return p;
}

static void test_extract_each_filter(void **state)
{
	static const enum filter filters[] = { F_NONE, F_GZIP, F_XZ, F_ZSTD };
	const size_t size = 100000;
	void *btf = pattern(size, 1);
	struct member m[] = {
		{ .path = "./", .type = AE_IFDIR },
		{ .path = "./5.4.0-1-generic.btf", .data = btf, .size = size },
	};
	struct hub_member out;
	struct bp_err err;
	size_t i, gnu;

	(void)state;
	for (gnu = 0; gnu < 2; gnu++) {
		for (i = 0; i < sizeof(filters) / sizeof(filters[0]); i++) {
			struct blob b = make_tar(filters[i], gnu, m, 2);

			assert_int_equal(hub_member_read(b.data, b.size, "k.btf.tar.xz",
								 HUB_MEMBER_DEFAULT_CAP,
								 &out, &err), 0);
			assert_int_equal(out.size, size);
			assert_memory_equal(out.data, btf, size);
			assert_string_equal(out.name, "./5.4.0-1-generic.btf");
			free(out.data);
			free(b.data);
		}
	}
	free(btf);
}

static void test_btf_member_among_others(void **state)
{
	struct member m[] = {
		{ .path = "README", .data = "readme", .size = 6 },
		{ .path = "dir", .type = AE_IFDIR },
		{ .path = "dir/k.btf", .data = "BTFDATA", .size = 7 },
		{ .path = "dir/link.btf", .type = AE_IFLNK, .symlink = "k.btf" },
		{ .path = "dir/hard.btf", .hardlink = "dir/k.btf" },
		{ .path = "NOTES", .data = "notes", .size = 5 },
	};
	struct blob b = make_tar(F_XZ, false, m, 6);
	struct hub_member out;
	struct bp_err err;

	(void)state;
	assert_int_equal(hub_member_read(b.data, b.size, "x.tar.xz", 1024, &out, &err), 0);
	assert_int_equal(out.size, 7);
	assert_memory_equal(out.data, "BTFDATA", 7);
	assert_string_equal(out.name, "dir/k.btf");
	free(out.data);
	free(b.data);
}

static void test_single_regular_file_any_name(void **state)
{
	struct member m[] = { { .path = "vmlinux-5.10", .data = "raw", .size = 3 } };
	struct blob b = make_tar(F_GZIP, false, m, 1);
	struct hub_member out;
	struct bp_err err;

	(void)state;
	assert_int_equal(hub_member_read(b.data, b.size, "x.tar.gz", 1024, &out, &err), 0);
	assert_int_equal(out.size, 3);
	assert_memory_equal(out.data, "raw", 3);
	free(out.data);
	free(b.data);
}

static void test_empty_member(void **state)
{
	struct member m[] = { { .path = "empty.btf" } };
	struct blob b = make_tar(F_NONE, false, m, 1);
	struct hub_member out;
	struct bp_err err;

	(void)state;
	assert_int_equal(hub_member_read(b.data, b.size, "e.tar", 1024, &out, &err), 0);
	assert_int_equal(out.size, 0);
	assert_non_null(out.data);
	free(out.data);
	free(b.data);
}

static void test_two_btf_members(void **state)
{
	struct member m[] = {
		{ .path = "a.btf", .data = "A", .size = 1 },
		{ .path = "b.btf", .data = "B", .size = 1 },
	};
	struct blob b = make_tar(F_ZSTD, false, m, 2);
	struct hub_member out;
	struct bp_err err;

	(void)state;
	assert_int_equal(hub_member_read(b.data, b.size, "two.tar.zst", 1024, &out, &err),
			 -EINVAL);
	assert_non_null(strstr(err.msg, "two.tar.zst"));
	assert_non_null(strstr(err.msg, "a.btf"));
	assert_non_null(strstr(err.msg, "b.btf"));
	assert_null(out.data);
	free(b.data);
}

static void test_ambiguous_regular_files(void **state)
{
	struct member m[] = {
		{ .path = "a", .data = "A", .size = 1 },
		{ .path = "b", .data = "B", .size = 1 },
	};
	struct blob b = make_tar(F_NONE, false, m, 2);
	struct hub_member out;
	struct bp_err err;

	(void)state;
	assert_int_equal(hub_member_read(b.data, b.size, "amb.tar", 1024, &out, &err),
			 -EINVAL);
	assert_non_null(strstr(err.msg, "amb.tar"));
	assert_non_null(strstr(err.msg, "2 regular files"));
	free(b.data);
}

static void test_cap_exceeded(void **state)
{
	const size_t size = 4 * 1024 * 1024;
	void *zeros = calloc(1, size);
	struct member m[] = { { .path = "bomb.btf", .data = zeros, .size = size } };
	struct blob b = make_tar(F_XZ, false, m, 1);
	struct hub_member out;
	struct bp_err err;

	(void)state;
	/* xz makes 4 MiB of zeros tiny: the cap, not the input size, decides */
	assert_true(b.size < 64 * 1024);
	assert_int_equal(hub_member_read(b.data, b.size, "bomb.tar.xz", 1024 * 1024,
						 &out, &err), -EFBIG);
	assert_non_null(strstr(err.msg, "bomb.tar.xz"));
	assert_non_null(strstr(err.msg, "1048576"));
	assert_null(out.data);

	/* exactly at the cap is fine */
	assert_int_equal(hub_member_read(b.data, b.size, "bomb.tar.xz", size, &out, &err),
			 0);
	assert_int_equal(out.size, size);
	free(out.data);
	free(b.data);
	free(zeros);
}

/* The streaming cap holds even when the header is not consulted. */
static void test_streaming_cap(void **state)
{
	const size_t size = 300000;
	void *data = pattern(size, 7), *got;
	struct member m[] = { { .path = "k.btf", .data = data, .size = size } };
	struct blob b = make_tar(F_GZIP, false, m, 1);
	struct archive_entry *e;
	struct archive *a;
	size_t got_size;

	(void)state;
	a = archive_read_new();
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	assert_int_equal(archive_read_open_memory(a, b.data, b.size), ARCHIVE_OK);
	assert_int_equal(archive_read_next_header(a, &e), ARCHIVE_OK);
	assert_int_equal(ar_read_data_capped(a, size - 1, &got, &got_size), -EFBIG);
	assert_null(got);
	archive_read_free(a);

	a = archive_read_new();
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	assert_int_equal(archive_read_open_memory(a, b.data, b.size), ARCHIVE_OK);
	assert_int_equal(archive_read_next_header(a, &e), ARCHIVE_OK);
	assert_int_equal(ar_read_data_capped(a, size, &got, &got_size), 0);
	assert_int_equal(got_size, size);
	assert_memory_equal(got, data, size);
	free(got);
	archive_read_free(a);
	free(b.data);
	free(data);
}

/* Many members under the cap still may not decompress without bound. */
static void test_stream_budget(void **state)
{
	const size_t size = 600 * 1024;
	void *zeros = calloc(1, size);
	struct member m[] = {
		{ .path = "f1", .data = zeros, .size = size },
		{ .path = "f2", .data = zeros, .size = size },
		{ .path = "f3", .data = zeros, .size = size },
		{ .path = "f4", .data = zeros, .size = size },
		{ .path = "f5", .data = zeros, .size = size },
		{ .path = "k.btf", .data = "K", .size = 1 },
	};
	struct blob b = make_tar(F_XZ, false, m, 6);
	struct hub_member out;
	struct bp_err err;

	(void)state;
	/* each member is under the cap; together they pass 2 * cap + 1 MiB */
	assert_int_equal(hub_member_read(b.data, b.size, "many.tar.xz", 640 * 1024, &out,
						 &err), -EFBIG);
	assert_non_null(strstr(err.msg, "many.tar.xz"));
	assert_int_equal(hub_member_read(b.data, b.size, "many.tar.xz", 1024 * 1024, &out,
						 &err), 0);
	assert_int_equal(out.size, 1);
	free(out.data);
	free(b.data);
	free(zeros);
}

/* Corrupt input must fail naming the archive; with must_fail false (zstd
 * frames libarchive writes carry no checksum) it must at least not crash.
 */
static void expect_corrupt(const struct blob *b, const char *name, bool must_fail)
{
	struct hub_member out;
	struct bp_err err;
	int ret;

	ret = hub_member_read(b->data, b->size, name, HUB_MEMBER_DEFAULT_CAP, &out,
				      &err);
	if (!ret && !must_fail) {
		free(out.data);
		return;
	}
	assert_true(ret < 0);
	assert_non_null(strstr(err.msg, name));
	assert_null(out.data);
}

static void test_corrupt_and_truncated(void **state)
{
	static const enum filter filters[] = { F_GZIP, F_XZ, F_ZSTD };
	static const char *const names[] = { "c.tar.gz", "c.tar.xz", "c.tar.zst" };
	const size_t size = 512 * 1024;
	void *data = pattern(size, 3);
	struct member m[] = { { .path = "k.btf", .data = data, .size = size } };
	size_t i, j, full;

	(void)state;
	for (i = 0; i < 3; i++) {
		struct blob b = make_tar(filters[i], false, m, 1);

		/* flipped bytes in the middle */
		full = b.size;
		for (j = full / 2; j < full / 2 + 32; j++)
			b.data[j] ^= 0x5a;
		expect_corrupt(&b, names[i], filters[i] != F_ZSTD);
		/* cut in half */
		b.size = full / 2;
		expect_corrupt(&b, names[i], true);
		free(b.data);
	}
	free(data);
}

static void test_empty_and_garbage(void **state)
{
	struct blob empty_tar = make_tar(F_XZ, false, NULL, 0);
	struct member dir_only[] = { { .path = "d", .type = AE_IFDIR } };
	struct blob dirs = make_tar(F_NONE, false, dir_only, 1);
	static const char garbage[] = "this is not an archive at all, just some text.......";
	struct hub_member out;
	struct bp_err err;

	(void)state;
	assert_int_equal(hub_member_read("", 0, "zero.tar.xz", 1024, &out, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "zero.tar.xz"));

	assert_int_equal(hub_member_read(empty_tar.data, empty_tar.size, "empty.tar.xz",
						 1024, &out, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "empty.tar.xz"));
	assert_non_null(strstr(err.msg, "no regular file"));

	assert_int_equal(hub_member_read(dirs.data, dirs.size, "dirs.tar", 1024, &out,
						 &err), -ENOENT);
	assert_non_null(strstr(err.msg, "dirs.tar"));

	assert_true(hub_member_read(garbage, sizeof(garbage), "junk.tar.xz", 1024, &out,
					    &err) < 0);
	assert_non_null(strstr(err.msg, "junk.tar.xz"));
	free(empty_tar.data);
	free(dirs.data);
}

static void test_unsafe_paths(void **state)
{
	static const char *const bad[] = { "../k.btf", "a/../../k.btf", "/k.btf" };
	struct hub_member out;
	struct bp_err err;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		struct member m[] = { { .path = bad[i], .data = "K", .size = 1 } };
		struct blob b = make_tar(F_NONE, false, m, 1);

		assert_int_equal(hub_member_read(b.data, b.size, "evil.tar", 1024, &out,
							 &err), -EINVAL);
		assert_non_null(strstr(err.msg, "evil.tar"));
		free(b.data);
	}
	/* ".." inside a name is not a component */
	{
		struct member m[] = { { .path = "5.4..1.btf", .data = "K", .size = 1 } };
		struct blob b = make_tar(F_NONE, false, m, 1);

		assert_int_equal(hub_member_read(b.data, b.size, "ok.tar", 1024, &out,
							 &err), 0);
		free(out.data);
		free(b.data);
	}
}

static void test_path_helpers(void **state)
{
	(void)state;
	assert_true(ar_path_is_safe("a/b.btf"));
	assert_true(ar_path_is_safe("./a"));
	assert_true(ar_path_is_safe("a..b/..c"));
	assert_false(ar_path_is_safe(".."));
	assert_false(ar_path_is_safe("a/.."));
	assert_false(ar_path_is_safe("a/../b"));
	assert_false(ar_path_is_safe("/a"));
	assert_string_equal(ar_skip_dot_slash("./a/b"), "a/b");
	assert_string_equal(ar_skip_dot_slash(".//./a"), "a");
	assert_string_equal(ar_skip_dot_slash("./"), "");
	assert_string_equal(ar_skip_dot_slash(".a"), ".a");
}

/* zstd the way `tar -cf - x | zstd --long=31` writes it: the size unknown
 * to the compressor, so the frame keeps its 2 GiB window.
 */
static struct blob zstd_long(const struct blob *tar)
{
	ZSTD_CCtx *c = ZSTD_createCCtx();
	size_t cap = ZSTD_compressBound(tar->size) + 1024, r;
	ZSTD_inBuffer in = { tar->data, tar->size, 0 };
	ZSTD_frameHeader fh;
	ZSTD_outBuffer out;
	struct blob b;

	b.data = malloc(cap);
	assert_non_null(c);
	assert_non_null(b.data);
	out = (ZSTD_outBuffer){ b.data, cap, 0 };
	assert_false(ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_windowLog, 31)));
	assert_false(ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_enableLongDistanceMatching, 1)));
	/* as the zstd tool does: a checksum catches flipped bytes */
	assert_false(ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1)));
	/* continue first: an end with all the input would tell the size */
	assert_false(ZSTD_isError(ZSTD_compressStream2(c, &out, &in, ZSTD_e_continue)));
	do {
		r = ZSTD_compressStream2(c, &out, &in, ZSTD_e_end);
		assert_false(ZSTD_isError(r));
	} while (r);
	ZSTD_freeCCtx(c);
	b.size = out.pos;
	/* the premise: a window libarchive 3.6's zstd reader refuses */
	assert_int_equal(ZSTD_getFrameHeader(&fh, b.data, b.size), 0);
	assert_true(fh.windowSize == 1ULL << 31);
	return b;
}

static void test_zstd_long_window(void **state)
{
	const size_t size = 300000;
	void *btf = pattern(size, 7);
	struct member m[] = {
		{ .path = "./", .type = AE_IFDIR },
		{ .path = "./k.btf", .data = btf, .size = size },
	};
	struct blob tar = make_tar(F_NONE, false, m, 2), z = zstd_long(&tar);
	struct hub_member out;
	struct bp_err err;

	(void)state;
	assert_int_equal(hub_member_read(z.data, z.size, "k.btf.tar.zst", 1024 * 1024,
						 &out, &err), 0);
	assert_int_equal(out.size, size);
	assert_memory_equal(out.data, btf, size);
	free(out.data);
	/* the output buffer bounds a bomb whatever the window */
	assert_int_equal(hub_member_read_capped(z.data, z.size, "k.btf.tar.zst",
							1024 * 1024, 200000, &out, &err),
			 -EFBIG);
	assert_non_null(strstr(err.msg, "k.btf.tar.zst"));
	assert_null(out.data);
	/* flipped bytes: corrupt, named */
	z.data[z.size / 2] ^= 0x55;
	z.data[z.size / 2 + 1] ^= 0x55;
	assert_true(hub_member_read(z.data, z.size, "k.btf.tar.zst", 1024 * 1024, &out,
					    &err) < 0);
	assert_non_null(strstr(err.msg, "k.btf.tar.zst"));
	free(z.data);
	free(tar.data);
	free(btf);
}

static int blob_fd(const struct blob *b)
{
	char path[] = "/tmp/btfpack-test-peek-XXXXXX";
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(write(fd, b->data, b->size), (ssize_t)b->size);
	return fd;
}

/* The cheap look finds the first regular member's size and first bytes
 * behind directory entries, in xz and in big-window zstd alike.
 */
static void test_peek(void **state)
{
	const size_t size = 3 * 1024 * 1024;
	unsigned char *btf = pattern(size, 9);
	struct member m[] = {
		{ .path = "./", .type = AE_IFDIR },
		{ .path = "./a/", .type = AE_IFDIR },
		{ .path = "./a/k.btf", .data = btf, .size = size },
	};
	struct blob xz = make_tar(F_XZ, false, m, 3), tar = make_tar(F_NONE, true, m, 3);
	struct blob z = zstd_long(&tar), *cases[] = { &xz, &z };
	struct hub_member_peek pk;
	struct bp_err err;
	size_t i;
	int fd;

	(void)state;
	for (i = 0; i < 2; i++) {
		fd = blob_fd(cases[i]);
		assert_int_equal(hub_member_peek(fd, "k.tar", &pk, &err), 0);
		assert_int_equal(pk.member_size, size);
		assert_true(pk.named_btf);
		assert_int_equal(pk.head_len, sizeof(pk.head));
		assert_memory_equal(pk.head, btf, sizeof(pk.head));
		close(fd);
	}
	/* not an archive: unreadable, named */
	fd = blob_fd(&(struct blob){ btf, 4096 });
	assert_int_equal(hub_member_peek(fd, "junk.tar", &pk, &err), -EBADMSG);
	assert_non_null(strstr(err.msg, "junk.tar"));
	close(fd);
	free(xz.data);
	free(tar.data);
	free(z.data);
	free(btf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_extract_each_filter),
		cmocka_unit_test(test_btf_member_among_others),
		cmocka_unit_test(test_single_regular_file_any_name),
		cmocka_unit_test(test_empty_member),
		cmocka_unit_test(test_two_btf_members),
		cmocka_unit_test(test_ambiguous_regular_files),
		cmocka_unit_test(test_cap_exceeded),
		cmocka_unit_test(test_streaming_cap),
		cmocka_unit_test(test_stream_budget),
		cmocka_unit_test(test_corrupt_and_truncated),
		cmocka_unit_test(test_empty_and_garbage),
		cmocka_unit_test(test_unsafe_paths),
		cmocka_unit_test(test_path_helpers),
		cmocka_unit_test(test_zstd_long_window),
		cmocka_unit_test(test_peek),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
