// SPDX-License-Identifier: MIT
/* Alias rules: which keys each rule adds, and only those. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <errno.h>

#include "dedup/alias_rules.h"

/* "distro/version/arch" of every alias, one per line. */
static void aliases_text(const char *d, const char *v, const char *a, unsigned int flags,
			 char *buf, size_t cap, size_t *cnt)
{
	struct alias_key k, out[ALIAS_MAX];
	size_t i, n, off = 0;

	assert_int_equal(alias_key_set(&k, d, v, a), 0);
	n = alias_keys(&k, flags, out);
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		off += (size_t)snprintf(buf + off, cap - off, "%s/%s/%s\n", out[i].distro,
					out[i].version, out[i].arch);
		assert_true(off < cap);
	}
	*cnt = n;
}

static void test_no_rule_no_alias(void **state)
{
	char buf[4096];
	size_t n;

	(void)state;
	aliases_text("ubuntu", "20.04", "x86_64", ALIAS_ALL, buf, sizeof(buf), &n);
	assert_int_equal(n, 0);
	aliases_text("android", "12-5.10", "x86_64", ALIAS_ALL, buf, sizeof(buf), &n);
	assert_int_equal(n, 0);
}

static void test_arm64_gets_aarch64(void **state)
{
	char buf[4096];
	size_t n;

	(void)state;
	aliases_text("ubuntu", "20.04", "arm64", 0, buf, sizeof(buf), &n);
	assert_string_equal(buf, "ubuntu/20.04/aarch64\n");
	assert_int_equal(n, 1);
}

static void test_quoted_id(void **state)
{
	char buf[4096];
	size_t n;

	(void)state;
	aliases_text("centos", "7", "x86_64", ALIAS_QUOTED_IDS, buf, sizeof(buf), &n);
	assert_string_equal(buf, "\"centos\"/7/x86_64\n");
	/* for go:embed trees: no quotes */
	aliases_text("centos", "7", "x86_64", 0, buf, sizeof(buf), &n);
	assert_int_equal(n, 0);
	aliases_text("ubuntu", "18.04", "x86_64", 0, buf, sizeof(buf), &n);
	assert_int_equal(n, 0);
}

static void test_minor_versions(void **state)
{
	char buf[8192];
	size_t n;

	(void)state;
	aliases_text("rhel", "8", "x86_64", ALIAS_QUOTED_IDS, buf, sizeof(buf), &n);
	/* 8.0..8.10 unquoted, then "rhel" with 8 and 8.0..8.10 */
	assert_int_equal(n, 11 + 12);
	assert_non_null(strstr(buf, "rhel/8.6/x86_64\n"));
	assert_non_null(strstr(buf, "\"rhel\"/8.6/x86_64\n"));
	assert_non_null(strstr(buf, "\"rhel\"/8/x86_64\n"));
	assert_null(strstr(buf, "rhel/8.11/"));
	aliases_text("ol", "7", "arm64", ALIAS_QUOTED_IDS, buf, sizeof(buf), &n);
	assert_non_null(strstr(buf, "\"ol\"/7.9/aarch64\n"));
	assert_int_equal(n, 2 * 11 * 2 - 1);
	/* CentOS reports the bare major: no minor rule */
	aliases_text("centos", "8", "x86_64", ALIAS_QUOTED_IDS, buf, sizeof(buf), &n);
	assert_int_equal(n, 1);
}

static void test_renames(void **state)
{
	char buf[4096];
	size_t n;

	(void)state;
	aliases_text("debian", "11", "x86_64", 0, buf, sizeof(buf), &n);
	assert_string_equal(buf, "debian/bullseye/x86_64\n");
	aliases_text("debian", "buster", "x86_64", 0, buf, sizeof(buf), &n);
	assert_string_equal(buf, "debian/10/x86_64\n");
	aliases_text("ubuntu", "focal", "x86_64", 0, buf, sizeof(buf), &n);
	assert_string_equal(buf, "ubuntu/20.04/x86_64\n");
	aliases_text("amzn", "1", "x86_64", ALIAS_QUOTED_IDS, buf, sizeof(buf), &n);
	assert_string_equal(buf, "amzn/2018/x86_64\namzn/2018.03/x86_64\n"
				 "\"amzn\"/1/x86_64\n\"amzn\"/2018/x86_64\n\"amzn\"/2018.03/x86_64\n");
	aliases_text("amzn", "2", "x86_64", ALIAS_QUOTED_IDS, buf, sizeof(buf), &n);
	assert_string_equal(buf, "\"amzn\"/2/x86_64\n");
}

static void test_empty_version_only_in_tar_names(void **state)
{
	char buf[4096];
	size_t n;

	(void)state;
	aliases_text("fedora", "34", "x86_64", 0, buf, sizeof(buf), &n);
	assert_int_equal(n, 0);
	aliases_text("fedora", "34", "x86_64", ALIAS_ALL, buf, sizeof(buf), &n);
	assert_string_equal(buf, "fedora//x86_64\n");
}

static void test_matches(void **state)
{
	struct alias_key e, h;

	(void)state;
	assert_int_equal(alias_key_set(&e, "rhel", "8", "arm64"), 0);
	assert_int_equal(alias_key_set(&h, "\"rhel\"", "8.6", "aarch64"), 0);
	assert_true(alias_key_matches(&e, &h, ALIAS_ALL));
	assert_false(alias_key_matches(&e, &h, 0));
	assert_int_equal(alias_key_set(&h, "rhel", "8", "arm64"), 0);
	assert_true(alias_key_matches(&e, &h, 0));
	assert_int_equal(alias_key_set(&h, "rhel", "7.9", "arm64"), 0);
	assert_false(alias_key_matches(&e, &h, 0));
	assert_int_equal(alias_key_set(&h, "ubuntu", "8", "arm64"), 0);
	assert_false(alias_key_matches(&e, &h, 0));
}

static void test_long_fields(void **state)
{
	char big[ALIAS_FIELD_MAX + 1];
	struct alias_key k, out[ALIAS_MAX];

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(alias_key_set(&k, big, "1", "x"), -ENAMETOOLONG);
	assert_int_equal(alias_key_set(&k, NULL, "1", "x"), -EINVAL);
	/* a version of 63 bytes: its minors would not fit and are left out */
	memset(big, '7', ALIAS_FIELD_MAX - 1);
	big[ALIAS_FIELD_MAX - 1] = '\0';
	assert_int_equal(alias_key_set(&k, "sles", big, "x86_64"), 0);
	assert_int_equal(alias_keys(&k, ALIAS_ALL, out), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_rule_no_alias),
		cmocka_unit_test(test_arm64_gets_aarch64),
		cmocka_unit_test(test_quoted_id),
		cmocka_unit_test(test_minor_versions),
		cmocka_unit_test(test_renames),
		cmocka_unit_test(test_empty_version_only_in_tar_names),
		cmocka_unit_test(test_matches),
		cmocka_unit_test(test_long_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
