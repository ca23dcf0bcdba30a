// SPDX-License-Identifier: MIT
/* Reading a bundle entry by entry: tar bundles through libarchive,
 * directory bundles by a sorted walk that reports repeated inodes as hard
 * links. bundle_lookup.c builds on the tar walk.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <archive.h>
#include <archive_entry.h>

#include "archive/archive_priv.h"
#include "archive/bundle_reader.h"
#include "archive/bundle_writer.h"
#include "base/fileio.h"

/* ---- tar bundles ---- */


/* Normalized copy of an entry name: no leading "./", no trailing '/'. */
static int norm_name(const char *bundle, const char *raw, char **buf, size_t *cap,
		     struct bp_err *err)
{
	const char *p = ar_skip_dot_slash(raw);
	size_t n = strlen(p);
	char *nb;

	while (n && p[n - 1] == '/')
		n--;
	if (n + 1 > *cap) {
		nb = realloc(*buf, n + 1);
		if (!nb)
			return bp_err_set(err, ENOMEM, "%s: out of memory", bundle);
		*buf = nb;
		*cap = n + 1;
	}
	memcpy(*buf, p, n);
	(*buf)[n] = '\0';
	if (!ar_path_is_safe(*buf))
		return bp_err_set(err, EINVAL, "%s: entry %s: absolute path or \"..\" component",
				  bundle, raw);
	return 0;
}

int bundle_tar_entry_data(struct archive *a, const char *bundle, const char *entry,
			  void **data, size_t *size, struct bp_err *err)
{
	int ret = ar_read_data_capped(a, BP_MAX_INPUT_FILE, data, size);

	if (ret == -EFBIG)
		return bp_err_set(err, EFBIG, "%s: entry %s is above the %lu-byte limit", bundle,
				  entry, BP_MAX_INPUT_FILE);
	if (ret == -ENOMEM)
		return bp_err_set(err, ENOMEM, "%s: out of memory reading %s", bundle, entry);
	if (ret)
		return bp_err_set(err, EBADMSG, "%s: corrupt or truncated bundle at %s: %s",
				  bundle, entry, ar_errstr(a));
	return 0;
}

/* Open src's tar for reading: from memory, or from a descriptor of our own
 * so that a file that cannot be opened (-errno) is told apart from one
 * libarchive cannot read (-EBADMSG).
 */
static int tar_open(const struct bundle_src *src, struct archive *a, int *fd,
		    struct bp_err *err)
{
	int r;

	*fd = -1;
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	if (src->path) {
		*fd = open(src->path, O_RDONLY | O_CLOEXEC);
		if (*fd < 0)
			return bp_err_set(err, errno, "%s: cannot open: %s", src->name,
					  strerror(errno));
		r = archive_read_open_fd(a, *fd, 64 * 1024);
	} else {
		r = archive_read_open_memory(a, src->mem, src->mem_size);
	}
	if (r != ARCHIVE_OK)
		return bp_err_set(err, EBADMSG, "%s: cannot read bundle: %s", src->name,
				  ar_errstr(a));
	return 0;
}

int bundle_tar_walk(const struct bundle_src *src, bundle_tar_fn fn, void *ctx,
		    struct bp_err *err)
{
	const char *bundle = src->name;
	char *name = NULL, *target = NULL;
	size_t name_cap = 0, target_cap = 0, ordinal;
	struct archive_entry *ae;
	struct bundle_entry e;
	const char *raw;
	struct archive *a;
	int ret = 0, r, fd;

	a = archive_read_new();
	if (!a)
		return bp_err_set(err, ENOMEM, "%s: out of memory", bundle);
	ret = tar_open(src, a, &fd, err);
	if (ret)
		goto out;
	for (ordinal = 0;; ordinal++) {
		r = archive_read_next_header(a, &ae);
		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			ret = bp_err_set(err, EBADMSG, "%s: corrupt or truncated bundle: %s",
					 bundle, ar_errstr(a));
			break;
		}
		raw = ar_entry_path(ae);
		if (!raw) {
			ret = bp_err_set(err, EILSEQ, "%s: entry with an unreadable name", bundle);
			break;
		}
		ret = norm_name(bundle, raw, &name, &name_cap, err);
		if (ret)
			break;
		if (!*name)
			continue;	/* "./" itself */
		e = (struct bundle_entry){ .path = name };
		if (archive_entry_hardlink(ae)) {
			ret = norm_name(bundle, archive_entry_hardlink(ae), &target,
					&target_cap, err);
			if (ret)
				break;
			e.type = BUNDLE_ENTRY_HARDLINK;
			e.link_target = target;
		} else if (archive_entry_filetype(ae) == AE_IFREG) {
			e.type = BUNDLE_ENTRY_FILE;
		} else if (archive_entry_filetype(ae) == AE_IFDIR) {
			e.type = BUNDLE_ENTRY_DIR;
		} else if (archive_entry_filetype(ae) == AE_IFLNK) {
			e.type = BUNDLE_ENTRY_SYMLINK;
			e.link_target = archive_entry_symlink(ae);
			if (!e.link_target)
				e.link_target = archive_entry_symlink_utf8(ae);
			if (!e.link_target) {
				ret = bp_err_set(err, EILSEQ, "%s: symlink %s: unreadable target",
						 bundle, name);
				break;
			}
		} else {
			continue;	/* devices and fifos have no place in a bundle */
		}
		ret = fn(ctx, a, &e, ordinal, err);
		if (ret)
			break;
	}
out:
	archive_read_free(a);
	if (fd >= 0)
		close(fd);
	free(name);
	free(target);
	return ret;
}

struct read_adapter {
	const char *bundle;
	bundle_entry_fn fn;
	void *ctx;
};

static int read_adapter_fn(void *ctx, struct archive *a, const struct bundle_entry *e0,
			   size_t ordinal, struct bp_err *err)
{
	struct read_adapter *ra = ctx;
	struct bundle_entry e = *e0;
	void *data = NULL;
	int ret;

	(void)ordinal;
	if (e.type == BUNDLE_ENTRY_FILE) {
		ret = bundle_tar_entry_data(a, ra->bundle, e.path, &data, &e.size, err);
		if (ret)
			return ret;
		e.data = data;
	}
	ret = ra->fn(ra->ctx, &e);
	free(data);
	return ret;
}

/* ---- directory bundles ---- */

struct inode_seen {
	dev_t dev;
	ino_t ino;
	char *path;
};

struct dir_walk {
	const char *root;
	bundle_entry_fn fn;
	void *ctx;
	struct bp_err *err;
	bool meta;			/* files without their data */
	struct inode_seen *inodes;	/* files with more than one link */
	size_t inode_cnt, inode_cap;
};

static int cmp_dirent(const struct dirent **a, const struct dirent **b)
{
	/* bytes, not the locale's collation: the same order everywhere */
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int not_dots(const struct dirent *d)
{
	return strcmp(d->d_name, ".") && strcmp(d->d_name, "..");
}

char *bundle_join(const char *a, const char *b)
{
	char *s;

	if (asprintf(&s, "%s/%s", a, b) < 0)
		return NULL;
	return s;
}

/* Read a symlink's target into a malloc'ed string. */
int bundle_read_link(const char *full, size_t hint, char **out)
{
	size_t cap = hint ? hint + 1 : 256;
	ssize_t n;
	char *buf;

	for (;;) {
		buf = malloc(cap);
		if (!buf)
			return -ENOMEM;
		n = readlink(full, buf, cap);
		if (n < 0) {
			free(buf);
			return -errno;
		}
		if ((size_t)n < cap) {
			buf[n] = '\0';
			*out = buf;
			return 0;
		}
		/* changed under us: retry larger */
		free(buf);
		if (cap > 1024 * 1024)
			return -ENAMETOOLONG;
		cap *= 2;
	}
}

/* First path seen with this inode, or NULL after recording rel for it. */
static int inode_first(struct dir_walk *dw, const struct stat *st, const char *rel,
		       const char **first)
{
	struct inode_seen *n;
	size_t i;

	*first = NULL;
	for (i = 0; i < dw->inode_cnt; i++) {
		if (dw->inodes[i].dev == st->st_dev && dw->inodes[i].ino == st->st_ino) {
			*first = dw->inodes[i].path;
			return 0;
		}
	}
	if (dw->inode_cnt == dw->inode_cap) {
		size_t cap = dw->inode_cap ? dw->inode_cap * 2 : 16;

		n = realloc(dw->inodes, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		dw->inodes = n;
		dw->inode_cap = cap;
	}
	n = &dw->inodes[dw->inode_cnt];
	n->path = strdup(rel);
	if (!n->path)
		return -ENOMEM;
	n->dev = st->st_dev;
	n->ino = st->st_ino;
	dw->inode_cnt++;
	return 0;
}

static int dir_walk_one(struct dir_walk *dw, const char *rel, const char *full);

static int dir_walk_dir(struct dir_walk *dw, const char *rel, const char *full)
{
	struct dirent **names;
	char *crel, *cfull;
	int n, i, ret = 0;

	n = scandir(full, &names, not_dots, cmp_dirent);
	if (n < 0)
		return bp_err_set(dw->err, errno, "%s: cannot list %s: %s", dw->root,
				  rel ? rel : ".", strerror(errno));
	for (i = 0; i < n; i++) {
		if (!ret) {
			crel = rel ? bundle_join(rel, names[i]->d_name) : strdup(names[i]->d_name);
			cfull = bundle_join(full, names[i]->d_name);
			if (!crel || !cfull)
				ret = bp_err_set(dw->err, ENOMEM, "%s: out of memory", dw->root);
			else
				ret = dir_walk_one(dw, crel, cfull);
			free(crel);
			free(cfull);
		}
		free(names[i]);
	}
	free(names);
	return ret;
}

static int dir_walk_one(struct dir_walk *dw, const char *rel, const char *full)
{
	struct bundle_entry e = { .path = rel };
	char *target = NULL;
	void *data = NULL;
	const char *first;
	struct stat st;
	int ret;

	if (lstat(full, &st) < 0)
		return bp_err_set(dw->err, errno, "%s: cannot stat %s: %s", dw->root, rel,
				  strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		e.type = BUNDLE_ENTRY_DIR;
		ret = dw->fn(dw->ctx, &e);
		return ret ? ret : dir_walk_dir(dw, rel, full);
	}
	if (S_ISLNK(st.st_mode)) {
		ret = bundle_read_link(full, (size_t)st.st_size, &target);
		if (ret)
			return bp_err_set(dw->err, -ret, "%s: cannot read symlink %s: %s",
					  dw->root, rel, strerror(-ret));
		e.type = BUNDLE_ENTRY_SYMLINK;
		e.link_target = target;
		ret = dw->fn(dw->ctx, &e);
		free(target);
		return ret;
	}
	if (!S_ISREG(st.st_mode))
		return 0;
	if (st.st_nlink > 1) {
		if (inode_first(dw, &st, rel, &first))
			return bp_err_set(dw->err, ENOMEM, "%s: out of memory", dw->root);
		if (first) {
			e.type = BUNDLE_ENTRY_HARDLINK;
			e.link_target = first;
			return dw->fn(dw->ctx, &e);
		}
	}
	e.type = BUNDLE_ENTRY_FILE;
	if (dw->meta) {
		e.size = (size_t)st.st_size;
		return dw->fn(dw->ctx, &e);
	}
	ret = bp_read_file(full, BP_MAX_INPUT_FILE, &data, &e.size, dw->err);
	if (ret)
		return ret;
	e.data = data;
	ret = dw->fn(dw->ctx, &e);
	free(data);
	return ret;
}

static int dir_walk(const char *root, bool meta, bundle_entry_fn fn, void *ctx,
		    struct bp_err *err)
{
	struct dir_walk dw = { .root = root, .fn = fn, .ctx = ctx, .err = err, .meta = meta };
	size_t i;
	int ret;

	ret = dir_walk_dir(&dw, NULL, root);
	for (i = 0; i < dw.inode_cnt; i++)
		free(dw.inodes[i].path);
	free(dw.inodes);
	return ret;
}

int bundle_dir_walk_meta(const char *root, bundle_entry_fn fn, void *ctx, struct bp_err *err)
{
	return dir_walk(root, true, fn, ctx, err);
}

int bundle_read(const char *path, bundle_entry_fn fn, void *ctx, struct bp_err *err)
{
	struct bundle_src src = { .name = path, .path = path };
	struct read_adapter ra = { .bundle = path, .fn = fn, .ctx = ctx };
	struct stat st;

	if (stat(path, &st) < 0)
		return bp_err_set(err, errno, "%s: cannot stat: %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return dir_walk(path, false, fn, ctx, err);
	if (!S_ISREG(st.st_mode))
		return bp_err_set(err, EINVAL, "%s: neither a directory nor a tar file", path);
	return bundle_tar_walk(&src, read_adapter_fn, &ra, err);
}
