// SPDX-License-Identifier: MIT
/* The walk's order and the shard choice that merge and --shard rely on:
 * hub_source_cmp() sorts a walked hub exactly as the walk listed it, and a
 * kernel's shard depends on its bundle path alone.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "batch/hub_walk.h"

static void test_cmp(void **state)
{
	(void)state;
	/* a directory's children come before its longer-named siblings */
	assert_true(hub_source_cmp("a/b", "a.x") < 0);
	assert_true(hub_source_cmp("a.x", "a/b") > 0);
	assert_true(hub_source_cmp("a/b/c", "a-b") < 0);
	assert_true(hub_source_cmp("a", "a/b") < 0);
	assert_true(hub_source_cmp("ab", "a/z") > 0);
	assert_true(hub_source_cmp("a/b", "a/c") < 0);
	assert_true(hub_source_cmp("a/\xc3\xa9", "a/z") > 0);	/* bytes, not locale */
	assert_int_equal(hub_source_cmp("x/y", "x/y"), 0);
}

static void touch(const char *root, const char *rel)
{
	char path[512], *slash;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (slash = strchr(path + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	close(fd);
}

static int cmp_kernel(const void *a, const void *b)
{
	return hub_source_cmp(((const struct hub_kernel *)a)->source,
			      ((const struct hub_kernel *)b)->source);
}

/* Names around '/', '.', '-' where strcmp and the walk disagree. */
static void test_walk_order(void **state)
{
	static const char *const files[] = {
		"d/1/x86_64/k.btf", "d/1/x86_64/k-1.btf", "d/1/x86_64/k.x.btf", "d/1.0/x86_64/a.btf",
		"d/1-rc/x86_64/a.btf", "d.x/1/x86_64/a.btf", "d-x/1/arm64/a.btf", "d/1/arm64/z.btf",
		"d/1/x86_64/vmlinux-5.4", "e/2/x86_64/b.btf.tar.xz",
	};
	char root[] = "/tmp/btfpack-test-hub.XXXXXX";
	struct hub_filter f = { 0 };
	struct bp_err err = { "" };
	struct hub_list l, sorted;
	size_t i;
	char cmd[600];

	(void)state;
	assert_non_null(mkdtemp(root));
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		touch(root, files[i]);
	assert_int_equal(hub_walk(root, &f, &l, &err), 0);
	assert_int_equal(l.cnt, sizeof(files) / sizeof(files[0]));
	sorted.kernels = malloc(l.cnt * sizeof(*l.kernels));
	assert_non_null(sorted.kernels);
	memcpy(sorted.kernels, l.kernels, l.cnt * sizeof(*l.kernels));
	qsort(sorted.kernels, l.cnt, sizeof(*l.kernels), cmp_kernel);
	for (i = 0; i < l.cnt; i++)
		assert_string_equal(sorted.kernels[i].source, l.kernels[i].source);
	free(sorted.kernels);
	hub_list_free(&l);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
}

static void test_shard(void **state)
{
	static const char *const paths[] = {
		"ubuntu/20.04/x86_64/5.4.0-42-generic.btf", "ubuntu/20.04/x86_64/5.4.0-43-generic.btf",
		"centos/8/x86_64/4.18.0-80.el8.x86_64.btf", "android/13-5.10/arm64/a13.btf",
		"debian/11/arm64/5.10.0-9-arm64.btf", "fedora/34/x86_64/5.11.12-300.fc34.x86_64.btf",
	};
	unsigned int n, i, seen[3] = { 0 };

	(void)state;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		assert_int_equal(hub_shard_of(paths[i], 1), 0);
		for (n = 2; n < 9; n++) {
			assert_true(hub_shard_of(paths[i], n) < n);
			/* the path alone decides: the same answer every time */
			assert_int_equal(hub_shard_of(paths[i], n), hub_shard_of(paths[i], n));
		}
	}
	/* a few hundred paths reach every one of 3 shards */
	for (i = 0; i < 300; i++) {
		char p[64];

		snprintf(p, sizeof(p), "d/1/x86_64/k%u.btf", i);
		seen[hub_shard_of(p, 3)]++;
	}
	for (i = 0; i < 3; i++)
		assert_true(seen[i] > 50);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmp),
		cmocka_unit_test(test_walk_order),
		cmocka_unit_test(test_shard),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
