// SPDX-License-Identifier: MIT
/* The build cache's entry format and store: a round trip, every flipped
 * byte and every truncation detected, another format told apart, a bad
 * file on disk removed, eviction oldest stamp first.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "batch/build_cache.h"
#include "batch/cache_entry.h"

static const struct bp_hash key = { 0x0123456789abcdefULL, 0xfedcba9876543210ULL };
static const char payload[] = "minimized BTF stands here";

static void encode(void **buf, size_t *size)
{
	assert_int_equal(cache_entry_encode(CACHE_RESULT, &key, payload, sizeof(payload), buf,
					    size), 0);
	assert_int_equal(*size, CACHE_HDR_SIZE + sizeof(payload));
}

static void test_round_trip(void **state)
{
	const struct bp_hash other = { key.high, key.low ^ 1 };
	const void *p;
	size_t size, n;
	void *buf;

	(void)state;
	encode(&buf, &size);
	assert_int_equal(cache_entry_decode(buf, size, CACHE_RESULT, &key, &p, &n), 0);
	assert_int_equal(n, sizeof(payload));
	assert_memory_equal(p, payload, n);
	/* the entry names its kind and key: a misplaced one is refused */
	assert_int_equal(cache_entry_decode(buf, size, CACHE_SOURCE, &key, &p, &n), -EBADMSG);
	assert_int_equal(cache_entry_decode(buf, size, CACHE_RESULT, &other, &p, &n), -EBADMSG);
	free(buf);
}

static void test_every_flip_and_cut_detected(void **state)
{
	unsigned char *b;
	const void *p;
	size_t size, n, i;
	void *buf;
	int ret;

	(void)state;
	encode(&buf, &size);
	b = buf;
	for (i = 0; i < size; i++) {
		b[i] ^= 0x01;
		ret = cache_entry_decode(buf, size, CACHE_RESULT, &key, &p, &n);
		/* the format word says "another format": ignored, not trusted */
		assert_int_equal(ret, i >= 8 && i < 12 ? -ESTALE : -EBADMSG);
		b[i] ^= 0x01;
	}
	for (i = 0; i < size; i++)
		assert_int_equal(cache_entry_decode(buf, i, CACHE_RESULT, &key, &p, &n), -EBADMSG);
	free(buf);
}

static char dir[] = "/tmp/btfpack-test-cache.XXXXXX";

static void put_one(struct build_cache *c, const struct bp_hash *k, size_t blob_size)
{
	struct index_coverage cov[2] = { { 1, 2, 3 }, { 4, 5, 6 } };
	struct cache_result r = { .obj_cnt = 2, .coverage = cov, .btf_size = 77,
				  .blob = (void *)payload, .blob_size = blob_size };

	build_cache_put_result(c, k, &r);
}

static char *result_path(const struct build_cache *c, const struct bp_hash *k)
{
	char hex[BP_HASH_HEX_LEN + 1], *path;

	bp_hash_hex(k, hex);
	assert_true(asprintf(&path, "%s/res/%.2s/%s", build_cache_root(c), hex, hex) > 0);
	return path;
}

static void test_store_and_bad_file(void **state)
{
	struct build_cache *c;
	struct cache_result r;
	struct bp_err err;
	char *path;
	FILE *f;

	(void)state;
	assert_int_equal(build_cache_open(dir, &c, &err), 0);
	assert_int_equal(build_cache_get_result(c, &key, 2, &r), 0);
	put_one(c, &key, sizeof(payload));
	assert_int_equal(build_cache_get_result(c, &key, 2, &r), 1);
	assert_int_equal(r.btf_size, 77);
	assert_int_equal(r.coverage[1].unresolved, 5);
	assert_memory_equal(r.blob, payload, sizeof(payload));
	free(r.coverage);
	free(r.blob);
	/* built for another number of objects: not this result */
	assert_int_equal(build_cache_get_result(c, &key, 3, &r), 0);

	path = result_path(c, &key);
	f = fopen(path, "r+");
	assert_non_null(f);
	fseek(f, CACHE_HDR_SIZE + 3, SEEK_SET);
	fputc('X', f);
	fclose(f);
	assert_int_equal(build_cache_get_result(c, &key, 2, &r), 0);
	assert_int_equal(access(path, F_OK), -1);	/* removed */
	free(path);
	build_cache_close(c);
}

static void test_evict_oldest_first(void **state)
{
	struct timespec ts[2] = { { .tv_sec = 0 }, { .tv_sec = 0 } };
	struct build_cache *c;
	struct cache_evicted ev;
	struct bp_hash k[3];
	struct bp_err err;
	char *paths[3];
	struct stat st;
	size_t i, one;

	(void)state;
	assert_int_equal(build_cache_open(dir, &c, &err), 0);
	assert_int_equal(build_cache_evict(c, 1, &ev, &err), 0);	/* empty it */
	for (i = 0; i < 3; i++) {
		k[i] = key;
		k[i].low += i + 10;
		put_one(c, &k[i], sizeof(payload));
		paths[i] = result_path(c, &k[i]);
		/* stamps: entry 1 oldest, then 2, then 0 */
		ts[0].tv_sec = ts[1].tv_sec = 1000000 + (time_t)((i + 2) % 3) * 1000;
		assert_int_equal(utimensat(AT_FDCWD, paths[i], ts, 0), 0);
	}
	assert_int_equal(stat(paths[0], &st), 0);
	one = (size_t)st.st_size;
	assert_int_equal(build_cache_evict(c, 2 * one, &ev, &err), 0);
	assert_int_equal(ev.entries, 1);
	assert_int_equal(access(paths[1], F_OK), -1);
	assert_int_equal(access(paths[0], F_OK), 0);
	assert_int_equal(build_cache_evict(c, one, &ev, &err), 0);
	assert_int_equal(access(paths[2], F_OK), -1);
	assert_int_equal(access(paths[0], F_OK), 0);
	assert_int_equal(ev.kept_bytes, one);
	for (i = 0; i < 3; i++)
		free(paths[i]);
	assert_int_equal(build_cache_evict(c, 1, &ev, &err), 0);
	build_cache_close(c);
}

static int make_dir(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_every_flip_and_cut_detected),
		cmocka_unit_test(test_store_and_bad_file),
		cmocka_unit_test(test_evict_oldest_first),
	};

	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
