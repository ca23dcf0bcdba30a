// SPDX-License-Identifier: MIT
/* The host lookup of include/btfpack.h: os-release files as distributions
 * ship them (tests/fixtures/os-release) and hostile ones, detection inside a
 * root, and btfpack_bundle__find over bundles that `btfpack build` makes
 * from a hub of synthetic kernels (every profile, every dedup mode, tar
 * formats and directories, with and without --aliases), as files and from
 * memory, and over a BTFHub-layout tree itself; plus the three errors:
 * -EIO, -EBADMSG, -ENOENT.
 *
 * Linked against libbtfpack.so, through the public header only.
 * argv: btfpack binary, synthetic fixtures dir, os-release fixtures dir,
 * and --all for every bundle (integration.lookup_matrix) rather than one of
 * each kind (unit.lookup, the fast run).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <btfpack.h>

static const char *btfpack_bin, *synth_dir, *osr_dir;
static bool all;	/* every bundle, not only the quick ones */
static char work[] = "/tmp/btfpack-test-lookup.XXXXXX";

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));

/* A path or command line (a ring of buffers: a few live at once). */
static char *fmt(const char *f, ...)
{
	static char ring[8][8192];
	static int next;
	char *buf = ring[next++ % 8];
	va_list ap;

	va_start(ap, f);
	assert_true(vsnprintf(buf, sizeof(ring[0]), f, ap) < (int)sizeof(ring[0]));
	va_end(ap);
	return buf;
}

static void run(const char *cmd)
{
	int st = system(cmd);

	if (st != 0)
		fail_msg("command failed (%d): %s", st, cmd);
}

static void *read_all(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	void *p;
	long n;

	if (!f)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	p = malloc((size_t)n + 1);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*size = (size_t)n;
	return p;
}

static void write_all(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, size, f), size);
	assert_int_equal(fclose(f), 0);
}

/* ---- the hub: kernels filed as BTFHub files them ---- */

static const struct {
	const char *path;
	const char *kernel;	/* synthetic kernel */
} hub[] = {
	{ "ubuntu/22.04/x86_64/5.15.0-91-generic", "base" },
	{ "debian/11/x86_64/5.10.0-26-amd64", "retyped" },
	{ "debian/bookworm/x86_64/6.1.0-13-amd64", "renamed" },
	{ "centos/7/x86_64/3.10.0-1160.el7.x86_64", "enum_added" },
	{ "centos/8/x86_64/4.18.0-348.el8.x86_64", "base" },
	{ "rocky/8/x86_64/4.18.0-348.el8.x86_64", "base" },
	{ "rhel/8/x86_64/4.18.0-372.9.1.el8.x86_64", "retyped" },
	{ "rhel/9/x86_64/5.14.0-284.11.1.el9_2.x86_64", "renamed" },
	{ "ol/7/x86_64/3.10.0-1160.el7.x86_64", "base" },
	{ "amzn/1/x86_64/4.14.355-196.647.amzn1.x86_64", "enum_added" },
	{ "amzn/2/x86_64/4.14.326-245.539.amzn2.x86_64", "renamed" },
	{ "amzn/2/arm64/4.14.326-245.539.amzn2.aarch64", "base" },
	{ "amzn/2023/x86_64/6.1.61-85.125.amzn2023.x86_64", "retyped" },
	{ "fedora/37/x86_64/6.0.7-301.fc37.x86_64", "renamed" },
	{ "sles/15.4/x86_64/5.14.21-150400.22-default", "base" },
	{ "alpine/3.17/x86_64/5.15.80-0-lts", "retyped" },
	{ "custom/1/x86_64/6.6.1", "enum_added" },
	/* other BTF for the same releases: (arch, release) alone cannot
	 * stand in for the rules that must find these
	 */
	{ "decoy/1/x86_64/4.14.355-196.647.amzn1.x86_64", "base" },
	{ "decoy/1/x86_64/5.14.0-284.11.1.el9_2.x86_64", "enum_added" },
	{ "decoy/1/x86_64/4.18.0-372.9.1.el8.x86_64", "base" },
};

#define N_HUB (sizeof(hub) / sizeof(hub[0]))

/* A host and what the lookup must give for it. */
struct lookup_case {
	const char *os_release;	/* fixture name; NULL: a root without one */
	const char *release;
	const char *arch;	/* as uname -m says it */
	const char *want;	/* entry (no suffix), or NULL: -ENOENT */
	const char *msg;	/* -ENOENT: in the message */
};

static const struct lookup_case cases[] = {
	{ "ubuntu-22.04", "5.15.0-91-generic", "x86_64",
	  "ubuntu/22.04/x86_64/5.15.0-91-generic", NULL },
	{ "debian-11", "5.10.0-26-amd64", "x86_64", "debian/11/x86_64/5.10.0-26-amd64", NULL },
	/* codename: VERSION_ID 12, filed under bookworm */
	{ "debian-12", "6.1.0-13-amd64", "amd64", "debian/bookworm/x86_64/6.1.0-13-amd64", NULL },
	{ "centos-7", "3.10.0-1160.el7.x86_64", "x86_64",
	  "centos/7/x86_64/3.10.0-1160.el7.x86_64", NULL },
	{ "centos-8", "4.18.0-348.el8.x86_64", "x86_64",
	  "centos/8/x86_64/4.18.0-348.el8.x86_64", NULL },
	/* minor -> major (RHEL 9's minors are no aliases of the table) */
	{ "rhel-9.2", "5.14.0-284.11.1.el9_2.x86_64", "x86_64",
	  "rhel/9/x86_64/5.14.0-284.11.1.el9_2.x86_64", NULL },
	/* the alias table's RHEL 8 minors, and minor -> major */
	{ "rhel-8.6", "4.18.0-372.9.1.el8.x86_64", "x86_64",
	  "rhel/8/x86_64/4.18.0-372.9.1.el8.x86_64", NULL },
	{ "ol-7.9", "3.10.0-1160.el7.x86_64", "x86_64",
	  "ol/7/x86_64/3.10.0-1160.el7.x86_64", NULL },
	{ "amzn-2", "4.14.326-245.539.amzn2.x86_64", "x86_64",
	  "amzn/2/x86_64/4.14.326-245.539.amzn2.x86_64", NULL },
	/* aarch64 is arm64 */
	{ "amzn-2", "4.14.326-245.539.amzn2.aarch64", "aarch64",
	  "amzn/2/arm64/4.14.326-245.539.amzn2.aarch64", NULL },
	{ "amzn-2023", "6.1.61-85.125.amzn2023.x86_64", "x86_64",
	  "amzn/2023/x86_64/6.1.61-85.125.amzn2023.x86_64", NULL },
	/* 2018.03 -> 2018 -> BTFHub's 1 */
	{ "amzn-2018.03", "4.14.355-196.647.amzn1.x86_64", "x86_64",
	  "amzn/1/x86_64/4.14.355-196.647.amzn1.x86_64", NULL },
	/* unquoted VERSION_ID */
	{ "fedora-37", "6.0.7-301.fc37.x86_64", "x86_64",
	  "fedora/37/x86_64/6.0.7-301.fc37.x86_64", NULL },
	{ "sles-15.4", "5.14.21-150400.22-default", "x86_64",
	  "sles/15.4/x86_64/5.14.21-150400.22-default", NULL },
	/* no such release: the same distro's entries are named */
	{ "alpine-3.18", "6.1.55-0-lts", "x86_64", NULL, "alpine/3.17/x86_64/5.15.80-0-lts" },
	{ "ubuntu-22.04", "5.15.0-92-generic", "x86_64",
	  NULL, "distro/version: ubuntu/22.04/x86_64/5.15.0-91-generic" },
	/* NixOS without os-release: (arch, release) alone */
	{ NULL, "6.6.1", "x86_64", "custom/1/x86_64/6.6.1", NULL },
	/* two entries, the same bytes */
	{ NULL, "4.18.0-348.el8.x86_64", "x86_64", "centos/8/x86_64/4.18.0-348.el8.x86_64", NULL },
	/* two entries, different bytes: nothing, and both are named */
	{ NULL, "3.10.0-1160.el7.x86_64", "x86_64", NULL, "different BTF" },
	{ NULL, "3.10.0-1160.el7.x86_64", "x86_64", NULL, "ol/7/x86_64/3.10.0-1160.el7.x86_64" },
	/* right distro and release, wrong arch */
	{ "centos-7", "3.10.0-1160.el7.x86_64", "aarch64",
	  NULL, "centos/7/x86_64/3.10.0-1160.el7.x86_64" },
};

#define N_CASES (sizeof(cases) / sizeof(cases[0]))

static void make_hub(const char *dir_in, bool tar_xz)
{
	char *dir = strdup(dir_in), p[4096];
	size_t i;

	assert_non_null(dir);
	for (i = 0; i < N_HUB; i++) {
		snprintf(p, sizeof(p), "%s/%s.btf", dir, hub[i].path);

		run(fmt("mkdir -p \"$(dirname '%s')\" && cp '%s/kernels/%s.btf' '%s'", p, synth_dir,
			hub[i].kernel, p));
		if (tar_xz)	/* BTFHub's own layout: <release>.btf.tar.xz */
			run(fmt("cd \"$(dirname '%s')\" && tar -cJf \"$(basename '%s').tar.xz\" "
				"\"$(basename '%s')\" && rm '%s'", p, p, p, p));
	}
	free(dir);
}

/* The bundles: btfpack build options and output name. */
static const struct {
	const char *opts;
	const char *name;
	bool aliases;	/* entries may match under an alias path */
	bool hub;	/* the hub itself in BTFHub's layout: full BTF */
	bool quick;	/* also in the quick run (unit.lookup) */
} bundles[] = {
	{ "--dedup symlink", "symlink.tar.xz", false, false, true },
	{ "--dedup symlink", "symlink.tar.gz", false, false, false },
	{ "--dedup symlink", "symlink.tar.zst", false, false, false },
	{ "--dedup symlink", "symlink.tar", false, false, false },
	{ "--dedup symlink", "symlink", false, false, false },
	{ "--dedup hardlink", "hardlink.tar.xz", false, false, false },
	{ "--dedup hardlink", "hardlink", false, false, true },
	{ "--dedup index", "index.tar.xz", false, false, true },
	{ "--dedup index", "index", false, false, false },
	{ "--dedup none", "none.tar.xz", false, false, false },
	{ "--dedup none", "none", false, false, true },
	{ "--aliases --dedup symlink", "a-symlink.tar.gz", true, false, false },
	{ "--aliases --dedup hardlink", "a-hardlink.tar.gz", true, false, false },
	{ "--aliases --dedup index", "a-index.tar.gz", true, false, true },
	{ "--aliases --dedup none", "a-none.tar.gz", true, false, false },
	{ "--profile bcc", "bcc.tar.gz", false, false, true },
	{ "--profile bcc --aliases", "a-bcc.tar.gz", true, false, false },
	{ "--profile tree", "tree", false, false, false },
	{ "--profile tree --aliases", "a-tree", true, false, true },
	{ "--profile btfhub", "btfhub", false, false, false },
	{ "--profile btfhub", "btfhub.tar.xz", false, false, true },
	{ "--profile btfhub --aliases", "a-btfhub.tar.xz", true, false, false },
	{ NULL, "hub-xz", false, true, true },
	{ NULL, "hub-xz.tar.xz", false, true, false },
};

#define N_BUNDLES (sizeof(bundles) / sizeof(bundles[0]))

static const char *objs(void)
{
	return fmt("--obj %s/probe_fields.bpf.o --obj %s/probe_enums.bpf.o --obj %s/probe_types.bpf.o",
		   synth_dir, synth_dir, synth_dir);
}

static int setup(void **state)
{
	size_t i;

	(void)state;
	assert_non_null(mkdtemp(work));
	make_hub(fmt("%s/hub", work), false);
	for (i = 0; i < N_BUNDLES; i++)
		if (bundles[i].opts && (all || bundles[i].quick))
			run(fmt("SOURCE_DATE_EPOCH=0 '%s' build -q %s -o '%s/%s' %s '%s/hub'",
				btfpack_bin, bundles[i].opts, work, bundles[i].name, objs(), work));
	/* BTFHub's own tree (full BTF in <release>.btf.tar.xz), also as one
	 * tar.xz, is a bundle too
	 */
	make_hub(fmt("%s/hub-xz", work), true);
	run(fmt("tar -C '%s/hub-xz' -cJf '%s/hub-xz.tar.xz' .", work, work));
	mkdir(fmt("%s/nixos", work), 0755);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	run(fmt("rm -rf '%s'", work));
	return 0;
}

/* ---- os-release ---- */

static void detect(const char *os_release, const char *root, const char *release,
		   const char *arch, struct btfpack_host *h)
{
	BTFPACK_OPTS(btfpack_host_opts, o, .os_release_path = os_release, .root = root,
		     .release = release, .arch = arch);
	struct btfpack_err err = { "" };
	int ret = btfpack_host__detect(&o, h, &err);

	if (ret)
		fail_msg("detect %s: %d %s", os_release ? os_release : root, ret, err.msg);
}

static void test_fixtures(void **state)
{
	static const struct {
		const char *file, *id, *version_id, *codename;
	} want[] = {
		{ "ubuntu-22.04", "ubuntu", "22.04", "jammy" },
		{ "debian-11", "debian", "11", "bullseye" },
		{ "debian-12", "debian", "12", "bookworm" },
		{ "centos-7", "centos", "7", "" },
		{ "centos-8", "centos", "8", "" },
		{ "rhel-8.6", "rhel", "8.6", "" },
		{ "rhel-9.2", "rhel", "9.2", "" },
		{ "ol-7.9", "ol", "7.9", "" },
		{ "amzn-2", "amzn", "2", "" },
		{ "amzn-2023", "amzn", "2023", "" },
		{ "amzn-2018.03", "amzn", "2018.03", "" },
		{ "fedora-37", "fedora", "37", "" },
		{ "sles-15.4", "sles", "15.4", "" },
		{ "alpine-3.18", "alpine", "3.18.4", "" },
	};
	struct btfpack_host h;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		detect(fmt("%s/%s", osr_dir, want[i].file), NULL, "r", "AArch64", &h);
		assert_string_equal(h.id, want[i].id);
		assert_string_equal(h.version_id, want[i].version_id);
		assert_string_equal(h.codename, want[i].codename);
		assert_string_equal(h.release, "r");
		assert_string_equal(h.arch, "arm64");
	}
	/* no os-release at all (NixOS here): empty, not an error */
	detect(NULL, fmt("%s/nixos", work), NULL, NULL, &h);
	assert_string_equal(h.id, "");
	assert_string_equal(h.version_id, "");
	assert_true(h.release[0] && h.arch[0]);	/* uname's */
}

/* One hostile os-release: what detection makes of it. */
static void hostile(const void *text, size_t len, const char *id, const char *version_id)
{
	const char *p = fmt("%s/hostile-os-release", work);
	struct btfpack_host h;

	write_all(p, text, len);
	detect(p, NULL, "r", "x86_64", &h);
	assert_string_equal(h.id, id);
	assert_string_equal(h.version_id, version_id);
}

#define HOSTILE(lit, id, ver) hostile(lit, sizeof(lit) - 1, id, ver)

static void test_hostile_os_release(void **state)
{
	size_t big = 1024 * 1024, i;
	char *buf;

	(void)state;
	HOSTILE("ID=alpine\nVERSION_ID=3.18.4", "alpine", "3.18.4");	/* no final newline */
	HOSTILE("ID=\"CentOS\"\r\nVERSION_ID='7'\r\n", "centos", "7");	/* CRLF */
	HOSTILE("ID=ab\0cd\nVERSION_ID=1\n", "", "1");			/* NUL: line skipped */
	HOSTILE("ID=\"unterminated\nVERSION_ID=\"2\"\n", "", "2");
	HOSTILE("ID=\"a\\\"b\"\n", "a\"b", "");				/* escaped quote */
	HOSTILE("ID='a\\b'\n", "a\\b", "");				/* literal in '' */
	HOSTILE("ID=a\\ b\n", "", "");					/* escaped space: no */
	HOSTILE("ID=\"../../etc\"\nVERSION_ID=\"1/2\"\n", "", "");	/* no '/' */
	HOSTILE("ID=x\nID=\"\"\n", "x", "");				/* empty ignored */
	HOSTILE("  # comment\n\tID=fedora # trailing\n", "fedora", "");
	HOSTILE("\xff\xfe\x01garbage\x80\nID=debian\n\x1b[2J\n", "debian", "");
	/* a value longer than a field is dropped, not cut */
	buf = malloc(big + 64);
	assert_non_null(buf);
	memcpy(buf, "ID=", 3);
	memset(buf + 3, 'a', 300);
	memcpy(buf + 303, "\nVERSION_ID=9\n", 14);
	hostile(buf, 317, "", "9");
	/* a huge file: only its first 64 KiB count, and nothing breaks */
	memcpy(buf, "ID=ubuntu\n", 10);
	for (i = 10; i < big; i++)
		buf[i] = (char)('A' + i % 26);
	memcpy(buf + big - 12, "\nID=debian\n", 11);
	hostile(buf, big, "ubuntu", "");
	free(buf);
}

static void test_detect_root(void **state)
{
	char root[4096];
	struct btfpack_host h;
	struct btfpack_err err = { "" };
	int ret;

	(void)state;
	snprintf(root, sizeof(root), "%s/root", work);
	/* /usr/lib/os-release when /etc has none */
	run(fmt("mkdir -p '%s/usr/lib' '%s/etc' && cp '%s/alpine-3.18' '%s/usr/lib/os-release'",
		root, root, osr_dir, root));
	detect(NULL, root, NULL, NULL, &h);
	assert_string_equal(h.id, "alpine");
	/* an absolute symlink resolves inside the root, not on this host
	 * (which is no Alpine)
	 */
	run(fmt("ln -s /usr/lib/os-release '%s/etc/os-release'", root));
	detect(NULL, root, NULL, NULL, &h);
	assert_string_equal(h.id, "alpine");
	assert_string_equal(h.version_id, "3.18.4");
	/* /etc first */
	run(fmt("rm '%s/etc/os-release' && cp '%s/fedora-37' '%s/etc/os-release'", root, osr_dir,
		root));
	detect(NULL, root, NULL, NULL, &h);
	assert_string_equal(h.id, "fedora");
	/* a FIFO is refused, not waited on; a missing named file is -EIO */
	run(fmt("rm '%s/etc/os-release' && mkfifo '%s/etc/os-release'", root, root));
	BTFPACK_OPTS(btfpack_host_opts, o, .root = root);
	ret = btfpack_host__detect(&o, &h, &err);
	assert_int_equal(ret, -EIO);
	assert_non_null(strstr(err.msg, "os-release"));
	/* a root that is not there: an error, not a host without os-release */
	o.root = fmt("%s/no-such-root", work);
	assert_int_equal(btfpack_host__detect(&o, &h, &err), -EIO);
	assert_non_null(strstr(err.msg, "no-such-root"));
	o.root = NULL;
	o.os_release_path = fmt("%s/missing", work);
	assert_int_equal(btfpack_host__detect(&o, &h, &err), -EIO);
	assert_non_null(strstr(err.msg, "missing"));
	/* overrides that could not name an entry */
	o.os_release_path = NULL;
	o.arch = "x86/64";
	assert_int_equal(btfpack_host__detect(&o, &h, &err), -EINVAL);
	/* unknown option bytes past ours must be zero */
	o.arch = NULL;
	assert_int_equal(btfpack_host__detect(NULL, &h, &err), 0);
}

static void test_has_kernel_btf(void **state)
{
	const char *root = fmt("%s/sysroot", work);

	(void)state;
	assert_false(btfpack_host__has_kernel_btf(root));
	run(fmt("mkdir -p '%s/sys/kernel/btf' && touch '%s/sys/kernel/btf/vmlinux'", root, root));
	assert_true(btfpack_host__has_kernel_btf(root));
}

/* ---- finding ---- */

/* The bytes an entry must give: the none bundle's file, or for BTFHub's
 * own tree the hub's source kernel.
 */
static void *truth(const char *entry, bool btfhub, size_t *size)
{
	size_t i;

	if (!btfhub)
		return read_all(fmt("%s/none/%s.btf", work, entry), size);
	for (i = 0; i < N_HUB; i++)
		if (!strcmp(hub[i].path, entry))
			return read_all(fmt("%s/kernels/%s.btf", synth_dir, hub[i].kernel), size);
	fail_msg("no hub kernel %s", entry);
	return NULL;
}

static void check_case(const struct btfpack_bundle *b, const char *tag,
		       const struct lookup_case *c, bool hub_src, bool aliases)
{
	struct btfpack_err err = { "" };
	struct btfpack_host h;
	size_t size, tsize;
	char *entry, want[512];
	void *data, *t;
	int ret;

	if (c->os_release)
		detect(fmt("%s/%s", osr_dir, c->os_release), NULL, c->release, c->arch, &h);
	else
		detect(NULL, fmt("%s/nixos", work), c->release, c->arch, &h);
	ret = btfpack_bundle__find(b, &h, &data, &size, &entry, &err);
	if (!c->want) {
		if (ret != -ENOENT)
			fail_msg("%s: %s %s: want -ENOENT, got %d (%s)", tag,
				 c->os_release ? c->os_release : "-", c->release, ret, entry);
		/* aliases crowd the list of nearest entries */
		if (!aliases && !strstr(err.msg, c->msg))
			fail_msg("%s: message \"%s\" lacks \"%s\"", tag, err.msg, c->msg);
		return;
	}
	if (ret)
		fail_msg("%s: %s %s: %d %s", tag, c->os_release ? c->os_release : "-",
			 c->release, ret, err.msg);
	snprintf(want, sizeof(want), "%s%s", c->want, ".btf");
	if (!aliases && strncmp(entry, want, strlen(want)))
		fail_msg("%s: matched %s, want %s", tag, entry, want);
	t = truth(c->want, hub_src, &tsize);
	assert_int_equal(size, tsize);
	assert_memory_equal(data, t, size);
	free(t);
	btfpack_free(data);
	btfpack_free(entry);
}

static void check_bundle(const char *name, bool hub_src, bool aliases, bool from_mem)
{
	const char *path = fmt("%s/%s", work, name);
	struct btfpack_err err = { "" };
	struct btfpack_bundle *b;
	void *mem = NULL;
	size_t size, i;
	int ret;

	if (from_mem) {
		mem = read_all(path, &size);
		ret = btfpack_bundle__open_mem(mem, size, name, &b, &err);
	} else {
		ret = btfpack_bundle__open_file(path, &b, &err);
	}
	if (ret)
		fail_msg("open %s: %d %s", name, ret, err.msg);
	for (i = 0; i < N_CASES; i++)
		check_case(b, fmt("%s%s", name, from_mem ? " (memory)" : ""), &cases[i], hub_src,
			   aliases);
	btfpack_bundle__free(b);
	free(mem);
}

static void test_find(void **state)
{
	struct stat st;
	size_t i;

	(void)state;
	for (i = 0; i < N_BUNDLES; i++) {
		if (!all && !bundles[i].quick)
			continue;
		check_bundle(bundles[i].name, bundles[i].hub, bundles[i].aliases, false);
		assert_int_equal(stat(fmt("%s/%s", work, bundles[i].name), &st), 0);
		if (!S_ISDIR(st.st_mode))
			check_bundle(bundles[i].name, bundles[i].hub, bundles[i].aliases, true);
	}
}

/* The (arch, release) "different BTF" case and the decoys mean something
 * only if the kernels differ after minimization.
 */
static void test_fixture_premises(void **state)
{
	static const char *const pairs[][2] = {
		{ "centos/7/x86_64/3.10.0-1160.el7.x86_64", "ol/7/x86_64/3.10.0-1160.el7.x86_64" },
		{ "amzn/1/x86_64/4.14.355-196.647.amzn1.x86_64",
		  "decoy/1/x86_64/4.14.355-196.647.amzn1.x86_64" },
		{ "rhel/9/x86_64/5.14.0-284.11.1.el9_2.x86_64",
		  "decoy/1/x86_64/5.14.0-284.11.1.el9_2.x86_64" },
		{ "rhel/8/x86_64/4.18.0-372.9.1.el8.x86_64",
		  "decoy/1/x86_64/4.18.0-372.9.1.el8.x86_64" },
	};
	size_t a, b, i;
	void *x, *y;

	(void)state;
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		x = truth(pairs[i][0], false, &a);
		y = truth(pairs[i][1], false, &b);
		if (a == b && !memcmp(x, y, a))
			fail_msg("%s and %s minimize alike: the test proves nothing", pairs[i][0],
				 pairs[i][1]);
		free(x);
		free(y);
	}
}

static void test_find_to_file(void **state)
{
	struct btfpack_err err = { "" };
	struct btfpack_bundle *b;
	struct btfpack_host h;
	size_t size, tsize;
	struct stat st;
	char *path;
	void *data, *t;

	(void)state;
	assert_int_equal(btfpack_bundle__open_file(fmt("%s/symlink.tar.xz", work), &b, &err), 0);
	detect(fmt("%s/rhel-8.6", osr_dir), NULL, "4.18.0-372.9.1.el8.x86_64", "x86_64", &h);
	setenv("TMPDIR", work, 1);
	assert_int_equal(btfpack_bundle__find_to_file(b, &h, &path, &err), 0);
	unsetenv("TMPDIR");
	assert_memory_equal(path, work, strlen(work));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	data = read_all(path, &size);
	t = truth("rhel/8/x86_64/4.18.0-372.9.1.el8.x86_64", false, &tsize);
	assert_int_equal(size, tsize);
	assert_memory_equal(data, t, size);
	free(data);
	free(t);
	btfpack_tmpfile__remove(strdup(path));
	assert_int_equal(stat(path, &st), -1);
	free(path);
	/* no entry: no file, no path */
	strcpy(h.release, "9.9.9");
	path = (char *)1;
	assert_int_equal(btfpack_bundle__find_to_file(b, &h, &path, &err), -ENOENT);
	assert_null(path);
	btfpack_tmpfile__remove(NULL);
	btfpack_bundle__free(b);
}

/* ---- broken bundles ---- */

static void expect_open(const char *path, int errnum, const char *msg)
{
	struct btfpack_err err = { "" };
	struct btfpack_bundle *b = (struct btfpack_bundle *)1;
	struct stat st;
	size_t size;
	void *mem;

	if (btfpack_bundle__open_file(path, &b, &err) != -errnum || b)
		fail_msg("open_file %s: want %d, message \"%s\"", path, -errnum, err.msg);
	if (msg && !strstr(err.msg, msg))
		fail_msg("open_file %s: message \"%s\" lacks \"%s\"", path, err.msg, msg);
	if (errnum == EIO || (stat(path, &st) == 0 && S_ISDIR(st.st_mode)))
		return;
	mem = read_all(path, &size);
	if (btfpack_bundle__open_mem(mem, size, "mem", &b, &err) != -errnum || b)
		fail_msg("open_mem %s: want %d, message \"%s\"", path, -errnum, err.msg);
	free(mem);
}

static void test_bad_bundles(void **state)
{
	static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
					     0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1 };
	struct btfpack_err err = { "" };
	struct btfpack_bundle *b;
	const char *p;
	size_t size;
	void *data;

	(void)state;
	expect_open(fmt("%s/no-such.tar.xz", work), EIO, "no-such");
	/* truncated: the catalogue reads to the end, so it shows at open */
	data = read_all(fmt("%s/symlink.tar.xz", work), &size);
	p = fmt("%s/truncated.tar.xz", work);
	write_all(p, data, size / 2);
	expect_open(p, EBADMSG, "truncated");
	free(data);
	data = read_all(fmt("%s/bcc.tar.gz", work), &size);
	p = fmt("%s/truncated.tar.gz", work);
	write_all(p, data, size - 64);
	expect_open(p, EBADMSG, NULL);
	free(data);
	p = fmt("%s/image.png", work);
	write_all(p, png, sizeof(png));
	expect_open(p, EBADMSG, "image.png");
	/* a tar, but not a bundle */
	run(fmt("mkdir -p '%s/foreign' && echo hi > '%s/foreign/notes.txt' && "
		"tar -C '%s/foreign' -cf '%s/foreign.tar' .", work, work, work, work));
	expect_open(fmt("%s/foreign.tar", work), EBADMSG, "not a btfpack bundle");
	expect_open(fmt("%s/foreign", work), EBADMSG, "not a btfpack bundle");
	/* bad arguments */
	assert_int_equal(btfpack_bundle__open_file(NULL, &b, &err), -EINVAL);
	assert_int_equal(btfpack_bundle__open_mem(NULL, 1, "x", &b, &err), -EINVAL);
	assert_int_equal(btfpack_bundle__open_mem(png, 0, "x", &b, &err), -EBADMSG);
	assert_int_equal(btfpack_bundle__find(NULL, NULL, &data, &size, NULL, &err), -EINVAL);
	btfpack_bundle__free(NULL);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_hostile_os_release),
		cmocka_unit_test(test_detect_root),
		cmocka_unit_test(test_has_kernel_btf),
		cmocka_unit_test(test_fixture_premises),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_find_to_file),
		cmocka_unit_test(test_bad_bundles),
	};

	if (argc < 4 || argc > 5 || (argc == 5 && strcmp(argv[4], "--all"))) {
		fprintf(stderr, "usage: %s BTFPACK SYNTH_DIR OS_RELEASE_DIR [--all]\n", argv[0]);
		return 2;
	}
	all = argc == 5;
	btfpack_bin = argv[1];
	synth_dir = argv[2];
	osr_dir = argv[3];
	return cmocka_run_group_tests(tests, setup, teardown);
}
