// SPDX-License-Identifier: GPL-2.0
/*
 * oomkill: report OOM-killer decisions: who triggered the kill, which task
 * was chosen, its badness score and memory footprint.
 *
 * CO-RE surface: oom_control (const member, task pointer), the victim's
 * mm_struct counters (anonymous struct), signal_struct->rlim[] (array of
 * structs indexed with a constant), cred uid (typedef'd anonymous struct).
 */
#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#define RLIMIT_AS 9

struct oom_event {
	u32 fpid;
	u32 tpid;
	u32 tuid;
	int order;
	u64 pages;
	long points;
	u64 total_vm;
	u64 hiwater_rss;
	u64 as_limit;
	u64 nofile_limit;
	u32 nr_threads;
	char fcomm[TASK_COMM_LEN];
	char tcomm[TASK_COMM_LEN];
	char message[64];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(u32));
	__uint(value_size, sizeof(u32));
} events SEC(".maps");

SEC("kprobe/oom_kill_process")
int BPF_KPROBE(oom_kill_process, struct oom_control *oc, const char *message)
{
	struct oom_event ev = {};
	struct task_struct *victim;

	victim = BPF_CORE_READ(oc, chosen);
	ev.fpid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(&ev.fcomm, sizeof(ev.fcomm));

	ev.tpid = BPF_CORE_READ(victim, tgid);
	ev.tuid = BPF_CORE_READ(victim, cred, uid.val);
	BPF_CORE_READ_STR_INTO(&ev.tcomm, victim, comm);
	ev.order = BPF_CORE_READ(oc, order);
	ev.pages = BPF_CORE_READ(oc, totalpages);
	ev.points = BPF_CORE_READ(oc, chosen_points);

	ev.total_vm = BPF_CORE_READ(victim, mm, total_vm);
	ev.hiwater_rss = BPF_CORE_READ(victim, mm, hiwater_rss);
	ev.as_limit = BPF_CORE_READ(victim, signal, rlim[RLIMIT_AS].rlim_cur);
	ev.nofile_limit = BPF_CORE_READ(victim, signal, rlim[RLIMIT_NOFILE].rlim_max);
	ev.nr_threads = BPF_CORE_READ(victim, signal, nr_threads);
	bpf_probe_read_kernel_str(&ev.message, sizeof(ev.message), message);

	bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &ev, sizeof(ev));
	return 0;
}

/* memcg-constrained OOMs also go through mem_cgroup_out_of_memory() */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, u32);
	__type(value, u64);
} oom_calls SEC(".maps");

SEC("kprobe/out_of_memory")
int BPF_KPROBE(out_of_memory, struct oom_control *oc)
{
	u32 key = BPF_CORE_READ(oc, memcg) ? 1 : 0;
	u64 *cnt = bpf_map_lookup_elem(&oom_calls, &key);

	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
