// SPDX-License-Identifier: GPL-2.0
/*
 * core_matches: TYPE_MATCHES relocations (bpf_core_type_matches(), clang
 * >= 15, libbpf >= 1.0).
 *
 * "Matches" is stricter than "exists": every local member must be present
 * in the target with a matching type, recursively (only names and kinds
 * behind pointers), arrays must have the same length, function prototypes
 * the same parameter list, enums the same size and enumerator names, and
 * integers the same size, signedness *and name* (after typedefs are
 * stripped). Anonymous members only match anonymous members.
 *
 * Expected results (x86_64 6.18 / Android a12-5.10 / Android a13-5.10-lts)
 * are listed next to each case; the a13-5.10-lts kernel has backported
 * the 5.11 block_rq_issue prototype and uses clang-style integer names
 * ("long", "unsigned long") where the others use "long int",
 * "long unsigned int".
 */
#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#define PAC __attribute__((preserve_access_index))

/* 1/1/1: a subset of members with int-like, array and pointer types */
struct task_struct___m_common {
	int prio;
	unsigned int flags;
	pid_t pid;
	struct hlist_node pid_links[PIDTYPE_COUNT];
	struct mm_struct *mm;
	struct task_struct *real_parent;
} PAC;

/* 0/0/0: "char" is signed for the BPF target but unsigned in kernel BTF */
struct task_struct___m_comm {
	char comm[TASK_COMM_LEN];
} PAC;

/* 1/0/0: __state only exists in 5.14+ */
struct task_struct___m_new {
	unsigned int __state;
} PAC;

/* 0/0/1: the member exists in both 5.10 kernels, but "long" only
 * matches kernels whose BTF names the type "long" (not "long int") */
struct task_struct___m_old {
	long state;
} PAC;

/* 1/1/1 */
struct ns_common___m {
	unsigned int inum;
} PAC;

/* 0/1/1: newer kernels wrap f_path in an anonymous union */
struct file___m {
	struct path f_path;
	struct inode *f_inode;
	unsigned int f_flags;
} PAC;

/* 1/1/1: the kernel's socket_state is an anonymous enum behind a typedef */
struct socket___m {
	socket_state state;
	struct sock *sk;
	struct file *file;
} PAC;

/* rss_stat changed from one struct to an array of percpu counters in 6.2 */
struct list_head___m {
	struct list_head *next;
	struct list_head *prev;
} PAC;

struct percpu_counter___m {
	struct list_head___m list;
	s32 *counters;
} PAC;

struct mm_rss_stat___m {
} PAC;

/* 1/0/0 */
struct mm_struct___m_new {
	struct {
		struct percpu_counter___m rss_stat[4];
	};
} PAC;

/* 0/1/1 */
struct mm_struct___m_old {
	struct {
		struct mm_rss_stat___m rss_stat;
	};
} PAC;

/* 1/1/1: anonymous struct member of a union */
union bpf_attr___m {
	struct {
		__u32 map_type;
		__u32 key_size;
	};
} PAC;

/* 1/1/1 */
typedef struct {
	uid_t val;
} kuid_t___m;

/* 1/1/1 */
enum pid_type___m {
	PIDTYPE_PID___m,
	PIDTYPE_MAX___m,
};

/* 1/0/0: pids_cgrp_id is not configured on the Android kernels */
enum cgroup_subsys_id___m {
	memory_cgrp_id,
	pids_cgrp_id,
};

/* 1/1/1: ENUM64 against ENUM64 */
enum perf_callchain_context___m {
	PERF_CONTEXT_KERNEL___m = (__u64)-128,
	PERF_CONTEXT_USER___m = (__u64)-512,
};

/* 0/0/0: an 8-byte enum never matches the 4-byte kernel enum */
enum pid_type___m64 {
	PIDTYPE_PID___m64 = 0,
	PIDTYPE_TGID___m64 = 0x100000000ULL,
};

/* function prototypes of raw tracepoints */
/* 1/0/0 */
typedef void (*btf_trace_sched_switch___m_new)(void *, bool, struct task_struct *,
					       struct task_struct *, unsigned int);
/* 0/1/1 */
typedef void (*btf_trace_sched_switch___m_old)(void *, bool, struct task_struct *,
					       struct task_struct *);
/* 1/0/0 */
typedef void (*btf_trace_block_rq_complete___m_new)(void *, struct request *, blk_status_t,
						    unsigned int);
/* 0/1/1 */
typedef void (*btf_trace_block_rq_complete___m_old)(void *, struct request *, int,
						    unsigned int);
/* 1/0/1 */
typedef void (*btf_trace_block_rq_issue___m_new)(void *, struct request *);

/* 0/0/0: no candidates at all */
struct btfpack_no_such_type___m {
	int x;
} PAC;

struct {
	u8 task_common;
	u8 task_comm;
	u8 task_new;
	u8 task_old;
	u8 ns_common;
	u8 file;
	u8 socket;
	u8 mm_new;
	u8 mm_old;
	u8 bpf_attr;
	u8 kuid;
	u8 pid_type;
	u8 cgroup_subsys;
	u8 perf_ctx64;
	u8 pid_type64;
	u8 sched_switch_new;
	u8 sched_switch_old;
	u8 rq_complete_new;
	u8 rq_complete_old;
	u8 rq_issue_new;
	u8 no_such;
	u64 runs;
} out = {};

struct {
	u64 prev_state;
	u64 switches;
	u64 file_pages;
} sched = {};

SEC("raw_tracepoint/sys_enter")
int type_matches(void *ctx)
{
	out.task_common = bpf_core_type_matches(struct task_struct___m_common);
	out.task_comm = bpf_core_type_matches(struct task_struct___m_comm);
	out.task_new = bpf_core_type_matches(struct task_struct___m_new);
	out.task_old = bpf_core_type_matches(struct task_struct___m_old);
	out.ns_common = bpf_core_type_matches(struct ns_common___m);
	out.file = bpf_core_type_matches(struct file___m);
	out.socket = bpf_core_type_matches(struct socket___m);
	out.mm_new = bpf_core_type_matches(struct mm_struct___m_new);
	out.mm_old = bpf_core_type_matches(struct mm_struct___m_old);
	out.bpf_attr = bpf_core_type_matches(union bpf_attr___m);
	out.kuid = bpf_core_type_matches(kuid_t___m);
	out.pid_type = bpf_core_type_matches(enum pid_type___m);
	out.cgroup_subsys = bpf_core_type_matches(enum cgroup_subsys_id___m);
	out.perf_ctx64 = bpf_core_type_matches(enum perf_callchain_context___m);
	out.pid_type64 = bpf_core_type_matches(enum pid_type___m64);
	out.sched_switch_new = bpf_core_type_matches(btf_trace_sched_switch___m_new);
	out.sched_switch_old = bpf_core_type_matches(btf_trace_sched_switch___m_old);
	out.rq_complete_new = bpf_core_type_matches(btf_trace_block_rq_complete___m_new);
	out.rq_complete_old = bpf_core_type_matches(btf_trace_block_rq_complete___m_old);
	out.rq_issue_new = bpf_core_type_matches(btf_trace_block_rq_issue___m_new);
	out.no_such = bpf_core_type_matches(struct btfpack_no_such_type___m);
	out.runs++;
	return 0;
}

/*
 * TYPE_MATCHES driving control flow: pick the tracepoint argument layout
 * and the task state member by what the kernel's types look like.
 */
SEC("raw_tracepoint/sched_switch")
int BPF_PROG(switch_matches, bool preempt, struct task_struct *prev)
{
	struct task_struct___m_new *tn = (void *)prev;
	struct mm_struct___m_new *mn;

	if (bpf_core_type_matches(btf_trace_sched_switch___m_new))
		sched.prev_state = ctx[3];
	else if (bpf_core_type_matches(struct task_struct___m_new))
		sched.prev_state = BPF_CORE_READ(tn, __state);

	if (bpf_core_type_matches(struct mm_struct___m_new)) {
		mn = (void *)BPF_CORE_READ(prev, mm);
		if (mn)
			sched.file_pages = (u64)BPF_CORE_READ(mn, rss_stat[0].counters);
	}
	sched.switches++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
