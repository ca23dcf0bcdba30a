// SPDX-License-Identifier: MIT
/* Bundles: writer, reader and lookup over every format, reproducibility,
 * GNU tar compatibility and hostile links.
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <archive.h>
#include <archive_entry.h>

#include "archive/bundle_reader.h"
#include "archive/bundle_writer.h"
#include "base/fileio.h"

#define MTIME ((time_t)1700000000)

static const char ONE[] = "one-btf-bytes";
static const char ZED[] = "zed";

static const struct {
	enum bundle_format fmt;
	const char *name;
} formats[] = {
	{ BUNDLE_DIR, "bundle" },
	{ BUNDLE_TAR, "bundle.tar" },
	{ BUNDLE_TAR_GZ, "bundle.tar.gz" },
	{ BUNDLE_TAR_XZ, "bundle.tar.xz" },
	{ BUNDLE_TAR_ZST, "bundle.tar.zst" },
};

#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

/* ---- scratch directory per test ---- */

static char base[256];

static int rm_cb(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	return flag == FTW_DP ? rmdir(p) : unlink(p);
}

static int setup(void **state)
{
	(void)state;
	snprintf(base, sizeof(base), "%s/btfpack-archive-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	return mkdtemp(base) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return nftw(base, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

static char *in_base(const char *name)
{
	char *p;

	assert_true(asprintf(&p, "%s/%s", base, name) > 0);
	return p;
}

/* Names in base, one per line, sorted, for leftover checks. */
static size_t count_entries(const char *dir)
{
	struct dirent *d;
	size_t n = 0;
	DIR *dh = opendir(dir);

	assert_non_null(dh);
	while ((d = readdir(dh)))
		if (strcmp(d->d_name, ".") && strcmp(d->d_name, ".."))
			n++;
	closedir(dh);
	return n;
}

static bool have_cmd(const char *cmd)
{
	char *s;
	int r;

	assert_true(asprintf(&s, "command -v %s >/dev/null 2>&1", cmd) > 0);
	r = system(s);
	free(s);
	return r == 0;
}

/* ---- collecting bundle_read output ---- */

struct rec {
	char *path;
	enum bundle_entry_type type;
	char *target;
	char *data;
	size_t size;
};

struct recs {
	struct rec v[64];
	size_t n;
};

static int collect(void *ctx, const struct bundle_entry *e)
{
	struct recs *r = ctx;
	struct rec *x;

	assert_true(r->n < 64);
	x = &r->v[r->n++];
	x->path = strdup(e->path);
	x->type = e->type;
	x->target = e->link_target ? strdup(e->link_target) : NULL;
	x->data = NULL;
	x->size = e->size;
	if (e->data) {
		x->data = malloc(e->size + 1);
		memcpy(x->data, e->data, e->size);
	}
	return 0;
}

static void recs_free(struct recs *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->v[i].path);
		free(r->v[i].target);
		free(r->v[i].data);
	}
	r->n = 0;
}

/* ---- the sample bundle ---- */

static void write_sample(const char *path, enum bundle_format fmt, time_t mtime)
{
	struct bundle_writer *w;
	struct bp_err err;

	assert_int_equal(bundle_open(path, fmt, mtime, &w, &err), 0);
	assert_int_equal(bundle_add_file(w, "a/b/one.btf", ONE, sizeof(ONE) - 1, &err), 0);
	assert_int_equal(bundle_add_symlink(w, "a/b/two.btf", "one.btf", &err), 0);
	assert_int_equal(bundle_add_symlink(w, "a/c/four.btf", "../b/one.btf", &err), 0);
	assert_int_equal(bundle_add_hardlink(w, "a/c/three.btf", "a/b/one.btf", &err), 0);
	assert_int_equal(bundle_add_file(w, "z.btf", ZED, sizeof(ZED) - 1, &err), 0);
	assert_int_equal(bundle_commit(w, &err), 0);
}

static const struct {
	const char *path;
	enum bundle_entry_type type;
	const char *target;
	const char *data;
} expected[] = {
	{ "a", BUNDLE_ENTRY_DIR, NULL, NULL },
	{ "a/b", BUNDLE_ENTRY_DIR, NULL, NULL },
	{ "a/b/one.btf", BUNDLE_ENTRY_FILE, NULL, ONE },
	{ "a/b/two.btf", BUNDLE_ENTRY_SYMLINK, "one.btf", NULL },
	{ "a/c", BUNDLE_ENTRY_DIR, NULL, NULL },
	{ "a/c/four.btf", BUNDLE_ENTRY_SYMLINK, "../b/one.btf", NULL },
	{ "a/c/three.btf", BUNDLE_ENTRY_HARDLINK, "a/b/one.btf", NULL },
	{ "z.btf", BUNDLE_ENTRY_FILE, NULL, ZED },
};

static void check_sample(const char *path)
{
	struct recs r = { .n = 0 };
	struct bp_err err;
	size_t i;

	assert_int_equal(bundle_read(path, collect, &r, &err), 0);
	assert_int_equal(r.n, sizeof(expected) / sizeof(expected[0]));
	for (i = 0; i < r.n; i++) {
		assert_string_equal(r.v[i].path, expected[i].path);
		assert_int_equal(r.v[i].type, expected[i].type);
		if (expected[i].target)
			assert_string_equal(r.v[i].target, expected[i].target);
		else
			assert_null(r.v[i].target);
		if (expected[i].data) {
			assert_int_equal(r.v[i].size, strlen(expected[i].data));
			assert_memory_equal(r.v[i].data, expected[i].data, r.v[i].size);
		} else {
			assert_null(r.v[i].data);
		}
	}
	recs_free(&r);
}

static void expect_lookup(const char *bundle, const char *entry, const char *want)
{
	struct bp_err err;
	void *data;
	size_t size;
	int ret;

	ret = bundle_lookup(bundle, entry, &data, &size, &err);
	if (ret)
		fail_msg("lookup %s in %s: %s", entry, bundle, err.msg);
	assert_int_equal(size, strlen(want));
	assert_memory_equal(data, want, size);
	free(data);
}

static void expect_lookup_fails(const char *bundle, const char *entry, int errnum,
				const char *in_msg)
{
	struct bp_err err;
	void *data;
	size_t size;

	assert_int_equal(bundle_lookup(bundle, entry, &data, &size, &err), -errnum);
	assert_null(data);
	assert_non_null(strstr(err.msg, bundle));
	if (in_msg && !strstr(err.msg, in_msg))
		fail_msg("\"%s\" not in \"%s\"", in_msg, err.msg);
}

static void test_round_trip(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NFORMATS; i++) {
		char *p = in_base(formats[i].name);

		write_sample(p, formats[i].fmt, MTIME);
		check_sample(p);
		expect_lookup(p, "a/b/one.btf", ONE);
		expect_lookup(p, "a/b/two.btf", ONE);
		expect_lookup(p, "a/c/three.btf", ONE);
		expect_lookup(p, "a/c/four.btf", ONE);
		expect_lookup(p, "./z.btf", ZED);
		expect_lookup(p, "a//c/./four.btf", ONE);
		expect_lookup_fails(p, "a/b", EISDIR, "a/b");
		expect_lookup_fails(p, "a/b/nope.btf", ENOENT, "a/b/nope.btf");
		expect_lookup_fails(p, "z.btf/x", ENOTDIR, NULL);
		free(p);
	}
	/* only the bundles themselves are left: no temp files */
	assert_int_equal(count_entries(base), NFORMATS);
}

static bool same_bytes(const char *a, const char *b)
{
	void *da, *db;
	size_t sa, sb;
	bool same;

	assert_int_equal(bp_read_file(a, BP_MAX_INPUT_FILE, &da, &sa, NULL), 0);
	assert_int_equal(bp_read_file(b, BP_MAX_INPUT_FILE, &db, &sb, NULL), 0);
	same = sa == sb && !memcmp(da, db, sa);
	free(da);
	free(db);
	return same;
}

static int check_dir_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)flag;
	(void)ftw;
	if (st->st_mtime != MTIME) {
		fprintf(stderr, "%s: mtime %lld\n", p, (long long)st->st_mtime);
		return 1;
	}
	if (S_ISDIR(st->st_mode) && (st->st_mode & 07777) != 0755)
		return 1;
	if (S_ISREG(st->st_mode) && (st->st_mode & 07777) != 0644)
		return 1;
	return 0;
}

static void test_reproducible(void **state)
{
	char *first[NFORMATS], *second[NFORMATS], name[64];
	unsigned char hdr[10];
	size_t i;
	FILE *f;

	(void)state;
	/* wall clock differs between the two rounds; the given mtime does not */
	for (i = 0; i < NFORMATS; i++) {
		snprintf(name, sizeof(name), "1-%s", formats[i].name);
		first[i] = in_base(name);
		write_sample(first[i], formats[i].fmt, MTIME);
	}
	sleep(1);
	for (i = 0; i < NFORMATS; i++) {
		snprintf(name, sizeof(name), "2-%s", formats[i].name);
		second[i] = in_base(name);
		write_sample(second[i], formats[i].fmt, MTIME);
	}
	for (i = 0; i < NFORMATS; i++) {
		if (formats[i].fmt == BUNDLE_DIR) {
			assert_int_equal(nftw(first[i], check_dir_entry, 16, FTW_PHYS), 0);
			assert_int_equal(nftw(second[i], check_dir_entry, 16, FTW_PHYS), 0);
		} else {
			assert_true(same_bytes(first[i], second[i]));
		}
		if (formats[i].fmt == BUNDLE_TAR_GZ) {
			/* no FNAME flag, no MTIME */
			f = fopen(first[i], "rb");
			assert_non_null(f);
			assert_int_equal(fread(hdr, 1, sizeof(hdr), f), sizeof(hdr));
			fclose(f);
			assert_int_equal(hdr[0], 0x1f);
			assert_int_equal(hdr[1], 0x8b);
			assert_int_equal(hdr[3], 0);
			assert_int_equal(hdr[4] | hdr[5] | hdr[6] | hdr[7], 0);
		}
		free(first[i]);
		free(second[i]);
	}
}

/* Owner, modes and times as libarchive reads them back. */
static void test_tar_headers(void **state)
{
	struct archive_entry *e;
	struct archive *a;
	size_t i, n;

	(void)state;
	for (i = 1; i < NFORMATS; i++) {
		char *p = in_base(formats[i].name);

		write_sample(p, formats[i].fmt, MTIME);
		a = archive_read_new();
		archive_read_support_filter_all(a);
		archive_read_support_format_all(a);
		assert_int_equal(archive_read_open_filename(a, p, 10240), ARCHIVE_OK);
		for (n = 0; archive_read_next_header(a, &e) == ARCHIVE_OK; n++) {
			/* short names: plain ustar, no pax records */
			assert_int_equal(archive_format(a), ARCHIVE_FORMAT_TAR_USTAR);
			assert_int_equal(archive_entry_uid(e), 0);
			assert_int_equal(archive_entry_gid(e), 0);
			assert_true(!archive_entry_uname(e) || !*archive_entry_uname(e));
			assert_true(!archive_entry_gname(e) || !*archive_entry_gname(e));
			assert_int_equal(archive_entry_mtime(e), MTIME);
			assert_int_equal(archive_entry_mtime_nsec(e), 0);
			assert_false(archive_entry_atime_is_set(e));
			assert_false(archive_entry_ctime_is_set(e));
			switch (archive_entry_filetype(e)) {
			case AE_IFDIR:
				assert_int_equal(archive_entry_perm(e), 0755);
				break;
			case AE_IFLNK:
				assert_int_equal(archive_entry_perm(e), 0777);
				break;
			default:
				assert_int_equal(archive_entry_perm(e), 0644);
			}
		}
		assert_int_equal(n, sizeof(expected) / sizeof(expected[0]));
		archive_read_free(a);
		free(p);
	}
}

/* Names past ustar's limits get pax records and still round trip. */
static void test_long_paths(void **state)
{
	char path[400];
	struct bundle_writer *w;
	struct bp_err err;
	size_t i;

	(void)state;
	memset(path, 'd', sizeof(path));
	path[120] = '/';
	path[250] = '/';
	memcpy(path + 380, "/k.btf", 7);
	for (i = 0; i < NFORMATS; i++) {
		char *p = in_base(formats[i].name);
		struct recs r = { .n = 0 };

		assert_int_equal(bundle_open(p, formats[i].fmt, MTIME, &w, &err), 0);
		assert_int_equal(bundle_add_file(w, path, ONE, sizeof(ONE) - 1, &err), 0);
		/* a sibling symlink with a long target */
		assert_int_equal(bundle_add_symlink(w, "top.btf", path, &err), 0);
		assert_int_equal(bundle_commit(w, &err), 0);
		assert_int_equal(bundle_read(p, collect, &r, &err), 0);
		assert_int_equal(r.n, 5);
		assert_string_equal(r.v[3].path, path);
		assert_string_equal(r.v[4].target, path);
		recs_free(&r);
		expect_lookup(p, "top.btf", ONE);
		free(p);
	}
}

static void test_gnu_tar(void **state)
{
	static const char *const tools[] = { NULL, NULL, "gzip", "xz", "zstd" };
	char *p, *x, *cmd, *f;
	struct stat s1, s3;
	char link[64];
	void *data;
	size_t i, size;
	ssize_t n;

	(void)state;
	if (!have_cmd("tar"))
		skip();
	for (i = 1; i < NFORMATS; i++) {
		if (tools[i] && !have_cmd(tools[i]))
			continue;
		p = in_base(formats[i].name);
		x = in_base("x");
		write_sample(p, formats[i].fmt, MTIME);
		assert_int_equal(mkdir(x, 0755), 0);
		assert_true(asprintf(&cmd, "tar -tvf '%s' > '%s/list' 2>&1 && "
				     "grep -q 'a/b/two.btf -> one.btf' '%s/list' && "
				     "grep -q 'a/c/three.btf link to a/b/one.btf' '%s/list'",
				     p, x, x, x) > 0);
		if (system(cmd))
			fail_msg("%s failed", cmd);
		free(cmd);
		assert_true(asprintf(&cmd, "tar -xf '%s' -C '%s'", p, x) > 0);
		if (system(cmd))
			fail_msg("%s failed", cmd);
		free(cmd);

		f = NULL;
		assert_true(asprintf(&f, "%s/a/b/two.btf", x) > 0);
		n = readlink(f, link, sizeof(link) - 1);
		assert_true(n > 0);
		link[n] = '\0';
		assert_string_equal(link, "one.btf");
		assert_int_equal(bp_read_file(f, 1024, &data, &size, NULL), 0);
		assert_int_equal(size, sizeof(ONE) - 1);
		assert_memory_equal(data, ONE, size);
		free(data);
		free(f);

		assert_true(asprintf(&f, "%s/a/c/four.btf", x) > 0);
		assert_int_equal(bp_read_file(f, 1024, &data, &size, NULL), 0);
		assert_memory_equal(data, ONE, size);
		free(data);
		free(f);

		assert_true(asprintf(&f, "%s/a/b/one.btf", x) > 0);
		assert_int_equal(stat(f, &s1), 0);
		assert_int_equal(s1.st_mtime, MTIME);
		free(f);
		assert_true(asprintf(&f, "%s/a/c/three.btf", x) > 0);
		assert_int_equal(stat(f, &s3), 0);
		assert_int_equal(s1.st_ino, s3.st_ino);
		free(f);

		assert_int_equal(nftw(x, rm_cb, 16, FTW_DEPTH | FTW_PHYS), 0);
		free(x);
		free(p);
	}
}

static void write_index_bundle(const char *path, enum bundle_format fmt, const char *index)
{
	struct bundle_writer *w;
	struct bp_err err;

	assert_int_equal(bundle_open(path, fmt, MTIME, &w, &err), 0);
	assert_int_equal(bundle_add_file(w, "blobs/0123456789abcdef0123456789abcdef.btf", ONE,
					 sizeof(ONE) - 1, &err), 0);
	assert_int_equal(bundle_add_file(w, "index.json", index, strlen(index), &err), 0);
	assert_int_equal(bundle_commit(w, &err), 0);
}

static void test_lookup_index(void **state)
{
	static const char index[] =
		"{\"btfpack_version\":\"t\",\"dedup\":\"index\",\"kernels\":["
		"{\"path\":\"centos/8/x86_64/k1.btf\",\"status\":\"ok\","
		"\"blob\":\"0123456789abcdef0123456789abcdef\"},"
		"{\"path\":\"centos/8/x86_64/k2.btf\",\"status\":\"failed\",\"error\":\"bad BTF\"},"
		"{\"path\":\"centos/8/x86_64/k6.btf\",\"status\":\"ok\",\"blob\":\"\"},"
		"{\"path\":\"centos/8/x86_64/k3.btf\",\"status\":\"ok\","
		"\"blob\":\"ffffffffffffffffffffffffffffffff\"},"
		"{\"path\":\"centos/8/x86_64/k4.btf\",\"status\":\"ok\",\"blob\":\"../../etc\"}]}";
	size_t i;

	(void)state;
	for (i = 0; i < NFORMATS; i++) {
		char *p = in_base(formats[i].name);

		write_index_bundle(p, formats[i].fmt, index);
		expect_lookup(p, "centos/8/x86_64/k1.btf", ONE);
		expect_lookup(p, "./centos/8/x86_64/k1.btf", ONE);
		expect_lookup_fails(p, "centos/8/x86_64/k2.btf", ENOENT,
				    "failed to build: bad BTF");
		expect_lookup_fails(p, "centos/8/x86_64/k6.btf", ENOENT, "no blob");
		expect_lookup_fails(p, "centos/8/x86_64/k3.btf", ENOENT, "missing");
		expect_lookup_fails(p, "centos/8/x86_64/k4.btf", EBADMSG, "bad blob");
		expect_lookup_fails(p, "centos/8/x86_64/k5.btf", ENOENT, "no entry");
		free(p);
	}

	/* a broken index.json is reported, not taken for "not listed" */
	{
		char *p = in_base("broken.tar");

		write_index_bundle(p, BUNDLE_TAR, "{\"kernels\": [");
		expect_lookup_fails(p, "centos/8/x86_64/k1.btf", EBADMSG, "index.json");
		free(p);
		p = in_base("nokernels.tar");
		write_index_bundle(p, BUNDLE_TAR, "{\"dedup\":\"index\"}");
		expect_lookup_fails(p, "centos/8/x86_64/k1.btf", EBADMSG, "kernels");
		free(p);
	}
}

/* ---- hostile bundles, built without the writer's checks ---- */

struct raw {
	const char *path;
	const char *symlink;
	const char *hardlink;
	const char *data;	/* file when set, directory when all NULL */
};

static void make_raw_tar(const char *path, const struct raw *r, size_t n)
{
	struct archive_entry *e;
	struct archive *a;
	size_t i;

	a = archive_write_new();
	assert_int_equal(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
	assert_int_equal(archive_write_add_filter_xz(a), ARCHIVE_OK);
	assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
	for (i = 0; i < n; i++) {
		e = archive_entry_new();
		archive_entry_set_pathname(e, r[i].path);
		archive_entry_set_perm(e, 0644);
		if (r[i].symlink) {
			archive_entry_set_filetype(e, AE_IFLNK);
			archive_entry_set_symlink(e, r[i].symlink);
		} else if (r[i].hardlink) {
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_hardlink(e, r[i].hardlink);
		} else if (r[i].data) {
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_size(e, (la_int64_t)strlen(r[i].data));
		} else {
			archive_entry_set_filetype(e, AE_IFDIR);
		}
		assert_true(archive_write_header(a, e) >= ARCHIVE_WARN);
		if (r[i].data)
			archive_write_data(a, r[i].data, strlen(r[i].data));
		archive_entry_free(e);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
}

static void make_raw_dir(const char *root, const struct raw *r, size_t n)
{
	char *full, *t;
	size_t i;

	assert_int_equal(mkdir(root, 0755), 0);
	for (i = 0; i < n; i++) {
		full = NULL;
		assert_true(asprintf(&full, "%s/%s", root, r[i].path) > 0);
		if (r[i].symlink) {
			/* Linux refuses empty targets */
			if (*r[i].symlink)
				assert_int_equal(symlink(r[i].symlink, full), 0);
		} else if (r[i].hardlink) {
			assert_true(asprintf(&t, "%s/%s", root, r[i].hardlink) > 0);
			if (link(t, full))
				assert_int_equal(errno, ENOENT);	/* dangling: skip */
			free(t);
		} else if (r[i].data) {
			assert_int_equal(bp_write_file_atomic(full, r[i].data, strlen(r[i].data),
							      NULL), 0);
		} else {
			assert_int_equal(mkdir(full, 0755), 0);
		}
		free(full);
	}
}

#define CHAIN 42

static void test_lookup_hostile(void **state)
{
	static const struct raw fixed[] = {
		{ .path = "d" },
		{ .path = "d/x.btf", .data = "X" },
		{ .path = "d/up.btf", .symlink = "../d/x.btf" },
		{ .path = "d/esc.btf", .symlink = "../../outside" },
		{ .path = "abs.btf", .symlink = "/etc/passwd" },
		{ .path = "loop1", .symlink = "loop2" },
		{ .path = "loop2", .symlink = "loop1" },
		{ .path = "self", .symlink = "self" },
		{ .path = "empty", .symlink = "" },
		{ .path = "via", .symlink = "d" },
		{ .path = "hl.btf", .hardlink = "d/x.btf" },
		{ .path = "hl_to_link.btf", .hardlink = "d/up.btf" },
		{ .path = "dangling", .symlink = "nowhere" },
	};
	static char names[CHAIN][16], targets[CHAIN][16];
	struct raw r[sizeof(fixed) / sizeof(fixed[0]) + CHAIN];
	size_t n = 0, i, k;

	(void)state;
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		r[n++] = fixed[i];
	/* c0 -> c1 -> ... -> c40 -> d/x.btf: 41 links from c0, 40 from c1 */
	for (i = 0; i < CHAIN - 1; i++) {
		snprintf(names[i], sizeof(names[i]), "c%zu", i);
		if (i == CHAIN - 2)
			snprintf(targets[i], sizeof(targets[i]), "d/x.btf");
		else
			snprintf(targets[i], sizeof(targets[i]), "c%zu", i + 1);
		r[n++] = (struct raw){ .path = names[i], .symlink = targets[i] };
	}

	for (k = 0; k < 2; k++) {
		char *p = in_base(k ? "hostile" : "hostile.tar.xz");

		if (k)
			make_raw_dir(p, r, n);
		else
			make_raw_tar(p, r, n);
		expect_lookup(p, "d/x.btf", "X");
		expect_lookup(p, "d/up.btf", "X");
		expect_lookup(p, "via/x.btf", "X");
		expect_lookup(p, "via/../via/up.btf", "X");
		expect_lookup(p, "hl.btf", "X");
		expect_lookup(p, "c1", "X");
		if (!k)	/* link(2) on a symlink links the symlink itself */
			expect_lookup(p, "hl_to_link.btf", "X");
		expect_lookup_fails(p, "c0", ELOOP, NULL);
		expect_lookup_fails(p, "d/esc.btf", EPERM, "leaves the bundle");
		expect_lookup_fails(p, "abs.btf", EPERM, "leaves the bundle");
		expect_lookup_fails(p, "../x", EPERM, NULL);
		expect_lookup_fails(p, "d/../../x", EPERM, NULL);
		expect_lookup_fails(p, "/etc/passwd", EINVAL, NULL);
		expect_lookup_fails(p, "loop1", ELOOP, NULL);
		expect_lookup_fails(p, "self", ELOOP, NULL);
		expect_lookup_fails(p, "dangling", ENOENT, "nowhere");
		expect_lookup_fails(p, "via", EISDIR, NULL);
		expect_lookup_fails(p, "d/x.btf/more", ENOTDIR, NULL);
		if (!k)
			expect_lookup_fails(p, "empty", ENOENT, NULL);
		free(p);
	}
}

/* Tar entries with unsafe names are refused by the reader. */
static void test_read_unsafe_and_broken(void **state)
{
	static const struct raw evil[] = { { .path = "../evil.btf", .data = "E" } };
	static const struct raw implied[] = { { .path = "x/y/z.btf", .data = "Z" } };
	struct recs r = { .n = 0 };
	struct bp_err err;
	char *p = in_base("evil.tar.xz"), *q = in_base("missing.tar"), *t;
	void *data;
	size_t size;

	(void)state;
	make_raw_tar(p, evil, 1);
	assert_int_equal(bundle_read(p, collect, &r, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "evil.tar.xz"));
	recs_free(&r);
	assert_true(bundle_lookup(p, "evil.btf", &data, &size, &err) < 0);

	assert_int_equal(bundle_read(q, collect, &r, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "missing.tar"));

	/* directories implied by their children */
	t = in_base("implied.tar.xz");
	make_raw_tar(t, implied, 1);
	expect_lookup(t, "x/./y/../y/z.btf", "Z");
	free(t);

	/* truncated: reported with the bundle's name */
	t = in_base("trunc.tar.xz");
	write_sample(t, BUNDLE_TAR_XZ, MTIME);
	assert_int_equal(truncate(t, 100), 0);
	assert_true(bundle_read(t, collect, &r, &err) < 0);
	assert_non_null(strstr(err.msg, "trunc.tar.xz"));
	recs_free(&r);
	assert_true(bundle_lookup(t, "z.btf", &data, &size, &err) < 0);
	assert_non_null(strstr(err.msg, "trunc.tar.xz"));
	free(t);
	free(q);
	free(p);
}

static int stop_at_second(void *ctx, const struct bundle_entry *e)
{
	int *n = ctx;

	(void)e;
	return ++*n == 2 ? 42 : 0;
}

static void test_read_callback_stops(void **state)
{
	struct bp_err err;
	size_t i;
	int n;

	(void)state;
	for (i = 0; i < NFORMATS; i++) {
		char *p = in_base(formats[i].name);

		write_sample(p, formats[i].fmt, MTIME);
		n = 0;
		assert_int_equal(bundle_read(p, stop_at_second, &n, &err), 42);
		assert_int_equal(n, 2);
		free(p);
	}
}

static void test_abort_leaves_nothing(void **state)
{
	struct bundle_writer *w;
	struct bp_err err;
	size_t i;

	(void)state;
	for (i = 0; i < NFORMATS; i++) {
		char *p = in_base(formats[i].name);

		assert_int_equal(bundle_open(p, formats[i].fmt, MTIME, &w, &err), 0);
		/* the temp and the lock file */
		assert_int_equal(count_entries(base), 2);
		assert_int_equal(bundle_add_file(w, "a/b/one.btf", ONE, 3, &err), 0);
		assert_int_equal(bundle_add_symlink(w, "a/b/two.btf", "one.btf", &err), 0);
		assert_int_equal(bundle_add_hardlink(w, "a/three.btf", "a/b/one.btf", &err), 0);
		bundle_abort(w);
		assert_int_equal(count_entries(base), 0);

		/* aborting right after open too */
		assert_int_equal(bundle_open(p, formats[i].fmt, MTIME, &w, &err), 0);
		bundle_abort(w);
		assert_int_equal(count_entries(base), 0);
		free(p);
	}
	bundle_abort(NULL);
}

/* A failed commit cleans up and leaves what was there alone. */
static void test_commit_failure(void **state)
{
	struct bundle_writer *w;
	struct bp_err err;
	struct stat st;
	char *p;

	(void)state;
	/* a directory bundle onto a regular file: refused before any work */
	p = in_base("out");
	assert_int_equal(bp_write_file_atomic(p, "keep", 4, NULL), 0);
	assert_true(bundle_open(p, BUNDLE_DIR, MTIME, &w, &err) < 0);
	assert_non_null(strstr(err.msg, p));
	assert_int_equal(count_entries(base), 1);
	assert_int_equal(lstat(p, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(unlink(p), 0);
	free(p);

	/* a tar onto a directory */
	p = in_base("out.tar");
	assert_int_equal(mkdir(p, 0755), 0);
	assert_int_equal(bundle_open(p, BUNDLE_TAR, MTIME, &w, &err), 0);
	assert_int_equal(bundle_add_file(w, "k.btf", ONE, 3, &err), 0);
	assert_true(bundle_commit(w, &err) < 0);
	assert_non_null(strstr(err.msg, p));
	assert_int_equal(count_entries(base), 1);
	assert_int_equal(rmdir(p), 0);
	free(p);

	/* nowhere to write */
	p = in_base("no/such/dir/out.tar");
	assert_true(bundle_open(p, BUNDLE_TAR, MTIME, &w, &err) < 0);
	assert_null(w);
	assert_non_null(strstr(err.msg, p));
	free(p);
}

/* Writes failing mid-way (file size limit): an error from an add or the
 * commit, later adds refused, nothing left behind.
 */
static void test_write_failure(void **state)
{
	const size_t size = 512 * 1024;
	struct rlimit old, lim;
	struct bundle_writer *w;
	unsigned char *noise;
	struct bp_err err;
	uint32_t x = 1;
	size_t i;
	int ret;

	(void)state;
	noise = malloc(size);
	assert_non_null(noise);
	for (i = 0; i < size; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		noise[i] = (unsigned char)x;
	}
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_IGN);
	for (i = 0; i < NFORMATS; i++) {
		char *p = in_base(formats[i].name);

		assert_int_equal(bundle_open(p, formats[i].fmt, MTIME, &w, &err), 0);
		lim = old;
		lim.rlim_cur = 64 * 1024;
		assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
		ret = bundle_add_file(w, "a/noise.btf", noise, size, &err);
		if (ret) {
			assert_non_null(strstr(err.msg, p));
			assert_int_equal(bundle_add_file(w, "b.btf", "x", 1, &err), -EIO);
		}
		ret = bundle_commit(w, &err);
		assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
		assert_true(ret < 0);
		assert_non_null(strstr(err.msg, p));
		assert_int_equal(count_entries(base), 0);
		free(p);
	}
	signal(SIGXFSZ, SIG_DFL);
	free(noise);
}

static void test_replace_existing(void **state)
{
	struct bundle_writer *w;
	struct bp_err err;
	size_t i;

	(void)state;
	for (i = 0; i < NFORMATS; i++) {
		char *p = in_base(formats[i].name);
		struct recs r = { .n = 0 };

		write_sample(p, formats[i].fmt, MTIME);
		if (formats[i].fmt == BUNDLE_DIR) {
			/* what makes a directory an earlier bundle */
			char *index;

			assert_true(asprintf(&index, "%s/index.json", p) > 0);
			assert_int_equal(bp_write_file_atomic(index, "{}\n", 3, NULL), 0);
			free(index);
		}
		assert_int_equal(bundle_open(p, formats[i].fmt, MTIME + 1, &w, &err), 0);
		assert_int_equal(bundle_add_file(w, "new.btf", "NEW", 3, &err), 0);
		assert_int_equal(bundle_commit(w, &err), 0);
		assert_int_equal(bundle_read(p, collect, &r, &err), 0);
		assert_int_equal(r.n, 1);
		assert_string_equal(r.v[0].path, "new.btf");
		recs_free(&r);
		/* the old bundle is gone, no ".old." or ".tmp." left */
		assert_int_equal(count_entries(base), 1);
		free(p);
		teardown(NULL);
		setup(NULL);
	}
}

/* -o pointed at a directory that is not a bundle (the hub, a home
 * directory) must never be replaced; an empty one may be.
 */
static void test_refuses_non_bundle_dir(void **state)
{
	struct bundle_writer *w;
	struct bp_err err;
	struct stat st;
	char *p = in_base("precious"), *file;

	(void)state;
	assert_int_equal(mkdir(p, 0755), 0);
	assert_true(asprintf(&file, "%s/data.txt", p) > 0);
	assert_int_equal(bp_write_file_atomic(file, "keep", 4, NULL), 0);
	assert_int_equal(bundle_open(p, BUNDLE_DIR, MTIME, &w, &err), -EEXIST);
	assert_non_null(strstr(err.msg, "not a btfpack bundle"));
	assert_int_equal(lstat(file, &st), 0);
	assert_int_equal(count_entries(base), 1);
	assert_int_equal(unlink(file), 0);
	/* now empty: replaceable */
	assert_int_equal(bundle_open(p, BUNDLE_DIR, MTIME, &w, &err), 0);
	assert_int_equal(bundle_add_file(w, "k.btf", ONE, 3, &err), 0);
	assert_int_equal(bundle_commit(w, &err), 0);
	assert_int_equal(count_entries(base), 1);
	free(file);
	free(p);
}

static void test_writer_rejects(void **state)
{
	static const char *const bad[] = { "", "/abs", "a//b", "a/./b", "a/../b", "a/", "..", "." };
	struct bundle_writer *w;
	struct bp_err err;
	char *p = in_base("v.tar");
	size_t i;

	(void)state;
	assert_int_equal(bundle_open(p, BUNDLE_TAR, MTIME, &w, &err), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(bundle_add_file(w, bad[i], "x", 1, &err), -EINVAL);
	assert_int_equal(bundle_add_file(w, "a/f.btf", "x", 1, &err), 0);
	assert_int_equal(bundle_add_file(w, "a/f.btf", "x", 1, &err), -EEXIST);
	assert_int_equal(bundle_add_file(w, "a", "x", 1, &err), -EEXIST);
	assert_int_equal(bundle_add_file(w, "a/f.btf/g", "x", 1, &err), -ENOTDIR);
	assert_int_equal(bundle_add_hardlink(w, "a/h", "a/missing", &err), -ENOENT);
	assert_int_equal(bundle_add_hardlink(w, "a/h", "a", &err), -ENOENT);
	assert_int_equal(bundle_add_symlink(w, "a/s", "/etc/passwd", &err), -EINVAL);
	assert_int_equal(bundle_add_symlink(w, "a/s", "../../x", &err), -EINVAL);
	assert_int_equal(bundle_add_symlink(w, "a/s", "", &err), -EINVAL);
	assert_int_equal(bundle_add_symlink(w, "a/s", "../a/f.btf", &err), 0);
	/* the rejected calls left the writer usable */
	assert_int_equal(bundle_commit(w, &err), 0);
	expect_lookup(p, "a/s", "x");
	free(p);

	assert_int_equal(bundle_open("", BUNDLE_DIR, MTIME, &w, &err), -EINVAL);
	assert_int_equal(bundle_open("x/..", BUNDLE_DIR, MTIME, &w, &err), -EINVAL);
	assert_int_equal(bundle_open("x", (enum bundle_format)99, MTIME, &w, &err), -EINVAL);
}

static void test_format_for_path(void **state)
{
	(void)state;
	assert_int_equal(bundle_format_for_path("out"), BUNDLE_DIR);
	assert_int_equal(bundle_format_for_path("out/"), BUNDLE_DIR);
	assert_int_equal(bundle_format_for_path("out.tar"), BUNDLE_TAR);
	assert_int_equal(bundle_format_for_path("out.tar.gz"), BUNDLE_TAR_GZ);
	assert_int_equal(bundle_format_for_path("out.tgz"), BUNDLE_TAR_GZ);
	assert_int_equal(bundle_format_for_path("out.tar.xz"), BUNDLE_TAR_XZ);
	assert_int_equal(bundle_format_for_path("out.TXZ"), BUNDLE_TAR_XZ);
	assert_int_equal(bundle_format_for_path("out.tar.zst"), BUNDLE_TAR_ZST);
	assert_int_equal(bundle_format_for_path("out.tzst"), BUNDLE_TAR_ZST);
	assert_int_equal(bundle_format_for_path(".tar"), BUNDLE_DIR);
	assert_int_equal(bundle_format_for_path("out.gz"), BUNDLE_DIR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reproducible, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tar_headers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gnu_tar, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lookup_index, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lookup_hostile, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_unsafe_and_broken, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_callback_stops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_abort_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replace_existing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuses_non_bundle_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writer_rejects, setup, teardown),
		cmocka_unit_test(test_format_for_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
