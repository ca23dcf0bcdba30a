// SPDX-License-Identifier: MIT
/* index.json read back: render -> parse -> render gives the same bytes,
 * every field lands where it was, and what is not a btfpack index is
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
	{ .name = "a.bpf.o", .hash = H1, .relocations = 43 },
	{ .name = "arm64/b.bpf.o", .arch = "arm64", .hash = H2, .relocations = 12 },
};

static const struct index_kernel kernels[] = {
	{ .path = "u/20.04/x86_64/k1.btf", .source = "u/20.04/x86_64/k1.btf.tar.xz",
	  .distro = "u", .version = "20.04", .arch = "x86_64", .release = "k1",
	  .status = "ok", .blob = H3, .size = 1000, .source_hash = H4,
	  .resolved = 41, .unresolved = 2 },
	{ .path = "u/20.04/x86_64/k2.btf", .source = "u/20.04/x86_64/k2.btf",
	  .distro = "u", .version = "20.04", .arch = "x86_64", .release = "k2",
	  .status = "ok", .blob = H3, .size = 1000, .link = "u/20.04/x86_64/k1.btf",
	  .carried_from = H2, .resolved = 41, .unresolved = 2, .rejected = 3 },
	{ .path = "c/8/x86_64/k3.btf", .source = "c/8/x86_64/k3.btf.tar.xz",
	  .distro = "c", .version = "8", .arch = "x86_64", .release = "k3",
	  .status = "failed", .error = "no .BTF section" },
};

static const struct index_part part = { .shard = 2, .of = 3 };
static const struct index_provenance prov = { .object_set = H1, .output_format = 1 };

static const struct index_doc doc = {
	.btfpack_version = "0.1.0", .provenance = &prov, .dedup = "symlink", .part = &part,
	.objects = objects, .obj_cnt = 2, .kernels = kernels, .kernel_cnt = 3,
};

static char *render(const struct index_doc *d)
{
	struct bp_err err = { "" };
	char *text = NULL;

	assert_int_equal(index_json_render(d, &text, &err), 0);
	return text;
}

static void test_roundtrip(void **state)
{
	struct bp_err err = { "" };
	struct index_parsed ix;
	char *a = render(&doc), *b;

	(void)state;
	assert_int_equal(index_json_parse(a, strlen(a), "t", &ix, &err), 0);
	assert_string_equal(ix.generator, "btfpack 0.1.0");
	assert_non_null(ix.doc.part);
	assert_int_equal(ix.doc.part->shard, 2);
	assert_int_equal(ix.doc.part->of, 3);
	assert_non_null(ix.doc.provenance);
	assert_string_equal(ix.doc.provenance->object_set, H1);
	assert_int_equal(ix.doc.kernel_cnt, 3);
	assert_int_equal(ix.doc.obj_cnt, 2);
	assert_null(ix.doc.objects[0].arch);
	assert_string_equal(ix.doc.objects[1].arch, "arm64");
	assert_string_equal(ix.doc.kernels[1].link, "u/20.04/x86_64/k1.btf");
	assert_string_equal(ix.doc.kernels[1].carried_from, H2);
	assert_null(ix.doc.kernels[0].carried_from);
	assert_string_equal(ix.doc.kernels[1].source_hash, "");
	assert_int_equal(ix.doc.kernels[1].rejected, 3);
	assert_string_equal(ix.doc.kernels[2].error, "no .BTF section");
	assert_string_equal(ix.doc.kernels[2].blob, "");
	/* the parsed document renders to the same bytes */
	ix.doc.btfpack_version = "0.1.0";
	b = render(&ix.doc);
	assert_string_equal(a, b);
	index_parsed_free(&ix);
	free(a);
	free(b);
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
	expect_bad("\"format\": 1", "\"format\": 2", "format");
	expect_bad("\"generator\": \"btfpack", "\"generator\": \"other", "generator");
	expect_bad("\"shard\": 2", "\"shard\": 4", "part");
	expect_bad("\"shard\": 2", "\"shard\": 0", "part");
	expect_bad("\"of\": 3", "\"of\": 4294967299", "part");
	expect_bad("\"status\": \"ok\"", "\"status\": \"fine\"", "kernels[0].status");
	expect_bad("\"blob\": \"" H3, "\"blob\": \"" H3 "0", "kernels[0].blob");
	expect_bad("\"size\": 1000", "\"size\": -1", "kernels[0].size");
	expect_bad("\"error\": \"no .BTF section\"", "\"error\": 7", "kernels[2].error");
	expect_bad("\"kernels\": [", "\"kernelz\": [", "kernels");
	expect_bad("\"object_set\": \"" H1, "\"object_set\": \"xyz", "object_set");
	expect_bad("\"dedup\": \"symlink\",", "\"dedup\": \"symlink\", \"dedup\": \"index\",",
		   "line");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_whole_bundle_has_no_part),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
