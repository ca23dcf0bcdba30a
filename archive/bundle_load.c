// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "archive/bundle_load.h"
#include "archive/bundle_reader.h"
#include "archive/bundle_writer.h"

struct load_ctx {
	struct bundle_content *c;
	bool with_blobs;
	size_t cap;
	void *index;		/* index.json's bytes */
	size_t index_size;
	bool index_seen;
};

static int keep_blob(struct load_ctx *x, const struct bundle_entry *e)
{
	struct bundle_content *c = x->c;
	struct bundle_blob *b;

	if (c->blob_cnt == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 64;

		b = realloc(c->blobs, cap * sizeof(*b));
		if (!b)
			return -ENOMEM;
		c->blobs = b;
		x->cap = cap;
	}
	b = &c->blobs[c->blob_cnt];
	b->data = malloc(e->size ? e->size : 1);
	if (!b->data)
		return -ENOMEM;
	memcpy(b->data, e->data, e->size);
	b->size = e->size;
	bp_hash_bytes(e->data, e->size, &b->hash);
	c->blob_cnt++;
	return 0;
}

static int on_entry(void *ctx, const struct bundle_entry *e)
{
	struct load_ctx *x = ctx;

	if (e->type != BUNDLE_ENTRY_FILE)
		return 0;
	if (!strcmp(e->path, BUNDLE_INDEX_PATH)) {
		x->index = malloc(e->size ? e->size : 1);
		if (!x->index)
			return -ENOMEM;
		memcpy(x->index, e->data, e->size);
		x->index_size = e->size;
		x->index_seen = true;
		return 0;
	}
	return x->with_blobs ? keep_blob(x, e) : 0;
}

static int cmp_hash(const struct bp_hash *a, const struct bp_hash *b)
{
	if (a->high != b->high)
		return a->high < b->high ? -1 : 1;
	return (a->low > b->low) - (a->low < b->low);
}

static int cmp_blob(const void *a, const void *b)
{
	return cmp_hash(&((const struct bundle_blob *)a)->hash,
			&((const struct bundle_blob *)b)->hash);
}

/* Sort by hash and drop repeated contents (several kernels' copies). */
static void sort_blobs(struct bundle_content *c)
{
	size_t i, n = 0;

	if (!c->blob_cnt)
		return;
	qsort(c->blobs, c->blob_cnt, sizeof(*c->blobs), cmp_blob);
	for (i = 1; i < c->blob_cnt; i++) {
		if (!cmp_hash(&c->blobs[i].hash, &c->blobs[n].hash))
			free(c->blobs[i].data);
		else
			c->blobs[++n] = c->blobs[i];
	}
	c->blob_cnt = n + 1;
}

int bundle_load(const char *path, bool with_blobs, struct bundle_content *out,
		struct bp_err *err)
{
	struct load_ctx x = { .c = out, .with_blobs = with_blobs };
	int ret;

	memset(out, 0, sizeof(*out));
	ret = bundle_read(path, on_entry, &x, err);
	if (ret == -ENOMEM)
		ret = bp_err_set(err, ENOMEM, "%s: out of memory", path);
	if (!ret && !x.index_seen)
		ret = bp_err_set(err, ENOENT, "%s: no %s: not a btfpack bundle", path,
				 BUNDLE_INDEX_PATH);
	if (!ret)
		ret = index_json_parse(x.index, x.index_size, path, &out->ix, err);
	free(x.index);
	if (ret) {
		bundle_content_free(out);
		return ret;
	}
	sort_blobs(out);
	return 0;
}

const struct bundle_blob *bundle_content_blob(const struct bundle_content *c,
					      const struct bp_hash *h)
{
	struct bundle_blob key = { .hash = *h };

	if (!c->blob_cnt)
		return NULL;
	return bsearch(&key, c->blobs, c->blob_cnt, sizeof(*c->blobs), cmp_blob);
}

void bundle_content_free(struct bundle_content *c)
{
	size_t i;

	for (i = 0; i < c->blob_cnt; i++)
		free(c->blobs[i].data);
	free(c->blobs);
	index_parsed_free(&c->ix);
	memset(c, 0, sizeof(*c));
}
