// SPDX-License-Identifier: MIT
/* The canonical relocation digest: equal for what the engine cannot tell
 * apart (type ids, string layout, instruction offsets, section names, the
 * order across roots), different for what it can.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <bpf/btf.h>

#include "core/objfile.h"
#include "core/relo_digest.h"
#include "core/relo_types.h"

struct variant {
	bool other_layout;	/* types and strings added in another order */
	__u32 b_offset;		/* bit offset of task.b */
};

/* struct task { int a; int b; }; struct file { int f; } */
static struct btf *local_btf(const struct variant *v)
{
	struct btf *btf = btf__new_empty();
	int i;

	if (v->other_layout) {
		btf__add_str(btf, "0:1");
		i = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
		btf__add_struct(btf, "unrelated", 4);
		btf__add_field(btf, "x", i, 0, 0);
		btf__add_struct(btf, "file", 4);
		btf__add_field(btf, "f", i, 0, 0);
		btf__add_struct(btf, "task", 8);
		btf__add_field(btf, "a", i, 0, 0);
		btf__add_field(btf, "b", i, v->b_offset, 0);
	} else {
		i = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
		btf__add_struct(btf, "task", 8);
		btf__add_field(btf, "a", i, 0, 0);
		btf__add_field(btf, "b", i, v->b_offset, 0);
		btf__add_struct(btf, "file", 4);
		btf__add_field(btf, "f", i, 0, 0);
	}
	btf__add_str(btf, "0:0");
	btf__add_str(btf, "0:1");
	return btf;
}

/* A record spec: root name, access string, kind, instruction offset. */
struct rec {
	const char *root;
	const char *access;
	enum core_kind kind;
	__u32 insn_off;
};

static struct relo_digest digest_of(const struct variant *v, const struct rec *recs, size_t n)
{
	struct core_relo relos[8];
	struct core_relo_sec sec = { .name = "sec", .first = 0, .count = n };
	struct objfile obj = { .name = "test", .has_btf_ext = true, .secs = &sec, .sec_cnt = 1,
			       .relos = relos, .relo_cnt = n };
	struct relo_digest d;
	struct bp_err err;
	size_t i;

	obj.btf = local_btf(v);
	for (i = 0; i < n; i++) {
		relos[i].insn_off = recs[i].insn_off;
		relos[i].type_id = (__u32)btf__find_by_name_kind(obj.btf, recs[i].root,
								 BTF_KIND_STRUCT);
		relos[i].access_str_off = (__u32)btf__add_str(obj.btf, recs[i].access);
		relos[i].kind = recs[i].kind;
	}
	assert_int_equal(relo_digest_object(&obj, &d, &err), 0);
	btf__free(obj.btf);
	return d;
}

static bool same(struct relo_digest a, struct relo_digest b)
{
	return a.high == b.high && a.low == b.low;
}

static const struct variant base = { .b_offset = 32 };
static const struct rec base_recs[] = {
	{ "task", "0:0", CORE_FIELD_BYTE_OFFSET, 0 },
	{ "file", "0:0", CORE_FIELD_BYTE_OFFSET, 8 },
	{ "task", "0:1", CORE_FIELD_EXISTS, 16 },
};

static void test_ids_strings_and_offsets_do_not_matter(void **state)
{
	const struct variant other = { .other_layout = true, .b_offset = 32 };
	const struct rec moved[] = {
		{ "task", "0:0", CORE_FIELD_BYTE_OFFSET, 800 },
		{ "file", "0:0", CORE_FIELD_BYTE_OFFSET, 96 },
		{ "task", "0:1", CORE_FIELD_EXISTS, 8 },
	};

	(void)state;
	assert_true(same(digest_of(&base, base_recs, 3), digest_of(&other, base_recs, 3)));
	assert_true(same(digest_of(&base, base_recs, 3), digest_of(&base, moved, 3)));
}

static void test_order_across_roots_does_not_matter(void **state)
{
	const struct rec across[] = { base_recs[1], base_recs[0], base_recs[2] };

	(void)state;
	assert_true(same(digest_of(&base, base_recs, 3), digest_of(&base, across, 3)));
}

/* the engine narrows one candidate list per root: order within it counts */
static void test_order_within_a_root_matters(void **state)
{
	const struct rec within[] = { base_recs[2], base_recs[1], base_recs[0] };

	(void)state;
	assert_false(same(digest_of(&base, base_recs, 3), digest_of(&base, within, 3)));
}

static void test_what_decisions_read_matters(void **state)
{
	const struct variant moved_b = { .b_offset = 0 };
	const struct rec kind[] = { base_recs[0], base_recs[1],
				    { "task", "0:1", CORE_FIELD_BYTE_SIZE, 16 } };
	const struct rec access[] = { base_recs[0], { "file", "0:1", CORE_FIELD_BYTE_OFFSET, 8 },
				      base_recs[2] };
	const struct rec misaligned[] = { base_recs[0], base_recs[1],
					  { "task", "0:1", CORE_FIELD_EXISTS, 17 } };
	struct relo_digest d = digest_of(&base, base_recs, 3);

	(void)state;
	assert_false(same(d, digest_of(&moved_b, base_recs, 3)));
	assert_false(same(d, digest_of(&base, kind, 3)));
	assert_false(same(d, digest_of(&base, access, 3)));
	assert_false(same(d, digest_of(&base, misaligned, 3)));
	assert_false(same(d, digest_of(&base, base_recs, 2)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids_strings_and_offsets_do_not_matter),
		cmocka_unit_test(test_order_across_roots_does_not_matter),
		cmocka_unit_test(test_order_within_a_root_matters),
		cmocka_unit_test(test_what_decisions_read_matters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
