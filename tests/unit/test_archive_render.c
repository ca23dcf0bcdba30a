// SPDX-License-Identifier: MIT
/* Output profiles: the plan (names, aliases, collisions, order, a name
 * that cannot fit) and the output checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <errno.h>

#include "archive/bundle_render.h"

#define LONG_REL "5.4.0-0000000000000000000000000000000000000000000000000000000000000000000000-generic"

static struct render_entry entries[4];

static void setup_entries(void)
{
	static const char *const paths[][5] = {
		{ "centos/7/x86_64/a.btf", "centos", "7", "x86_64", "a" },
		{ "debian/11/arm64/b.btf", "debian", "11", "arm64", "b" },
		{ "centos/7/x86_64/c.btf", "centos", "7", "x86_64", "c" },
		{ "debian/bullseye/arm64/b.btf", "debian", "bullseye", "arm64", "b" },
	};
	size_t i;

	for (i = 0; i < 4; i++) {
		entries[i] = (struct render_entry){ .path = paths[i][0], .distro = paths[i][1],
						    .version = paths[i][2], .arch = paths[i][3],
						    .release = paths[i][4], .data = "x", .size = 1 };
		/* a and c share bytes, b and its bullseye twin too */
		bp_hash_bytes(i % 2 ? "b" : "a", 1, &entries[i].hash);
	}
}

/* The plan's names, one per line. */
static void names(const struct render_plan *pl, char *buf, size_t cap)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < pl->cnt; i++) {
		off += (size_t)snprintf(buf + off, cap - off, "%s%s\n", pl->items[i].name,
					pl->items[i].alias ? " *" : "");
		assert_true(off < cap);
	}
}

static void test_bcc_plan(void **state)
{
	struct render_plan pl;
	struct bp_err err = { "" };
	char buf[4096];

	(void)state;
	setup_entries();
	assert_int_equal(render_plan_make(PROFILE_BCC, DEDUP_NONE, true, 0, entries, 4, &pl, &err), 0);
	names(&pl, buf, sizeof(buf));
	/* blobs in order of first appearance, each blob's names together;
	 * the real debian/bullseye entry keeps its path, the alias is dropped
	 */
	assert_string_equal(buf,
			    "./\"centos\"/7/x86_64/a.btf *\n"
			    "./\"centos\"/7/x86_64/c.btf *\n"
			    "./centos/7/x86_64/a.btf\n"
			    "./centos/7/x86_64/c.btf\n"
			    "./debian/11/aarch64/b.btf *\n"
			    "./debian/11/arm64/b.btf\n"
			    "./debian/bullseye/aarch64/b.btf *\n"
			    "./debian/bullseye/arm64/b.btf\n");
	render_plan_free(&pl);
}

static void test_tree_plan_no_quotes(void **state)
{
	struct render_plan pl;
	struct bp_err err = { "" };
	char buf[4096];

	(void)state;
	setup_entries();
	assert_int_equal(render_plan_make(PROFILE_TREE, DEDUP_NONE, true, 0, entries, 2, &pl, &err), 0);
	names(&pl, buf, sizeof(buf));
	assert_string_equal(buf, "centos/7/x86_64/a.btf\n"
				 "debian/11/arm64/b.btf\n"
				 "debian/11/aarch64/b.btf *\n"
				 "debian/bullseye/arm64/b.btf *\n"
				 "debian/bullseye/aarch64/b.btf *\n");
	render_plan_free(&pl);
	assert_int_equal(render_plan_make(PROFILE_BTFHUB, DEDUP_NONE, false, 0, entries, 1, &pl, &err), 0);
	assert_int_equal(pl.cnt, 1);
	assert_string_equal(pl.items[0].name, "centos/7/x86_64/a.btf.tar.xz");
	render_plan_free(&pl);
}

static void test_bcc_name_too_long(void **state)
{
	struct render_entry e[2];
	struct render_plan pl;
	struct bp_err err = { "" };

	(void)state;
	setup_entries();
	e[0] = entries[0];
	e[1] = entries[1];
	e[1].path = "ubuntu/20.04/x86_64/" LONG_REL ".btf";
	e[1].distro = "ubuntu";
	e[1].release = LONG_REL;
	assert_int_equal(render_plan_make(PROFILE_BCC, DEDUP_NONE, true, 0, e, 2, &pl, &err), 0);
	assert_null(pl.errors[0]);
	assert_non_null(pl.errors[1]);
	assert_non_null(strstr(pl.errors[1], "over 99 bytes"));
	/* a.btf and its quoted alias only */
	assert_int_equal(pl.cnt, 2);
	render_plan_free(&pl);
	/* a directory has no such limit */
	assert_int_equal(render_plan_make(PROFILE_TREE, DEDUP_NONE, false, 0, e, 2, &pl, &err), 0);
	assert_null(pl.errors[1]);
	assert_int_equal(pl.cnt, 2);
	render_plan_free(&pl);
}

static void test_outputs(void **state)
{
	struct bp_err err = { "" };
	enum bundle_format fmt;
	enum bundle_profile p;
	unsigned int flags;

	(void)state;
	assert_int_equal(bundle_profile_output(PROFILE_BCC, "x.tar.gz", &fmt, &flags, &err), 0);
	assert_int_equal(fmt, BUNDLE_TAR_GZ);
	assert_true(flags & BUNDLE_VERBATIM_NAMES);
	assert_int_equal(bundle_profile_output(PROFILE_BCC, "x.tar.xz", &fmt, &flags, &err), -EINVAL);
	assert_int_equal(bundle_profile_output(PROFILE_TREE, "x.tar", &fmt, &flags, &err), -EINVAL);
	assert_int_equal(bundle_profile_output(PROFILE_TREE, "out", &fmt, &flags, &err), 0);
	assert_int_equal(bundle_profile_output(PROFILE_BTFHUB, "x.tar.xz", &fmt, &flags, &err), 0);
	assert_int_equal(bundle_profile_output(PROFILE_BTFHUB, "x.tar.gz", &fmt, &flags, &err), -EINVAL);
	assert_int_equal(bundle_profile_output(PROFILE_NATIVE, "x.tar.zst", &fmt, &flags, &err), 0);
	assert_int_equal(fmt, BUNDLE_TAR_ZST);
	assert_int_equal(bundle_profile_parse("btfhub", &p), 0);
	assert_int_equal(p, PROFILE_BTFHUB);
	assert_int_equal(bundle_profile_parse("BCC", &p), -EINVAL);
	assert_false(bundle_profile_has_index(PROFILE_BCC));
	assert_true(bundle_profile_has_index(PROFILE_TREE));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bcc_plan),
		cmocka_unit_test(test_tree_plan_no_quotes),
		cmocka_unit_test(test_bcc_name_too_long),
		cmocka_unit_test(test_outputs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
