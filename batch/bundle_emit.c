// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "batch/bundle_emit.h"

int bundle_emit_open(struct bundle_emit *e, const char *path, enum bundle_format fmt,
		     time_t mtime, enum dedup_mode dedup, size_t cnt, struct bp_err *err)
{
	memset(e, 0, sizeof(*e));
	e->dedup = dedup;
	e->cnt = cnt;
	e->blobs = blob_store_new();
	e->links = calloc(cnt + 1, sizeof(*e->links));
	if (!e->blobs || !e->links)
		return bp_err_set(err, ENOMEM, "out of memory");
	return bundle_open(path, fmt, mtime, &e->w, err);
}

int bundle_emit_kernel(struct bundle_emit *e, size_t i, const char *bundle_path,
		       const struct bp_hash *h, const void *blob, size_t size, struct bp_err *err)
{
	struct dedup_entry d;
	int ret;

	ret = dedup_place(e->blobs, e->dedup, h, bundle_path, &d);
	if (ret)
		return bp_err_set(err, -ret, "%s: %s", bundle_path, strerror(-ret));
	if (d.new_blob)
		e->bytes_out += size;
	switch (d.action) {
	case DEDUP_ADD_FILE:
		ret = bundle_add_file(e->w, d.path, blob, size, err);
		break;
	case DEDUP_ADD_SYMLINK:
		ret = bundle_add_symlink(e->w, d.path, d.target, err);
		break;
	case DEDUP_ADD_HARDLINK:
		ret = bundle_add_hardlink(e->w, d.path, d.target, err);
		break;
	case DEDUP_ADD_NOTHING:
		break;
	}
	if (!ret && d.link && i < e->cnt && !(e->links[i] = strdup(d.link)))
		ret = bp_err_set(err, ENOMEM, "out of memory");
	dedup_entry_clear(&d);
	return ret;
}

int bundle_emit_commit(struct bundle_emit *e, const struct index_doc *doc, struct bp_err *err)
{
	char *json = NULL;
	int ret;

	ret = index_json_render(doc, &json, err);
	if (!ret)
		ret = bundle_add_file(e->w, BUNDLE_INDEX_PATH, json, strlen(json), err);
	free(json);
	if (ret)
		return ret;
	ret = bundle_commit(e->w, err);
	e->w = NULL;
	return ret;
}

void bundle_emit_free(struct bundle_emit *e)
{
	size_t i;

	if (e->w)
		bundle_abort(e->w);
	for (i = 0; e->links && i < e->cnt; i++)
		free(e->links[i]);
	free(e->links);
	blob_store_free(e->blobs);
	memset(e, 0, sizeof(*e));
}
