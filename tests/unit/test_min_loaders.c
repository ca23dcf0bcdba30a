// SPDX-License-Identifier: MIT
/* What the minimizer keeps for each loader's rules, on the loaders kernel
 * (tests/fixtures/synth_loaders.c) and probe_loaders.bpf.o: one test per
 * rule where libbpf and cilium/ebpf differ. Every output must also parse,
 * pass btf_validate() and make the engine decide as on the full BTF.
 *
 * usage: test_min_loaders KERNEL.btf PROBE.bpf.o
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <bpf/btf.h>

#include "core/btf_util.h"
#include "core/cand_index.h"
#include "core/core_init.h"
#include "core/minimize_run.h"
#include "core/objfile.h"
#include "core/source_btf.h"
#include "core/verify.h"

static const char *kernel_path;
static const char *probe_path;

struct fixture {
	struct btf *src;
	struct cand_index *idx;
	struct objfile *obj;
	struct btf *min[MIN_LOADER_ALL + 1];	/* by loader set */
};

static struct fixture fx;

static int setup(void **state)
{
	struct minimize_stats stats;
	struct bp_err err = { { 0 } };
	unsigned int l;

	(void)state;
	if (source_btf_load_file(kernel_path, &fx.src, &err) ||
	    cand_index_build(fx.src, &fx.idx, &err) ||
	    objfile_load_file(probe_path, &fx.obj, &err)) {
		print_error("%s\n", err.msg);
		return -1;
	}
	for (l = MIN_LOADER_LIBBPF; l <= MIN_LOADER_ALL; l++) {
		if (minimize_run(fx.src, fx.idx, &fx.obj, 1, &stats, NULL, NULL, true, l,
				 &fx.min[l], &err)) {
			print_error("loaders %u: %s\n", l, err.msg);
			return -1;
		}
	}
	return 0;
}

static int teardown(void **state)
{
	unsigned int l;

	(void)state;
	for (l = 0; l <= MIN_LOADER_ALL; l++)
		btf__free(fx.min[l]);
	objfile_free(fx.obj);
	cand_index_free(fx.idx);
	btf__free(fx.src);
	return 0;
}

/* The type of that kind and name in btf, or NULL. */
static const struct btf_type *find(const struct btf *btf, const char *name, int kind)
{
	__u32 id, cnt = btf__type_cnt(btf);

	for (id = 1; id < cnt; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *n = btf_str(btf, t->name_off);

		if (btf_kind(t) == kind && n && !strcmp(n, name))
			return t;
	}
	return NULL;
}

/* The bit offset of member name of composite t, or -1 when it has none. */
static long member_off(const struct btf *btf, const struct btf_type *t, const char *name)
{
	const struct btf_member *m = btf_members(t);
	__u16 i;

	for (i = 0; i < btf_vlen(t); i++, m++) {
		const char *n = btf_str(btf, m->name_off);

		if (n && !strcmp(n, name))
			return (long)btf_member_bit_offset(t, i);
	}
	return -1;
}

static bool cilium(unsigned int l)
{
	return l & MIN_LOADER_CILIUM;
}

static void test_outputs_sound(void **state)
{
	struct bp_err err = { { 0 } };
	unsigned int l;

	(void)state;
	for (l = MIN_LOADER_LIBBPF; l <= MIN_LOADER_ALL; l++) {
		if (btf_validate(fx.min[l], "minimized", &err))
			fail_msg("loaders %u: %s", l, err.msg);
		if (verify_min(fx.src, fx.idx, fx.min[l], &fx.obj, 1, &err))
			fail_msg("loaders %u: %s", l, err.msg);
	}
}

/* TYPE_MATCHES that libbpf rejects: cilium < 0.15 fails on any candidate,
 * so the candidate stays, with what a match reads.
 */
static void test_matches_without_libbpf_match(void **state)
{
	const struct btf_type *t;
	unsigned int l;

	(void)state;
	for (l = MIN_LOADER_LIBBPF; l <= MIN_LOADER_ALL; l++) {
		t = find(fx.min[l], "lom_nomatch", BTF_KIND_STRUCT);
		if (!cilium(l)) {
			assert_null(t);
			continue;
		}
		assert_non_null(t);
		assert_int_equal(t->size, 16);
		assert_int_equal(member_off(fx.min[l], t, "a"), 0);
		assert_int_equal(member_off(fx.min[l], t, "b"), 64);
	}
}

/* TYPE_MATCHES through a pointer: cilium compares the pointee's members. */
static void test_matches_through_pointer(void **state)
{
	const struct btf_type *t;
	unsigned int l;

	(void)state;
	for (l = MIN_LOADER_LIBBPF; l <= MIN_LOADER_ALL; l++) {
		t = find(fx.min[l], "lom_inner", BTF_KIND_STRUCT);
		assert_non_null(t);
		assert_int_equal(t->size, 8);
		assert_int_equal(member_off(fx.min[l], t, "x"), cilium(l) ? 0 : -1);
		assert_int_equal(member_off(fx.min[l], t, "y"), -1);
	}
}

/* One local type, libbpf narrows to lom_pick, cilium scores lom_pick___two
 * best: both keep what either loader reads, for every loader set.
 */
static void test_group_candidates(void **state)
{
	const struct btf_type *a, *b;
	unsigned int l;

	(void)state;
	for (l = MIN_LOADER_LIBBPF; l <= MIN_LOADER_ALL; l++) {
		a = find(fx.min[l], "lom_pick", BTF_KIND_STRUCT);
		b = find(fx.min[l], "lom_pick___two", BTF_KIND_STRUCT);
		assert_non_null(a);
		assert_non_null(b);
		assert_int_equal(member_off(fx.min[l], a, "a"), 0);
		assert_int_equal(member_off(fx.min[l], b, "b"), 0);
		assert_int_equal(member_off(fx.min[l], b, "d"), 160);
		assert_int_equal(member_off(fx.min[l], b, "c"), -1);
	}
}

/* A FUNC named like the struct: cilium's candidate; kept with its
 * prototype (libbpf 1.5 wants FUNC -> FUNC_PROTO).
 */
static void test_func_named_like_struct(void **state)
{
	const struct btf_type *f;
	unsigned int l;

	(void)state;
	for (l = MIN_LOADER_LIBBPF; l <= MIN_LOADER_ALL; l++) {
		f = find(fx.min[l], "lom_kind", BTF_KIND_FUNC);
		assert_non_null(find(fx.min[l], "lom_kind", BTF_KIND_STRUCT));
		if (!cilium(l)) {
			assert_null(f);
			continue;
		}
		assert_non_null(f);
		assert_true(btf_is_func_proto(btf__type_by_id(fx.min[l], f->type)));
	}
}

/* A typedef named like the struct: cilium reads q through it. */
static void test_typedef_named_like_struct(void **state)
{
	const struct btf_type *td, *impl;
	unsigned int l;

	(void)state;
	for (l = MIN_LOADER_LIBBPF; l <= MIN_LOADER_ALL; l++) {
		td = find(fx.min[l], "lom_td", BTF_KIND_TYPEDEF);
		assert_non_null(find(fx.min[l], "lom_td", BTF_KIND_STRUCT));
		if (!cilium(l)) {
			assert_null(td);
			continue;
		}
		assert_non_null(td);
		impl = btf__type_by_id(fx.min[l], td->type);
		assert_true(btf_is_struct(impl));
		assert_int_equal(member_off(fx.min[l], impl, "q"), 32);
		assert_int_equal(member_off(fx.min[l], impl, "r"), -1);
	}
}

static void test_loader_names(void **state)
{
	unsigned int l = 0;

	(void)state;
	assert_int_equal(min_loader_parse("libbpf", &l), 0);
	assert_int_equal(l, MIN_LOADER_LIBBPF);
	assert_int_equal(min_loader_parse("cilium", &l), 0);
	assert_int_equal(l, MIN_LOADER_CILIUM);
	assert_int_equal(min_loader_parse("all", &l), 0);
	assert_int_equal(l, MIN_LOADER_ALL);
	assert_int_not_equal(min_loader_parse("bcc", &l), 0);
	assert_int_not_equal(min_loader_parse("", &l), 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outputs_sound),
		cmocka_unit_test(test_matches_without_libbpf_match),
		cmocka_unit_test(test_matches_through_pointer),
		cmocka_unit_test(test_group_candidates),
		cmocka_unit_test(test_func_named_like_struct),
		cmocka_unit_test(test_typedef_named_like_struct),
		cmocka_unit_test(test_loader_names),
	};

	if (argc != 3) {
		print_error("usage: %s KERNEL.btf PROBE.bpf.o\n", argv[0]);
		return 2;
	}
	kernel_path = argv[1];
	probe_path = argv[2];
	core_init(false);
	return cmocka_run_group_tests(tests, setup, teardown);
}
