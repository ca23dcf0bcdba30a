// SPDX-License-Identifier: GPL-2.0
/*
 * runqlat: run-queue (scheduler) latency histogram. Records the time a
 * task becomes runnable (wakeup, or preemption while still runnable) and
 * accounts the delay when it is finally switched in.
 *
 * CO-RE surface: task_struct->__state (unsigned int, 5.14+) versus
 * task_struct___old->state (volatile long, older kernels) selected with
 * bpf_core_field_exists(); task pid/tgid; per-pid-namespace grouping via
 * nsproxy->pid_ns_for_children->ns.inum; group_leader->comm.
 */
#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#define MAX_ENTRIES 10240
#define MAX_SLOTS 26

/* task_struct before commit 2f064a59a11f ("sched: Change task_struct::state") */
struct task_struct___old {
	long state;
} __attribute__((preserve_access_index));

struct hist {
	u32 slots[MAX_SLOTS];
	char comm[TASK_COMM_LEN];
};

enum hist_key_kind {
	KEY_ALL = 0,
	KEY_PER_PROCESS = 1,
	KEY_PER_THREAD = 2,
	KEY_PER_PIDNS = 3,
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_ENTRIES);
	__type(key, u32);
	__type(value, u64);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_ENTRIES);
	__type(key, u32);
	__type(value, struct hist);
} hists SEC(".maps");

const volatile enum hist_key_kind key_kind = KEY_ALL;
const volatile bool filter_tgid = false;
const volatile pid_t targ_tgid = 0;

static struct hist zero_hist;

static __always_inline u64 log2l(u64 v)
{
	u64 r = 0;

	/* bounded so that the verifier sees a finite loop */
#pragma unroll
	for (int i = 0; i < 6; i++) {
		int shift = 32 >> i;

		if (v >= (1ULL << shift)) {
			v >>= shift;
			r += shift;
		}
	}
	return r;
}

static __always_inline long task_state(struct task_struct *t)
{
	struct task_struct___old *old = (void *)t;

	if (bpf_core_field_exists(t->__state))
		return BPF_CORE_READ(t, __state);
	return BPF_CORE_READ(old, state);
}

static __always_inline int trace_enqueue(struct task_struct *t)
{
	u32 pid = BPF_CORE_READ(t, pid);
	u64 ts;

	if (!pid)
		return 0;
	if (filter_tgid && BPF_CORE_READ(t, tgid) != targ_tgid)
		return 0;
	ts = bpf_ktime_get_ns();
	bpf_map_update_elem(&start, &pid, &ts, BPF_ANY);
	return 0;
}

static __always_inline u32 hist_key(struct task_struct *t)
{
	switch (key_kind) {
	case KEY_PER_PROCESS:
		return BPF_CORE_READ(t, tgid);
	case KEY_PER_THREAD:
		return BPF_CORE_READ(t, pid);
	case KEY_PER_PIDNS:
		return BPF_CORE_READ(t, nsproxy, pid_ns_for_children, ns.inum);
	default:
		return (u32)-1;
	}
}

static __always_inline int handle_switch(struct task_struct *prev, struct task_struct *next)
{
	struct hist *h;
	u64 *tsp, slot;
	s64 delta;
	u32 pid, key;

	/* preempted while runnable: it goes straight back to the run queue */
	if (task_state(prev) == TASK_RUNNING)
		trace_enqueue(prev);

	pid = BPF_CORE_READ(next, pid);
	tsp = bpf_map_lookup_elem(&start, &pid);
	if (!tsp)
		return 0;
	delta = (s64)(bpf_ktime_get_ns() - *tsp);
	if (delta < 0)
		goto cleanup;
	delta /= 1000U;

	key = hist_key(next);
	h = bpf_map_lookup_elem(&hists, &key);
	if (!h) {
		bpf_map_update_elem(&hists, &key, &zero_hist, BPF_NOEXIST);
		h = bpf_map_lookup_elem(&hists, &key);
		if (!h)
			goto cleanup;
		if (key_kind == KEY_PER_PROCESS)
			BPF_CORE_READ_STR_INTO(&h->comm, next, group_leader, comm);
		else if (key_kind == KEY_PER_THREAD)
			BPF_CORE_READ_STR_INTO(&h->comm, next, comm);
	}
	slot = log2l(delta);
	if (slot >= MAX_SLOTS)
		slot = MAX_SLOTS - 1;
	__sync_fetch_and_add(&h->slots[slot], 1);
cleanup:
	bpf_map_delete_elem(&start, &pid);
	return 0;
}

SEC("raw_tracepoint/sched_wakeup")
int BPF_PROG(sched_wakeup, struct task_struct *p)
{
	return trace_enqueue(p);
}

SEC("raw_tracepoint/sched_wakeup_new")
int BPF_PROG(sched_wakeup_new, struct task_struct *p)
{
	return trace_enqueue(p);
}

SEC("raw_tracepoint/sched_switch")
int BPF_PROG(sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	return handle_switch(prev, next);
}

char LICENSE[] SEC("license") = "GPL";
