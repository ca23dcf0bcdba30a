// SPDX-License-Identifier: MIT
/* First-path bookkeeping and relative symlink targets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dedup/blob_store.h"

static void test_first_path_wins(void **state)
{
	struct blob_store *s = blob_store_new();
	const char *first = (const char *)1;
	struct bp_hash a, b;
	char path[32];

	(void)state;
	assert_non_null(s);
	assert_int_equal(blob_store_unique(s), 0);
	bp_hash_bytes("a", 1, &a);
	bp_hash_bytes("b", 1, &b);

	strcpy(path, "x/1.btf");
	assert_int_equal(blob_store_add(s, &a, path, &first), 0);
	assert_null(first);
	/* the store keeps its own copy */
	strcpy(path, "clobbered");
	assert_int_equal(blob_store_add(s, &a, "x/2.btf", &first), 0);
	assert_string_equal(first, "x/1.btf");
	assert_int_equal(blob_store_add(s, &b, "x/3.btf", &first), 0);
	assert_null(first);
	assert_int_equal(blob_store_add(s, &b, "x/4.btf", NULL), 0);
	assert_int_equal(blob_store_add(s, &b, "x/5.btf", &first), 0);
	assert_string_equal(first, "x/3.btf");
	assert_int_equal(blob_store_unique(s), 2);
	blob_store_free(s);
	blob_store_free(NULL);
}

/* Thousands of entries over 1000 contents: growth keeps every first path. */
static void test_many_entries(void **state)
{
	struct blob_store *s = blob_store_new();
	const size_t contents = 1000, entries = 10000;
	char path[32], expect[32];
	const char *first;
	struct bp_hash h;
	unsigned int v;
	size_t i;

	(void)state;
	assert_non_null(s);
	for (i = 0; i < entries; i++) {
		v = (unsigned int)(i % contents);
		bp_hash_bytes(&v, sizeof(v), &h);
		snprintf(path, sizeof(path), "k/%zu.btf", i);
		assert_int_equal(blob_store_add(s, &h, path, &first), 0);
		if (i < contents) {
			assert_null(first);
		} else {
			snprintf(expect, sizeof(expect), "k/%zu.btf", i % contents);
			assert_non_null(first);
			assert_string_equal(first, expect);
		}
	}
	assert_int_equal(blob_store_unique(s), contents);
	blob_store_free(s);
}

/* Hashes equal in the low half (the slot bits) or in the slot bits only
 * all probe the same run; each must still be found as itself.
 */
static void test_collisions(void **state)
{
	struct blob_store *s = blob_store_new();
	const size_t n = 300;
	char path[32], expect[32];
	const char *first;
	struct bp_hash h;
	size_t i, round;

	(void)state;
	assert_non_null(s);
	for (round = 0; round < 2; round++) {
		for (i = 0; i < n; i++) {
			/* even i: same low half; odd i: same low 32 bits */
			h.high = 0x1000 + i;
			h.low = i % 2 ? (uint64_t)i << 32 | 0xabcd : 0xabcd;
			snprintf(path, sizeof(path), "r%zu/%zu.btf", round, i);
			assert_int_equal(blob_store_add(s, &h, path, &first), 0);
			if (!round) {
				assert_null(first);
				continue;
			}
			snprintf(expect, sizeof(expect), "r0/%zu.btf", i);
			assert_non_null(first);
			assert_string_equal(first, expect);
		}
	}
	/* differing only in the high half is a different blob */
	h.high = 0x1000 + n;
	h.low = 0xabcd;
	assert_int_equal(blob_store_add(s, &h, "new.btf", &first), 0);
	assert_null(first);
	assert_int_equal(blob_store_unique(s), n + 1);
	blob_store_free(s);
}

static void check_target(const char *link, const char *target, const char *expect)
{
	char *got = blob_relative_target(link, target);

	assert_non_null(got);
	assert_string_equal(got, expect);
	free(got);
}

static void test_relative_targets(void **state)
{
	(void)state;
	/* same directory */
	check_target("a/b/x.btf", "a/b/y.btf", "y.btf");
	check_target("x.btf", "y.btf", "y.btf");
	/* sibling directories */
	check_target("a/b/x.btf", "a/c/y.btf", "../c/y.btf");
	check_target("ubuntu/20.04/x86_64/5.4.0-42-generic.btf",
		     "ubuntu/20.04/arm64/5.4.0-42-generic.btf",
		     "../arm64/5.4.0-42-generic.btf");
	check_target("ubuntu/20.04/x86_64/a.btf", "ubuntu/22.04/x86_64/b.btf",
		     "../../22.04/x86_64/b.btf");
	/* different distros: climb to the top */
	check_target("ubuntu/20.04/x86_64/a.btf", "centos/8/x86_64/b.btf",
		     "../../../centos/8/x86_64/b.btf");
	/* a shared name prefix is not a shared directory */
	check_target("fedora/34/x86_64/a.btf", "fedora/3/x86_64/b.btf",
		     "../../3/x86_64/b.btf");
	check_target("ab/x.btf", "a/y.btf", "../a/y.btf");
	check_target("a/x.btf", "ab/y.btf", "../ab/y.btf");
	/* deeper or shallower on either side */
	check_target("a/b/c/d/e/x.btf", "a/b/y.btf", "../../../y.btf");
	check_target("a/x.btf", "a/b/c/d/y.btf", "b/c/d/y.btf");
	check_target("x.btf", "a/b/y.btf", "a/b/y.btf");
	check_target("a/b/x.btf", "y.btf", "../../y.btf");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_path_wins),
		cmocka_unit_test(test_many_entries),
		cmocka_unit_test(test_collisions),
		cmocka_unit_test(test_relative_targets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
