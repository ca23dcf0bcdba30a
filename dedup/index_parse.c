// SPDX-License-Identifier: MIT
/* index.json read back into the structures it was rendered from, for merge,
 * diff and --keep-from. Every key is checked for its type: an index that
 * does not say what a kernel is cannot be merged or carried.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
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

static void read_object(struct rd *r, json_t *o, size_t i, struct index_object *x)
{
	json_t *arch = json_object_get(o, "arch");

	x->name = get_str(r, o, "objects", i, "name", false);
	x->arch = json_is_null(arch) ? NULL : get_str(r, o, "objects", i, "arch", false);
	get_hash(r, o, "objects", i, "xxh128", false, x->hash);
	x->relocations = get_num(r, o, "objects", i, "relocations");
}

static void read_kernel(struct rd *r, json_t *o, size_t i, struct index_kernel *x)
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
	x->link = get_str(r, o, w, i, "link", true);
	x->carried_from = get_str(r, o, w, i, "carried_from", true);
	if (!json_is_object(rel)) {
		bad(r, w, i, "relocations", "an object");
		return;
	}
	x->resolved = get_num(r, rel, w, i, "resolved");
	x->unresolved = get_num(r, rel, w, i, "unresolved");
	x->rejected = get_num(r, rel, w, i, "rejected");
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
static void read_provenance(struct rd *r, json_t *root, struct index_parsed *ix)
{
	json_t *p = json_object_get(root, "provenance");

	if (!p)
		return;
	if (!json_is_object(p)) {
		bad(r, NULL, 0, "provenance", "an object");
		return;
	}
	get_hash(r, p, "provenance", 0, "object_set", false, ix->prov.object_set);
	ix->prov.output_format = (unsigned int)get_num(r, p, "provenance", 0, "output_format");
	ix->doc.provenance = &ix->prov;
}

/* The arrays, allocated to their sizes (one more, so 0 allocates too). */
static void read_arrays(struct rd *r, json_t *root, struct index_parsed *ix)
{
	json_t *objs = json_object_get(root, "objects"), *ks = json_object_get(root, "kernels");
	size_t i;

	if (!json_is_array(objs))
		bad(r, NULL, 0, "objects", "an array");
	if (!json_is_array(ks))
		bad(r, NULL, 0, "kernels", "an array");
	if (r->ret)
		return;
	ix->objects = calloc(json_array_size(objs) + 1, sizeof(*ix->objects));
	ix->kernels = calloc(json_array_size(ks) + 1, sizeof(*ix->kernels));
	if (!ix->objects || !ix->kernels) {
		r->ret = bp_err_set(r->err, ENOMEM, "%s: out of memory", r->name);
		return;
	}
	for (i = 0; i < json_array_size(objs) && !r->ret; i++)
		read_object(r, json_array_get(objs, i), i, &ix->objects[i]);
	for (i = 0; i < json_array_size(ks) && !r->ret; i++)
		read_kernel(r, json_array_get(ks, i), i, &ix->kernels[i]);
	ix->doc.objects = ix->objects;
	ix->doc.obj_cnt = json_array_size(objs);
	ix->doc.kernels = ix->kernels;
	ix->doc.kernel_cnt = json_array_size(ks);
}

int index_json_parse(const void *json, size_t size, const char *name, struct index_parsed *out,
		     struct bp_err *err)
{
	struct rd r = { .name = name, .err = err };
	json_error_t jerr;
	json_t *root;

	memset(out, 0, sizeof(*out));
	root = json_loadb(json, size, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return bp_err_set(err, EBADMSG, "%s: index.json line %d: %s", name, jerr.line,
				  jerr.text);
	out->root = root;
	if (!json_is_object(root) ||
	    json_integer_value(json_object_get(root, "format")) != BTFPACK_INDEX_FORMAT)
		bad(&r, NULL, 0, "format", "1 (not a btfpack index of this format)");
	out->generator = get_str(&r, root, NULL, 0, "generator", false);
	if (!r.ret && strncmp(out->generator, "btfpack ", 8))
		bad(&r, NULL, 0, "generator", "\"btfpack <version>\"");
	out->doc.dedup = get_str(&r, root, NULL, 0, "dedup", false);
	read_part(&r, root, out);
	read_provenance(&r, root, out);
	read_arrays(&r, root, out);
	if (r.ret)
		index_parsed_free(out);
	return r.ret;
}

void index_parsed_free(struct index_parsed *ix)
{
	free(ix->objects);
	free(ix->kernels);
	json_decref(ix->root);
	memset(ix, 0, sizeof(*ix));
}
