// SPDX-License-Identifier: MIT
/* btfpack_bundle: a bundle opened once (file, directory or memory), this
 * host's identity, and the host's BTF found in the bundle, as bytes or as
 * a private temp file for libbpf's btf_custom_path.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive/bundle_host.h"
#include "archive/bundle_reader.h"
#include "base/fileio.h"
#include "include/btfpack.h"
#include "lib/lib_priv.h"

#define offsetofend(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))

_Static_assert(BTFPACK_HOST_FIELD_MAX == BUNDLE_HOST_FIELD_MAX,
	       "btfpack_host and bundle_host hold the same fields");

struct btfpack_bundle {
	struct bundle_cat *cat;
};

int btfpack_bundle__lookup(const char *bundle, const char *entry, void **buf, size_t *size,
			   struct btfpack_err *err)
{
	struct bp_err e = { .msg = "" };

	*buf = NULL;
	*size = 0;
	if (!bundle || !entry)
		return lib_err(bp_err_set(&e, EINVAL, "bundle: no path or entry"), &e, err);
	return lib_err(bundle_lookup(bundle, entry, buf, size, &e), &e, err);
}

static int bundle_open_src(const struct bundle_src *src, struct btfpack_bundle **bundle,
			   struct btfpack_err *err)
{
	struct bp_err e = { .msg = "" };
	struct btfpack_bundle *b;
	int ret;

	b = calloc(1, sizeof(*b));
	if (!b)
		return lib_err(bp_err_set(&e, ENOMEM, "%s: out of memory", src->name), &e, err);
	ret = bundle_find_errno(bundle_cat_open(src, &b->cat, &e), true);
	if (!ret)
		ret = bundle_find_check(b->cat, &e);
	if (ret) {
		btfpack_bundle__free(b);
		return lib_err(ret, &e, err);
	}
	*bundle = b;
	return 0;
}

int btfpack_bundle__open_file(const char *path, struct btfpack_bundle **bundle,
			      struct btfpack_err *err)
{
	struct bundle_src src = { .name = path, .path = path };
	struct bp_err e = { .msg = "" };

	if (!bundle)
		return lib_err(bp_err_set(&e, EINVAL, "bundle: no handle to fill"), &e, err);
	*bundle = NULL;
	if (!path || !*path)
		return lib_err(bp_err_set(&e, EINVAL, "bundle: no path"), &e, err);
	return bundle_open_src(&src, bundle, err);
}

int btfpack_bundle__open_mem(const void *data, size_t size, const char *name,
			     struct btfpack_bundle **bundle, struct btfpack_err *err)
{
	struct bundle_src src = { .name = name ? name : "<memory>", .mem = data,
				  .mem_size = size };
	struct bp_err e = { .msg = "" };

	if (!bundle)
		return lib_err(bp_err_set(&e, EINVAL, "bundle: no handle to fill"), &e, err);
	*bundle = NULL;
	if (!data)
		return lib_err(bp_err_set(&e, EINVAL, "%s: no data", src.name), &e, err);
	if (!size)
		return lib_err(bp_err_set(&e, EBADMSG, "%s: empty, not a btfpack bundle", src.name),
			       &e, err);
	return bundle_open_src(&src, bundle, err);
}

void btfpack_bundle__free(struct btfpack_bundle *bundle)
{
	if (!bundle)
		return;
	bundle_cat_free(bundle->cat);
	free(bundle);
}

/* libbpf's OPTS_VALID(), as for the minimize options. */
static int host_opts_valid(const struct btfpack_host_opts *opts, struct bp_err *e)
{
	const unsigned char *p = (const unsigned char *)opts;
	size_t i;

	if (!opts)
		return 0;
	if (opts->sz < offsetofend(struct btfpack_host_opts, sz))
		return bp_err_set(e, EINVAL, "host options: sz %zu is too small", opts->sz);
	for (i = sizeof(*opts); i < opts->sz; i++)
		if (p[i])
			return bp_err_set(e, EINVAL, "host options: unknown option at byte %zu is set",
					  i);
	return 0;
}

#define HOST_OPT(opts, field)							\
	((opts) && (opts)->sz >= offsetofend(struct btfpack_host_opts, field) ?	\
	 (opts)->field : NULL)

int btfpack_host__detect(const struct btfpack_host_opts *opts, struct btfpack_host *host,
			 struct btfpack_err *err)
{
	struct bp_err e = { .msg = "" };
	struct bundle_host_src src;
	struct bundle_host h;
	int ret;

	if (!host)
		return lib_err(bp_err_set(&e, EINVAL, "host: nothing to fill"), &e, err);
	memset(host, 0, sizeof(*host));
	ret = host_opts_valid(opts, &e);
	if (ret)
		return lib_err(ret, &e, err);
	src = (struct bundle_host_src){
		.root = HOST_OPT(opts, root),
		.os_release_path = HOST_OPT(opts, os_release_path),
		.release = HOST_OPT(opts, release),
		.arch = HOST_OPT(opts, arch),
	};
	ret = bundle_host_detect(&src, &h, &e);
	if (ret)
		return lib_err(ret, &e, err);
	memcpy(host->id, h.id, sizeof(host->id));
	memcpy(host->version_id, h.version_id, sizeof(host->version_id));
	memcpy(host->codename, h.codename, sizeof(host->codename));
	memcpy(host->release, h.release, sizeof(host->release));
	memcpy(host->arch, h.arch, sizeof(host->arch));
	return 0;
}

bool btfpack_host__has_kernel_btf(const char *root)
{
	return bundle_host_has_kernel_btf(root);
}

/* One field of a caller-filled host: NUL-terminated within the field. */
static int host_field(char dst[BUNDLE_HOST_FIELD_MAX], const char *src, const char *what,
		      struct bp_err *e)
{
	size_t n = strnlen(src, BTFPACK_HOST_FIELD_MAX);

	if (n == BTFPACK_HOST_FIELD_MAX)
		return bp_err_set(e, EINVAL, "host: %s is not NUL-terminated", what);
	memcpy(dst, src, n + 1);
	return 0;
}

static int host_in(const struct btfpack_host *host, struct bundle_host *h, struct bp_err *e)
{
	char *p;
	int ret;

	ret = host_field(h->id, host->id, "id", e);
	if (!ret)
		ret = host_field(h->version_id, host->version_id, "version_id", e);
	if (!ret)
		ret = host_field(h->codename, host->codename, "codename", e);
	if (!ret)
		ret = host_field(h->release, host->release, "release", e);
	if (!ret)
		ret = host_field(h->arch, host->arch, "arch", e);
	if (ret)
		return ret;
	/* a caller that filled it by hand may write "aarch64" or "CentOS" */
	bundle_arch_normalize(h->arch, h->arch);
	for (p = h->id; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return 0;
}

int btfpack_bundle__find(const struct btfpack_bundle *bundle, const struct btfpack_host *host,
			 void **buf, size_t *size, char **entry, struct btfpack_err *err)
{
	struct bp_err e = { .msg = "" };
	struct bundle_host h;
	int ret;

	if (entry)
		*entry = NULL;
	if (!buf || !size)
		return lib_err(bp_err_set(&e, EINVAL, "bundle: nowhere to put the BTF"), &e, err);
	*buf = NULL;
	*size = 0;
	if (!bundle || !host)
		return lib_err(bp_err_set(&e, EINVAL, "bundle: no bundle or host"), &e, err);
	ret = host_in(host, &h, &e);
	if (!ret)
		ret = bundle_find(bundle->cat, &h, buf, size, entry, NULL, &e);
	return lib_err(ret, &e, err);
}

/* A new private file under $TMPDIR (else /tmp) holding data. */
static int write_tmp(const void *data, size_t size, char **path, struct bp_err *e)
{
	const char *dir = secure_getenv("TMPDIR");
	char *p;
	int fd, ret;

	if (!dir || *dir != '/')
		dir = "/tmp";
	if (asprintf(&p, "%s/btfpack-btf-XXXXXX", dir) < 0)
		return bp_err_set(e, ENOMEM, "temp file: out of memory");
	/* mkostemp creates it 0600 */
	fd = mkostemp(p, O_CLOEXEC);
	if (fd < 0) {
		ret = bp_err_set(e, EIO, "%s: cannot create a temp file: %s", dir, strerror(errno));
		free(p);
		return ret;
	}
	ret = bp_write_all(fd, data, size);
	if (close(fd) < 0 && !ret)
		ret = -errno;
	if (ret) {
		unlink(p);
		ret = bp_err_set(e, EIO, "%s: cannot write: %s", p, strerror(-ret));
		free(p);
		return ret;
	}
	*path = p;
	return 0;
}

int btfpack_bundle__find_to_file(const struct btfpack_bundle *bundle,
				 const struct btfpack_host *host, char **path,
				 struct btfpack_err *err)
{
	struct bp_err e = { .msg = "" };
	void *data;
	size_t size;
	int ret;

	if (!path)
		return lib_err(bp_err_set(&e, EINVAL, "bundle: nowhere to put the path"), &e, err);
	*path = NULL;
	ret = btfpack_bundle__find(bundle, host, &data, &size, NULL, err);
	if (ret)
		return ret;
	ret = write_tmp(data, size, path, &e);
	btfpack_free(data);
	return lib_err(ret, &e, err);
}

void btfpack_tmpfile__remove(char *path)
{
	if (!path)
		return;
	unlink(path);
	free(path);
}
