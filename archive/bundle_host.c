// SPDX-License-Identifier: MIT
/* The host's identity for a bundle lookup: os-release (read inside a root
 * such as /host, bounded, parsed by os-release(5)'s quoting rules) and
 * uname, with BTFHub's spelling of the architecture.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <linux/openat2.h>

#include "archive/bundle_host.h"

/* A value a bundle path can hold: no '/', no space or control byte. */
static bool field_ok(const char *v, size_t n)
{
	size_t i;

	if (n == 0 || n >= BUNDLE_HOST_FIELD_MAX)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c <= ' ' || c == 0x7f || c == '/')
			return false;
	}
	return true;
}

struct value {
	char buf[BUNDLE_HOST_FIELD_MAX];
	size_t len;
	bool too_long;
};

static void put(struct value *v, char c)
{
	if (v->len + 1 >= sizeof(v->buf))
		v->too_long = true;
	else
		v->buf[v->len++] = c;
}

/* The value of one assignment, p..end after the '='; false when it does
 * not parse (an open quote, a trailing backslash).
 */
static bool parse_value(const char *p, const char *end, struct value *v)
{
	enum { BARE, DQ, SQ } st = BARE;

	for (; p < end; p++) {
		if (st == SQ) {
			if (*p == '\'')
				st = BARE;
			else
				put(v, *p);
		} else if (st == DQ) {
			if (*p == '"')
				st = BARE;
			else if (*p == '\\' && p + 1 < end && strchr("\"\\$`", p[1]))
				put(v, *++p);
			else
				put(v, *p);
		} else if (*p == '"') {
			st = DQ;
		} else if (*p == '\'') {
			st = SQ;
		} else if (*p == '\\') {
			if (++p == end)
				return false;
			put(v, *p);
		} else if (*p == ' ' || *p == '\t' || *p == '\r') {
			break;	/* the shell would run the rest as a command */
		} else {
			put(v, *p);
		}
	}
	return st == BARE;
}

static void store(char dst[BUNDLE_HOST_FIELD_MAX], const struct value *v, bool lower)
{
	size_t i;

	if (v->too_long || !field_ok(v->buf, v->len))
		return;
	for (i = 0; i < v->len; i++)
		dst[i] = lower ? (char)tolower((unsigned char)v->buf[i]) : v->buf[i];
	dst[v->len] = '\0';
}

static void parse_line(const char *p, const char *end, struct bundle_host *h)
{
	struct value v = { .len = 0 };
	const char *key;
	size_t klen;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	key = p;
	while (p < end && (isalnum((unsigned char)*p) || *p == '_'))
		p++;
	klen = (size_t)(p - key);
	if (!klen || p == end || *p != '=' || !parse_value(p + 1, end, &v))
		return;
	if (klen == 2 && !memcmp(key, "ID", 2))
		store(h->id, &v, true);
	else if (klen == 10 && !memcmp(key, "VERSION_ID", 10))
		store(h->version_id, &v, false);
	else if (klen == 16 && !memcmp(key, "VERSION_CODENAME", 16))
		store(h->codename, &v, false);
}

void bundle_os_release_parse(const char *text, size_t len, struct bundle_host *h)
{
	const char *p = text, *end = text + len, *nl;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		parse_line(p, nl, h);
		p = nl < end ? nl + 1 : end;
	}
}

static const struct {
	const char *uname;
	const char *btfhub;
} arch_names[] = {
	{ "x86_64", "x86_64" }, { "amd64", "x86_64" }, { "x86-64", "x86_64" },
	{ "x64", "x86_64" }, { "aarch64", "arm64" }, { "arm64", "arm64" },
	{ "aarch64_be", "arm64" }, { "armv8l", "arm" }, { "armv7l", "arm" },
	{ "armhf", "arm" }, { "i386", "x86" }, { "i486", "x86" }, { "i586", "x86" },
	{ "i686", "x86" }, { "ppc64el", "ppc64le" }, { "riscv", "riscv64" },
};

void bundle_arch_normalize(const char *in, char out[BUNDLE_HOST_FIELD_MAX])
{
	size_t i, n = strnlen(in, BUNDLE_HOST_FIELD_MAX - 1);

	for (i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)in[i]);
	out[n] = '\0';
	for (i = 0; i < sizeof(arch_names) / sizeof(arch_names[0]); i++) {
		if (!strcmp(out, arch_names[i].uname)) {
			strcpy(out, arch_names[i].btfhub);
			return;
		}
	}
}

/* Open rel ("etc/os-release") inside root, so that an absolute symlink in
 * a container's tree resolves inside it: openat2(RESOLVE_IN_ROOT), or a
 * plain joined path where the kernel has no openat2. -errno.
 */
static int open_in_root(const char *root, const char *rel)
{
	struct open_how how = {
		.flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK,
		.resolve = RESOLVE_IN_ROOT,
	};
	char path[4096];
	int dfd, fd;

	dfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	fd = (int)syscall(SYS_openat2, dfd, rel, &how, sizeof(how));
	if (fd < 0 && (errno == ENOSYS || errno == EPERM)) {
		/* old kernel, or a seccomp filter that refuses openat2 */
		if (snprintf(path, sizeof(path), "%s/%s", root, rel) >= (int)sizeof(path))
			errno = ENAMETOOLONG;
		else
			fd = open(path, (int)how.flags);
	}
	if (fd < 0)
		fd = -errno;
	close(dfd);
	return fd;
}

/* Up to BUNDLE_OS_RELEASE_MAX bytes of a regular file; never blocks on a
 * FIFO. -errno.
 */
static int read_head(int fd, char *buf, size_t *len)
{
	struct stat st;
	ssize_t n;

	*len = 0;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	while (*len < BUNDLE_OS_RELEASE_MAX) {
		n = read(fd, buf + *len, BUNDLE_OS_RELEASE_MAX - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		*len += (size_t)n;
	}
	return 0;
}

static int read_os_release(int fd, const char *name, struct bundle_host *h, struct bp_err *err)
{
	size_t len;
	char *buf;
	int ret;

	buf = malloc(BUNDLE_OS_RELEASE_MAX);
	if (!buf) {
		close(fd);
		return bp_err_set(err, ENOMEM, "%s: out of memory", name);
	}
	ret = read_head(fd, buf, &len);
	close(fd);
	if (ret == -EINVAL)
		ret = bp_err_set(err, EIO, "%s: not a regular file", name);
	else if (ret)
		ret = bp_err_set(err, EIO, "%s: cannot read: %s", name, strerror(-ret));
	else
		bundle_os_release_parse(buf, len, h);
	free(buf);
	return ret;
}

static int detect_os_release(const struct bundle_host_src *src, struct bundle_host *h,
			     struct bp_err *err)
{
	static const char *const rels[] = { "etc/os-release", "usr/lib/os-release" };
	const char *root = src->root && *src->root ? src->root : "/";
	char name[4096];
	size_t i;
	int fd;

	if (src->os_release_path) {
		fd = open(src->os_release_path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
		if (fd < 0)
			return bp_err_set(err, EIO, "%s: cannot open: %s", src->os_release_path,
					  strerror(errno));
		return read_os_release(fd, src->os_release_path, h, err);
	}
	/* a root that is not there is a mistake, not a host without os-release */
	fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return bp_err_set(err, EIO, "root %s: cannot open: %s", root, strerror(errno));
	close(fd);
	for (i = 0; i < 2; i++) {
		snprintf(name, sizeof(name), "%s%s%s", root,
			 root[strlen(root) - 1] == '/' ? "" : "/", rels[i]);
		fd = open_in_root(root, rels[i]);
		if (fd == -ENOENT || fd == -ENOTDIR)
			continue;	/* os-release(5): try the next, else none */
		if (fd < 0)
			return bp_err_set(err, EIO, "%s: cannot open: %s", name, strerror(-fd));
		return read_os_release(fd, name, h, err);
	}
	return 0;
}

static int set_override(char dst[BUNDLE_HOST_FIELD_MAX], const char *v, const char *what,
			struct bp_err *err)
{
	size_t n = strnlen(v, BUNDLE_HOST_FIELD_MAX);

	if (!field_ok(v, n))
		return bp_err_set(err, EINVAL,
				  "host %s \"%.64s\": empty, too long, or has a '/', space or control byte",
				  what, v);
	memcpy(dst, v, n + 1);
	return 0;
}

int bundle_host_detect(const struct bundle_host_src *src, struct bundle_host *h,
		       struct bp_err *err)
{
	struct utsname u;
	int ret;

	memset(h, 0, sizeof(*h));
	if (uname(&u) < 0)
		return bp_err_set(err, EIO, "uname: %s", strerror(errno));
	ret = set_override(h->release, src->release ? src->release : u.release, "release", err);
	if (!ret)
		ret = set_override(h->arch, src->arch ? src->arch : u.machine, "arch", err);
	if (ret)
		return ret;
	bundle_arch_normalize(h->arch, h->arch);
	return detect_os_release(src, h, err);
}

bool bundle_host_has_kernel_btf(const char *root)
{
	int fd;

	if (!root || !*root)
		root = "/";
	fd = open_in_root(root, "sys/kernel/btf/vmlinux");
	if (fd < 0)
		return false;
	close(fd);
	return true;
}
