// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "archive/bundle_list.h"
#include "archive/bundle_writer.h"
#include "dedup/blob_store.h"
#include "dedup/index_json.h"

struct list_ctx {
	struct bundle_list *l;
	size_t cap;
	struct blob_store *seen;
	const char *bundle;
	struct bp_err *err;
};

static int add_entry(struct list_ctx *c, const struct bundle_entry *e)
{
	struct bundle_list *l = c->l;
	struct bundle_list_entry *x;

	if (l->cnt == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;

		x = realloc(l->entries, cap * sizeof(*x));
		if (!x)
			return -ENOMEM;
		l->entries = x;
		c->cap = cap;
	}
	x = &l->entries[l->cnt];
	memset(x, 0, sizeof(*x));
	x->type = e->type;
	x->path = strdup(e->path);
	x->target = e->link_target ? strdup(e->link_target) : NULL;
	l->cnt++;
	return x->path && (!e->link_target || x->target) ? 0 : -ENOMEM;
}

/* Counts a file and whether its bytes were seen before. */
static int count_file(struct list_ctx *c, const struct bundle_entry *e)
{
	struct bundle_list_entry *x = &c->l->entries[c->l->cnt - 1];
	const char *first = NULL;
	struct bp_hash h;
	int ret;

	bp_hash_bytes(e->data, e->size, &h);
	bp_hash_hex(&h, x->hash);
	x->size = e->size;
	c->l->files++;
	c->l->file_bytes += e->size;
	ret = blob_store_add(c->seen, &h, e->path, &first);
	if (!ret && !first) {
		c->l->unique_files++;
		c->l->unique_bytes += e->size;
	}
	return ret;
}

static int index_facts(struct list_ctx *c, const struct bundle_entry *e)
{
	return index_json_describe(e->data, e->size, c->bundle, &c->l->objects, &c->l->obj_cnt,
				   &c->l->dedup, c->err);
}

static int list_fn(void *ctx, const struct bundle_entry *e)
{
	struct list_ctx *c = ctx;
	int ret;

	if (e->type == BUNDLE_ENTRY_DIR)
		return 0;
	ret = add_entry(c, e);
	if (!ret && e->type == BUNDLE_ENTRY_FILE)
		ret = count_file(c, e);
	if (ret)
		return bp_err_set(c->err, -ret, "%s: out of memory", c->bundle);
	if (e->type == BUNDLE_ENTRY_SYMLINK)
		c->l->symlinks++;
	else if (e->type == BUNDLE_ENTRY_HARDLINK)
		c->l->hardlinks++;
	if (e->type == BUNDLE_ENTRY_FILE && !strcmp(e->path, BUNDLE_INDEX_PATH))
		return index_facts(c, e);
	return 0;
}

int bundle_list(const char *path, struct bundle_list *out, struct bp_err *err)
{
	struct list_ctx c = { .l = out, .bundle = path, .err = err };
	int ret;

	memset(out, 0, sizeof(*out));
	c.seen = blob_store_new();
	if (!c.seen)
		return bp_err_set(err, ENOMEM, "%s: out of memory", path);
	ret = bundle_read(path, list_fn, &c, err);
	blob_store_free(c.seen);
	if (ret)
		bundle_list_free(out);
	return ret;
}

void bundle_list_free(struct bundle_list *l)
{
	size_t i;

	for (i = 0; i < l->cnt; i++) {
		free(l->entries[i].path);
		free(l->entries[i].target);
	}
	for (i = 0; i < l->obj_cnt; i++)
		free(l->objects[i]);
	free(l->entries);
	free(l->objects);
	free(l->dedup);
	memset(l, 0, sizeof(*l));
}
