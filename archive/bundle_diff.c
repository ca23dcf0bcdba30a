// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "archive/bundle_diff.h"

static int cmp_kernel_ptr(const void *a, const void *b)
{
	const struct index_kernel *x = *(const struct index_kernel *const *)a;
	const struct index_kernel *y = *(const struct index_kernel *const *)b;

	return strcmp(x->path, y->path);
}

static int cmp_object(const struct index_object *x, const struct index_object *y)
{
	int c = strcmp(x->name, y->name);

	if (c || (!x->arch && !y->arch))
		return c;
	if (!x->arch || !y->arch)
		return x->arch ? 1 : -1;
	return strcmp(x->arch, y->arch);
}

static int cmp_object_ptr(const void *a, const void *b)
{
	return cmp_object(*(const struct index_object *const *)a,
			  *(const struct index_object *const *)b);
}

/* An array of pointers to n elements of size sz at base, sorted by cmp. */
static const void **sorted(const void *base, size_t n, size_t sz,
			   int (*cmp)(const void *, const void *))
{
	const void **v = calloc(n + 1, sizeof(*v));
	size_t i;

	if (!v)
		return NULL;
	for (i = 0; i < n; i++)
		v[i] = (const char *)base + i * sz;
	qsort(v, n, sizeof(*v), cmp);
	return v;
}

static bool same_str(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

/* Status, blob, or where it came from (carried by --keep-from or built). */
static bool kernel_changed(const struct index_kernel *a, const struct index_kernel *b)
{
	return strcmp(a->status, b->status) || strcmp(a->blob, b->blob) ||
	       !same_str(a->carried_from, b->carried_from);
}

/* Format 2 records an object's relocation digest, format 1 its file hash
 * and count: compare what both have. One side's digest against the other's
 * file hash cannot show it is the same: a change; nothing on either side
 * (an index without provenance) shows no change.
 */
static bool object_changed(const struct index_object *a, const struct index_object *b)
{
	if (a->relo[0] && b->relo[0])
		return strcmp(a->relo, b->relo);
	if (a->hash[0] && b->hash[0])
		return strcmp(a->hash, b->hash) || a->relocations != b->relocations;
	return a->relo[0] || b->relo[0] || a->hash[0] || b->hash[0];
}

static void add_kernel(struct bundle_diff *d, enum diff_kind kind, const struct index_kernel *a,
		       const struct index_kernel *b)
{
	d->kernels[d->kernel_cnt++] = (struct diff_kernel){ kind, a, b };
	if (kind == DIFF_ADDED)
		d->added++;
	else if (kind == DIFF_REMOVED)
		d->removed++;
	else
		d->changed++;
}

/* Walk both sorted lists side by side. */
static int diff_kernels(struct bundle_diff *d)
{
	const struct index_doc *o = &d->old_b.ix.doc, *n = &d->new_b.ix.doc;
	const struct index_kernel **a, **b;
	size_t i = 0, j = 0;
	int c;

	a = (const struct index_kernel **)sorted(o->kernels, o->kernel_cnt, sizeof(*o->kernels),
						 cmp_kernel_ptr);
	b = (const struct index_kernel **)sorted(n->kernels, n->kernel_cnt, sizeof(*n->kernels),
						 cmp_kernel_ptr);
	d->kernels = calloc(o->kernel_cnt + n->kernel_cnt + 1, sizeof(*d->kernels));
	if (!a || !b || !d->kernels) {
		free(a);
		free(b);
		return -ENOMEM;
	}
	while (i < o->kernel_cnt || j < n->kernel_cnt) {
		c = i == o->kernel_cnt ? 1 : j == n->kernel_cnt ? -1 : strcmp(a[i]->path, b[j]->path);
		if (c < 0) {
			add_kernel(d, DIFF_REMOVED, a[i++], NULL);
		} else if (c > 0) {
			add_kernel(d, DIFF_ADDED, NULL, b[j++]);
		} else {
			if (kernel_changed(a[i], b[j]))
				add_kernel(d, DIFF_CHANGED, a[i], b[j]);
			i++;
			j++;
		}
	}
	free(a);
	free(b);
	return 0;
}

static int diff_objects(struct bundle_diff *d)
{
	const struct index_doc *o = &d->old_b.ix.doc, *n = &d->new_b.ix.doc;
	const struct index_object **a, **b;
	size_t i = 0, j = 0;
	int c;

	a = (const struct index_object **)sorted(o->objects, o->obj_cnt, sizeof(*o->objects),
						 cmp_object_ptr);
	b = (const struct index_object **)sorted(n->objects, n->obj_cnt, sizeof(*n->objects),
						 cmp_object_ptr);
	d->objects = calloc(o->obj_cnt + n->obj_cnt + 1, sizeof(*d->objects));
	if (!a || !b || !d->objects) {
		free(a);
		free(b);
		return -ENOMEM;
	}
	while (i < o->obj_cnt || j < n->obj_cnt) {
		c = i == o->obj_cnt ? 1 : j == n->obj_cnt ? -1 : cmp_object(a[i], b[j]);
		if (c < 0)
			d->objects[d->obj_cnt++] = (struct diff_object){ DIFF_REMOVED, a[i++], NULL };
		else if (c > 0)
			d->objects[d->obj_cnt++] = (struct diff_object){ DIFF_ADDED, NULL, b[j++] };
		else if (object_changed(a[i], b[j]))
			d->objects[d->obj_cnt++] = (struct diff_object){ DIFF_CHANGED, a[i++], b[j++] };
		else
			i++, j++;
	}
	free(a);
	free(b);
	return 0;
}

int bundle_diff(const char *old_path, const char *new_path, struct bundle_diff *out,
		struct bp_err *err)
{
	int ret;

	memset(out, 0, sizeof(*out));
	ret = bundle_load(old_path, false, &out->old_b, err);
	if (!ret)
		ret = bundle_load(new_path, false, &out->new_b, err);
	if (!ret && (diff_kernels(out) || diff_objects(out)))
		ret = bp_err_set(err, ENOMEM, "out of memory");
	if (ret)
		bundle_diff_free(out);
	return ret;
}

void bundle_diff_free(struct bundle_diff *d)
{
	bundle_content_free(&d->old_b);
	bundle_content_free(&d->new_b);
	free(d->kernels);
	free(d->objects);
	memset(d, 0, sizeof(*d));
}
