// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "batch/bundle_emit.h"
#include "dedup/blob_store.h"

static bool kernel_ok(const struct index_kernel *k)
{
	return !strcmp(k->status, "ok");
}

/* The renderer's view of the ok kernels. */
static int make_entries(struct bundle_emit *e, const struct index_kernel *kernels, size_t cnt,
			const void *const *data)
{
	size_t i, n = 0;

	e->entries = calloc(cnt + 1, sizeof(*e->entries));
	e->entry_kernel = calloc(cnt + 1, sizeof(*e->entry_kernel));
	if (!e->entries || !e->entry_kernel)
		return -ENOMEM;
	for (i = 0; i < cnt; i++) {
		const struct index_kernel *k = &kernels[i];
		struct render_entry *r = &e->entries[n];

		if (!kernel_ok(k))
			continue;
		r->path = k->path;
		r->distro = k->distro;
		r->version = k->version;
		r->arch = k->arch;
		r->release = k->release;
		bp_hash_parse_hex(k->blob, &r->hash);
		r->data = data[i];
		r->size = k->size;
		e->entry_kernel[n++] = i;
	}
	e->entry_cnt = n;
	return 0;
}

/* Distinct blobs among the entries the plan keeps, and their bytes. */
static int count_blobs(struct bundle_emit *e)
{
	struct blob_store *s = blob_store_new();
	const char *first;
	size_t i;

	if (!s)
		return -ENOMEM;
	for (i = 0; i < e->entry_cnt; i++) {
		if (e->plan.errors[i])
			continue;
		if (blob_store_add(s, &e->entries[i].hash, e->entries[i].path, &first)) {
			blob_store_free(s);
			return -ENOMEM;
		}
		if (!first)
			e->bytes_out += e->entries[i].size;
	}
	e->unique = blob_store_unique(s);
	blob_store_free(s);
	return 0;
}

static int make_aliases(struct bundle_emit *e)
{
	const struct render_plan *pl = &e->plan;
	size_t i, n = 0;

	e->aliases = calloc(pl->cnt + 1, sizeof(*e->aliases));
	if (!e->aliases)
		return -ENOMEM;
	for (i = 0; i < pl->cnt; i++) {
		if (!pl->items[i].alias)
			continue;
		e->aliases[n].path = pl->items[i].key;
		e->aliases[n].entry = e->entries[pl->items[i].entry].path;
		n++;
	}
	return (int)n;
}

int bundle_emit_plan(struct bundle_emit *e, const struct emit_opts *o,
		     struct index_kernel *kernels, size_t cnt, const void *const *data,
		     size_t *dropped, struct bp_err *err)
{
	size_t i;
	int ret;

	memset(e, 0, sizeof(*e));
	e->o = *o;
	*dropped = 0;
	if (make_entries(e, kernels, cnt, data))
		return bp_err_set(err, ENOMEM, "out of memory");
	ret = render_plan_make(o->profile, o->dedup, o->aliases, o->mtime, e->entries,
			       e->entry_cnt, &e->plan, err);
	if (ret)
		return ret;
	for (i = 0; i < e->entry_cnt; i++) {
		struct index_kernel *k = &kernels[e->entry_kernel[i]];

		if (!e->plan.errors[i])
			continue;
		k->status = "failed";
		k->error = e->plan.errors[i];
		k->blob[0] = '\0';
		k->size = 0;
		(*dropped)++;
	}
	ret = count_blobs(e);
	if (!ret)
		ret = make_aliases(e);
	if (ret < 0)
		return bp_err_set(err, ENOMEM, "out of memory");
	e->alias_cnt = (size_t)ret;
	return 0;
}

void bundle_emit_doc(const struct bundle_emit *e, struct index_doc *doc)
{
	doc->profile = bundle_profile_name(e->o.profile);
	doc->dedup = e->o.profile == PROFILE_NATIVE ? dedup_mode_name(e->o.dedup) : NULL;
	doc->aliases = e->aliases;
	doc->alias_cnt = e->alias_cnt;
}

static int add_index(struct bundle_writer *w, const struct index_doc *doc, struct bp_err *err)
{
	char *json = NULL;
	int ret;

	ret = index_json_render(doc, &json, err);
	if (!ret)
		ret = bundle_add_file(w, BUNDLE_INDEX_PATH, json, strlen(json), err);
	free(json);
	return ret;
}

int bundle_emit_write(struct bundle_emit *e, struct bundle_writer **w,
		      const struct index_doc *doc, struct bp_err *err)
{
	int ret;

	ret = render_write(*w, &e->plan, e->entries, err);
	if (!ret && bundle_profile_has_index(e->o.profile))
		ret = add_index(*w, doc, err);
	if (ret)
		return ret;
	ret = bundle_commit(*w, err);
	*w = NULL;
	return ret;
}

void bundle_emit_free(struct bundle_emit *e)
{
	render_plan_free(&e->plan);
	free(e->entries);
	free(e->entry_kernel);
	free(e->aliases);
	memset(e, 0, sizeof(*e));
}
