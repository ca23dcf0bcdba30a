// SPDX-License-Identifier: MIT
/* BTF validation: references that libbpf's parser accepts but that would
 * send a naive walk out of bounds or into a loop.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "core/btf_util.h"
#include "core/source_btf.h"
#include "core/loader_log.h"

/* Serialize and reparse, as a kernel BTF file would be read. */
static int load_roundtrip(struct btf *btf, struct btf **out, struct bp_err *err)
{
	const void *raw;
	__u32 size;

	raw = btf__raw_data(btf, &size);
	assert_non_null(raw);
	return source_btf_load_mem(raw, size, "kernel.btf", out, err);
}

static void expect_invalid(struct btf *btf, const char *needle)
{
	struct bp_err err = { { 0 } };
	struct btf *out = NULL;

	assert_true(load_roundtrip(btf, &out, &err) < 0);
	assert_null(out);
	assert_non_null(strstr(err.msg, "kernel.btf"));
	if (!strstr(err.msg, needle))
		fail_msg("message '%s' lacks '%s'", err.msg, needle);
}

static void test_valid_btf_loads(void **state)
{
	struct btf *btf = btf__new_empty(), *out = NULL;
	struct bp_err err;
	int i, p;

	(void)state;
	i = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	p = btf__add_ptr(btf, 3);	/* forward reference to the struct */
	btf__add_struct(btf, "node", 16);
	btf__add_field(btf, "val", i, 0, 0);
	btf__add_field(btf, "next", p, 64, 0);
	assert_int_equal(load_roundtrip(btf, &out, &err), 0);
	assert_int_equal(btf__type_cnt(out), 4);
	btf__free(out);
	btf__free(btf);
}

static void test_dangling_member_type(void **state)
{
	struct btf *btf = btf__new_empty();

	(void)state;
	btf__add_struct(btf, "s", 4);
	btf__add_field(btf, "x", 77, 0, 0);
	expect_invalid(btf, "refers to type [77]");
	btf__free(btf);
}

static void test_typedef_cycle(void **state)
{
	struct btf *btf = btf__new_empty();

	(void)state;
	btf__add_typedef(btf, "a_t", 2);
	btf__add_typedef(btf, "b_t", 1);
	expect_invalid(btf, "reference cycle");
	btf__free(btf);
}

static void test_pointer_to_itself(void **state)
{
	struct btf *btf = btf__new_empty();

	(void)state;
	btf__add_ptr(btf, 1);
	expect_invalid(btf, "reference cycle");
	btf__free(btf);
}

static void test_name_offset_out_of_range(void **state)
{
	struct btf *btf = btf__new_empty();
	struct btf_type *t;
	int id;

	(void)state;
	id = btf__add_int(btf, "int", 4, 0);
	t = (struct btf_type *)btf__type_by_id(btf, (__u32)id);
	t->name_off = 1u << 20;
	expect_invalid(btf, "name offset");
	btf__free(btf);
}

static void test_garbage_is_not_btf(void **state)
{
	static const unsigned char junk[64] = { 0x9f, 0xeb, 1, 0, 0xff, 0xff };
	struct bp_err err = { { 0 } };
	struct btf *out = NULL;

	(void)state;
	assert_true(source_btf_load_mem(junk, sizeof(junk), "junk.btf", &out, &err) < 0);
	assert_non_null(strstr(err.msg, "junk.btf"));
	assert_non_null(strstr(err.msg, "not valid BTF"));
	assert_true(source_btf_load_mem(junk, 0, "empty.btf", &out, &err) < 0);
	assert_non_null(strstr(err.msg, "empty.btf"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_btf_loads),
		cmocka_unit_test(test_dangling_member_type),
		cmocka_unit_test(test_typedef_cycle),
		cmocka_unit_test(test_pointer_to_itself),
		cmocka_unit_test(test_name_offset_out_of_range),
		cmocka_unit_test(test_garbage_is_not_btf),
	};

	loader_log_init(false);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
