// SPDX-License-Identifier: MIT
/* index.json read back into the structures it was rendered from, for merge,
 * diff and --keep-from: format 2 (entries, failed, the provenance's sources
 * and objects) and format 1 (full kernel records). Every key is checked for
 * its type: an index that does not say what a kernel is cannot be merged or
 * carried.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "dedup/hash.h"
#include "dedup/index_json.h"

struct rd {
	const char *name;	/* the bundle, for messages */
	struct bp_err *err;
	int ret;
};

static void bad(struct rd *r, const char *where, size_t i, const char *key, const char *want)
{
	if (r->ret)
		return;
	if (where)
		r->ret = bp_err_set(r->err, EBADMSG, "%s: index.json: %s[%zu].%s is not %s",
				    r->name, where, i, key, want);
	else
		r->ret = bp_err_set(r->err, EBADMSG, "%s: index.json: \"%s\" is not %s", r->name,
				    key, want);
}

static const char *get_str(struct rd *r, json_t *o, const char *where, size_t i, const char *key,
			   bool optional)
{
	json_t *v = json_object_get(o, key);

	if (!v && optional)
		return NULL;
	if (!json_is_string(v)) {
		bad(r, where, i, key, "a string");
		return NULL;
	}
	return json_string_value(v);
}

static size_t get_num(struct rd *r, json_t *o, const char *where, size_t i, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0) {
		bad(r, where, i, key, "a non-negative integer");
		return 0;
	}
	return (size_t)json_integer_value(v);
}

/* A hash key into out (33 bytes); null allowed when nullable ("" then). */
static void get_hash(struct rd *r, json_t *o, const char *where, size_t i, const char *key,
		     bool nullable, char *out)
{
	json_t *v = json_object_get(o, key);
	struct bp_hash h;

	out[0] = '\0';
	if (nullable && json_is_null(v))
		return;
	if (!json_is_string(v) || bp_hash_parse_hex(json_string_value(v), &h)) {
		bad(r, where, i, key, "an xxh128 hash");
		return;
	}
	memcpy(out, json_string_value(v), BP_HASH_HEX_LEN + 1);
}

/* distro, version, arch, release from path, as the walk made it:
 * <distro>/<version>/<arch>/<release>.btf (a failed directory: fewer).
 */
static void split_path(struct rd *r, struct index_kernel *x, char **buf)
{
	char *comp[4] = { NULL, NULL, NULL, NULL }, *p, *slash = NULL, *dot = NULL;
	size_t n = 0;

	*buf = x->path ? strdup(x->path) : NULL;
	if (!*buf) {
		if (x->path && !r->ret)
			r->ret = bp_err_set(r->err, ENOMEM, "%s: out of memory", r->name);
		return;
	}
	for (p = *buf; p && n < 4; p = slash) {
		slash = strchr(p, '/');
		if (slash)
			*slash++ = '\0';
		comp[n++] = p;
	}
	x->distro = comp[0] ? comp[0] : "";
	x->version = comp[1] ? comp[1] : "";
	x->arch = comp[2] ? comp[2] : "";
	x->release = "";
	if (n == 4 && !slash)
		dot = strrchr(comp[3], '.');
	if (dot && !strcmp(dot, ".btf")) {
		*dot = '\0';
		x->release = comp[3];
	}
}

/* Format 1: a full record per kernel. */
static void read_kernel_v1(struct rd *r, json_t *o, size_t i, struct index_kernel *x)
{
	static const char *const w = "kernels";
	json_t *rel = json_object_get(o, "relocations");

	x->path = get_str(r, o, w, i, "path", false);
	x->source = get_str(r, o, w, i, "source", false);
	x->distro = get_str(r, o, w, i, "distro", false);
	x->version = get_str(r, o, w, i, "version", false);
	x->arch = get_str(r, o, w, i, "arch", false);
	x->release = get_str(r, o, w, i, "release", false);
	x->status = get_str(r, o, w, i, "status", false);
	if (x->status && !strcmp(x->status, "ok"))
		get_hash(r, o, w, i, "blob", false, x->blob);
	else if (x->status && !strcmp(x->status, "failed"))
		x->error = get_str(r, o, w, i, "error", false);
	else
		bad(r, w, i, "status", "\"ok\" or \"failed\"");
	x->size = get_num(r, o, w, i, "size");
	get_hash(r, o, w, i, "source_xxh128", true, x->source_hash);
	x->carried_from = get_str(r, o, w, i, "carried_from", true);
	if (!json_is_object(rel)) {
		bad(r, w, i, "relocations", "an object");
		return;
	}
	x->resolved = get_num(r, rel, w, i, "resolved");
	x->unresolved = get_num(r, rel, w, i, "unresolved");
	x->rejected = get_num(r, rel, w, i, "rejected");
}

static void read_object_v1(struct rd *r, json_t *o, size_t i, struct index_object *x)
{
	json_t *arch = json_object_get(o, "arch");

	x->name = get_str(r, o, "objects", i, "name", false);
	x->arch = json_is_null(arch) ? NULL : get_str(r, o, "objects", i, "arch", false);
	get_hash(r, o, "objects", i, "xxh128", false, x->hash);
	x->relocations = get_num(r, o, "objects", i, "relocations");
}

/* Format 2: entries.<path> = {"xxh128", "size"[, "carried_from"]}. */
static void read_entry(struct rd *r, const char *path, json_t *e, size_t i,
		       struct index_kernel *x)
{
	if (!json_is_object(e)) {
		bad(r, "entries", i, "", "an object");
		return;
	}
	x->path = path;
	x->status = "ok";
	get_hash(r, e, "entries", i, "xxh128", false, x->blob);
	x->size = get_num(r, e, "entries", i, "size");
	x->carried_from = get_str(r, e, "entries", i, "carried_from", true);
	if (x->carried_from && !r->ret) {
		struct bp_hash h;

		if (bp_hash_parse_hex(x->carried_from, &h))
			bad(r, "entries", i, "carried_from", "an xxh128 hash");
	}
}

static void read_failed(struct rd *r, json_t *f, size_t i, struct index_kernel *x)
{
	if (!json_is_object(f)) {
		bad(r, "failed", i, "", "an object");
		return;
	}
	x->path = get_str(r, f, "failed", i, "path", false);
	x->status = "failed";
	x->error = get_str(r, f, "failed", i, "error", false);
}

static void read_part(struct rd *r, json_t *root, struct index_parsed *ix)
{
	json_t *p = json_object_get(root, "part");
	size_t k, n;

	if (!p)
		return;
	if (!json_is_object(p)) {
		bad(r, NULL, 0, "part", "an object");
		return;
	}
	k = get_num(r, p, "part", 0, "shard");
	n = get_num(r, p, "part", 0, "of");
	if (!r->ret && (!k || k > n || n > INDEX_PART_MAX))
		bad(r, NULL, 0, "part", "a shard K of N with 1 <= K <= N <= 4096");
	ix->part.shard = (unsigned int)k;
	ix->part.of = (unsigned int)n;
	ix->doc.part = &ix->part;
}

/* What a merge and --keep-from compare; the rest of it is derived. */
/* "loader": a short name; a provenance without one is from before --loader,
 * whose output served libbpf and cilium alike ("all")
 */
static void read_loader(struct rd *r, json_t *p, struct index_provenance *prov)
{
	const char *l = get_str(r, p, "provenance", 0, "loader", true);

	if (!l)
		l = "all";
	if (strlen(l) >= sizeof(prov->loader)) {
		bad(r, NULL, 0, "loader", "a loader name");
		return;
	}
	strcpy(prov->loader, l);
}

static json_t *read_provenance(struct rd *r, json_t *root, struct index_parsed *ix)
{
	json_t *p = json_object_get(root, "provenance");

	if (!p)
		return NULL;
	if (!json_is_object(p)) {
		bad(r, NULL, 0, "provenance", "an object");
		return NULL;
	}
	get_hash(r, p, "provenance", 0, "object_set", false, ix->prov.object_set);
	ix->prov.output_format = (unsigned int)get_num(r, p, "provenance", 0, "output_format");
	read_loader(r, p, &ix->prov);
	ix->doc.provenance = &ix->prov;
	return p;
}

/* An array key of o with n elements (n == SIZE_MAX: any); NULL if not.
 * label names it in messages.
 */
static json_t *get_array(struct rd *r, json_t *o, const char *key, const char *label, size_t n,
			 const char *want)
{
	json_t *a = json_object_get(o, key);

	if (!json_is_array(a) || (n != SIZE_MAX && json_array_size(a) != n)) {
		bad(r, NULL, 0, label, want);
		return NULL;
	}
	return a;
}

static int alloc_arrays(struct rd *r, struct index_parsed *ix, size_t objs, size_t kernels)
{
	ix->objects = calloc(objs + 1, sizeof(*ix->objects));
	ix->kernels = calloc(kernels + 1, sizeof(*ix->kernels));
	ix->names = calloc(kernels + 1, sizeof(*ix->names));
	if (!ix->objects || !ix->kernels || !ix->names)
		return r->ret = bp_err_set(r->err, ENOMEM, "%s: out of memory", r->name);
	ix->doc.objects = ix->objects;
	ix->doc.obj_cnt = objs;
	ix->doc.kernels = ix->kernels;
	ix->doc.kernel_cnt = kernels;
	return 0;
}

static void read_v1(struct rd *r, json_t *root, struct index_parsed *ix)
{
	json_t *objs = get_array(r, root, "objects", "objects", SIZE_MAX, "an array");
	json_t *ks = get_array(r, root, "kernels", "kernels", SIZE_MAX, "an array");
	size_t i;

	ix->doc.dedup = get_str(r, root, NULL, 0, "dedup", false);
	if (r->ret || alloc_arrays(r, ix, json_array_size(objs), json_array_size(ks)))
		return;
	for (i = 0; i < ix->doc.obj_cnt && !r->ret; i++)
		read_object_v1(r, json_array_get(objs, i), i, &ix->objects[i]);
	for (i = 0; i < ix->doc.kernel_cnt && !r->ret; i++)
		read_kernel_v1(r, json_array_get(ks, i), i, &ix->kernels[i]);
}

/* Names from "objects"; arch and relocation digest from the provenance's. */
static void read_objects_v2(struct rd *r, json_t *objs, json_t *pobjs, struct index_object *x,
			    size_t n)
{
	json_t *o, *arch;
	size_t i;

	for (i = 0; i < n && !r->ret; i++) {
		o = json_array_get(objs, i);
		if (!json_is_string(o)) {
			bad(r, "objects", i, "name", "a string");
			return;
		}
		x[i].name = json_string_value(o);
		if (!pobjs)
			continue;
		o = json_array_get(pobjs, i);
		if (!json_is_object(o)) {
			bad(r, "provenance.objects", i, "", "an object");
			return;
		}
		arch = json_object_get(o, "arch");
		x[i].arch = json_is_null(arch) ? NULL :
			    get_str(r, o, "provenance.objects", i, "arch", false);
		get_hash(r, o, "provenance.objects", i, "relocations", false, x[i].relo);
	}
}

/* sources[i] belongs to kernel i: entries first, then the failed. */
static void read_sources(struct rd *r, json_t *sources, struct index_parsed *ix)
{
	size_t i;

	for (i = 0; i < ix->doc.kernel_cnt && !r->ret; i++) {
		json_t *s = json_array_get(sources, i);

		if (!json_is_object(s)) {
			bad(r, "provenance.sources", i, "", "an object");
			return;
		}
		ix->kernels[i].source = get_str(r, s, "provenance.sources", i, "path", false);
		get_hash(r, s, "provenance.sources", i, "xxh128", true,
			 ix->kernels[i].source_hash);
	}
}

static void read_v2(struct rd *r, json_t *root, struct index_parsed *ix)
{
	json_t *prov = read_provenance(r, root, ix), *pobjs = NULL, *sources = NULL, *e;
	json_t *objs = get_array(r, root, "objects", "objects", SIZE_MAX, "an array");
	json_t *entries = json_object_get(root, "entries");
	json_t *failed = get_array(r, root, "failed", "failed", SIZE_MAX, "an array");
	size_t i = 0, n_ok, n;
	const char *path;

	if (!json_is_object(entries))
		bad(r, NULL, 0, "entries", "an object");
	ix->doc.profile = get_str(r, root, NULL, 0, "profile", false);
	ix->doc.dedup = get_str(r, root, NULL, 0, "dedup", true);
	if (r->ret)
		return;
	n_ok = json_object_size(entries);
	n = n_ok + json_array_size(failed);
	if (prov) {
		pobjs = get_array(r, prov, "objects", "provenance.objects", json_array_size(objs),
				  "an array of one per object");
		sources = get_array(r, prov, "sources", "provenance.sources", n,
				    "an array of one per entry and failed");
	}
	if (r->ret || alloc_arrays(r, ix, json_array_size(objs), n))
		return;
	read_objects_v2(r, objs, pobjs, ix->objects, ix->doc.obj_cnt);
	/* jansson keeps the document's key order */
	json_object_foreach(entries, path, e) {
		read_entry(r, path, e, i, &ix->kernels[i]);
		i++;
	}
	for (i = 0; i < json_array_size(failed) && !r->ret; i++)
		read_failed(r, json_array_get(failed, i), i, &ix->kernels[n_ok + i]);
	if (sources)
		read_sources(r, sources, ix);
	for (i = 0; i < n && !r->ret; i++)
		split_path(r, &ix->kernels[i], &ix->names[i]);
}

int index_json_parse(const void *json, size_t size, const char *name, struct index_parsed *out,
		     struct bp_err *err)
{
	struct rd r = { .name = name, .err = err };
	json_error_t jerr;
	json_int_t format;
	json_t *root;

	memset(out, 0, sizeof(*out));
	root = json_loadb(json, size, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return bp_err_set(err, EBADMSG, "%s: index.json line %d: %s", name, jerr.line,
				  jerr.text);
	out->root = root;
	format = json_integer_value(json_object_get(root, "format"));
	if (!json_is_object(root) || (format != 1 && format != BTFPACK_INDEX_FORMAT))
		bad(&r, NULL, 0, "format", "1 or 2 (not a btfpack index of a known format)");
	out->generator = get_str(&r, root, NULL, 0, "generator", false);
	if (!r.ret && strncmp(out->generator, "btfpack ", 8))
		bad(&r, NULL, 0, "generator", "\"btfpack <version>\"");
	read_part(&r, root, out);
	if (!r.ret && format == 1) {
		read_v1(&r, root, out);
		read_provenance(&r, root, out);
	} else if (!r.ret) {
		read_v2(&r, root, out);
	}
	if (r.ret)
		index_parsed_free(out);
	return r.ret;
}

void index_parsed_free(struct index_parsed *ix)
{
	size_t i;

	for (i = 0; ix->names && i < ix->doc.kernel_cnt; i++)
		free(ix->names[i]);
	free(ix->names);
	free(ix->objects);
	free(ix->kernels);
	json_decref(ix->root);
	memset(ix, 0, sizeof(*ix));
}
