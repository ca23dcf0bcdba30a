// SPDX-License-Identifier: MIT
/* index.json (compact) and the report's full kernel records: fields, key
 * order, determinism, input checks, and finding blobs in both formats.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "dedup/index_json.h"

#define H_OBJ1 "00112233445566778899aabbccddeeff"
#define H_OBJ2 "0f0e0d0c0b0a09080706050403020100"
#define H_BLOB1 "14d5141e8db59cd233161a23130d8bba"
#define H_BLOB2 "99aa06d3014798d86001c324468d497f"
#define H_SRC1 "e719034ed2c87a3684b0c79e3e1ac40e"
#define H_SRC2 "0123456789abcdeffedcba9876543210"
#define H_SRC3 "fedcba98765432100123456789abcdef"
#define H_SRC4 "ffffffffffffffff0000000000000000"

static const struct index_object objects[] = {
	{ .name = "execsnoop.bpf.o", .hash = H_OBJ1, .relo = H_SRC4, .relocations = 43 },
	{ .name = "arm64/tcpconnect.bpf.o", .arch = "arm64", .hash = H_OBJ2, .relo = H_SRC3,
	  .relocations = 12 },
};

static const struct index_coverage cov_x86[] = { { 41, 2, 0 }, { 0, 0, 0 } };
static const struct index_coverage cov_arm[] = { { 40, 2, 1 }, { 12, 0, 0 } };

static const struct index_kernel kernels[] = {
	{
		.path = "ubuntu/20.04/x86_64/5.4.0-42-generic.btf",
		.source = "ubuntu/20.04/x86_64/5.4.0-42-generic.btf.tar.xz",
		.distro = "ubuntu", .version = "20.04", .arch = "x86_64",
		.release = "5.4.0-42-generic", .status = "ok",
		.blob = H_BLOB1, .size = 1000, .source_hash = H_SRC1,
		.resolved = 41, .unresolved = 2, .rejected = 0, .coverage = cov_x86,
	},
	{
		.path = "ubuntu/20.04/x86_64/5.4.0-43-generic.btf",
		.source = "ubuntu/20.04/x86_64/5.4.0-43-generic.btf.tar.xz",
		.distro = "ubuntu", .version = "20.04", .arch = "x86_64",
		.release = "5.4.0-43-generic", .status = "ok",
		.blob = H_BLOB1, .size = 1000, .source_hash = H_SRC2,
		.resolved = 41, .unresolved = 2, .rejected = 0, .coverage = cov_x86,
	},
	{
		.path = "centos/8/x86_64/4.18.0-80.el8.x86_64.btf",
		.source = "centos/8/x86_64/4.18.0-80.el8.x86_64.btf.tar.xz",
		.distro = "centos", .version = "8", .arch = "x86_64",
		.release = "4.18.0-80.el8.x86_64", .status = "failed",
		.error = "no .BTF section", .source_hash = H_SRC3,
	},
	{
		.path = "ubuntu/20.04/arm64/5.4.0-42-generic.btf",
		.source = "ubuntu/20.04/arm64/5.4.0-42-generic.btf.tar.xz",
		.distro = "ubuntu", .version = "20.04", .arch = "arm64",
		.release = "5.4.0-42-generic", .status = "ok",
		.blob = H_BLOB2, .size = 700, .source_hash = H_SRC4,
		.resolved = 52, .unresolved = 2, .rejected = 1, .coverage = cov_arm,
	},
};

static const struct index_alias aliases[] = {
	{ .path = "ubuntu/20.04/aarch64/5.4.0-42-generic.btf",
	  .entry = "ubuntu/20.04/arm64/5.4.0-42-generic.btf" },
};

static const struct index_doc doc = {
	.btfpack_version = "0.1.0",
	.profile = "native",
	.dedup = "symlink",
	.aliases = aliases,
	.alias_cnt = 1,
	.objects = objects,
	.obj_cnt = 2,
	.kernels = kernels,
	.kernel_cnt = 4,
};

/* obj's keys, in order, are exactly keys (NULL-terminated). */
static void assert_keys(json_t *obj, const char *const *keys)
{
	void *it;

	assert_true(json_is_object(obj));
	for (it = json_object_iter(obj); *keys; keys++, it = json_object_iter_next(obj, it)) {
		assert_non_null(it);
		assert_string_equal(json_object_iter_key(it), *keys);
	}
	assert_null(it);
}

static void assert_str(json_t *obj, const char *key, const char *expect)
{
	json_t *v = json_object_get(obj, key);

	assert_true(json_is_string(v));
	assert_string_equal(json_string_value(v), expect);
}

/* Integers only: the format has no floats. */
static void assert_int(json_t *obj, const char *key, long long expect)
{
	json_t *v = json_object_get(obj, key);

	assert_true(json_is_integer(v));
	assert_int_equal(json_integer_value(v), expect);
}

static json_t *parse_rendered(const struct index_doc *d, bool report)
{
	struct bp_err err = { "" };
	json_error_t jerr;
	char *text;
	json_t *root;
	size_t len;

	if (report)
		assert_int_equal(report_json_render(d, &text, &err), 0);
	else
		assert_int_equal(index_json_render(d, &text, &err), 0);
	len = strlen(text);
	assert_true(len > 2);
	assert_int_equal(text[len - 1], '\n');
	assert_int_not_equal(text[len - 2], '\n');
	root = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		fail_msg("index.json does not parse: %s", jerr.text);
	free(text);
	return root;
}

static json_t *render_and_parse(const struct index_doc *d)
{
	return parse_rendered(d, false);
}

static void test_index_layout(void **state)
{
	static const char *const root_keys[] = {
		"format", "generator", "profile", "dedup", "objects", "entries", "aliases",
		"failed", NULL,
	};
	static const char *const entry_keys[] = { "xxh128", "size", NULL };
	static const char *const failed_keys[] = { "path", "error", NULL };
	json_t *root, *e, *f;

	(void)state;
	root = render_and_parse(&doc);
	assert_keys(root, root_keys);
	assert_int(root, "format", 2);
	assert_str(root, "generator", "btfpack 0.1.0");
	assert_str(root, "profile", "native");
	assert_str(root, "dedup", "symlink");
	e = json_object_get(root, "objects");
	assert_int_equal(json_array_size(e), 2);
	assert_string_equal(json_string_value(json_array_get(e, 1)), "arm64/tcpconnect.bpf.o");

	/* ok kernels only, in bundle order; a repeat keeps its own row */
	e = json_object_get(root, "entries");
	assert_int_equal(json_object_size(e), 3);
	assert_string_equal(json_object_iter_key(json_object_iter(e)),
			    "ubuntu/20.04/x86_64/5.4.0-42-generic.btf");
	f = json_object_get(e, "ubuntu/20.04/x86_64/5.4.0-43-generic.btf");
	assert_keys(f, entry_keys);
	assert_str(f, "xxh128", H_BLOB1);
	assert_int(f, "size", 1000);
	f = json_object_get(e, "ubuntu/20.04/arm64/5.4.0-42-generic.btf");
	assert_str(f, "xxh128", H_BLOB2);
	assert_int(f, "size", 700);
	assert_null(json_object_get(e, "centos/8/x86_64/4.18.0-80.el8.x86_64.btf"));

	assert_str(json_object_get(root, "aliases"), "ubuntu/20.04/aarch64/5.4.0-42-generic.btf",
		   "ubuntu/20.04/arm64/5.4.0-42-generic.btf");
	e = json_object_get(root, "failed");
	assert_int_equal(json_array_size(e), 1);
	f = json_array_get(e, 0);
	assert_keys(f, failed_keys);
	assert_str(f, "path", "centos/8/x86_64/4.18.0-80.el8.x86_64.btf");
	assert_str(f, "error", "no .BTF section");
	json_decref(root);
}

/* Other profiles have no dedup mode; no aliases, no "aliases" key. */
static void test_index_profile(void **state)
{
	static const char *const root_keys[] = {
		"format", "generator", "profile", "objects", "entries", "failed", NULL,
	};
	struct index_doc d = doc;
	json_t *root;

	(void)state;
	d.profile = "tree";
	d.dedup = NULL;
	d.alias_cnt = 0;
	root = render_and_parse(&d);
	assert_keys(root, root_keys);
	assert_str(root, "profile", "tree");
	json_decref(root);
}

/* The report keeps every kernel's full record. */
static void test_report_layout(void **state)
{
	static const char *const root_keys[] = {
		"format", "objects", "kernels", "summary", NULL,
	};
	static const char *const obj_keys[] = {
		"name", "arch", "xxh128", "relocations", NULL,
	};
	static const char *const ok_keys[] = {
		"path", "source", "distro", "version", "arch", "release", "status",
		"blob", "size", "source_xxh128", "relocations", "objects", NULL,
	};
	static const char *const failed_keys[] = {
		"path", "source", "distro", "version", "arch", "release", "status",
		"error", "size", "source_xxh128", "relocations", NULL,
	};
	static const char *const relo_keys[] = { "resolved", "unresolved", "rejected", NULL };
	static const char *const summary_keys[] = {
		"kernels", "ok", "failed", "unique_blobs", "bytes_out", NULL,
	};
	json_t *root, *arr, *o, *k, *r;

	(void)state;
	root = parse_rendered(&doc, true);
	assert_keys(root, root_keys);
	assert_int(root, "format", 2);

	arr = json_object_get(root, "objects");
	assert_int_equal(json_array_size(arr), 2);
	o = json_array_get(arr, 0);
	assert_keys(o, obj_keys);
	assert_str(o, "name", "execsnoop.bpf.o");
	assert_true(json_is_null(json_object_get(o, "arch")));
	assert_str(o, "xxh128", H_OBJ1);
	assert_int(o, "relocations", 43);
	o = json_array_get(arr, 1);
	assert_keys(o, obj_keys);
	assert_str(o, "name", "arm64/tcpconnect.bpf.o");
	assert_str(o, "arch", "arm64");
	assert_str(o, "xxh128", H_OBJ2);
	assert_int(o, "relocations", 12);

	arr = json_object_get(root, "kernels");
	assert_int_equal(json_array_size(arr), 4);
	k = json_array_get(arr, 0);
	assert_keys(k, ok_keys);
	assert_str(k, "path", "ubuntu/20.04/x86_64/5.4.0-42-generic.btf");
	assert_str(k, "source", "ubuntu/20.04/x86_64/5.4.0-42-generic.btf.tar.xz");
	assert_str(k, "distro", "ubuntu");
	assert_str(k, "version", "20.04");
	assert_str(k, "arch", "x86_64");
	assert_str(k, "release", "5.4.0-42-generic");
	assert_str(k, "status", "ok");
	assert_str(k, "blob", H_BLOB1);
	assert_int(k, "size", 1000);
	assert_str(k, "source_xxh128", H_SRC1);
	r = json_object_get(k, "relocations");
	assert_keys(r, relo_keys);
	assert_int(r, "resolved", 41);
	assert_int(r, "unresolved", 2);
	assert_int(r, "rejected", 0);

	k = json_array_get(arr, 1);
	assert_keys(k, ok_keys);
	assert_str(k, "path", "ubuntu/20.04/x86_64/5.4.0-43-generic.btf");
	assert_str(k, "blob", H_BLOB1);
	assert_str(k, "source_xxh128", H_SRC2);

	/* failed: an error, no blob, no coverage */
	k = json_array_get(arr, 2);
	assert_keys(k, failed_keys);
	assert_str(k, "path", "centos/8/x86_64/4.18.0-80.el8.x86_64.btf");
	assert_str(k, "distro", "centos");
	assert_str(k, "version", "8");
	assert_str(k, "release", "4.18.0-80.el8.x86_64");
	assert_str(k, "status", "failed");
	assert_str(k, "error", "no .BTF section");
	assert_null(json_object_get(k, "blob"));
	assert_int(k, "size", 0);
	assert_str(k, "source_xxh128", H_SRC3);
	r = json_object_get(k, "relocations");
	assert_keys(r, relo_keys);
	assert_int(r, "resolved", 0);

	k = json_array_get(arr, 3);
	assert_keys(k, ok_keys);
	assert_str(k, "arch", "arm64");
	assert_str(k, "blob", H_BLOB2);
	assert_int(k, "size", 700);
	r = json_object_get(k, "relocations");
	assert_int(r, "resolved", 52);
	assert_int(r, "unresolved", 2);
	assert_int(r, "rejected", 1);

	/* two ok kernels share BLOB1: counted and sized once */
	o = json_object_get(root, "summary");
	assert_keys(o, summary_keys);
	assert_int(o, "kernels", 4);
	assert_int(o, "ok", 3);
	assert_int(o, "failed", 1);
	assert_int(o, "unique_blobs", 2);
	assert_int(o, "bytes_out", 1700);
	json_decref(root);
}

static void test_deterministic(void **state)
{
	struct bp_err err = { "" };
	char *a, *b;

	(void)state;
	assert_int_equal(index_json_render(&doc, &a, &err), 0);
	assert_int_equal(index_json_render(&doc, &b, &err), 0);
	assert_string_equal(a, b);
	free(a);
	free(b);
}

/* The exact bytes for a small bundle: compact, fixed key order. */
static void test_golden(void **state)
{
	static const char expect[] =
		"{\"format\":2,\"generator\":\"btfpack 9.9\",\"profile\":\"native\","
		"\"dedup\":\"none\",\"objects\":[\"execsnoop.bpf.o\"],"
		"\"entries\":{\"ubuntu/20.04/x86_64/5.4.0-42-generic.btf\":"
		"{\"xxh128\":\"" H_BLOB1 "\",\"size\":1000}},\"failed\":[]}\n";
	struct index_doc d = {
		.btfpack_version = "9.9", .dedup = "none",
		.objects = objects, .obj_cnt = 1, .kernels = kernels, .kernel_cnt = 1,
	};
	struct bp_err err = { "" };
	char *text;

	(void)state;
	assert_int_equal(index_json_render(&d, &text, &err), 0);
	assert_string_equal(text, expect);
	free(text);
}

static void test_empty(void **state)
{
	struct index_doc d = { .btfpack_version = "1", .dedup = "index" };
	json_t *root, *s;

	(void)state;
	root = render_and_parse(&d);
	assert_int_equal(json_array_size(json_object_get(root, "objects")), 0);
	assert_int_equal(json_object_size(json_object_get(root, "entries")), 0);
	assert_int_equal(json_array_size(json_object_get(root, "failed")), 0);
	json_decref(root);
	root = parse_rendered(&d, true);
	assert_int_equal(json_array_size(json_object_get(root, "kernels")), 0);
	s = json_object_get(root, "summary");
	assert_int(s, "kernels", 0);
	assert_int(s, "unique_blobs", 0);
	assert_int(s, "bytes_out", 0);
	json_decref(root);
}

/* One kernel variant, rendered expecting failure: by the report, and by
 * the index too when index is set (it carries fewer fields).
 */
static void expect_error_in(const struct index_kernel *k, bool index, int ret, const char *msg)
{
	struct index_doc d = {
		.btfpack_version = "1", .dedup = "none", .kernels = k, .kernel_cnt = 1,
	};
	struct bp_err err = { "" };
	char *text = (char *)1;

	assert_int_equal(report_json_render(&d, &text, &err), ret);
	assert_null(text);
	assert_non_null(strstr(err.msg, msg));
	if (!index)
		return;
	text = (char *)1;
	assert_int_equal(index_json_render(&d, &text, &err), ret);
	assert_null(text);
	assert_non_null(strstr(err.msg, msg));
}

static void expect_kernel_error(const struct index_kernel *k, int ret, const char *msg)
{
	expect_error_in(k, true, ret, msg);
}

static void test_bad_input(void **state)
{
	struct index_kernel k;

	(void)state;
	k = kernels[0];
	k.status = "skipped";
	expect_kernel_error(&k, -EINVAL, "status is 'skipped'");

	k = kernels[2];
	k.error = NULL;
	expect_kernel_error(&k, -EINVAL, "no error");

	k = kernels[0];
	strcpy(k.blob, "");
	expect_kernel_error(&k, -EINVAL, "blob is not 32 hex digits");

	k = kernels[0];
	k.distro = NULL;
	expect_error_in(&k, false, -EINVAL, "ubuntu/20.04/x86_64/5.4.0-42-generic.btf: no distro");

	k = kernels[0];
	k.release = "5.4\xff";
	expect_error_in(&k, false, -EILSEQ, "release is not valid UTF-8");

	k = kernels[0];
	k.path = "ubuntu/\xff.btf";
	expect_kernel_error(&k, -EILSEQ, "is not valid UTF-8");
}

/* Error messages quote input bytes: non-UTF-8 becomes '?', UTF-8 stays;
 * a kernel with no readable input has a null source hash.
 */
static void test_error_text(void **state)
{
	struct index_kernel k = kernels[2];
	struct index_doc d = {
		.btfpack_version = "1", .dedup = "none", .kernels = &k, .kernel_cnt = 1,
	};
	json_t *root, *kj;

	(void)state;
	k.error = "type 'f\xc3\xa9\xff\xe2\x82' (\xed\xa0\x80) bad";
	k.source_hash[0] = '\0';
	root = render_and_parse(&d);
	kj = json_array_get(json_object_get(root, "failed"), 0);
	assert_str(kj, "error", "type 'f\xc3\xa9\x3f\x3f\x3f' (\x3f\x3f\x3f) bad");
	json_decref(root);
	root = parse_rendered(&d, true);
	kj = json_array_get(json_object_get(root, "kernels"), 0);
	/* \x3f is '?', spelled out so no trigraph forms */
	assert_str(kj, "error", "type 'f\xc3\xa9\x3f\x3f\x3f' (\x3f\x3f\x3f) bad");
	assert_true(json_is_null(json_object_get(kj, "source_xxh128")));
	json_decref(root);
}

/* jansson allocations fail from the nth on. */
static long alloc_budget = -1;

static void *budget_malloc(size_t size)
{
	if (alloc_budget == 0)
		return NULL;
	if (alloc_budget > 0)
		alloc_budget--;
	return malloc(size);
}

/* Every allocation failure gives -ENOMEM and leaks nothing (ASan checks);
 * once enough succeed, the output is the normal one.
 */
static void test_out_of_memory(void **state)
{
	struct bp_err err = { "" };
	char *expect, *text;
	long n;
	int ret;

	(void)state;
	assert_int_equal(index_json_render(&doc, &expect, &err), 0);
	json_set_alloc_funcs(budget_malloc, free);
	for (n = 0;; n++) {
		alloc_budget = n;
		ret = index_json_render(&doc, &text, &err);
		if (!ret)
			break;
		assert_int_equal(ret, -ENOMEM);
		assert_null(text);
		assert_string_equal(err.msg, "index.json: out of memory");
	}
	assert_true(n > 10);
	assert_string_equal(text, expect);
	free(text);
	for (n = 0;; n++) {
		alloc_budget = n;
		ret = report_json_render(&doc, &text, &err);
		if (!ret)
			break;
		assert_int_equal(ret, -ENOMEM);
	}
	free(text);
	alloc_budget = -1;
	json_set_alloc_funcs(malloc, free);
	free(expect);
}

static int find(const char *json, const char *want, bool *listed, char *hex, char *msg)
{
	struct bp_err err = { "" };
	int ret;

	hex[0] = '\0';
	ret = index_json_find_blob(json, strlen(json), "b", want, listed, hex, &err);
	strcpy(msg, err.msg);
	return ret;
}

/* Entries, aliases and failures of a rendered document; format 1 still reads. */
static void test_find_blob(void **state)
{
	static const char v1[] =
		"{\"format\":1,\"kernels\":[{\"path\":\"./a/1/x/k.btf\",\"blob\":\"" H_BLOB2
		"\"},{\"path\":\"a/1/x/f.btf\",\"error\":\"bad\"}]}";
	char hex[BP_HASH_HEX_LEN + 1], msg[BP_ERR_MSG_MAX], *text;
	struct bp_err err = { "" };
	bool listed;

	(void)state;
	assert_int_equal(index_json_render(&doc, &text, &err), 0);
	assert_int_equal(find(text, "ubuntu/20.04/x86_64/5.4.0-43-generic.btf", &listed, hex, msg), 0);
	assert_true(listed);
	assert_string_equal(hex, H_BLOB1);
	assert_int_equal(find(text, "ubuntu/20.04/aarch64/5.4.0-42-generic.btf", &listed, hex, msg), 0);
	assert_true(listed);
	assert_string_equal(hex, H_BLOB2);
	assert_int_equal(find(text, "centos/8/x86_64/4.18.0-80.el8.x86_64.btf", &listed, hex, msg),
			 -ENOENT);
	assert_true(listed);
	assert_non_null(strstr(msg, "failed to build: no .BTF section"));
	assert_int_equal(find(text, "nope/1/x/k.btf", &listed, hex, msg), 0);
	assert_false(listed);
	free(text);

	assert_int_equal(find(v1, "a/1/x/k.btf", &listed, hex, msg), 0);
	assert_true(listed);
	assert_string_equal(hex, H_BLOB2);
	assert_int_equal(find(v1, "a/1/x/f.btf", &listed, hex, msg), -ENOENT);
	assert_int_equal(find("[1]", "a", &listed, hex, msg), -EBADMSG);
	assert_int_equal(find("{\"entries\":{\"a\":{\"xxh128\":\"zz\"}}}", "a", &listed, hex, msg),
			 -EBADMSG);
}

/* provenance and part: after the header and before "objects", keys in
 * order, one source per entry then per failed input, one digest per
 * object, a bundle id of the entries' paths and blobs only; carried_from
 * in its entry
 */
static void test_provenance(void **state)
{
	static const char *const top[] = {
		"format", "generator", "profile", "dedup", "part", "provenance", "objects",
		"entries", "aliases", "failed", NULL,
	};
	static const char *const keys[] = {
		"bundle_id", "object_set", "btfpack_version", "output_format", "loader",
		"objects", "sources", NULL,
	};
	static const struct index_provenance prov = {
		.object_set = "00112233445566778899aabbccddeeff", .output_format = 7,
		.loader = "libbpf",
	};
	static const struct index_part part = { .shard = 2, .of = 5 };
	struct index_kernel changed[4];
	struct index_doc d = doc, d2;
	struct bp_hash id, id2;
	json_t *root, *p, *src, *o;
	char hex[33];

	(void)state;
	memcpy(changed, kernels, sizeof(changed));
	changed[1].carried_from = H_SRC1;
	d.kernels = changed;
	d.provenance = &prov;
	d.part = &part;
	root = render_and_parse(&d);
	assert_keys(root, top);
	assert_int(json_object_get(root, "part"), "shard", 2);
	assert_int(json_object_get(root, "part"), "of", 5);
	p = json_object_get(root, "provenance");
	assert_keys(p, keys);
	assert_int_equal(index_bundle_id(&d, &id), 0);
	bp_hash_hex(&id, hex);
	assert_str(p, "bundle_id", hex);
	assert_str(p, "object_set", prov.object_set);
	assert_str(p, "btfpack_version", "0.1.0");
	assert_int(p, "output_format", 7);
	assert_str(p, "loader", "libbpf");
	o = json_object_get(p, "objects");
	assert_int_equal(json_array_size(o), 2);
	assert_true(json_is_null(json_object_get(json_array_get(o, 0), "arch")));
	assert_str(json_array_get(o, 0), "relocations", objects[0].relo);
	assert_str(json_array_get(o, 1), "arch", "arm64");
	assert_str(json_array_get(o, 1), "relocations", objects[1].relo);
	src = json_object_get(p, "sources");
	assert_int_equal(json_array_size(src), 4);
	assert_str(json_array_get(src, 1), "path", kernels[1].source);
	assert_str(json_array_get(src, 1), "xxh128", H_SRC2);
	/* the failed input comes after the entries */
	assert_str(json_array_get(src, 2), "path", kernels[3].source);
	assert_str(json_array_get(src, 3), "path", kernels[2].source);
	assert_str(json_array_get(src, 3), "xxh128", H_SRC3);
	o = json_object_get(json_object_get(root, "entries"), kernels[1].path);
	assert_str(o, "carried_from", H_SRC1);
	assert_null(json_object_get(json_object_get(json_object_get(root, "entries"),
						    kernels[0].path), "carried_from"));
	json_decref(root);

	/* a failed kernel's error is not content; a blob is */
	changed[2].error = "another reason";
	d2 = d;
	d2.kernels = changed;
	assert_int_equal(index_bundle_id(&d2, &id2), 0);
	assert_true(bp_hash_equal(&id, &id2));
	memcpy(changed[0].blob, H_BLOB2, sizeof(changed[0].blob));
	assert_int_equal(index_bundle_id(&d2, &id2), 0);
	assert_false(bp_hash_equal(&id, &id2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index_layout),
		cmocka_unit_test(test_index_profile),
		cmocka_unit_test(test_report_layout),
		cmocka_unit_test(test_find_blob),
		cmocka_unit_test(test_provenance),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_error_text),
		cmocka_unit_test(test_out_of_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
