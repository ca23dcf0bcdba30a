// SPDX-License-Identifier: MIT
/* build_cache_evict(): list every entry of DIR/v<format>/{res,src}/<hh>/,
 * oldest stamp (mtime) first, and remove until the rest fits. Other
 * processes may evict or write at the same time: a file that is gone is
 * skipped, one written after the listing is simply not considered.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "batch/build_cache.h"

#define STALE_TEMP_SECONDS 3600

struct cache_file {
	char *path;
	struct timespec stamp;
	size_t size;
};

struct file_list {
	struct cache_file *files;
	size_t cnt, cap;
	time_t now;
};

static int add_file(struct file_list *l, char *path, const struct stat *st)
{
	if (l->cnt == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		struct cache_file *f = realloc(l->files, cap * sizeof(*f));

		if (!f)
			return -ENOMEM;
		l->files = f;
		l->cap = cap;
	}
	l->files[l->cnt].path = path;
	l->files[l->cnt].stamp = st->st_mtim;
	l->files[l->cnt].size = (size_t)st->st_size;
	l->cnt++;
	return 0;
}

/* One <hh> directory: entries are listed, dead writers' temps removed. */
static int scan_leaf(struct file_list *l, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct stat st;
	char *path;
	int ret = 0;

	if (!d)
		return 0;	/* evicted or never made: nothing there */
	while (!ret && (e = readdir(d))) {
		if (e->d_name[0] == '.' || asprintf(&path, "%s/%s", dir, e->d_name) < 0)
			continue;
		if (lstat(path, &st) || !S_ISREG(st.st_mode)) {
			free(path);
			continue;
		}
		if (strstr(e->d_name, ".tmp.")) {
			if (l->now - st.st_mtime > STALE_TEMP_SECONDS)
				unlink(path);
			free(path);
			continue;
		}
		ret = add_file(l, path, &st);
		if (ret)
			free(path);
	}
	closedir(d);
	return ret;
}

static int scan_kind(struct file_list *l, const char *kind_dir)
{
	DIR *d = opendir(kind_dir);
	struct dirent *e;
	char *leaf;
	int ret = 0;

	if (!d)
		return 0;
	while (!ret && (e = readdir(d))) {
		if (e->d_name[0] == '.' || strlen(e->d_name) != 2 ||
		    asprintf(&leaf, "%s/%s", kind_dir, e->d_name) < 0)
			continue;
		ret = scan_leaf(l, leaf);
		free(leaf);
	}
	closedir(d);
	return ret;
}

static int cmp_stamp(const void *a, const void *b)
{
	const struct cache_file *x = a, *y = b;

	if (x->stamp.tv_sec != y->stamp.tv_sec)
		return x->stamp.tv_sec < y->stamp.tv_sec ? -1 : 1;
	if (x->stamp.tv_nsec != y->stamp.tv_nsec)
		return x->stamp.tv_nsec < y->stamp.tv_nsec ? -1 : 1;
	return strcmp(x->path, y->path);
}

int build_cache_evict(struct build_cache *c, size_t max, struct cache_evicted *ev,
		      struct bp_err *err)
{
	static const char *const kinds[] = { "res", "src" };
	struct file_list l = { .now = time(NULL) };
	size_t i, total = 0;
	char *dir;
	int ret = 0;

	memset(ev, 0, sizeof(*ev));
	for (i = 0; i < 2 && !ret; i++) {
		if (asprintf(&dir, "%s/%s", build_cache_root(c), kinds[i]) < 0) {
			ret = -ENOMEM;
			break;
		}
		ret = scan_kind(&l, dir);
		free(dir);
	}
	if (ret) {
		bp_err_set(err, ENOMEM, "%s: out of memory listing the cache", build_cache_root(c));
		goto out;
	}
	if (l.cnt)
		qsort(l.files, l.cnt, sizeof(*l.files), cmp_stamp);
	for (i = 0; i < l.cnt; i++)
		total += l.files[i].size;
	for (i = 0; i < l.cnt && total > max; i++) {
		/* gone already: another process evicted it, same outcome */
		if (unlink(l.files[i].path) && errno != ENOENT)
			continue;
		total -= l.files[i].size;
		ev->entries++;
		ev->bytes += l.files[i].size;
	}
	ev->kept_bytes = total;
out:
	for (i = 0; i < l.cnt; i++)
		free(l.files[i].path);
	free(l.files);
	return ret;
}
