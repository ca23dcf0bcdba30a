// SPDX-License-Identifier: MIT
/* The coverage report: JSON and the fixed-width table. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "dedup/index_json.h"

#define H0 "00112233445566778899aabbccddeeff"
#define H1 "14d5141e8db59cd233161a23130d8bba"

static const struct index_object objects[] = {
	{ .name = "execsnoop.bpf.o", .hash = H0, .relocations = 43 },
	{ .name = "objs/arm64/tcpconnect.bpf.o", .arch = "arm64", .hash = H0,
	  .relocations = 12 },
	{ .name = "plain.o", .hash = H0, .relocations = 3 },
};

static const struct index_coverage cov_x86[] = { { 41, 2, 0 }, { 0, 0, 0 }, { 3, 0, 0 } };
static const struct index_coverage cov_arm[] = { { 40, 2, 1 }, { 12, 0, 0 }, { 0, 0, 3 } };

static const struct index_kernel kernels[] = {
	{
		.path = "ubuntu/20.04/x86_64/5.4.0-42-generic.btf",
		.source = "ubuntu/20.04/x86_64/5.4.0-42-generic.btf.tar.xz",
		.distro = "ubuntu", .version = "20.04", .arch = "x86_64",
		.release = "5.4.0-42-generic", .status = "ok", .blob = H1,
		.coverage = cov_x86,
	},
	{
		.path = "centos/8/x86_64/4.18.0-80.el8.x86_64.btf",
		.source = "centos/8/x86_64/4.18.0-80.el8.x86_64.btf",
		.distro = "centos", .version = "8", .arch = "x86_64",
		.release = "4.18.0-80.el8.x86_64", .status = "failed",
		.error = "no .BTF section",
	},
	{
		.path = "ubuntu/20.04/arm64/5.4.0-42-generic.btf",
		.source = "ubuntu/20.04/arm64/5.4.0-42-generic.btf",
		.distro = "ubuntu", .version = "20.04", .arch = "arm64",
		.release = "5.4.0-42-generic", .status = "ok", .blob = H1,
		.coverage = cov_arm,
	},
};

static const struct index_doc doc = {
	.btfpack_version = "0.1.0",
	.dedup = "symlink",
	.objects = objects,
	.obj_cnt = 3,
	.kernels = kernels,
	.kernel_cnt = 3,
};

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

static void assert_counts(json_t *o, const char *name, long long resolved,
			  long long unresolved, long long rejected)
{
	static const char *const keys[] = {
		"name", "resolved", "unresolved", "rejected", NULL,
	};

	assert_keys(o, keys);
	assert_string_equal(json_string_value(json_object_get(o, "name")), name);
	assert_int_equal(json_integer_value(json_object_get(o, "resolved")), resolved);
	assert_int_equal(json_integer_value(json_object_get(o, "unresolved")), unresolved);
	assert_int_equal(json_integer_value(json_object_get(o, "rejected")), rejected);
}

static void test_report_json(void **state)
{
	static const char *const root_keys[] = {
		"format", "objects", "kernels", "summary", NULL,
	};
	static const char *const ok_keys[] = {
		"path", "source", "distro", "version", "arch", "release", "status", "blob",
		"size", "source_xxh128", "relocations", "objects", NULL,
	};
	static const char *const failed_keys[] = {
		"path", "source", "distro", "version", "arch", "release", "status", "error",
		"size", "source_xxh128", "relocations", NULL,
	};
	struct bp_err err = { "" };
	json_t *root, *arr, *k, *objs;
	json_error_t jerr;
	char *text, *again;

	(void)state;
	assert_int_equal(report_json_render(&doc, &text, &err), 0);
	assert_int_equal(text[strlen(text) - 1], '\n');
	assert_int_equal(report_json_render(&doc, &again, &err), 0);
	assert_string_equal(text, again);
	free(again);
	root = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	free(text);
	if (!root)
		fail_msg("report does not parse: %s", jerr.text);
	assert_keys(root, root_keys);
	assert_int_equal(json_integer_value(json_object_get(root, "format")), 2);

	/* the objects' full records: name, arch, hash, relocations */
	arr = json_object_get(root, "objects");
	assert_int_equal(json_array_size(arr), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(arr, 0), "name")),
			    "execsnoop.bpf.o");
	assert_string_equal(json_string_value(json_object_get(json_array_get(arr, 1), "name")),
			    "objs/arm64/tcpconnect.bpf.o");
	assert_string_equal(json_string_value(json_object_get(json_array_get(arr, 1), "arch")),
			    "arm64");
	assert_string_equal(json_string_value(json_object_get(json_array_get(arr, 2), "name")),
			    "plain.o");

	arr = json_object_get(root, "kernels");
	assert_int_equal(json_array_size(arr), 3);
	k = json_array_get(arr, 0);
	assert_keys(k, ok_keys);
	assert_string_equal(json_string_value(json_object_get(k, "path")),
			    "ubuntu/20.04/x86_64/5.4.0-42-generic.btf");
	assert_string_equal(json_string_value(json_object_get(k, "status")), "ok");
	objs = json_object_get(k, "objects");
	assert_int_equal(json_array_size(objs), 3);
	assert_counts(json_array_get(objs, 0), "execsnoop.bpf.o", 41, 2, 0);
	assert_counts(json_array_get(objs, 1), "objs/arm64/tcpconnect.bpf.o", 0, 0, 0);
	assert_counts(json_array_get(objs, 2), "plain.o", 3, 0, 0);

	/* failed before the engine ran: status and error, no objects */
	k = json_array_get(arr, 1);
	assert_keys(k, failed_keys);
	assert_string_equal(json_string_value(json_object_get(k, "status")), "failed");
	assert_string_equal(json_string_value(json_object_get(k, "error")), "no .BTF section");

	k = json_array_get(arr, 2);
	assert_keys(k, ok_keys);
	objs = json_object_get(k, "objects");
	assert_counts(json_array_get(objs, 0), "execsnoop.bpf.o", 40, 2, 1);
	assert_counts(json_array_get(objs, 1), "objs/arm64/tcpconnect.bpf.o", 12, 0, 0);
	assert_counts(json_array_get(objs, 2), "plain.o", 0, 0, 3);
	json_decref(root);
}

static void test_report_json_bad_status(void **state)
{
	struct index_kernel k = kernels[0];
	struct index_doc d = doc;
	struct bp_err err = { "" };
	char *text;

	(void)state;
	k.status = NULL;
	d.kernels = &k;
	d.kernel_cnt = 1;
	assert_int_equal(report_json_render(&d, &text, &err), -EINVAL);
	assert_null(text);
	assert_non_null(strstr(err.msg, "not 'ok' or 'failed'"));
}

static char *table_of(const struct index_doc *d)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&text, &len);
	assert_non_null(f);
	assert_int_equal(report_table_write(d, f), 0);
	assert_int_equal(fclose(f), 0);
	return text;
}

#define LEGEND "legend: resolved/total CO-RE relocations; !N: N unresolved " \
	"(no target in this kernel); xN: N rejected (object fails to load); -: not run\n"

/* Columns fit their widest cell, titles drop directories and ".bpf.o"/".o",
 * objects for another arch show "-", rows carry no trailing blanks.
 */
static void test_table(void **state)
{
	static const char expect[] =
		"KERNEL                                    execsnoop    tcpconnect  plain\n"
		"ubuntu/20.04/x86_64/5.4.0-42-generic.btf  41/43 !2     -           3/3\n"
		"centos/8/x86_64/4.18.0-80.el8.x86_64.btf  FAILED: no .BTF section\n"
		"ubuntu/20.04/arm64/5.4.0-42-generic.btf   40/43 !2 x1  12/12       0/3 x3\n"
		"\n"
		LEGEND
		"3 kernels: 2 ok, 1 failed\n";
	char *t;

	(void)state;
	t = table_of(&doc);
	assert_string_equal(t, expect);
	free(t);
}

/* A long title widens its column; a short path column fits "KERNEL". */
static void test_table_widths(void **state)
{
	static const struct index_object objs[] = {
		{ .name = "a_rather_long_program_name.bpf.o", .hash = H0 },
		{ .name = "x.bpf.o", .hash = H0 },
	};
	static const struct index_coverage cov[] = { { 1, 0, 0 }, { 1234, 5, 0 } };
	static const struct index_kernel ks[] = {
		{ .path = "a/1/b/k.btf", .arch = "b", .status = "ok", .blob = H1,
		  .coverage = cov },
		{ .path = "a/1/b/j.btf", .arch = "b", .status = "ok", .blob = H1 },
	};
	static const char expect[] =
		"KERNEL       a_rather_long_program_name  x\n"
		"a/1/b/k.btf  1/1                         1234/1239 !5\n"
		"a/1/b/j.btf  -                           -\n"
		"\n"
		LEGEND
		"2 kernels: 2 ok, 0 failed\n";
	struct index_doc d = {
		.objects = objs, .obj_cnt = 2, .kernels = ks, .kernel_cnt = 2,
	};
	char *t;

	(void)state;
	t = table_of(&d);
	assert_string_equal(t, expect);
	free(t);
}

static void test_table_empty(void **state)
{
	struct index_doc d = { 0 };
	char *t;

	(void)state;
	t = table_of(&d);
	assert_string_equal(t, "KERNEL\n\n" LEGEND "0 kernels: 0 ok, 0 failed\n");
	free(t);
}

static void test_table_write_error(void **state)
{
	FILE *f = fopen("/dev/null", "r");

	(void)state;
	assert_non_null(f);
	/* writing to a read-only stream fails */
	assert_int_equal(report_table_write(&doc, f), -EIO);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_json),
		cmocka_unit_test(test_report_json_bad_status),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_table_widths),
		cmocka_unit_test(test_table_empty),
		cmocka_unit_test(test_table_write_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
