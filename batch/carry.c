// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "batch/carry.h"
#include "core/minimize_run.h"

/* The old bundle must have been built for this run's object set (same
 * relocations, same minimizer output): else its BTF may not fit.
 */
static int check_objects(const struct carry *c, const struct build_opts *o, struct bp_err *err)
{
	const struct index_provenance *p = c->old.ix.doc.provenance;
	char hex[BP_HASH_HEX_LEN + 1];
	struct bp_hash set;

	if (!p)
		return bp_err_set(err, EINVAL,
				  "--keep-from %s: its index.json has no \"provenance\": cannot tell what objects it was built for",
				  o->keep_from);
	if (obj_set_digest(&o->objs, NULL, &set))
		return bp_err_set(err, ENOMEM, "out of memory");
	bp_hash_hex(&set, hex);
	if (strcmp(hex, p->object_set) || p->output_format != BTFPACK_OUTPUT_FORMAT)
		return bp_err_set(err, EINVAL,
				  "--keep-from %s: built for another object set (digest %s, output format %u; this run: %s, %u): its BTF may not fit these objects",
				  o->keep_from, p->object_set, p->output_format, hex,
				  BTFPACK_OUTPUT_FORMAT);
	if (strcmp(p->loader, min_loader_name(o->loaders)))
		return bp_err_set(err, EINVAL,
				  "--keep-from %s: built with --loader %s, this run has --loader %s: its BTF may not serve the same loaders",
				  o->keep_from, p->loader, min_loader_name(o->loaders));
	return 0;
}

/* The old bundle's id, as its provenance says (index_bundle_id()). */
static int old_id(struct carry *c)
{
	struct bp_hash h;

	if (index_bundle_id(&c->old.ix.doc, &h))
		return -ENOMEM;
	bp_hash_hex(&h, c->id);
	return 0;
}

static bool in_hub(const struct hub_list *hub, const struct index_kernel *x)
{
	size_t i;

	for (i = 0; i < hub->cnt; i++) {
		if (!strcmp(hub->kernels[i].source, x->source) ||
		    !strcmp(hub->kernels[i].bundle_path, x->path))
			return true;
	}
	return false;
}

/* Gone: not among the inputs, no file at its path (one only filtered out
 * or unreadable is still there), selected by this run's filters.
 */
static bool gone(const struct build_opts *o, const struct hub_list *hub,
		 const struct hub_kernel *k, const struct index_kernel *x)
{
	char *path;
	struct stat st;
	bool absent;

	if (in_hub(hub, x) || !hub_filter_selects(&o->filter, k))
		return false;
	if (asprintf(&path, "%s/%s", o->hub, x->source) < 0)
		return false;
	absent = lstat(path, &st) < 0 && errno == ENOENT;
	free(path);
	return absent;
}

static int make_entry(const struct build_opts *o, const struct index_kernel *x,
		      struct hub_kernel *k)
{
	memset(k, 0, sizeof(*k));
	k->kind = HUB_CARRIED;
	k->source = strdup(x->source);
	k->distro = strdup(x->distro);
	k->version = strdup(x->version);
	/* a path's arch directory may be an alias (aarch64): the walk's name */
	k->arch = strdup(arch_canonical(x->arch));
	k->release = strdup(x->release);
	k->bundle_path = strdup(x->path);
	if (asprintf(&k->abs_path, "%s:%s", o->keep_from, x->path) < 0)
		k->abs_path = NULL;
	if (k->source && k->distro && k->version && k->arch && k->release && k->bundle_path &&
	    k->abs_path)
		return 0;
	hub_kernel_free(k);
	return -ENOMEM;
}

static int cmp_source(const void *a, const void *b)
{
	return hub_source_cmp((*(const struct index_kernel *const *)a)->source,
			      (*(const struct index_kernel *const *)b)->source);
}

/* The old entries to carry, sorted by source, in c->kept. */
static int pick(struct carry *c, const struct build_opts *o, const struct hub_list *hub)
{
	const struct index_doc *d = &c->old.ix.doc;
	struct hub_kernel k;
	size_t i;

	c->kept = calloc(d->kernel_cnt + 1, sizeof(*c->kept));
	if (!c->kept)
		return -ENOMEM;
	for (i = 0; i < d->kernel_cnt; i++) {
		const struct index_kernel *x = &d->kernels[i];

		if (strcmp(x->status, "ok"))
			continue;
		if (make_entry(o, x, &k))
			return -ENOMEM;
		if (gone(o, hub, &k, x))
			c->kept[c->kept_cnt++] = x;
		hub_kernel_free(&k);
	}
	qsort(c->kept, c->kept_cnt, sizeof(*c->kept), cmp_source);
	return 0;
}

static int insert(struct carry *c, const struct build_opts *o, struct hub_list *hub)
{
	struct hub_kernel *extra = calloc(c->kept_cnt + 1, sizeof(*extra));
	size_t i, n = 0;
	int ret = 0;

	if (!extra)
		return -ENOMEM;
	for (i = 0; i < c->kept_cnt && !ret; i++) {
		ret = make_entry(o, c->kept[i], &extra[i]);
		n += !ret;
	}
	if (!ret)
		ret = hub_list_insert(hub, extra, n);
	if (ret) {
		for (i = 0; i < n; i++)
			hub_kernel_free(&extra[i]);
	}
	free(extra);
	return ret;
}

int carry_load(struct carry *c, const struct build_opts *o, struct hub_list *hub,
	       struct bp_err *err)
{
	int ret;

	memset(c, 0, sizeof(*c));
	if (!o->keep_from)
		return 0;
	ret = bundle_load(o->keep_from, true, &c->old, err);
	if (!ret)
		ret = check_objects(c, o, err);
	if (ret)
		return ret;
	if (old_id(c) || pick(c, o, hub) || insert(c, o, hub))
		return bp_err_set(err, ENOMEM, "--keep-from %s: out of memory", o->keep_from);
	return 0;
}

int carry_result(const struct carry *c, const struct hub_kernel *k, struct kernel_result *res,
		 struct bp_err *err)
{
	const struct index_kernel key = { .source = k->source }, *kp = &key, *x;
	const struct index_kernel *const *found;
	const struct bundle_blob *blob;

	found = bsearch(&kp, c->kept, c->kept_cnt, sizeof(*c->kept), cmp_source);
	if (!found)
		return bp_err_set(err, ENOENT, "%s: not carried", k->source);
	x = *found;
	bp_hash_parse_hex(x->blob, &res->blob_hash);
	blob = bundle_content_blob(&c->old, &res->blob_hash);
	if (!blob)
		return bp_err_set(err, ENOENT, "%s: its blob %s is not in the old bundle",
				  k->abs_path, x->blob);
	res->blob = malloc(blob->size ? blob->size : 1);
	if (!res->blob)
		return bp_err_set(err, ENOMEM, "out of memory");
	memcpy(res->blob, blob->data, blob->size);
	res->blob_size = blob->size;
	res->ok = true;
	res->source_read = !bp_hash_parse_hex(x->source_hash, &res->source_hash);
	res->resolved = x->resolved;
	res->unresolved = x->unresolved;
	res->rejected = x->rejected;
	/* already carried: keep the bundle it was built in */
	res->carried_from = x->carried_from ? x->carried_from : c->id;
	return 0;
}

void carry_free(struct carry *c)
{
	free(c->kept);
	bundle_content_free(&c->old);
	memset(c, 0, sizeof(*c));
}
