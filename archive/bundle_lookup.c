// SPDX-License-Identifier: MIT
/* A bundle's catalogue (bundle_cat_*) and bundle_lookup(): one entry's
 * bytes, through symlinks, hard links and the index's blob mapping,
 * resolved inside the bundle against the catalogue read at open.
 */
#include <errno.h>
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
#include "dedup/dedup_plan.h"
#include "dedup/hash.h"
#include "dedup/index_json.h"

struct node {
	char *path;
	char *target;
	enum bundle_entry_type type;
	size_t ordinal;
};

struct bundle_cat {
	char *name;
	struct bundle_src src;	/* path: our copy; mem: the caller's */
	bool is_dir;
	/* every entry, sorted by path, the last of duplicates kept */
	struct node *nodes;
	size_t cnt, cap;
	void *index;		/* index.json's bytes, read on the way */
	size_t index_size;
	bool have_index;
};

static int add_node(struct bundle_cat *lk, const struct bundle_entry *e, size_t ordinal,
		    struct bp_err *err)
{
	struct node *n;

	if (lk->cnt == lk->cap) {
		size_t cap = lk->cap ? lk->cap * 2 : 64;

		n = realloc(lk->nodes, cap * sizeof(*n));
		if (!n)
			return bp_err_set(err, ENOMEM, "%s: out of memory", lk->name);
		lk->nodes = n;
		lk->cap = cap;
	}
	n = &lk->nodes[lk->cnt];
	*n = (struct node){ .type = e->type, .ordinal = ordinal };
	n->path = strdup(e->path);
	n->target = e->link_target ? strdup(e->link_target) : NULL;
	lk->cnt++;
	if (!n->path || (e->link_target && !n->target))
		return bp_err_set(err, ENOMEM, "%s: out of memory", lk->name);
	return 0;
}

static bool is_index(const struct bundle_entry *e)
{
	return e->type == BUNDLE_ENTRY_FILE && !strcmp(e->path, BUNDLE_INDEX_PATH);
}

static void drop_index(struct bundle_cat *lk)
{
	free(lk->index);
	lk->index = NULL;
	lk->have_index = false;
}

static int collect_fn(void *ctx, struct archive *a, const struct bundle_entry *e,
		      size_t ordinal, struct bp_err *err)
{
	struct bundle_cat *lk = ctx;
	int ret = add_node(lk, e, ordinal, err);

	/* small and needed by index lookups: saves a second pass */
	if (!ret && is_index(e)) {
		drop_index(lk);
		ret = bundle_tar_entry_data(a, lk->name, e->path, &lk->index, &lk->index_size,
					    err);
		lk->have_index = !ret;
	}
	return ret;
}

struct dir_collect {
	struct bundle_cat *lk;
	struct bp_err *err;
};

static int collect_dir_fn(void *ctx, const struct bundle_entry *e)
{
	struct dir_collect *dc = ctx;
	struct bundle_cat *lk = dc->lk;
	char *full;
	int ret;

	ret = add_node(lk, e, lk->cnt, dc->err);
	if (ret || !is_index(e))
		return ret;
	full = bundle_join(lk->name, e->path);
	if (!full)
		return bp_err_set(dc->err, ENOMEM, "%s: out of memory", lk->name);
	drop_index(lk);
	ret = bp_read_file(full, BP_MAX_INPUT_FILE, &lk->index, &lk->index_size, dc->err);
	free(full);
	lk->have_index = !ret;
	return ret;
}

static int cmp_node(const void *a, const void *b)
{
	const struct node *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	if (c)
		return c;
	return x->ordinal < y->ordinal ? -1 : x->ordinal > y->ordinal;
}

static void sort_nodes(struct bundle_cat *lk)
{
	size_t i, out = 0;

	/* qsort wants a valid array even for 0 elements: an empty tar has none */
	if (lk->cnt > 1)
		qsort(lk->nodes, lk->cnt, sizeof(*lk->nodes), cmp_node);
	/* as on extraction, a later entry replaces an earlier one */
	for (i = 0; i < lk->cnt; i++) {
		if (i + 1 < lk->cnt && !strcmp(lk->nodes[i].path, lk->nodes[i + 1].path)) {
			free(lk->nodes[i].path);
			free(lk->nodes[i].target);
			continue;
		}
		lk->nodes[out++] = lk->nodes[i];
	}
	lk->cnt = out;
}

/* First node whose path is >= key. */
static size_t lower_bound(const struct bundle_cat *lk, const char *key)
{
	size_t lo = 0, hi = lk->cnt, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(lk->nodes[mid].path, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int cat_fill(struct bundle_cat *lk, struct bp_err *err)
{
	struct dir_collect dc = { .lk = lk, .err = err };
	struct stat st;
	int ret;

	if (lk->src.path) {
		if (stat(lk->src.path, &st) < 0)
			return bp_err_set(err, errno, "%s: cannot stat: %s", lk->name,
					  strerror(errno));
		lk->is_dir = S_ISDIR(st.st_mode);
		if (!lk->is_dir && !S_ISREG(st.st_mode))
			return bp_err_set(err, EINVAL, "%s: neither a directory nor a tar file",
					  lk->name);
	}
	if (lk->is_dir)
		ret = bundle_dir_walk_meta(lk->src.path, collect_dir_fn, &dc, err);
	else
		ret = bundle_tar_walk(&lk->src, collect_fn, lk, err);
	if (!ret)
		sort_nodes(lk);
	return ret;
}

int bundle_cat_open(const struct bundle_src *src, struct bundle_cat **out, struct bp_err *err)
{
	struct bundle_cat *lk;
	int ret;

	*out = NULL;
	lk = calloc(1, sizeof(*lk));
	if (!lk)
		return bp_err_set(err, ENOMEM, "%s: out of memory", src->name);
	lk->src = *src;
	lk->name = strdup(src->name);
	lk->src.name = lk->name;
	lk->src.path = src->path ? strdup(src->path) : NULL;
	if (!lk->name || (src->path && !lk->src.path)) {
		bundle_cat_free(lk);
		return bp_err_set(err, ENOMEM, "%s: out of memory", src->name);
	}
	ret = cat_fill(lk, err);
	if (ret) {
		bundle_cat_free(lk);
		return ret;
	}
	*out = lk;
	return 0;
}

void bundle_cat_free(struct bundle_cat *lk)
{
	size_t i;

	if (!lk)
		return;
	for (i = 0; i < lk->cnt; i++) {
		free(lk->nodes[i].path);
		free(lk->nodes[i].target);
	}
	free(lk->nodes);
	free(lk->index);
	free(lk->name);
	free((char *)lk->src.path);
	free(lk);
}

const char *bundle_cat_name(const struct bundle_cat *lk)
{
	return lk->name;
}

size_t bundle_cat_count(const struct bundle_cat *lk)
{
	return lk->cnt;
}

const char *bundle_cat_path(const struct bundle_cat *lk, size_t i, enum bundle_entry_type *type)
{
	if (type)
		*type = lk->nodes[i].type;
	return lk->nodes[i].path;
}

const void *bundle_cat_index(const struct bundle_cat *lk, size_t *size)
{
	*size = lk->have_index ? lk->index_size : 0;
	return lk->have_index ? lk->index : NULL;
}

static int missing(const struct bundle_cat *lk, const char *want, const char *p,
		   struct bp_err *err)
{
	size_t n = strlen(p);

	/* no link involved: the path itself (or a parent) is missing */
	if (!strncmp(want, p, n) && (!want[n] || want[n] == '/'))
		return bp_err_set(err, ENOENT, "%s: no entry %s", lk->name, want);
	return bp_err_set(err, ENOENT, "%s: %s: no entry %s on the way", lk->name, want, p);
}

/* Type of the entry at p (no link followed) and, for links, its target
 * (valid until the next call); -ENOENT when absent.
 */
/* Type of the entry at p (no link followed) and, for links, its target;
 * -ENOENT when absent.
 */
static int lk_node(const struct bundle_cat *lk, const char *want, const char *p,
		   enum bundle_entry_type *type, const char **target, struct bp_err *err)
{
	char *key;
	size_t i;
	int ret;

	*target = NULL;
	i = lower_bound(lk, p);
	if (i < lk->cnt && !strcmp(lk->nodes[i].path, p)) {
		*type = lk->nodes[i].type;
		*target = lk->nodes[i].target;
		return 0;
	}
	/* a directory with no entry of its own, implied by its children */
	if (asprintf(&key, "%s/", p) < 0)
		return bp_err_set(err, ENOMEM, "%s: out of memory", lk->name);
	i = lower_bound(lk, key);
	ret = i < lk->cnt && !strncmp(lk->nodes[i].path, key, strlen(key));
	free(key);
	if (!ret)
		return missing(lk, want, p, err);
	*type = BUNDLE_ENTRY_DIR;
	return 0;
}

/* Anything but slashes left? */
static bool more_components(const char *p)
{
	return p[strspn(p, "/")] != '\0';
}

/* A link met at cand, with after the rest of the path behind it: the walk
 * goes on from the link's target, *rest becoming "<target>/<after>"; a hard
 * link's target names a path from the root, so cur is emptied.
 */
static int follow_link(const struct bundle_cat *lk, const char *want, const char *cand,
		       enum bundle_entry_type type, const char *target, const char *after,
		       char *cur, char **rest, int *hops, struct bp_err *err)
{
	char *next;

	if (++*hops > AR_MAX_LINK_HOPS)
		return bp_err_set(err, ELOOP, "%s: %s: more than %d links followed", lk->name,
				  want, AR_MAX_LINK_HOPS);
	if (!target || !*target)
		return missing(lk, want, cand, err);
	if (*target == '/')
		return bp_err_set(err, EPERM, "%s: %s: link %s -> %s leaves the bundle",
				  lk->name, want, cand, target);
	if (type == BUNDLE_ENTRY_HARDLINK) {
		if (more_components(after))
			return bp_err_set(err, ENOTDIR, "%s: %s: %s is not a directory", lk->name,
					  want, cand);
		cur[0] = '\0';
	}
	if (asprintf(&next, "%s/%s", target, after) < 0)
		return bp_err_set(err, ENOMEM, "%s: out of memory", lk->name);
	free(*rest);
	*rest = next;
	return 0;
}

/* Walk want component by component inside the bundle, following symlinks
 * (relative to their directory) and hard links (relative to the root), and
 * return the path of the regular file it names.
 */
static int resolve(const struct bundle_cat *lk, const char *want, char **out,
		   struct bp_err *err)
{
	enum bundle_entry_type type = BUNDLE_ENTRY_DIR, last = BUNDLE_ENTRY_DIR;
	char *rest, *cur, *cand = NULL, *next;
	const char *p, *end, *target;
	int hops = 0, ret = 0;
	size_t n;

	*out = NULL;
	rest = strdup(want);
	cur = strdup("");
	if (!rest || !cur) {
		ret = bp_err_set(err, ENOMEM, "%s: out of memory", lk->name);
		goto out;
	}
	for (p = rest; *p;) {
		end = strchrnul(p, '/');
		n = (size_t)(end - p);
		if (n == 0 || (n == 1 && p[0] == '.')) {
			p = *end ? end + 1 : end;
			continue;
		}
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (!*cur) {
				ret = bp_err_set(err, EPERM, "%s: %s: path leaves the bundle",
						 lk->name, want);
				goto out;
			}
			next = strrchr(cur, '/');
			*(next ? next : cur) = '\0';
			last = BUNDLE_ENTRY_DIR;
			p = *end ? end + 1 : end;
			continue;
		}
		free(cand);
		if (asprintf(&cand, "%s%s%.*s", cur, *cur ? "/" : "", (int)n, p) < 0) {
			cand = NULL;
			ret = bp_err_set(err, ENOMEM, "%s: out of memory", lk->name);
			goto out;
		}
		ret = lk_node(lk, want, cand, &type, &target, err);
		if (ret)
			goto out;
		p = *end ? end + 1 : end;
		if (type == BUNDLE_ENTRY_DIR || type == BUNDLE_ENTRY_FILE) {
			if (type == BUNDLE_ENTRY_FILE && more_components(p)) {
				ret = bp_err_set(err, ENOTDIR, "%s: %s: %s is not a directory",
						 lk->name, want, cand);
				goto out;
			}
			free(cur);
			cur = cand;
			cand = NULL;
			last = type;
			continue;
		}
		ret = follow_link(lk, want, cand, type, target, p, cur, &rest, &hops, err);
		if (ret)
			goto out;
		p = rest;
		last = BUNDLE_ENTRY_DIR;	/* cur is the link's directory */
	}
	if (last != BUNDLE_ENTRY_FILE) {
		ret = bp_err_set(err, EISDIR, "%s: %s is a directory", lk->name, want);
		goto out;
	}
	*out = cur;
	cur = NULL;
out:
	free(rest);
	free(cur);
	free(cand);
	return ret;
}

struct fetch {
	const char *bundle;
	size_t ordinal;
	void *data;
	size_t size;
};

static int fetch_fn(void *ctx, struct archive *a, const struct bundle_entry *e,
		    size_t ordinal, struct bp_err *err)
{
	struct fetch *f = ctx;
	int ret;

	if (ordinal != f->ordinal)
		return 0;
	ret = bundle_tar_entry_data(a, f->bundle, e->path, &f->data, &f->size, err);
	return ret ? ret : 1;	/* found: stop */
}

/* The bytes of the regular file at a resolved path. */
static int lk_read(const struct bundle_cat *lk, const char *p, void **data, size_t *size,
		   struct bp_err *err)
{
	struct fetch f = { .bundle = lk->name };
	char *full;
	size_t i;
	int ret;

	if (lk->have_index && !strcmp(p, BUNDLE_INDEX_PATH)) {
		/* +1: a distinct allocation even when empty */
		*data = malloc(lk->index_size + 1);
		if (!*data)
			return bp_err_set(err, ENOMEM, "%s: out of memory", lk->name);
		memcpy(*data, lk->index, lk->index_size);
		*size = lk->index_size;
		return 0;
	}
	if (lk->is_dir) {
		full = bundle_join(lk->src.path, p);
		if (!full)
			return bp_err_set(err, ENOMEM, "%s: out of memory", lk->name);
		ret = bp_read_file(full, BP_MAX_INPUT_FILE, data, size, err);
		free(full);
		return ret;
	}
	i = lower_bound(lk, p);
	if (i == lk->cnt || strcmp(lk->nodes[i].path, p))
		return bp_err_set(err, ENOENT, "%s: no entry %s", lk->name, p);
	f.ordinal = lk->nodes[i].ordinal;
	ret = bundle_tar_walk(&lk->src, fetch_fn, &f, err);
	if (ret == 1) {
		*data = f.data;
		*size = f.size;
		return 0;
	}
	free(f.data);
	if (!ret)
		ret = bp_err_set(err, EIO, "%s: entry %s vanished on a second read", lk->name, p);
	return ret;
}

/* The blob index.json maps want to. 0 with *listed false when there is no
 * index.json or it does not list want.
 */
static int index_blob(const struct bundle_cat *lk, const char *want, bool *listed,
		      char blob[BP_HASH_HEX_LEN + 1], struct bp_err *err)
{
	char *path = NULL;
	void *data = NULL;
	size_t size;
	int ret;

	*listed = false;
	ret = resolve(lk, BUNDLE_INDEX_PATH, &path, err);
	if (ret == -ENOENT)
		return 0;
	if (!ret)
		ret = lk_read(lk, path, &data, &size, err);
	free(path);
	if (!ret)
		ret = index_json_find_blob(data, size, lk->name, want, listed, blob, err);
	free(data);
	return ret;
}

/* The regular file want names, through links and else index.json. */
static int resolve_entry(const struct bundle_cat *lk, const char *want, char **final,
			 struct bp_err *err)
{
	char blob[BP_HASH_HEX_LEN + 1], blob_path[DEDUP_BLOB_PATH_MAX];
	struct bp_err first = { { 0 } }, later = { { 0 } };
	bool listed;
	int ret, r;

	ret = resolve(lk, want, final, &first);
	if (ret == -ENOENT) {
		/* --dedup index bundles list kernels without entries */
		r = index_blob(lk, want, &listed, blob, &later);
		if (r) {
			ret = r;
			first = later;
		} else if (listed) {
			dedup_blob_path(blob, blob_path);
			ret = resolve(lk, blob_path, final, &later);
			if (ret == -ENOENT)
				bp_err_set(&first, ENOENT,
					   "%s: %s: index.json maps it to %s, which is missing",
					   lk->name, want, blob_path);
			else if (ret)
				first = later;
		}
	}
	if (ret && err)
		*err = first;
	return ret;
}

int bundle_cat_resolve(const struct bundle_cat *lk, const char *entry_path, char **final,
		       struct bp_err *err)
{
	*final = NULL;
	return resolve_entry(lk, ar_skip_dot_slash(entry_path), final, err);
}

int bundle_cat_get(const struct bundle_cat *lk, const char *entry_path, void **data,
		   size_t *size, struct bp_err *err)
{
	const char *want = ar_skip_dot_slash(entry_path);
	char *final = NULL;
	int ret;

	*data = NULL;
	*size = 0;
	if (*want == '/')
		return bp_err_set(err, EINVAL, "%s: %s: entry paths are relative", lk->name,
				  entry_path);
	ret = resolve_entry(lk, want, &final, err);
	if (!ret)
		ret = lk_read(lk, final, data, size, err);
	free(final);
	return ret;
}

int bundle_lookup(const char *path, const char *entry_path, void **data, size_t *size,
		  struct bp_err *err)
{
	struct bundle_src src = { .name = path, .path = path };
	struct bundle_cat *cat;
	int ret;

	*data = NULL;
	*size = 0;
	if (*ar_skip_dot_slash(entry_path) == '/')
		return bp_err_set(err, EINVAL, "%s: %s: entry paths are relative", path,
				  entry_path);
	ret = bundle_cat_open(&src, &cat, err);
	if (ret)
		return ret;
	ret = bundle_cat_get(cat, entry_path, data, size, err);
	bundle_cat_free(cat);
	return ret;
}
