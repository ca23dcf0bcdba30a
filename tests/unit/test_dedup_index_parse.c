// SPDX-License-Identifier: MIT
/* index.json read back: render -> parse -> render gives the same bytes,
 * every field format 2 carries lands where it was (the rest derived from
 * the path), format 1 is read too, and what is not a btfpack index is
 * refused naming the key.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dedup/index_json.h"

#define H1 "00112233445566778899aabbccddeeff"
#define H2 "0f0e0d0c0b0a09080706050403020100"
#define H3 "14d5141e8db59cd233161a23130d8bba"
#define H4 "99aa06d3014798d86001c324468d497f"

static const struct index_object objects[] = {
	{ .name = "a.bpf.o", .hash = H1, .relo = H4, .relocations = 43 },
	{ .name = "arm64/b.bpf.o", .arch = "arm64", .hash = H2, .relo = H3, .relocations = 12 },
};

static const struct index_kernel kernels[] = {
	{ .path = "u/20.04/x86_64/k1.btf", .source = "u/20.04/x86_64/k1.btf.tar.xz",
	  .distro = "u", .version = "20.04", .arch = "x86_64", .release = "k1",
	  .status = "ok", .blob = H3, .size = 1000, .source_hash = H4,
	  .resolved = 41, .unresolved = 2 },
	{ .path = "c/8/x86_64/k3.btf", .source = "c/8/x86_64/k3.btf.tar.xz",
	  .distro = "c", .version = "8", .arch = "x86_64", .release = "k3",
	  .status = "failed", .error = "no .BTF section", .source_hash = H1 },
	{ .path = "u/20.04/x86_64/k2.btf", .source = "u/20.04/x86_64/k2.btf",
	  .distro = "u", .version = "20.04", .arch = "x86_64", .release = "k2",
	  .status = "ok", .blob = H3, .size = 1000,
	  .carried_from = H2, .resolved = 41, .unresolved = 2, .rejected = 3 },
};

static const struct index_part part = { .shard = 2, .of = 3 };
static const struct index_provenance prov = { .object_set = H1, .output_format = 1,
						  .loader = "cilium" };

static const struct index_doc doc = {
	.btfpack_version = "0.1.0", .provenance = &prov, .dedup = "symlink", .part = &part,
	.objects = objects, .obj_cnt = 2, .kernels = kernels, .kernel_cnt = 3,
};

/* noinline: inlined at -O2, gcc 12 takes the returned heap pointer for the
 * address of the local and reports a dangling pointer (a false positive)
 */
static __attribute__((noinline)) char *render(const struct index_doc *d)
{
	struct bp_err err = { "" };
	char *text = NULL;

	assert_int_equal(index_json_render(d, &text, &err), 0);
	return text;
}

/* Parsed kernels are the entries in order, then the failed ones. */
static void test_roundtrip(void **state)
{
	struct bp_err err = { "" };
	struct index_parsed ix;
	const struct index_kernel *k;
	char *a = render(&doc), *b;

	(void)state;
	assert_int_equal(index_json_parse(a, strlen(a), "t", &ix, &err), 0);
	assert_string_equal(ix.generator, "btfpack 0.1.0");
	assert_string_equal(ix.doc.profile, "native");
	assert_string_equal(ix.doc.dedup, "symlink");
	assert_non_null(ix.doc.part);
	assert_int_equal(ix.doc.part->shard, 2);
	assert_int_equal(ix.doc.part->of, 3);
	assert_non_null(ix.doc.provenance);
	assert_string_equal(ix.doc.provenance->object_set, H1);
	assert_int_equal(ix.doc.provenance->output_format, 1);
	assert_string_equal(ix.doc.provenance->loader, "cilium");
	assert_int_equal(ix.doc.kernel_cnt, 3);
	assert_int_equal(ix.doc.obj_cnt, 2);
	assert_string_equal(ix.doc.objects[1].name, "arm64/b.bpf.o");
	assert_null(ix.doc.objects[0].arch);
	assert_string_equal(ix.doc.objects[1].arch, "arm64");
	assert_string_equal(ix.doc.objects[0].relo, H4);
	assert_string_equal(ix.doc.objects[1].relo, H3);
	k = &ix.doc.kernels[1];
	assert_string_equal(k->path, "u/20.04/x86_64/k2.btf");
	assert_string_equal(k->source, "u/20.04/x86_64/k2.btf");
	assert_string_equal(k->distro, "u");
	assert_string_equal(k->version, "20.04");
	assert_string_equal(k->arch, "x86_64");
	assert_string_equal(k->release, "k2");
	assert_string_equal(k->status, "ok");
	assert_string_equal(k->blob, H3);
	assert_int_equal(k->size, 1000);
	assert_string_equal(k->carried_from, H2);
	assert_string_equal(k->source_hash, "");
	assert_null(ix.doc.kernels[0].carried_from);
	assert_string_equal(ix.doc.kernels[0].source_hash, H4);
	k = &ix.doc.kernels[2];
	assert_string_equal(k->path, "c/8/x86_64/k3.btf");
	assert_string_equal(k->status, "failed");
	assert_string_equal(k->error, "no .BTF section");
	assert_string_equal(k->source, "c/8/x86_64/k3.btf.tar.xz");
	assert_string_equal(k->source_hash, H1);
	assert_string_equal(k->blob, "");
	/* the parsed document renders to the same bytes */
	ix.doc.btfpack_version = "0.1.0";
	b = render(&ix.doc);
	assert_string_equal(a, b);
	index_parsed_free(&ix);
	free(a);
	free(b);
}

/* A directory the walk could not enter, and a path with too few parts. */
static void test_short_paths(void **state)
{
	struct index_kernel ks[2] = { kernels[0], kernels[1] };
	struct index_doc d = doc;
	struct bp_err err = { "" };
	struct index_parsed ix;
	char *a;

	(void)state;
	ks[0].path = "odd.btf";
	ks[1].path = "c/8";
	d.kernels = ks;
	d.kernel_cnt = 2;
	a = render(&d);
	assert_int_equal(index_json_parse(a, strlen(a), "t", &ix, &err), 0);
	assert_string_equal(ix.doc.kernels[0].distro, "odd.btf");
	assert_string_equal(ix.doc.kernels[0].release, "");
	assert_string_equal(ix.doc.kernels[1].distro, "c");
	assert_string_equal(ix.doc.kernels[1].version, "8");
	assert_string_equal(ix.doc.kernels[1].arch, "");
	assert_string_equal(ix.doc.kernels[1].release, "");
	index_parsed_free(&ix);
	free(a);
}

/* Format 1 (btfpack before profiles): the full records. */
static void test_format1(void **state)
{
	static const char v1[] =
		"{\"format\": 1, \"generator\": \"btfpack 0.0.9\", \"dedup\": \"none\",\n"
		" \"objects\": [{\"name\": \"a.o\", \"arch\": null, \"xxh128\": \"" H1 "\",\n"
		"   \"relocations\": 4}],\n"
		" \"kernels\": [{\"path\": \"u/1/x86_64/k.btf\", \"source\": \"u/1/x86_64/k.btf\",\n"
		"   \"distro\": \"u\", \"version\": \"1\", \"arch\": \"x86_64\", \"release\": \"k\",\n"
		"   \"status\": \"ok\", \"blob\": \"" H3 "\", \"size\": 10, \"source_xxh128\": null,\n"
		"   \"relocations\": {\"resolved\": 4, \"unresolved\": 0, \"rejected\": 0}}],\n"
		" \"summary\": {}}\n";
	struct bp_err err = { "" };
	struct index_parsed ix;

	(void)state;
	assert_int_equal(index_json_parse(v1, strlen(v1), "t", &ix, &err), 0);
	assert_null(ix.doc.provenance);
	assert_string_equal(ix.doc.dedup, "none");
	assert_int_equal(ix.doc.kernel_cnt, 1);
	assert_string_equal(ix.doc.kernels[0].blob, H3);
	assert_string_equal(ix.doc.kernels[0].source, "u/1/x86_64/k.btf");
	assert_int_equal(ix.doc.kernels[0].resolved, 4);
	assert_string_equal(ix.doc.objects[0].hash, H1);
	assert_string_equal(ix.doc.objects[0].relo, "");
	index_parsed_free(&ix);
}

static void test_whole_bundle_has_no_part(void **state)
{
	struct index_doc d = doc;
	struct bp_err err = { "" };
	struct index_parsed ix;
	char *a;

	(void)state;
	d.part = NULL;
	d.provenance = NULL;
	a = render(&d);
	assert_int_equal(index_json_parse(a, strlen(a), "t", &ix, &err), 0);
	assert_null(ix.doc.part);
	assert_null(ix.doc.provenance);
	/* no provenance, no sources: nothing says where a kernel came from */
	assert_null(ix.doc.kernels[0].source);
	assert_string_equal(ix.doc.objects[1].name, "arm64/b.bpf.o");
	assert_null(ix.doc.objects[1].arch);
	index_parsed_free(&ix);
	free(a);
}

/* replace the first "from" in the rendered doc by "to", expect -EBADMSG
 * with a message holding want
 */
static void expect_bad(const char *from, const char *to, const char *want)
{
	char *a = render(&doc), *p = strstr(a, from), *s;
	struct bp_err err = { "" };
	struct index_parsed ix;
	size_t n;

	assert_non_null(p);
	n = strlen(a) - strlen(from) + strlen(to);
	s = malloc(n + 1);
	assert_non_null(s);
	memcpy(s, a, (size_t)(p - a));
	strcpy(s + (p - a), to);
	strcat(s, p + strlen(from));
	assert_int_equal(index_json_parse(s, n, "bundle.tar", &ix, &err), -EBADMSG);
	if (!strstr(err.msg, want) || !strstr(err.msg, "bundle.tar"))
		fail_msg("message '%s' lacks '%s'", err.msg, want);
	free(s);
	free(a);
}

static void test_refused(void **state)
{
	struct bp_err err = { "" };
	struct index_parsed ix;

	(void)state;
	assert_int_equal(index_json_parse("[1]", 3, "bundle.tar", &ix, &err), -EBADMSG);
	assert_non_null(strstr(err.msg, "format"));
	expect_bad("\"format\":2", "\"format\":3", "format");
	expect_bad("\"generator\":\"btfpack", "\"generator\":\"other", "generator");
	expect_bad("\"profile\":\"native\"", "\"profile\":7", "profile");
	expect_bad("\"shard\":2", "\"shard\":4", "part");
	expect_bad("\"shard\":2", "\"shard\":0", "part");
	expect_bad("\"of\":3", "\"of\":4294967299", "part");
	expect_bad("\"xxh128\":\"" H3, "\"xxh128\":\"" H3 "0", "entries[0].xxh128");
	expect_bad("\"size\":1000", "\"size\":-1", "entries[0].size");
	expect_bad("\"carried_from\":\"" H2, "\"carried_from\":\"zz", "entries[1].carried_from");
	expect_bad("\"error\":\"no .BTF section\"", "\"error\":7", "failed[0].error");
	expect_bad("\"entries\":{", "\"entriez\":{", "entries");
	expect_bad("\"failed\":[", "\"failed\":{\"x\":1},\"f\":[", "failed");
	expect_bad("\"object_set\":\"" H1, "\"object_set\":\"xyz", "object_set");
	expect_bad("\"relocations\":\"" H4, "\"relocations\":\"" H4 "1", "relocations");
	/* one source too few: the kernels and their sources would not pair */
	expect_bad("{\"path\":\"u/20.04/x86_64/k1.btf.tar.xz\",\"xxh128\":\"" H4 "\"},", "",
		   "sources");
	expect_bad("\"objects\":[\"a.bpf.o\",", "\"objects\":[", "provenance");
	expect_bad("\"dedup\":\"symlink\",", "\"dedup\":\"symlink\",\"dedup\":\"index\",",
		   "line");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_short_paths),
		cmocka_unit_test(test_format1),
		cmocka_unit_test(test_whole_bundle_has_no_part),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
