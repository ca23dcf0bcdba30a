// SPDX-License-Identifier: MIT
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <archive.h>
#include <archive_entry.h>

#include "archive/archive_priv.h"
#include "archive/bundle_writer.h"
#include "base/cleanup.h"
#include "base/fileio.h"

#define MODE_FILE 0644
#define MODE_DIR 0755
#define MODE_SYMLINK 0777

enum entry_kind {
	KIND_DIR = 1,
	KIND_FILE,
	KIND_SYMLINK,
	KIND_HARDLINK,
};

/* Every path added so far with its kind: catches duplicates, emits each
 * parent directory once and checks hard link targets. Open addressing.
 */
struct path_set {
	char **keys;
	unsigned char *kinds;
	size_t cap;		/* power of two, or 0 */
	size_t cnt;
};

struct bundle_writer {
	enum bundle_format fmt;
	unsigned int flags;
	time_t mtime;
	char *dest;		/* destination, without trailing '/' */
	char *tmp;		/* <dest>.tmp.<pid>.XXXXXX: file (tar) or directory */
	int fd;			/* tar: the temp file, else -1 */
	struct bp_out_lock lock;	/* on dest, from open to commit or abort */
	struct archive *a;	/* tar only */
	struct path_set paths;
	bool broken;		/* output may be inconsistent: commit refuses */
};

static size_t hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ULL;
	return (size_t)h;
}

static size_t set_slot(const struct path_set *s, const char *key)
{
	size_t i = hash_str(key) & (s->cap - 1);

	while (s->keys[i] && strcmp(s->keys[i], key))
		i = (i + 1) & (s->cap - 1);
	return i;
}

/* Kind of key, or 0 when absent. */
static int set_get(const struct path_set *s, const char *key)
{
	size_t i;

	if (!s->cap)
		return 0;
	i = set_slot(s, key);
	return s->keys[i] ? s->kinds[i] : 0;
}

static int set_grow(struct path_set *s)
{
	struct path_set n = { .cap = s->cap ? s->cap * 2 : 64 };
	size_t i, j;

	n.keys = calloc(n.cap, sizeof(*n.keys));
	n.kinds = calloc(n.cap, sizeof(*n.kinds));
	if (!n.keys || !n.kinds) {
		free(n.keys);
		free(n.kinds);
		return -ENOMEM;
	}
	for (i = 0; i < s->cap; i++) {
		if (!s->keys[i])
			continue;
		j = set_slot(&n, s->keys[i]);
		n.keys[j] = s->keys[i];
		n.kinds[j] = s->kinds[i];
	}
	n.cnt = s->cnt;
	free(s->keys);
	free(s->kinds);
	*s = n;
	return 0;
}

/* key must be absent. */
static int set_add(struct path_set *s, const char *key, int kind)
{
	size_t i;

	if ((s->cnt + 1) * 2 > s->cap && set_grow(s))
		return -ENOMEM;
	i = set_slot(s, key);
	s->keys[i] = strdup(key);
	if (!s->keys[i])
		return -ENOMEM;
	s->kinds[i] = (unsigned char)kind;
	s->cnt++;
	return 0;
}

static void set_free(struct path_set *s)
{
	size_t i;

	for (i = 0; i < s->cap; i++)
		free(s->keys[i]);
	free(s->keys);
	free(s->kinds);
	*s = (struct path_set){ 0 };
}

static bool has_suffix_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && !strcasecmp(s + n - m, suffix);
}

enum bundle_format bundle_format_for_path(const char *path)
{
	static const struct {
		const char *suffix;
		enum bundle_format fmt;
	} map[] = {
		{ ".tar", BUNDLE_TAR },
		{ ".tar.gz", BUNDLE_TAR_GZ },
		{ ".tgz", BUNDLE_TAR_GZ },
		{ ".tar.xz", BUNDLE_TAR_XZ },
		{ ".txz", BUNDLE_TAR_XZ },
		{ ".tar.zst", BUNDLE_TAR_ZST },
		{ ".tzst", BUNDLE_TAR_ZST },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (has_suffix_ci(path, map[i].suffix))
			return map[i].fmt;
	return BUNDLE_DIR;
}

/* Relative, '/'-separated, no empty, "." or ".." components. */
static bool entry_path_ok(const char *path)
{
	const char *p = path, *end;

	if (!*path || *path == '/')
		return false;
	for (;;) {
		end = strchrnul(p, '/');
		if (end == p || (end - p == 1 && p[0] == '.') ||
		    (end - p == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		if (!*end)
			return true;
		p = end + 1;
	}
}

/* Would target, read from the directory holding path, leave the bundle? */
static bool symlink_escapes(const char *path, const char *target)
{
	const char *p;
	long depth = 0;

	for (p = path; *p; p++)
		depth += *p == '/';
	for (p = target; *p;) {
		const char *end = strchrnul(p, '/');

		if (end - p == 2 && p[0] == '.' && p[1] == '.') {
			if (--depth < 0)
				return true;
		} else if (end != p && !(end - p == 1 && p[0] == '.')) {
			depth++;
		}
		p = *end ? end + 1 : end;
	}
	return false;
}

static char *join_path(const char *dir, const char *rel)
{
	char *s;

	if (asprintf(&s, "%s/%s", dir, rel) < 0)
		return NULL;
	return s;
}

/* Durability of the rename itself; failure here loses nothing written. */
static void fsync_parent(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd;

	if (!slash)
		dir = strdup(".");
	else if (slash == path)
		dir = strdup("/");
	else
		dir = strndup(path, (size_t)(slash - path));
	if (!dir)
		return;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

/* ---- tar output ---- */

static int tar_set_filter(struct archive *a, enum bundle_format fmt, unsigned int flags)
{
	bool max = flags & BUNDLE_MAX_COMPRESSION;
	int r;

	switch (fmt) {
	case BUNDLE_TAR_GZ:
		r = archive_write_add_filter_gzip(a);
		if (r >= ARCHIVE_WARN && max)
			r = archive_write_set_filter_option(a, "gzip", "compression-level", "9");
		if (r < ARCHIVE_WARN)
			return r;
		/* no mtime in the gzip header (libarchive never stores a name) */
		return archive_write_set_filter_option(a, "gzip", "timestamp", NULL);
	case BUNDLE_TAR_XZ:
		r = archive_write_add_filter_xz(a);
		if (r < ARCHIVE_WARN)
			return r;
		/* threaded xz cuts blocks by thread count: output would vary by host.
		 * One thread is also the default, so an unknown option is fine.
		 */
		r = archive_write_set_filter_option(a, "xz", "threads", "1");
		return r < ARCHIVE_WARN ? r : ARCHIVE_OK;
	case BUNDLE_TAR_ZST:
		return archive_write_add_filter_zstd(a);
	default:
		return archive_write_add_filter_none(a);
	}
}

/* libarchive says "Write error"; the errno it kept says why. */
static int tar_err(struct bundle_writer *w, const char *what, const char *path,
		   struct bp_err *err)
{
	int e = archive_errno(w->a);

	if (e <= 0)
		return bp_err_set(err, EIO, "%s: %s%s: %s", w->dest, what, path,
				  ar_errstr(w->a));
	return bp_err_set(err, e, "%s: %s%s: %s (%s)", w->dest, what, path, ar_errstr(w->a),
			  strerror(e));
}

static int tar_open(struct bundle_writer *w, struct bp_err *err)
{
	int r;

	r = bp_temp_file(w->dest, &w->tmp, &w->fd, err);
	if (r)
		return r;
	if (fchmod(w->fd, MODE_FILE) < 0)
		return bp_err_set(err, errno, "%s: cannot chmod temp file: %s", w->dest,
				  strerror(errno));
	w->a = archive_write_new();
	if (!w->a)
		return bp_err_set(err, ENOMEM, "%s: out of memory", w->dest);
	/* pax-restricted is plain ustar unless a name or size needs more */
	if (w->flags & BUNDLE_VERBATIM_NAMES)
		r = archive_write_set_format_ustar(w->a);
	else
		r = archive_write_set_format_pax_restricted(w->a);
	if (r >= ARCHIVE_WARN)
		r = tar_set_filter(w->a, w->fmt, w->flags);
	if (r >= ARCHIVE_WARN)
		r = archive_write_open_fd(w->a, w->fd);
	if (r < ARCHIVE_WARN)
		return bp_err_set(err, EIO, "%s: cannot set up tar output: %s", w->dest,
				  ar_errstr(w->a));
	return 0;
}

static int tar_emit(struct bundle_writer *w, const char *path, int kind,
		    const char *target, const void *data, size_t size, struct bp_err *err)
{
	struct archive_entry *e;
	const char *p = data;
	la_ssize_t n;
	int ret = 0;

	e = archive_entry_new();
	if (!e)
		return bp_err_set(err, ENOMEM, "%s: out of memory", w->dest);
	archive_entry_set_pathname(e, path);
	switch (kind) {
	case KIND_DIR:
		archive_entry_set_filetype(e, AE_IFDIR);
		archive_entry_set_perm(e, MODE_DIR);
		break;
	case KIND_FILE:
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, MODE_FILE);
		archive_entry_set_size(e, (la_int64_t)size);
		break;
	case KIND_SYMLINK:
		archive_entry_set_filetype(e, AE_IFLNK);
		archive_entry_set_perm(e, MODE_SYMLINK);
		archive_entry_set_symlink(e, target);
		break;
	case KIND_HARDLINK:
		/* same inode as its target, so the target's mode */
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, MODE_FILE);
		archive_entry_set_hardlink(e, target);
		archive_entry_set_size(e, 0);
		break;
	}
	/* owner 0/0 and no names (left unset); only mtime, atime/ctime unset */
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	archive_entry_set_mtime(e, w->mtime, 0);

	if (archive_write_header(w->a, e) < ARCHIVE_WARN) {
		ret = tar_err(w, "cannot write entry ", path, err);
		goto out;
	}
	while (kind == KIND_FILE && size) {
		n = archive_write_data(w->a, p, size);
		if (n <= 0) {
			ret = tar_err(w, "cannot write entry ", path, err);
			goto out;
		}
		p += n;
		size -= (size_t)n;
	}
out:
	archive_entry_free(e);
	return ret;
}

static int tar_commit(struct bundle_writer *w, struct bp_err *err)
{
	int r, fd = w->fd;

	r = archive_write_close(w->a);
	if (r != ARCHIVE_OK)
		r = tar_err(w, "cannot finish the tar", "", err);
	/* closed either way: abort must not close it again */
	archive_write_free(w->a);
	w->a = NULL;
	if (r)
		return r;
	w->fd = -1;
	if (fsync(fd) < 0) {
		r = errno;
		close(fd);
		return bp_err_set(err, r, "%s: cannot fsync: %s", w->dest, strerror(r));
	}
	if (close(fd) < 0)
		return bp_err_set(err, errno, "%s: cannot close: %s", w->dest, strerror(errno));
	bp_test_pause_before_commit();
	r = bp_temp_commit(w->tmp, w->dest);
	if (r)
		return bp_err_set(err, -r, "%s: cannot rename %s into place: %s", w->dest,
				  w->tmp, strerror(-r));
	fsync_parent(w->dest);
	return 0;
}

/* ---- directory output ---- */

static int set_times(const char *path, time_t mtime, bool nofollow)
{
	struct timespec ts[2] = { { .tv_sec = mtime }, { .tv_sec = mtime } };

	return utimensat(AT_FDCWD, path, ts, nofollow ? AT_SYMLINK_NOFOLLOW : 0) < 0 ? -errno : 0;
}

static int dir_write_file(const char *full, const void *data, size_t size, time_t mtime)
{
	struct timespec ts[2] = { { .tv_sec = mtime }, { .tv_sec = mtime } };
	int fd, ret;

	fd = open(full, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, MODE_FILE);
	if (fd < 0)
		return -errno;
	ret = bp_write_all(fd, data, size);
	/* fixed mode whatever the umask */
	if (!ret && fchmod(fd, MODE_FILE) < 0)
		ret = -errno;
	if (!ret && futimens(fd, ts) < 0)
		ret = -errno;
	if (close(fd) < 0 && !ret)
		ret = -errno;
	return ret;
}

static int dir_emit(struct bundle_writer *w, const char *path, int kind,
		    const char *target, const void *data, size_t size, struct bp_err *err)
{
	char *full, *tfull = NULL;
	int ret = 0;

	full = join_path(w->tmp, path);
	if (!full)
		return bp_err_set(err, ENOMEM, "%s: out of memory", w->dest);
	/* the signal cleaner must not remove the tree while it grows */
	bp_cleanup_hold();
	switch (kind) {
	case KIND_DIR:
		/* times are set on commit, once nothing more goes inside */
		if (mkdir(full, MODE_DIR) < 0 || chmod(full, MODE_DIR) < 0)
			ret = -errno;
		break;
	case KIND_FILE:
		ret = dir_write_file(full, data, size, w->mtime);
		break;
	case KIND_SYMLINK:
		if (symlink(target, full) < 0)
			ret = -errno;
		else
			ret = set_times(full, w->mtime, true);
		break;
	case KIND_HARDLINK:
		tfull = join_path(w->tmp, target);
		if (!tfull)
			ret = -ENOMEM;
		else if (link(tfull, full) < 0)
			ret = -errno;
		break;
	}
	bp_cleanup_release();
	if (ret)
		ret = bp_err_set(err, -ret, "%s: cannot write entry %s: %s", w->dest, path,
				 strerror(-ret));
	free(tfull);
	free(full);
	return ret;
}

static int dir_fix_times(struct bundle_writer *w, struct bp_err *err)
{
	char *full;
	size_t i;
	int ret;

	for (i = 0; i < w->paths.cap; i++) {
		if (!w->paths.keys[i] || w->paths.kinds[i] != KIND_DIR)
			continue;
		full = join_path(w->tmp, w->paths.keys[i]);
		if (!full)
			return bp_err_set(err, ENOMEM, "%s: out of memory", w->dest);
		ret = set_times(full, w->mtime, true);
		free(full);
		if (ret)
			return bp_err_set(err, -ret, "%s: cannot set times of %s: %s", w->dest,
					  w->paths.keys[i], strerror(-ret));
	}
	/* mkdtemp made it 0700 */
	ret = chmod(w->tmp, MODE_DIR) < 0 ? -errno : set_times(w->tmp, w->mtime, true);
	if (ret)
		return bp_err_set(err, -ret, "%s: cannot set mode and times of %s: %s",
				  w->dest, w->tmp, strerror(-ret));
	return 0;
}

/* One syncfs for the whole tree instead of an fsync per file. */
static int dir_sync(struct bundle_writer *w, struct bp_err *err)
{
	int fd, ret = 0;

	fd = open(w->tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || syncfs(fd) < 0)
		ret = bp_err_set(err, errno, "%s: cannot sync %s: %s", w->dest, w->tmp,
				 strerror(errno));
	if (fd >= 0)
		close(fd);
	return ret;
}

/* Only an empty directory or an earlier bundle (it has index.json at its
 * top) may be replaced: -o pointed at anything else by mistake, the hub
 * itself included, must not be wiped.
 */
static int check_replaceable_dir(const char *dest, struct bp_err *err)
{
	bool empty = true, has_index = false;
	struct dirent *de;
	struct stat st;
	char *index;
	DIR *dir;

	if (lstat(dest, &st) < 0)
		return errno == ENOENT ? 0 : bp_err_set(err, errno, "%s: cannot stat: %s", dest,
							 strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return bp_err_set(err, EEXIST, "%s: exists and is not a directory", dest);
	dir = opendir(dest);
	if (!dir)
		return bp_err_set(err, errno, "%s: cannot open: %s", dest, strerror(errno));
	while ((de = readdir(dir))) {
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			empty = false;
	}
	closedir(dir);
	if (empty)
		return 0;
	if (asprintf(&index, "%s/" BUNDLE_INDEX_PATH, dest) < 0)
		return bp_err_set(err, ENOMEM, "%s: out of memory", dest);
	has_index = lstat(index, &st) == 0 && S_ISREG(st.st_mode);
	free(index);
	if (!has_index)
		return bp_err_set(err, EEXIST,
				  "%s: directory exists and is not a btfpack bundle (no index.json); refusing to replace it",
				  dest);
	return 0;
}

/* The new tree and an existing bundle swap places in one step (or, where
 * the filesystem cannot, in renames a later run repairs), so -o always
 * holds the old or the new bundle; the old one is then removed.
 */
static int dir_replace(struct bundle_writer *w, struct bp_err *err)
{
	struct stat st;
	int ret;

	bp_test_pause_before_commit();
	if (lstat(w->dest, &st) < 0) {
		if (errno != ENOENT)
			return bp_err_set(err, errno, "%s: cannot stat: %s", w->dest,
					  strerror(errno));
		ret = bp_temp_commit(w->tmp, w->dest);
		if (ret)
			return bp_err_set(err, -ret, "%s: cannot rename %s into place: %s",
					  w->dest, w->tmp, strerror(-ret));
		fsync_parent(w->dest);
		return 0;
	}
	ret = check_replaceable_dir(w->dest, err);
	if (ret)
		return ret;
	ret = bp_temp_exchange(w->tmp, w->dest);
	if (ret)
		return bp_err_set(err, -ret, "%s: cannot swap %s into place: %s", w->dest,
				  w->tmp, strerror(-ret));
	fsync_parent(w->dest);
	/* the old bundle, now at the temp name */
	bp_temp_discard(w->tmp);
	return 0;
}

static int dir_commit(struct bundle_writer *w, struct bp_err *err)
{
	int ret;

	ret = dir_fix_times(w, err);
	if (!ret)
		ret = dir_sync(w, err);
	if (!ret)
		ret = dir_replace(w, err);
	return ret;
}

/* ---- common ---- */

static int emit(struct bundle_writer *w, const char *path, int kind, const char *target,
		const void *data, size_t size, struct bp_err *err)
{
	int ret;

	if (w->fmt == BUNDLE_DIR)
		ret = dir_emit(w, path, kind, target, data, size, err);
	else
		ret = tar_emit(w, path, kind, target, data, size, err);
	if (ret) {
		w->broken = true;
		return ret;
	}
	if (set_add(&w->paths, path, kind)) {
		w->broken = true;
		return bp_err_set(err, ENOMEM, "%s: out of memory", w->dest);
	}
	return 0;
}

/* Emit the parents of path not emitted yet, outermost first. */
static int emit_parents(struct bundle_writer *w, const char *path, struct bp_err *err)
{
	char *buf, *slash;
	int ret = 0, kind;

	buf = strdup(path);
	if (!buf)
		return bp_err_set(err, ENOMEM, "%s: out of memory", w->dest);
	for (slash = strchr(buf, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		kind = set_get(&w->paths, buf);
		if (kind && kind != KIND_DIR)
			ret = bp_err_set(err, ENOTDIR, "%s: entry %s: %s is not a directory",
					 w->dest, path, buf);
		else if (!kind)
			ret = emit(w, buf, KIND_DIR, NULL, NULL, 0, err);
		*slash = '/';
		if (ret)
			break;
	}
	free(buf);
	return ret;
}

/* No ".." component and not absolute; empty and "." ones are a reader's
 * business (bcc compares names byte for byte).
 */
static bool verbatim_path_ok(const char *path)
{
	const char *p = path, *end;

	if (!*path || *path == '/')
		return false;
	for (;;) {
		end = strchrnul(p, '/');
		if (end - p == 2 && p[0] == '.' && p[1] == '.')
			return false;
		if (!*end)
			return end != p;	/* no trailing '/' */
		p = end + 1;
	}
}

static int add_verbatim(struct bundle_writer *w, const char *path, int kind,
			const void *data, size_t size, struct bp_err *err)
{
	if (kind != KIND_FILE)
		return bp_err_set(err, EINVAL, "%s: %s: only regular files in this bundle",
				  w->dest, path);
	if (!verbatim_path_ok(path))
		return bp_err_set(err, EINVAL, "%s: bad entry path \"%s\"", w->dest, path);
	if (strlen(path) > BUNDLE_USTAR_NAME_MAX)
		return bp_err_set(err, ENAMETOOLONG,
				  "%s: entry name %s is over %d bytes, the ustar name field",
				  w->dest, path, BUNDLE_USTAR_NAME_MAX);
	if (set_get(&w->paths, path))
		return bp_err_set(err, EEXIST, "%s: entry %s added twice", w->dest, path);
	return emit(w, path, kind, NULL, data, size, err);
}

static int add_entry(struct bundle_writer *w, const char *path, int kind,
		     const char *target, const void *data, size_t size, struct bp_err *err)
{
	int ret;

	if (w->broken)
		return bp_err_set(err, EIO, "%s: not adding %s after an earlier write error",
				  w->dest, path);
	if (w->flags & BUNDLE_VERBATIM_NAMES)
		return add_verbatim(w, path, kind, data, size, err);
	if (!entry_path_ok(path))
		return bp_err_set(err, EINVAL, "%s: bad entry path \"%s\"", w->dest, path);
	if (set_get(&w->paths, path))
		return bp_err_set(err, EEXIST, "%s: entry %s added twice", w->dest, path);
	ret = emit_parents(w, path, err);
	if (ret)
		return ret;
	return emit(w, path, kind, target, data, size, err);
}

int bundle_open(const char *path, enum bundle_format fmt, time_t mtime,
		struct bundle_writer **out, struct bp_err *err)
{
	return bundle_open_flags(path, fmt, mtime, 0, out, err);
}

int bundle_open_flags(const char *path, enum bundle_format fmt, time_t mtime,
		      unsigned int flags, struct bundle_writer **out, struct bp_err *err)
{
	struct bundle_writer *w;
	const char *base;
	size_t len;
	int ret;

	*out = NULL;
	if ((unsigned int)fmt > BUNDLE_TAR_ZST)
		return bp_err_set(err, EINVAL, "%s: unknown bundle format %d", path, (int)fmt);
	if ((flags & BUNDLE_VERBATIM_NAMES) && fmt == BUNDLE_DIR)
		return bp_err_set(err, EINVAL, "%s: verbatim member names need a tar", path);
	len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		len--;
	w = calloc(1, sizeof(*w));
	if (!w)
		return bp_err_set(err, ENOMEM, "%s: out of memory", path);
	w->fmt = fmt;
	w->flags = flags;
	w->mtime = mtime;
	w->fd = -1;
	w->lock.fd = -1;
	w->dest = strndup(path, len);
	if (!w->dest) {
		ret = bp_err_set(err, ENOMEM, "%s: out of memory", path);
		goto err_free;
	}
	/* the temp name sits next to the destination, so that must have a name */
	base = strrchr(w->dest, '/');
	base = base ? base + 1 : w->dest;
	if (!*base || !strcmp(base, ".") || !strcmp(base, "..")) {
		ret = bp_err_set(err, EINVAL, "%s: not a usable bundle path", path);
		goto err_free;
	}
	/* held until commit or abort: one writer per destination */
	ret = bp_out_lock(w->dest, &w->lock, err);
	if (ret)
		goto err_free;
	if (fmt == BUNDLE_DIR) {
		ret = check_replaceable_dir(w->dest, err);
		if (!ret)
			ret = bp_temp_dir(w->dest, &w->tmp, err);
	} else {
		ret = tar_open(w, err);
	}
	if (ret)
		goto err_free;
	*out = w;
	return 0;
err_free:
	if (w->a)
		archive_write_free(w->a);
	if (w->fd >= 0)
		close(w->fd);
	if (w->tmp)
		bp_temp_discard(w->tmp);
	bp_out_unlock(&w->lock);
	free(w->tmp);
	free(w->dest);
	free(w);
	return ret;
}

int bundle_add_file(struct bundle_writer *w, const char *path, const void *data,
		    size_t size, struct bp_err *err)
{
	return add_entry(w, path, KIND_FILE, NULL, data, size, err);
}

int bundle_add_symlink(struct bundle_writer *w, const char *path, const char *target,
		       struct bp_err *err)
{
	if (!*target || *target == '/' || symlink_escapes(path, target))
		return bp_err_set(err, EINVAL, "%s: symlink %s -> %s leaves the bundle", w->dest,
				  path, target);
	return add_entry(w, path, KIND_SYMLINK, target, NULL, 0, err);
}

int bundle_add_hardlink(struct bundle_writer *w, const char *path, const char *target,
			struct bp_err *err)
{
	int kind = set_get(&w->paths, target);

	if (kind != KIND_FILE && kind != KIND_HARDLINK)
		return bp_err_set(err, ENOENT, "%s: hard link %s -> %s: no such file added before",
				  w->dest, path, target);
	return add_entry(w, path, KIND_HARDLINK, target, NULL, 0, err);
}

static void writer_free(struct bundle_writer *w)
{
	bp_out_unlock(&w->lock);
	set_free(&w->paths);
	free(w->tmp);
	free(w->dest);
	free(w);
}

int bundle_commit(struct bundle_writer *w, struct bp_err *err)
{
	int ret;

	if (w->broken) {
		ret = bp_err_set(err, EIO, "%s: not committing after an earlier write error",
				 w->dest);
		bundle_abort(w);
		return ret;
	}
	ret = w->fmt == BUNDLE_DIR ? dir_commit(w, err) : tar_commit(w, err);
	if (ret) {
		bundle_abort(w);
		return ret;
	}
	writer_free(w);
	return 0;
}

void bundle_abort(struct bundle_writer *w)
{
	if (!w)
		return;
	if (w->a) {
		/* close, not archive_write_fail(): libarchive 3.6 frees the
		 * compressors' state only on close; the output is unlinked anyway
		 */
		archive_write_close(w->a);
		archive_write_free(w->a);
	}
	if (w->fd >= 0)
		close(w->fd);
	bp_temp_discard(w->tmp);
	writer_free(w);
}

/* ---- one-file tar.xz in memory ---- */

struct membuf {
	unsigned char *data;
	size_t len, cap;
};

static la_ssize_t membuf_write(struct archive *a, void *ctx, const void *buf, size_t n)
{
	struct membuf *m = ctx;
	unsigned char *p;
	size_t cap;

	if (n > SIZE_MAX / 2 - m->len) {
		archive_set_error(a, ENOMEM, "output too large");
		return -1;
	}
	if (m->len + n > m->cap) {
		cap = m->cap ? m->cap : 16384;
		while (cap < m->len + n)
			cap *= 2;
		p = realloc(m->data, cap);
		if (!p) {
			archive_set_error(a, ENOMEM, "out of memory");
			return -1;
		}
		m->data = p;
		m->cap = cap;
	}
	memcpy(m->data + m->len, buf, n);
	m->len += n;
	return (la_ssize_t)n;
}

static int one_entry(struct archive *a, const char *name, const void *data, size_t size,
		     time_t mtime)
{
	struct archive_entry *e = archive_entry_new();
	int r = ARCHIVE_FATAL;

	if (!e)
		return r;
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, MODE_FILE);
	archive_entry_set_size(e, (la_int64_t)size);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	archive_entry_set_mtime(e, mtime, 0);
	r = archive_write_header(a, e);
	if (r >= ARCHIVE_WARN && size &&
	    archive_write_data(a, data, size) != (la_ssize_t)size)
		r = ARCHIVE_FATAL;
	archive_entry_free(e);
	return r;
}

int bundle_tar_xz_one(const char *name, const void *data, size_t size, time_t mtime,
		      void **out, size_t *out_size, struct bp_err *err)
{
	struct membuf m = { 0 };
	struct archive *a;
	int r;

	*out = NULL;
	*out_size = 0;
	a = archive_write_new();
	if (!a)
		return bp_err_set(err, ENOMEM, "%s: out of memory", name);
	r = archive_write_set_format_pax_restricted(a);
	if (r >= ARCHIVE_WARN)
		r = tar_set_filter(a, BUNDLE_TAR_XZ, 0);
	if (r >= ARCHIVE_WARN)
		r = archive_write_open2(a, &m, NULL, membuf_write, NULL, NULL);
	if (r >= ARCHIVE_WARN)
		r = one_entry(a, name, data, size, mtime);
	if (r >= ARCHIVE_WARN)
		r = archive_write_close(a);
	if (r < ARCHIVE_WARN) {
		r = bp_err_set(err, EIO, "%s: cannot make its tar.xz: %s", name, ar_errstr(a));
		archive_write_free(a);
		free(m.data);
		return r;
	}
	archive_write_free(a);
	*out = m.data;
	*out_size = m.len;
	return 0;
}
