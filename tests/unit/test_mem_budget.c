// SPDX-License-Identifier: MIT
/* The build's memory budget: turns in ticket order, waiting for bytes,
 * refusing what can never fit, cancellation; and the cost plan of inputs.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "batch/mem_budget.h"

struct taker {
	struct mem_budget *b;
	size_t ticket, n, held;
	size_t seen_used;	/* b->used just after the grant */
	int ret;
	pthread_mutex_t *lock;
	size_t *order, *order_cnt;
};

static void *take(void *arg)
{
	struct taker *t = arg;

	t->ret = mem_budget_reserve(t->b, t->ticket, t->n, &t->held);
	pthread_mutex_lock(&t->b->lock);
	t->seen_used = t->b->used;
	pthread_mutex_unlock(&t->b->lock);
	pthread_mutex_lock(t->lock);
	t->order[(*t->order_cnt)++] = t->ticket;
	pthread_mutex_unlock(t->lock);
	return NULL;
}

/* A later ticket that would fit waits for an earlier one that does not. */
static void test_turns_in_order(void **state)
{
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	size_t order[2], cnt = 0, held0;
	struct mem_budget b;
	struct taker t1, t2;
	pthread_t th1, th2;

	(void)state;
	mem_budget_init(&b, 100);
	assert_int_equal(mem_budget_reserve(&b, 0, 60, &held0), 0);
	assert_int_equal(held0, 60);
	t2 = (struct taker){ &b, 2, 10, 0, 0, 1, &lock, order, &cnt };
	t1 = (struct taker){ &b, 1, 50, 0, 0, 1, &lock, order, &cnt };
	assert_int_equal(pthread_create(&th2, NULL, take, &t2), 0);
	assert_int_equal(pthread_create(&th1, NULL, take, &t1), 0);
	/* ticket 1 needs 50 of the 40 free: both wait until ticket 0 shrinks */
	mem_budget_shrink(&b, &held0, 5);
	assert_int_equal(held0, 5);
	pthread_join(th1, NULL);
	pthread_join(th2, NULL);
	assert_int_equal(t1.ret, 0);
	assert_int_equal(t2.ret, 0);
	assert_int_equal(cnt, 2);
	/* the order the threads record in is theirs, not the budget's (ticket 2
	 * may record first once both hold their bytes): what proves the turn
	 * is that ticket 2 was granted only with ticket 1's 50 already taken
	 * (5 + 50 + 10; out of turn it would see 60 + 10 before the shrink,
	 * or 5 + 10 after it)
	 */
	assert_int_equal(t2.seen_used, 65);
	assert_int_equal(b.used, 65);
	/* shrink never grows */
	mem_budget_shrink(&b, &t1.held, 80);
	assert_int_equal(t1.held, 50);
	mem_budget_shrink(&b, &t1.held, 0);
	mem_budget_shrink(&b, &t2.held, 0);
	mem_budget_shrink(&b, &held0, 0);
	assert_int_equal(b.used, 0);
	mem_budget_destroy(&b);
}

/* Too big alone: refused at its turn, and the turn passes. */
static void test_too_big_passes_turn(void **state)
{
	struct mem_budget b;
	size_t held = 1;

	(void)state;
	mem_budget_init(&b, 100);
	assert_int_equal(mem_budget_reserve(&b, 0, 101, &held), -EFBIG);
	assert_int_equal(held, 0);
	assert_int_equal(mem_budget_reserve(&b, 1, 100, &held), 0);
	mem_budget_shrink(&b, &held, 0);
	assert_int_equal(mem_budget_reserve(&b, 2, 0, &held), 0);
	assert_int_equal(b.used, 0);
	mem_budget_destroy(&b);
}

/* A waiter wakes with -ECANCELED when the batch stops. */
static void test_cancel_wakes_waiters(void **state)
{
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	size_t order[1], cnt = 0, held;
	struct mem_budget b;
	struct taker t;
	pthread_t th;

	(void)state;
	mem_budget_init(&b, 100);
	assert_int_equal(mem_budget_reserve(&b, 0, 100, &held), 0);
	t = (struct taker){ &b, 1, 1, 0, 0, 1, &lock, order, &cnt };
	assert_int_equal(pthread_create(&th, NULL, take, &t), 0);
	mem_budget_cancel(&b);
	pthread_join(th, NULL);
	assert_int_equal(t.ret, -ECANCELED);
	assert_int_equal(t.held, 0);
	mem_budget_destroy(&b);
}

static void test_default_is_some_memory(void **state)
{
	(void)state;
	assert_true(mem_budget_default() >= 1024 * 1024);
}

static void write_file(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, size, f), size);
	assert_int_equal(fclose(f), 0);
}

/* A raw BTF's plan follows its header: a huge string section costs bytes,
 * not types; a file that is not there fails with its name.
 */
static void test_plan_raw_btf(void **state)
{
	char path[] = "/tmp/btfpack-test-mem-XXXXXX";
	unsigned char hdr[24] = { 0x9f, 0xeb, 1, 0, 24 };
	struct mem_plan p;
	struct bp_err err;
	size_t size = 64 * 1024 * 1024;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	/* type_len 24 (two tiny types), all the rest strings */
	hdr[12] = 24;
	hdr[16] = 24;
	write_file(path, hdr, sizeof(hdr));
	assert_int_equal(truncate(path, (off_t)size), 0);
	assert_int_equal(mem_plan_kernel(path, path, false, 1 << 20, &p, &err), 0);
	/* mapped file + libbpf's copy, and far less than a per-type bound */
	assert_true(p.estimate >= 2 * size);
	assert_true(p.estimate < 2 * size + 8 * 1024 * 1024);
	unlink(path);
	assert_int_equal(mem_plan_kernel(path, path, false, 1 << 20, &p, &err), -ENOENT);
	assert_non_null(strstr(err.msg, path));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_turns_in_order),
		cmocka_unit_test(test_too_big_passes_turn),
		cmocka_unit_test(test_cancel_wakes_waiters),
		cmocka_unit_test(test_default_is_some_memory),
		cmocka_unit_test(test_plan_raw_btf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
