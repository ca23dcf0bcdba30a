/* SPDX-License-Identifier: MIT */
/* The build's memory budget: bytes in flight across all workers, and the
 * cost model that turns a cheap look at an input into an upper bound.
 *
 * Each kernel makes one reservation, before its big allocations, and only
 * ever shrinks it; the writer releases what is left (the blob it holds)
 * once the kernel is in the bundle. Reservations are granted in input
 * order: when kernel t waits, every byte reserved belongs to an earlier
 * kernel, which finishes without waiting again and is written before t, so
 * t always gets its turn (no deadlock, whatever the number of workers).
 */
#ifndef BTFPACK_BATCH_MEM_BUDGET_H
#define BTFPACK_BATCH_MEM_BUDGET_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"

struct mem_budget {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	size_t limit;
	size_t used;
	size_t turn;		/* ticket of the next reservation */
	bool cancelled;
};

void mem_budget_init(struct mem_budget *b, size_t limit);
void mem_budget_destroy(struct mem_budget *b);

/* Reserve n bytes for ticket (tickets are 0, 1, 2... in input order, each
 * used exactly once; n == 0 just passes the turn). Waits for the turn, then
 * for n bytes to be free. -EFBIG at once when n alone is above the limit;
 * -ECANCELED after mem_budget_cancel(). On success *held = n.
 */
int mem_budget_reserve(struct mem_budget *b, size_t ticket, size_t n, size_t *held);

/* Lower the reservation *held to n; never raises it. */
void mem_budget_shrink(struct mem_budget *b, size_t *held, size_t n);

/* Wake every waiter with -ECANCELED: the batch is stopping. */
void mem_budget_cancel(struct mem_budget *b);

/* Half of the smaller of the machine's RAM and the cgroup v2 memory.max of
 * this process's cgroup (or an ancestor's).
 */
size_t mem_budget_default(void);

/* n for messages: "12.3 MiB", or "512 bytes" below 1 MiB. */
const char *mem_size_str(char buf[32], size_t n);

/* How one kernel will be read, and what that may cost at most. */
struct mem_plan {
	size_t estimate;	/* bytes to reserve */
	size_t member_cap;	/* archive member limit within the estimate */
	size_t stream_cap;	/* archive stream limit within the estimate */
};

/* Look at path cheaply (its size; for an archive the first tar header and
 * the first bytes of that member) and plan the read. member_cap is the
 * user's --max-member-size. Fails only when path cannot be read at all.
 * name is for messages about the archive's content (the hub path).
 */
int mem_plan_kernel(const char *path, const char *name, bool archive, size_t member_cap,
		    struct mem_plan *plan, struct bp_err *err);

/* The plan for a kernel read from the decoded-source cache: an entry of
 * stored bytes that decodes to raw bytes of BTF.
 */
size_t mem_plan_cached(size_t stored, size_t raw);

/* Upper bound for a parsed kernel: btf bytes and type count known. */
size_t mem_parsed_cost(size_t btf_bytes, size_t types);

#endif
