// SPDX-License-Identifier: MIT
/* index.json and the coverage report. Every JSON object is built key by key
 * in the order docs/index-format.md lists; jansson keeps insertion order, so
 * equal documents dump to equal bytes.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "base/text.h"
#include "dedup/blob_store.h"
#include "dedup/hash.h"
#include "dedup/index_json.h"

#define DUMP_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER)

_Static_assert(sizeof(json_int_t) == sizeof(long long), "json_int_t is long long");

/* Builder state. The first failure sticks and later steps only release
 * what they are handed, so builders read as plain lists of keys and the
 * result is checked once.
 */
struct jb {
	const char *what;	/* document name, for messages */
	struct bp_err *err;
	int ret;
};

static void jb_oom(struct jb *b)
{
	if (!b->ret)
		b->ret = bp_err_set(b->err, ENOMEM, "%s: out of memory", b->what);
}

static json_t *jobj(struct jb *b)
{
	json_t *j = b->ret ? NULL : json_object();

	if (!j)
		jb_oom(b);
	return j;
}

static json_t *jarr(struct jb *b)
{
	json_t *j = b->ret ? NULL : json_array();

	if (!j)
		jb_oom(b);
	return j;
}

/* json_object_set_new() and json_array_append_new() consume val even when
 * they fail; so does this.
 */
static void put(struct jb *b, json_t *obj, const char *key, json_t *val)
{
	if (b->ret) {
		json_decref(val);
		return;
	}
	if (json_object_set_new(obj, key, val))
		jb_oom(b);
}

static void append(struct jb *b, json_t *arr, json_t *val)
{
	if (b->ret) {
		json_decref(val);
		return;
	}
	if (json_array_append_new(arr, val))
		jb_oom(b);
}

static json_t *num(struct jb *b, size_t v)
{
	json_t *j;

	if (b->ret)
		return NULL;
	if (v > LLONG_MAX) {
		b->ret = bp_err_set(b->err, ERANGE, "%s: %zu does not fit a JSON integer",
				    b->what, v);
		return NULL;
	}
	j = json_integer((json_int_t)v);
	if (!j)
		jb_oom(b);
	return j;
}

/* Length of the well-formed UTF-8 sequence at p (the rules jansson checks
 * strings against: no overlongs, surrogates or code points past U+10FFFF),
 * 0 when p does not start one.
 */
static size_t utf8_seq_len(const unsigned char *p)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		if (p[0] == 0xe0)
			lo = 0xa0;
		else if (p[0] == 0xed)
			hi = 0x9f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		if (p[0] == 0xf0)
			lo = 0x90;
		else if (p[0] == 0xf4)
			hi = 0x8f;
	} else {
		return 0;
	}
	/* a NUL fails these checks, so nothing past the string is read */
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < n; i++) {
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	}
	return n;
}

static bool utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	for (; *p; p += n) {
		n = utf8_seq_len(p);
		if (!n)
			return false;
	}
	return true;
}

/* A required string; ctx names the entry in messages. Names and paths are
 * identities, so bytes JSON cannot carry are an error, not replaced.
 */
static json_t *str(struct jb *b, const char *s, const char *ctx, const char *field)
{
	json_t *j;

	if (b->ret)
		return NULL;
	if (!s) {
		b->ret = bp_err_set(b->err, EINVAL, "%s: %s: no %s", b->what, ctx, field);
		return NULL;
	}
	j = json_string(s);
	if (j)
		return j;
	if (utf8_valid(s))
		jb_oom(b);
	else
		b->ret = bp_err_set(b->err, EILSEQ, "%s: %s: %s is not valid UTF-8",
				    b->what, ctx, field);
	return NULL;
}

/* Error messages may quote names from the input BTF, which can hold any
 * bytes; replace what is not UTF-8 with '?' rather than fail the index.
 */
static json_t *str_lossy(struct jb *b, const char *s, const char *ctx, const char *field)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n, off = 0;
	char *copy;
	json_t *j;

	if (b->ret || !s || utf8_valid(s))
		return str(b, s, ctx, field);
	copy = malloc(strlen(s) + 1);
	if (!copy) {
		jb_oom(b);
		return NULL;
	}
	for (; *p; p += n) {
		n = utf8_seq_len(p);
		if (n) {
			memcpy(copy + off, p, n);
			off += n;
		} else {
			copy[off++] = '?';
			n = 1;
		}
	}
	copy[off] = '\0';
	j = str(b, copy, ctx, field);
	free(copy);
	return j;
}

/* A hash field: exactly what bp_hash_hex() prints. */
static json_t *hash_str(struct jb *b, const char *hex, const char *ctx, const char *field)
{
	struct bp_hash h;

	if (b->ret)
		return NULL;
	if (bp_hash_parse_hex(hex, &h)) {
		b->ret = bp_err_set(b->err, EINVAL, "%s: %s: %s is not %d hex digits",
				    b->what, ctx, field, BP_HASH_HEX_LEN);
		return NULL;
	}
	return str(b, hex, ctx, field);
}

static const char *kernel_ctx(const struct index_kernel *k)
{
	return k->path ? k->path : "kernel";
}

static bool kernel_ok(const struct index_kernel *k)
{
	return k->status && !strcmp(k->status, "ok");
}

/* Consumers branch on status, so only the two documented values pass. */
static void check_status(struct jb *b, const struct index_kernel *k)
{
	if (b->ret || kernel_ok(k))
		return;
	if (!k->status || strcmp(k->status, "failed"))
		b->ret = bp_err_set(b->err, EINVAL, "%s: %s: status is '%s', not 'ok' or 'failed'",
				    b->what, kernel_ctx(k), k->status ? k->status : "(none)");
}

static json_t *counts_json(struct jb *b, size_t resolved, size_t unresolved, size_t rejected)
{
	json_t *j = jobj(b);

	put(b, j, "resolved", num(b, resolved));
	put(b, j, "unresolved", num(b, unresolved));
	put(b, j, "rejected", num(b, rejected));
	return j;
}

static json_t *index_object_json(struct jb *b, const struct index_object *o)
{
	const char *ctx = o->name ? o->name : "object";
	json_t *j = jobj(b);

	put(b, j, "name", str(b, o->name, ctx, "name"));
	put(b, j, "arch", o->arch ? str(b, o->arch, ctx, "arch") : json_null());
	put(b, j, "xxh128", hash_str(b, o->hash, ctx, "xxh128"));
	put(b, j, "relocations", num(b, o->relocations));
	return j;
}

static json_t *index_kernel_json(struct jb *b, const struct index_kernel *k)
{
	const char *ctx = kernel_ctx(k);
	json_t *j;

	check_status(b, k);
	j = jobj(b);
	put(b, j, "path", str(b, k->path, ctx, "path"));
	put(b, j, "source", str(b, k->source, ctx, "source"));
	put(b, j, "distro", str(b, k->distro, ctx, "distro"));
	put(b, j, "version", str(b, k->version, ctx, "version"));
	put(b, j, "arch", str(b, k->arch, ctx, "arch"));
	put(b, j, "release", str(b, k->release, ctx, "release"));
	put(b, j, "status", str(b, k->status, ctx, "status"));
	if (kernel_ok(k))
		put(b, j, "blob", hash_str(b, k->blob, ctx, "blob"));
	else
		put(b, j, "error", str_lossy(b, k->error, ctx, "error"));
	put(b, j, "size", num(b, k->size));
	/* no hash when the input could not be read at all */
	put(b, j, "source_xxh128",
	    k->source_hash[0] ? hash_str(b, k->source_hash, ctx, "source_xxh128") : json_null());
	if (k->carried_from)
		put(b, j, "carried_from", hash_str(b, k->carried_from, ctx, "carried_from"));
	put(b, j, "relocations", counts_json(b, k->resolved, k->unresolved, k->rejected));
	return j;
}

static json_t *summary_json(struct jb *b, const struct index_doc *doc)
{
	size_t i, ok = 0, bytes = 0;
	struct blob_store *store;
	const char *first;
	struct bp_hash h;
	json_t *j;

	if (b->ret)
		return NULL;
	store = blob_store_new();
	if (!store) {
		jb_oom(b);
		return NULL;
	}
	for (i = 0; i < doc->kernel_cnt && !b->ret; i++) {
		const struct index_kernel *k = &doc->kernels[i];

		if (!kernel_ok(k))
			continue;
		ok++;
		/* blob was validated when the kernel entry was built */
		bp_hash_parse_hex(k->blob, &h);
		if (blob_store_add(store, &h, k->path, &first)) {
			jb_oom(b);
		} else if (!first) {
			if (k->size > SIZE_MAX - bytes)
				b->ret = bp_err_set(b->err, ERANGE, "%s: output size overflows",
						    b->what);
			bytes += k->size;
		}
	}
	j = jobj(b);
	put(b, j, "kernels", num(b, doc->kernel_cnt));
	put(b, j, "ok", num(b, ok));
	put(b, j, "failed", num(b, doc->kernel_cnt - ok));
	put(b, j, "unique_blobs", num(b, blob_store_unique(store)));
	put(b, j, "bytes_out", num(b, bytes));
	blob_store_free(store);
	return j;
}

int index_bundle_id(const struct index_doc *doc, struct bp_hash *out)
{
	struct bp_hasher *h = bp_hasher_new();
	size_t i;

	if (!h)
		return -ENOMEM;
	for (i = 0; i < doc->kernel_cnt; i++) {
		const struct index_kernel *k = &doc->kernels[i];

		if (!kernel_ok(k))
			continue;
		bp_hasher_update(h, k->path, strlen(k->path) + 1);
		bp_hasher_update(h, k->blob, strlen(k->blob) + 1);
	}
	bp_hasher_final(h, out);
	return 0;
}

static json_t *source_json(struct jb *b, const struct index_kernel *k)
{
	json_t *s = jobj(b);

	put(b, s, "path", str(b, k->source, kernel_ctx(k), "source"));
	/* no hash when the input could not be read at all */
	put(b, s, "xxh128", k->source_hash[0] ? hash_str(b, k->source_hash, kernel_ctx(k),
							 "source_xxh128") : json_null());
	return s;
}

/* One per object, in "objects" order: what diff compares. */
static json_t *prov_objects_json(struct jb *b, const struct index_doc *doc)
{
	json_t *j = jarr(b), *o;
	size_t i;

	for (i = 0; i < doc->obj_cnt && !b->ret; i++) {
		const struct index_object *x = &doc->objects[i];
		const char *ctx = x->name ? x->name : "object";

		o = jobj(b);
		put(b, o, "arch", x->arch ? str(b, x->arch, ctx, "arch") : json_null());
		put(b, o, "relocations", hash_str(b, x->relo, ctx, "relocation digest"));
		append(b, j, o);
	}
	return j;
}

/* "sources": the entries' in "entries" order, then the failed ones' in
 * "failed" order, so a reader pairs them without a key of their own.
 */
static json_t *sources_json(struct jb *b, const struct index_doc *doc)
{
	json_t *j = jarr(b);
	size_t i, pass;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < doc->kernel_cnt && !b->ret; i++) {
			if (kernel_ok(&doc->kernels[i]) == !pass)
				append(b, j, source_json(b, &doc->kernels[i]));
		}
	}
	return j;
}

static json_t *provenance_json(struct jb *b, const struct index_doc *doc)
{
	const struct index_provenance *p = doc->provenance;
	char id[BP_HASH_HEX_LEN + 1] = "";
	json_t *j = jobj(b);
	struct bp_hash h;

	if (index_bundle_id(doc, &h))
		jb_oom(b);
	else
		bp_hash_hex(&h, id);
	put(b, j, "bundle_id", hash_str(b, id, "bundle", "bundle_id"));
	put(b, j, "object_set", hash_str(b, p->object_set, "bundle", "object_set"));
	put(b, j, "btfpack_version", str(b, doc->btfpack_version, "bundle", "btfpack_version"));
	put(b, j, "output_format", num(b, p->output_format));
	put(b, j, "loader", str(b, p->loader[0] ? p->loader : "all", "bundle", "loader"));
	put(b, j, "objects", prov_objects_json(b, doc));
	put(b, j, "sources", sources_json(b, doc));
	return j;
}

static json_t *part_json(struct jb *b, const struct index_part *p)
{
	json_t *j = jobj(b);

	put(b, j, "shard", num(b, p->shard));
	put(b, j, "of", num(b, p->of));
	return j;
}

/* json_dump_callback() sink: a growing, always NUL-terminated buffer. */
struct sbuf {
	char *data;
	size_t len;
	size_t cap;
};

static int sbuf_append(const char *buf, size_t size, void *ctx)
{
	struct sbuf *sb = ctx;
	size_t cap;
	char *data;

	if (size >= SIZE_MAX / 2 - sb->len)
		return -1;
	if (sb->len + size + 1 > sb->cap) {
		cap = sb->cap ? sb->cap : 4096;
		while (cap < sb->len + size + 1)
			cap *= 2;
		data = realloc(sb->data, cap);
		if (!data)
			return -1;
		sb->data = data;
		sb->cap = cap;
	}
	memcpy(sb->data + sb->len, buf, size);
	sb->len += size;
	sb->data[sb->len] = '\0';
	return 0;
}

/* Dump root (consumed) with a trailing newline into *out. */
static int finish(struct jb *b, json_t *root, char **out, size_t flags)
{
	struct sbuf sb = { 0 };

	if (!b->ret && (json_dump_callback(root, sbuf_append, &sb, flags) ||
			sbuf_append("\n", 1, &sb)))
		jb_oom(b);
	json_decref(root);
	if (b->ret) {
		free(sb.data);
		return b->ret;
	}
	*out = sb.data;
	return 0;
}

/* A key of a JSON object: UTF-8, like every string of the document. */
static void put_key(struct jb *b, json_t *obj, const char *key, json_t *val)
{
	if (!b->ret && !utf8_valid(key))
		b->ret = bp_err_set(b->err, EILSEQ, "%s: %s is not valid UTF-8", b->what, key);
	put(b, obj, key, val);
}

/* "entries": path -> {"xxh128", "size"} of every ok kernel. */
static json_t *entries_json(struct jb *b, const struct index_doc *doc)
{
	json_t *j = jobj(b), *e;
	size_t i;

	for (i = 0; i < doc->kernel_cnt && !b->ret; i++) {
		const struct index_kernel *k = &doc->kernels[i];

		check_status(b, k);
		if (!kernel_ok(k))
			continue;
		if (!b->ret && !k->path)
			b->ret = bp_err_set(b->err, EINVAL, "%s: kernel: no path", b->what);
		e = jobj(b);
		put(b, e, "xxh128", hash_str(b, k->blob, kernel_ctx(k), "blob"));
		put(b, e, "size", num(b, k->size));
		if (k->carried_from)
			put(b, e, "carried_from",
			    hash_str(b, k->carried_from, kernel_ctx(k), "carried_from"));
		put_key(b, j, b->ret ? "" : k->path, e);
	}
	return j;
}

/* "aliases": alias path -> entry path. */
static json_t *aliases_json(struct jb *b, const struct index_doc *doc)
{
	json_t *j = jobj(b);
	size_t i;

	for (i = 0; i < doc->alias_cnt && !b->ret; i++) {
		const struct index_alias *a = &doc->aliases[i];

		if (!a->path) {
			b->ret = bp_err_set(b->err, EINVAL, "%s: alias: no path", b->what);
			break;
		}
		put_key(b, j, a->path, str(b, a->entry, a->path, "entry"));
	}
	return j;
}

/* "failed": [{"path", "error"}] (an array: failed inputs may share a path). */
static json_t *failed_json(struct jb *b, const struct index_doc *doc)
{
	json_t *j = jarr(b), *f;
	size_t i;

	for (i = 0; i < doc->kernel_cnt && !b->ret; i++) {
		const struct index_kernel *k = &doc->kernels[i];

		if (kernel_ok(k))
			continue;
		f = jobj(b);
		put(b, f, "path", str(b, k->path, kernel_ctx(k), "path"));
		put(b, f, "error", str_lossy(b, k->error, kernel_ctx(k), "error"));
		append(b, j, f);
	}
	return j;
}

int index_json_render(const struct index_doc *doc, char **out, struct bp_err *err)
{
	struct jb b = { .what = "index.json", .err = err };
	json_t *root, *objects;
	size_t i;

	*out = NULL;
	root = jobj(&b);
	put(&b, root, "format", num(&b, BTFPACK_INDEX_FORMAT));
	if (!b.ret && !doc->btfpack_version)
		b.ret = bp_err_set(err, EINVAL, "index.json: no btfpack version");
	put(&b, root, "generator",
	    b.ret ? NULL : json_sprintf("btfpack %s", doc->btfpack_version));
	put(&b, root, "profile", str(&b, doc->profile ? doc->profile : "native", "bundle",
				     "profile"));
	if (doc->dedup)
		put(&b, root, "dedup", str(&b, doc->dedup, "bundle", "dedup mode"));
	if (doc->part)
		put(&b, root, "part", part_json(&b, doc->part));
	if (doc->provenance)
		put(&b, root, "provenance", provenance_json(&b, doc));
	objects = jarr(&b);
	for (i = 0; i < doc->obj_cnt && !b.ret; i++)
		append(&b, objects, str(&b, doc->objects[i].name, "object", "name"));
	put(&b, root, "objects", objects);
	put(&b, root, "entries", entries_json(&b, doc));
	if (doc->alias_cnt)
		put(&b, root, "aliases", aliases_json(&b, doc));
	put(&b, root, "failed", failed_json(&b, doc));
	return finish(&b, root, out, JSON_COMPACT | JSON_PRESERVE_ORDER);
}

static json_t *report_kernel_json(struct jb *b, const struct index_doc *doc,
				  const struct index_kernel *k)
{
	json_t *j, *objects;
	size_t i;

	j = index_kernel_json(b, k);
	/* no coverage: the kernel failed before the engine ran */
	if (!k->coverage)
		return j;
	objects = jarr(b);
	for (i = 0; i < doc->obj_cnt && !b->ret; i++) {
		const struct index_object *o = &doc->objects[i];
		const struct index_coverage *c = &k->coverage[i];
		json_t *oj = jobj(b);

		put(b, oj, "name", str(b, o->name, "object", "name"));
		put(b, oj, "resolved", num(b, c->resolved));
		put(b, oj, "unresolved", num(b, c->unresolved));
		put(b, oj, "rejected", num(b, c->rejected));
		append(b, objects, oj);
	}
	put(b, j, "objects", objects);
	return j;
}

int report_json_render(const struct index_doc *doc, char **out, struct bp_err *err)
{
	struct jb b = { .what = "report", .err = err };
	json_t *root, *objects, *kernels;
	size_t i;

	*out = NULL;
	root = jobj(&b);
	put(&b, root, "format", num(&b, BTFPACK_REPORT_FORMAT));
	objects = jarr(&b);
	for (i = 0; i < doc->obj_cnt && !b.ret; i++)
		append(&b, objects, index_object_json(&b, &doc->objects[i]));
	put(&b, root, "objects", objects);
	kernels = jarr(&b);
	for (i = 0; i < doc->kernel_cnt && !b.ret; i++)
		append(&b, kernels, report_kernel_json(&b, doc, &doc->kernels[i]));
	put(&b, root, "kernels", kernels);
	put(&b, root, "summary", summary_json(&b, doc));
	return finish(&b, root, out, DUMP_FLAGS);
}

/* The table. */

#define CELL_MAX 96
#define COL_GAP "  "

static bool has_suffix(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len > n && !memcmp(s + len - n, suffix, n);
}

/* Column title: base name without ".bpf.o" (or ".o"). */
static const char *obj_title(const char *name, int *len)
{
	const char *base;
	size_t n;

	if (!name)
		name = "?";
	base = strrchr(name, '/');
	base = base ? base + 1 : name;
	n = strlen(base);
	if (has_suffix(base, n, ".bpf.o"))
		n -= strlen(".bpf.o");
	else if (has_suffix(base, n, ".o"))
		n -= strlen(".o");
	*len = n > INT_MAX ? INT_MAX : (int)n;
	return base;
}

/* Objects built for another architecture were not run on this kernel. */
static bool obj_applies(const struct index_object *o, const struct index_kernel *k)
{
	return !o->arch || !k->arch || !strcmp(o->arch, k->arch);
}

/* "resolved/total", then " !N" for unresolved and " xN" for rejected. */
static int cell_text(char *buf, const struct index_object *o, const struct index_kernel *k,
		     size_t i)
{
	const struct index_coverage *c;
	int n;

	if (!k->coverage || !obj_applies(o, k))
		return snprintf(buf, CELL_MAX, "-");
	c = &k->coverage[i];
	n = snprintf(buf, CELL_MAX, "%zu/%zu", c->resolved,
		     c->resolved + c->unresolved + c->rejected);
	if (c->unresolved)
		n += snprintf(buf + n, CELL_MAX - n, " !%zu", c->unresolved);
	if (c->rejected)
		n += snprintf(buf + n, CELL_MAX - n, " x%zu", c->rejected);
	return n;
}

static int str_width(const char *s)
{
	size_t n = strlen(s);

	return n > INT_MAX ? INT_MAX : (int)n;
}

/* Names and errors come from the hub and the objects: escaped before they
 * are measured, so a crafted name can neither steer the terminal nor forge
 * a row or the closing "K kernels" line.
 */
struct table_text {
	char **kernel;		/* per kernel: its path, escaped */
	char **error;		/* per kernel: its error, escaped, or NULL */
	char **title;		/* per object: its column title, escaped */
};

static void table_text_free(struct table_text *t, const struct index_doc *doc)
{
	size_t i;

	for (i = 0; t->kernel && i < doc->kernel_cnt; i++) {
		free(t->kernel[i]);
		free(t->error[i]);
	}
	for (i = 0; t->title && i < doc->obj_cnt; i++)
		free(t->title[i]);
	free(t->kernel);
	free(t->error);
	free(t->title);
}

static int table_text_make(struct table_text *t, const struct index_doc *doc)
{
	const char *title;
	char *raw;
	size_t i;
	int n;

	t->kernel = calloc(doc->kernel_cnt + 1, sizeof(*t->kernel));
	t->error = calloc(doc->kernel_cnt + 1, sizeof(*t->error));
	t->title = calloc(doc->obj_cnt + 1, sizeof(*t->title));
	if (!t->kernel || !t->error || !t->title)
		return -ENOMEM;
	for (i = 0; i < doc->kernel_cnt; i++) {
		const struct index_kernel *k = &doc->kernels[i];

		t->kernel[i] = bp_escape_dup(kernel_ctx(k));
		if (!t->kernel[i] || (k->error && !(t->error[i] = bp_escape_dup(k->error))))
			return -ENOMEM;
	}
	for (i = 0; i < doc->obj_cnt; i++) {
		title = obj_title(doc->objects[i].name, &n);
		raw = strndup(title, (size_t)n);
		t->title[i] = raw ? bp_escape_dup(raw) : NULL;
		free(raw);
		if (!t->title[i])
			return -ENOMEM;
	}
	return 0;
}

static void table_write(const struct index_doc *doc, const struct table_text *t,
			const int *col_w, int path_w, FILE *out)
{
	char cell[CELL_MAX];
	size_t i, j;

	/* rows are padded to the column widths except the last cell, so no
	 * line ends in blanks
	 */
	fprintf(out, "%-*s", doc->obj_cnt ? path_w : 0, "KERNEL");
	for (j = 0; j < doc->obj_cnt; j++)
		fprintf(out, COL_GAP "%-*s", j + 1 < doc->obj_cnt ? col_w[j] : 0, t->title[j]);
	fputc('\n', out);
	for (i = 0; i < doc->kernel_cnt; i++) {
		const struct index_kernel *k = &doc->kernels[i];

		if (!kernel_ok(k)) {
			fprintf(out, "%-*s" COL_GAP "FAILED%s%s\n", path_w, t->kernel[i],
				t->error[i] ? ": " : "", t->error[i] ? t->error[i] : "");
			continue;
		}
		fprintf(out, "%-*s", doc->obj_cnt ? path_w : 0, t->kernel[i]);
		for (j = 0; j < doc->obj_cnt; j++) {
			cell_text(cell, &doc->objects[j], k, j);
			fprintf(out, COL_GAP "%-*s", j + 1 < doc->obj_cnt ? col_w[j] : 0, cell);
		}
		fputc('\n', out);
	}
}

int report_table_write(const struct index_doc *doc, FILE *out)
{
	struct table_text text = { 0 };
	int path_w = str_width("KERNEL"), n, *col_w;
	size_t i, j, ok = 0;
	char cell[CELL_MAX];

	col_w = calloc(doc->obj_cnt ? doc->obj_cnt : 1, sizeof(*col_w));
	if (!col_w || table_text_make(&text, doc)) {
		free(col_w);
		table_text_free(&text, doc);
		return -ENOMEM;
	}
	for (j = 0; j < doc->obj_cnt; j++)
		col_w[j] = str_width(text.title[j]);
	for (i = 0; i < doc->kernel_cnt; i++) {
		const struct index_kernel *k = &doc->kernels[i];

		n = str_width(text.kernel[i]);
		if (n > path_w)
			path_w = n;
		/* a failed row has one free-form cell that ends the line */
		if (!kernel_ok(k))
			continue;
		ok++;
		for (j = 0; j < doc->obj_cnt; j++) {
			n = cell_text(cell, &doc->objects[j], k, j);
			if (n > col_w[j])
				col_w[j] = n;
		}
	}
	table_write(doc, &text, col_w, path_w, out);
	fprintf(out, "\nlegend: resolved/total CO-RE relocations; !N: N unresolved "
		"(no target in this kernel); xN: N rejected (object fails to load); -: not run\n");
	fprintf(out, "%zu kernels: %zu ok, %zu failed\n", doc->kernel_cnt, ok,
		doc->kernel_cnt - ok);
	free(col_w);
	table_text_free(&text, doc);
	return ferror(out) ? -EIO : 0;
}

/* index.json paths may be written "./a/b" by hand-made bundles */
static const char *skip_dot_slash(const char *p)
{
	while (p[0] == '.' && p[1] == '/') {
		p += 2;
		while (*p == '/')
			p++;
	}
	return p;
}

/* The blob of entry want in a format 1 document's "kernels" array. */
static int find_blob_v1(json_t *kernels, const char *name, const char *want, bool *listed,
			const char **blob, struct bp_err *err)
{
	const char *kp, *e;
	json_t *k;
	size_t i;

	json_array_foreach(kernels, i, k) {
		kp = json_string_value(json_object_get(k, "path"));
		if (!kp || strcmp(skip_dot_slash(kp), want))
			continue;
		*listed = true;
		*blob = json_string_value(json_object_get(k, "blob"));
		e = json_string_value(json_object_get(k, "error"));
		if ((!*blob || !**blob) && e)
			return bp_err_set(err, ENOENT, "%s: %s has no blob, it failed to build: %s",
					  name, want, e);
		return 0;
	}
	return 0;
}

/* The error of want in a format 2 document's "failed" array, or NULL. */
static const char *failed_error(json_t *root, const char *want)
{
	json_t *failed = json_object_get(root, "failed"), *f;
	const char *p;
	size_t i;

	json_array_foreach(failed, i, f) {
		p = json_string_value(json_object_get(f, "path"));
		if (p && !strcmp(skip_dot_slash(p), want))
			return json_string_value(json_object_get(f, "error"));
	}
	return NULL;
}

/* Format 2: "entries" by path, else "aliases" to an entry, else "failed". */
static int find_blob_v2(json_t *root, const char *name, const char *want, bool *listed,
			const char **blob, struct bp_err *err)
{
	json_t *entries = json_object_get(root, "entries"), *e;
	const char *to, *why;

	if (!json_is_object(entries))
		return bp_err_set(err, EBADMSG, "%s: index.json has no \"entries\" object", name);
	e = json_object_get(entries, want);
	to = json_string_value(json_object_get(json_object_get(root, "aliases"), want));
	if (!e && to)
		e = json_object_get(entries, to);
	if (e) {
		*listed = true;
		*blob = json_string_value(json_object_get(e, "xxh128"));
		return 0;
	}
	why = failed_error(root, want);
	if (!why)
		return 0;
	*listed = true;
	return bp_err_set(err, ENOENT, "%s: %s has no blob, it failed to build: %s", name, want,
			  why);
}

int index_json_find_blob(const void *json, size_t size, const char *name, const char *want,
			 bool *listed, char hex[BP_HASH_HEX_LEN + 1], struct bp_err *err)
{
	json_t *root, *kernels;
	struct bp_hash hash;
	const char *b = NULL;
	json_error_t jerr;
	int ret;

	*listed = false;
	root = json_loadb(json, size, 0, &jerr);
	if (!root)
		return bp_err_set(err, EBADMSG, "%s: index.json line %d: %s", name, jerr.line,
				  jerr.text);
	want = skip_dot_slash(want);
	kernels = json_object_get(root, "kernels");
	if (json_is_array(kernels))
		ret = find_blob_v1(kernels, name, want, listed, &b, err);
	else if (json_is_object(root))
		ret = find_blob_v2(root, name, want, listed, &b, err);
	else
		ret = bp_err_set(err, EBADMSG, "%s: index.json is not an object", name);
	if (ret || !*listed)
		goto out;
	if (!b || !*b)
		ret = bp_err_set(err, ENOENT, "%s: %s has no blob in index.json", name, want);
	else if (bp_hash_parse_hex(b, &hash))
		ret = bp_err_set(err, EBADMSG, "%s: index.json: bad blob \"%s\" for %s", name, b,
				 want);
	else
		memcpy(hex, b, BP_HASH_HEX_LEN + 1);
out:
	json_decref(root);
	return ret;
}

/* The object names and the dedup mode an index.json records. */
int index_json_describe(const void *json, size_t size, const char *name, char ***objects,
			size_t *obj_cnt, char **dedup, struct bp_err *err)
{
	json_t *root, *objs, *o;
	const char *s;
	json_error_t jerr;
	size_t i, n;
	int ret = 0;

	*objects = NULL;
	*obj_cnt = 0;
	*dedup = NULL;
	root = json_loadb(json, size, 0, &jerr);
	if (!root)
		return bp_err_set(err, EBADMSG, "%s: index.json line %d: %s", name, jerr.line,
				  jerr.text);
	s = json_string_value(json_object_get(root, "dedup"));
	if (s && !(*dedup = strdup(s)))
		ret = -ENOMEM;
	objs = json_object_get(root, "objects");
	n = json_is_array(objs) ? json_array_size(objs) : 0;
	if (!ret && n && !(*objects = calloc(n, sizeof(**objects))))
		ret = -ENOMEM;
	json_array_foreach(objs, i, o) {
		if (ret)
			break;
		/* format 2: names; format 1: {"name", ...} */
		s = json_is_string(o) ? json_string_value(o) :
					json_string_value(json_object_get(o, "name"));
		if (!s)
			continue;
		if (!((*objects)[*obj_cnt] = strdup(s)))
			ret = -ENOMEM;
		else
			(*obj_cnt)++;
	}
	json_decref(root);
	return ret ? bp_err_set(err, ENOMEM, "%s: out of memory", name) : 0;
}

/* A growing array of path copies. */
struct path_list {
	char **v;
	size_t cnt, cap;
};

static int path_list_add(struct path_list *l, const char *p)
{
	char **v;

	if (l->cnt == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;

		v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->cnt] = strdup(skip_dot_slash(p));
	if (!l->v[l->cnt])
		return -ENOMEM;
	l->cnt++;
	return 0;
}

/* Format 1: "kernels" rows with a blob. */
static int kernel_paths_v1(json_t *kernels, struct path_list *l)
{
	const char *kp, *b;
	json_t *k;
	size_t i;

	json_array_foreach(kernels, i, k) {
		kp = json_string_value(json_object_get(k, "path"));
		b = json_string_value(json_object_get(k, "blob"));
		if (kp && b && *b && path_list_add(l, kp))
			return -ENOMEM;
	}
	return 0;
}

/* Format 2: the keys of "entries", then those of "aliases"; none for the
 * other profiles, whose entries are all files of their own.
 */
static int kernel_paths_v2(json_t *root, struct path_list *l)
{
	static const char *const keys[] = { "entries", "aliases" };
	const char *kp = json_string_value(json_object_get(root, "profile"));
	json_t *v;
	size_t i;

	if (kp && strcmp(kp, "native"))
		return 0;
	for (i = 0; i < 2; i++)
		json_object_foreach(json_object_get(root, keys[i]), kp, v)
			if (path_list_add(l, kp))
				return -ENOMEM;
	return 0;
}

int index_json_kernel_paths(const void *json, size_t size, const char *name, char ***paths,
			    size_t *cnt, struct bp_err *err)
{
	struct path_list l = { .v = NULL };
	json_t *root, *kernels;
	json_error_t jerr;
	size_t i;
	int ret;

	*paths = NULL;
	*cnt = 0;
	root = json_loadb(json, size, 0, &jerr);
	if (!root)
		return bp_err_set(err, EBADMSG, "%s: index.json line %d: %s", name, jerr.line,
				  jerr.text);
	kernels = json_object_get(root, "kernels");
	if (json_is_array(kernels))
		ret = kernel_paths_v1(kernels, &l);
	else if (json_is_object(json_object_get(root, "entries")))
		ret = kernel_paths_v2(root, &l);
	else
		ret = -EBADMSG;
	json_decref(root);
	if (!ret) {
		*paths = l.v;
		*cnt = l.cnt;
		return 0;
	}
	for (i = 0; i < l.cnt; i++)
		free(l.v[i]);
	free(l.v);
	if (ret == -EBADMSG)
		return bp_err_set(err, EBADMSG, "%s: index.json has neither \"kernels\" nor "
				  "\"entries\"", name);
	return bp_err_set(err, ENOMEM, "%s: out of memory", name);
}
