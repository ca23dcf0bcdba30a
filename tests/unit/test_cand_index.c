// SPDX-License-Identifier: MIT
/* Essential names and the candidate index. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <bpf/btf.h>

#include "core/cand_index.h"

static void test_essential_name_len(void **state)
{
	(void)state;
	assert_int_equal(core_essential_name_len("task_struct"), 11);
	assert_int_equal(core_essential_name_len("task_struct___old"), 11);
	/* the last separator counts */
	assert_int_equal(core_essential_name_len("a___b___c"), 5);
	/* separators need a non-underscore on both sides */
	assert_int_equal(core_essential_name_len("foo____bar"), 10);
	assert_int_equal(core_essential_name_len("___foo"), 6);
	assert_int_equal(core_essential_name_len("foo___"), 6);
	assert_int_equal(core_essential_name_len("x___y"), 1);
	assert_int_equal(core_essential_name_len("abcd"), 4);
	assert_int_equal(core_essential_name_len(""), 0);
}

static void test_lookup_groups_flavors_in_id_order(void **state)
{
	struct btf *btf = btf__new_empty();
	struct cand_index *idx;
	struct bp_err err;
	int s1, u, s2, e, i;
	const __u32 *ids;
	size_t cnt;

	(void)state;
	i = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	s1 = btf__add_struct(btf, "foo", 4);
	btf__add_field(btf, "a", i, 0, 0);
	u = btf__add_union(btf, "foo___v2", 4);
	btf__add_struct(btf, NULL, 0);	/* anonymous: never a candidate */
	s2 = btf__add_struct(btf, "foo", 8);
	e = btf__add_enum(btf, "bar", 4);
	assert_true(s1 > 0 && u > 0 && s2 > 0 && e > 0);

	assert_int_equal(cand_index_build(btf, &idx, &err), 0);
	ids = cand_index_lookup(idx, "foo___local", 3, &cnt);
	assert_int_equal(cnt, 3);
	assert_int_equal(ids[0], s1);
	assert_int_equal(ids[1], u);
	assert_int_equal(ids[2], s2);
	ids = cand_index_lookup(idx, "bar", 3, &cnt);
	assert_int_equal(cnt, 1);
	assert_int_equal(ids[0], e);
	assert_null(cand_index_lookup(idx, "missing", 7, &cnt));
	assert_int_equal(cnt, 0);
	assert_null(cand_index_lookup(idx, "", 0, &cnt));
	assert_int_equal(cnt, 0);
	cand_index_free(idx);
	btf__free(btf);
}

static void test_many_names_survive_collisions(void **state)
{
	struct btf *btf = btf__new_empty();
	struct cand_index *idx;
	struct bp_err err;
	char name[32];
	const __u32 *ids;
	size_t cnt;
	int i, id;

	(void)state;
	for (i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "s%d", i % 2500);
		id = btf__add_struct(btf, name, (__u32)i);
		assert_true(id > 0);
	}
	assert_int_equal(cand_index_build(btf, &idx, &err), 0);
	for (i = 0; i < 2500; i++) {
		snprintf(name, sizeof(name), "s%d", i);
		ids = cand_index_lookup(idx, name, strlen(name), &cnt);
		assert_int_equal(cnt, 2);
		assert_int_equal(ids[0], i + 1);
		assert_int_equal(ids[1], i + 2501);
	}
	cand_index_free(idx);
	btf__free(btf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_essential_name_len),
		cmocka_unit_test(test_lookup_groups_flavors_in_id_order),
		cmocka_unit_test(test_many_names_survive_collisions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
