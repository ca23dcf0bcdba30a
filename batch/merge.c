// SPDX-License-Identifier: MIT
/* Merge: every part read whole (index and distinct blobs), checked against
 * the others, its kernels sorted back into the hub walk's order, and the
 * bundle written through bundle_emit as a build writes it: same order,
 * same render plan, same index.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive/bundle_load.h"
#include "base/text.h"
#include "batch/bundle_emit.h"
#include "batch/hub_walk.h"
#include "batch/merge.h"

struct kref {
	size_t part;
	const struct index_kernel *k;
};

struct merger {
	const struct merge_opts *o;
	struct bundle_content *parts;
	struct kref *refs;
	size_t cnt;		/* kernels over all parts */
	size_t ok, failed;
	struct index_kernel *out;	/* the merged index's kernels */
	const void **data;	/* per kernel: its bytes */
	struct bundle_emit emit;
};

static const char *part_name(const struct merger *m, size_t i)
{
	return m->o->parts[i];
}

static int check_version(const struct merger *m, size_t i, struct bp_err *err)
{
	const struct index_parsed *ix = &m->parts[i].ix;

	if (!ix->doc.part)
		return bp_err_set(err, EINVAL,
				  "%s: not a part: its index.json has no \"part\" (build it with --shard K/N)",
				  part_name(m, i));
	if (strcmp(ix->generator + strlen("btfpack "), BTFPACK_VERSION))
		return bp_err_set(err, EINVAL,
				  "%s: built by %s, this is btfpack %s: build every part with one version",
				  part_name(m, i), ix->generator, BTFPACK_VERSION);
	if (!ix->doc.provenance)
		return bp_err_set(err, EINVAL, "%s: its index.json has no \"provenance\"",
				  part_name(m, i));
	if (ix->doc.profile && strcmp(ix->doc.profile, "native"))
		return bp_err_set(err, EINVAL, "%s: a part is a native bundle, this is --profile %s",
				  part_name(m, i), ix->doc.profile);
	return 0;
}

/* What the index says of an object: its name, arch, relocation digest. */
static bool same_object(const struct index_object *a, const struct index_object *b)
{
	return !strcmp(a->name, b->name) && !strcmp(a->relo, b->relo) &&
	       (a->arch && b->arch ? !strcmp(a->arch, b->arch) : a->arch == b->arch);
}

/* Part i against part 0: same shard count, same objects. */
static int check_alike(const struct merger *m, size_t i, struct bp_err *err)
{
	const struct index_doc *a = &m->parts[0].ix.doc, *b = &m->parts[i].ix.doc;
	size_t j;

	if (a->part->of != b->part->of)
		return bp_err_set(err, EINVAL, "%s is shard %u/%u but %s is shard %u/%u",
				  part_name(m, 0), a->part->shard, a->part->of, part_name(m, i),
				  b->part->shard, b->part->of);
	if (strcmp(a->provenance->object_set, b->provenance->object_set) ||
	    a->provenance->output_format != b->provenance->output_format)
		return bp_err_set(err, EINVAL,
				  "%s and %s were built from different object sets (object-set digest %s, output format %u; %s, %u)",
				  part_name(m, 0), part_name(m, i), a->provenance->object_set,
				  a->provenance->output_format, b->provenance->object_set,
				  b->provenance->output_format);
	if (strcmp(a->provenance->loader, b->provenance->loader))
		return bp_err_set(err, EINVAL, "%s was built with --loader %s but %s with --loader %s",
				  part_name(m, 0), a->provenance->loader, part_name(m, i),
				  b->provenance->loader);
	if (a->obj_cnt != b->obj_cnt)
		return bp_err_set(err, EINVAL,
				  "%s and %s were built from different object sets (%zu and %zu objects)",
				  part_name(m, 0), part_name(m, i), a->obj_cnt, b->obj_cnt);
	for (j = 0; j < a->obj_cnt; j++) {
		if (!same_object(&a->objects[j], &b->objects[j]))
			return bp_err_set(err, EINVAL,
					  "%s and %s were built from different object sets (object %zu: %s %s, %s %s)",
					  part_name(m, 0), part_name(m, i), j + 1, a->objects[j].name,
					  a->objects[j].relo, b->objects[j].name, b->objects[j].relo);
	}
	return 0;
}

/* Every shard once, and each part's kernels in its shard. */
static int check_shards(const struct merger *m, struct bp_err *err)
{
	unsigned int n = m->parts[0].ix.doc.part->of, k;
	size_t *owner, i, j;
	int ret = 0;

	owner = calloc((size_t)n + 1, sizeof(*owner));
	if (!owner)
		return bp_err_set(err, ENOMEM, "out of memory");
	for (i = 0; i < m->o->part_cnt && !ret; i++) {
		const struct index_doc *d = &m->parts[i].ix.doc;

		k = d->part->shard;
		if (owner[k])
			ret = bp_err_set(err, EINVAL, "%s and %s are both shard %u/%u",
					 part_name(m, owner[k] - 1), part_name(m, i), k, n);
		owner[k] = i + 1;
		for (j = 0; j < d->kernel_cnt && !ret; j++) {
			if (hub_shard_of(d->kernels[j].path, n) != k - 1)
				ret = bp_err_set(err, EINVAL, "%s: %s is not in shard %u/%u",
						 part_name(m, i), d->kernels[j].path, k, n);
		}
	}
	for (k = 1; k <= n && !ret; k++) {
		if (!owner[k])
			ret = bp_err_set(err, EINVAL, "shard %u/%u is missing: give all %u parts",
					 k, n, n);
	}
	free(owner);
	return ret;
}

static int load_parts(struct merger *m, struct bp_err *err)
{
	size_t i;
	int ret = 0;

	m->parts = calloc(m->o->part_cnt, sizeof(*m->parts));
	if (!m->parts)
		return bp_err_set(err, ENOMEM, "out of memory");
	for (i = 0; i < m->o->part_cnt && !ret; i++) {
		ret = bundle_load(part_name(m, i), true, &m->parts[i], err);
		if (!ret)
			ret = check_version(m, i, err);
		if (!ret)
			ret = check_alike(m, i, err);
	}
	return ret ? ret : check_shards(m, err);
}

static int cmp_refs(const void *a, const void *b)
{
	const struct kref *x = a, *y = b;

	return hub_source_cmp(x->k->source, y->k->source);
}

/* All kernels in the walk's order; one source in two parts is refused. */
static int order_kernels(struct merger *m, struct bp_err *err)
{
	size_t i, j, n = 0;

	for (i = 0; i < m->o->part_cnt; i++)
		m->cnt += m->parts[i].ix.doc.kernel_cnt;
	m->refs = calloc(m->cnt + 1, sizeof(*m->refs));
	m->out = calloc(m->cnt + 1, sizeof(*m->out));
	if (!m->refs || !m->out)
		return bp_err_set(err, ENOMEM, "out of memory");
	for (i = 0; i < m->o->part_cnt; i++) {
		for (j = 0; j < m->parts[i].ix.doc.kernel_cnt; j++)
			m->refs[n++] = (struct kref){ i, &m->parts[i].ix.doc.kernels[j] };
	}
	qsort(m->refs, m->cnt, sizeof(*m->refs), cmp_refs);
	for (i = 1; i < m->cnt; i++) {
		if (!hub_source_cmp(m->refs[i - 1].k->source, m->refs[i].k->source))
			return bp_err_set(err, EINVAL, "%s is in both %s and %s",
					  m->refs[i].k->source, part_name(m, m->refs[i - 1].part),
					  part_name(m, m->refs[i].part));
	}
	return 0;
}

/* Kernel i of the merged index and the bytes of an ok one. */
static int take_kernel(struct merger *m, size_t i, struct bp_err *err)
{
	const struct kref *r = &m->refs[i];
	const struct bundle_blob *blob;
	struct bp_hash h;

	m->out[i] = *r->k;
	if (strcmp(r->k->status, "ok"))
		return 0;
	bp_hash_parse_hex(r->k->blob, &h);
	blob = bundle_content_blob(&m->parts[r->part], &h);
	if (!blob || blob->size != r->k->size)
		return bp_err_set(err, ENOENT, "%s: the blob %s of %s is not in it",
				  part_name(m, r->part), r->k->blob, r->k->path);
	m->data[i] = blob->data;
	return 0;
}

static int take_kernels(struct merger *m, struct bp_err *err)
{
	size_t i;
	int ret = 0;

	m->data = calloc(m->cnt + 1, sizeof(*m->data));
	if (!m->data)
		return bp_err_set(err, ENOMEM, "out of memory");
	for (i = 0; i < m->cnt && !ret; i++)
		ret = take_kernel(m, i, err);
	return ret;
}

static int write_merged(struct merger *m, struct bp_err *err)
{
	const struct merge_opts *o = m->o;
	const struct emit_opts eo = { o->profile, o->dedup, o->aliases, o->mtime };
	const struct index_doc *first = &m->parts[0].ix.doc;
	struct index_doc doc = {
		.btfpack_version = BTFPACK_VERSION,
		.provenance = first->provenance,
		.objects = first->objects,
		.obj_cnt = first->obj_cnt,
		.kernels = m->out,
		.kernel_cnt = m->cnt,
	};
	struct bundle_writer *w = NULL;
	size_t i, dropped;
	int ret;

	ret = take_kernels(m, err);
	if (!ret)
		ret = bundle_emit_plan(&m->emit, &eo, m->out, m->cnt, m->data, &dropped, err);
	if (ret)
		return ret;
	bundle_emit_doc(&m->emit, &doc);
	for (i = 0; i < m->cnt; i++) {
		if (!strcmp(m->out[i].status, "ok")) {
			m->ok++;
			continue;
		}
		m->failed++;
		/* failed in the parts, or now: the profile cannot hold it */
		if (dropped && !m->refs[i].k->error)
			bp_print_error(m->out[i].error);
	}
	if (!m->ok || (m->failed && o->strict))
		return bp_err_set(err, EINVAL, "%s: not written: %s", o->output,
				  m->ok ? "--strict and some kernels failed" : "no kernel succeeded");
	ret = bundle_open_flags(o->output, o->format, o->mtime, o->out_flags, &w, err);
	if (!ret)
		ret = bundle_emit_write(&m->emit, &w, &doc, err);
	if (w)
		bundle_abort(w);
	return ret;
}

enum build_outcome merge_run(const struct merge_opts *o)
{
	struct merger m = { .o = o };
	struct bp_err err = { { 0 } };
	enum build_outcome code = BUILD_FAILED;
	size_t i;

	if (!load_parts(&m, &err) && !order_kernels(&m, &err) && !write_merged(&m, &err))
		code = m.failed ? BUILD_PARTIAL : BUILD_OK;
	if (code == BUILD_FAILED)
		bp_print_error(err.msg);
	else if (!o->quiet)
		fprintf(stderr, "btfpack: merged %zu parts: %zu kernels: %zu ok, %zu failed; %zu unique blobs\n",
			o->part_cnt, m.cnt, m.ok, m.failed, m.emit.unique);
	bundle_emit_free(&m.emit);
	for (i = 0; m.parts && i < o->part_cnt; i++)
		bundle_content_free(&m.parts[i]);
	free(m.parts);
	free(m.refs);
	free(m.out);
	free(m.data);
	return code;
}
