// SPDX-License-Identifier: GPL-2.0
/*
 * core_flavors: "___suffix" type flavors, the CO-RE way of describing
 * several incompatible layouts of one kernel type.
 *
 * Relocation kinds: FIELD_EXISTS, FIELD_BYTE_OFFSET, FIELD_BYTE_SIZE,
 * TYPE_EXISTS (+ bitfield kinds through the sk_protocol fallback).
 *
 * Cases covered:
 *  - task_struct___new (unsigned int __state) / task_struct___old
 *    (long state)
 *  - mm_struct___new (struct percpu_counter rss_stat[NR_MM_COUNTERS],
 *    6.2+) / mm_struct___old (struct mm_rss_stat rss_stat with an
 *    atomic_long_t count[] array): the same member name with incompatible
 *    types, told apart by bpf_core_field_exists()
 *  - request___old (rq_disk) / request_queue___new (disk)
 *  - inet_sock___new (inet_flags word) / inet_sock___old (bitfields)
 *  - sock___old: sk_protocol as an 8-bit bitfield (pre-5.6)
 *  - a flavor whose base name does not exist (btfpack_gone___v2), and
 *    TYPE_EXISTS on flavors (flavor suffix ignored when matching)
 *  - flavored tracepoint context (trace_event_raw_sys_enter___x)
 */
#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#define MM_FILEPAGES 0
#define MM_ANONPAGES 1
#define NR_MM_COUNTERS 4

struct task_struct___new {
	unsigned int __state;
} __attribute__((preserve_access_index));

struct task_struct___old {
	long state;
} __attribute__((preserve_access_index));

typedef struct {
	s64 counter;
} __attribute__((preserve_access_index)) atomic_long_t___flv;

struct percpu_counter___flv {
	s64 count;
} __attribute__((preserve_access_index));

struct mm_rss_stat___old {
	atomic_long_t___flv count[NR_MM_COUNTERS];
} __attribute__((preserve_access_index));

struct mm_struct___old {
	struct {
		struct mm_rss_stat___old rss_stat;
	};
} __attribute__((preserve_access_index));

struct mm_struct___new {
	struct {
		struct percpu_counter___flv rss_stat[NR_MM_COUNTERS];
	};
} __attribute__((preserve_access_index));

struct request___old {
	struct gendisk *rq_disk;
} __attribute__((preserve_access_index));

struct request_queue___new {
	struct gendisk *disk;
} __attribute__((preserve_access_index));

struct inet_sock___new {
	unsigned long inet_flags;
} __attribute__((preserve_access_index));

struct inet_sock___old {
	__u8 freebind: 1;
	__u8 transparent: 1;
} __attribute__((preserve_access_index));

struct sock___old {
	unsigned int sk_protocol: 8;
} __attribute__((preserve_access_index));

struct btfpack_gone___v2 {
	int whatever;
} __attribute__((preserve_access_index));

struct trace_event_raw_sys_enter___x {
	long id;
	unsigned long args[6];
} __attribute__((preserve_access_index));

struct {
	u8 has_state_new;
	u8 has_state_old;
	u8 has_rss_new;
	u8 has_rss_old;
	u8 has_rq_disk;
	u8 has_q_disk;
	u8 has_inet_flags;
	u8 has_inet_bits;
	u8 flavor_type_exists_task;
	u8 flavor_type_exists_gone;
	u32 state_size;
	long state;
	s64 file_pages;
	s64 anon_pages;
	u64 syscall_id;
	u64 arg0;
	u64 runs;
} out = {};

struct {
	u32 disk_major;
	u32 disk_minor;
	u32 has_disk;
	u16 proto;
	u8 freebind;
	u8 transparent;
} net_blk = {};

static __always_inline long task_state(struct task_struct *task)
{
	struct task_struct___new *tn = (void *)task;
	struct task_struct___old *to = (void *)task;

	if (bpf_core_field_exists(tn->__state)) {
		out.state_size = bpf_core_field_size(tn->__state);
		return BPF_CORE_READ(tn, __state);
	}
	out.state_size = bpf_core_field_size(to->state);
	return BPF_CORE_READ(to, state);
}

static __always_inline s64 mm_counter(struct mm_struct *mm, int member)
{
	struct mm_struct___new *mn = (void *)mm;
	struct mm_struct___old *mo = (void *)mm;

	/*
	 * percpu_counter.count is only the approximate global value, which is
	 * what /proc uses for fast paths too.
	 */
	if (bpf_core_field_exists(mn->rss_stat)) {
		if (member == MM_FILEPAGES)
			return BPF_CORE_READ(mn, rss_stat[MM_FILEPAGES].count);
		return BPF_CORE_READ(mn, rss_stat[MM_ANONPAGES].count);
	}
	if (member == MM_FILEPAGES)
		return BPF_CORE_READ(mo, rss_stat.count[MM_FILEPAGES].counter);
	return BPF_CORE_READ(mo, rss_stat.count[MM_ANONPAGES].counter);
}

SEC("raw_tracepoint/sys_enter")
int flavor_task(void *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct task_struct___new *tn = (void *)task;
	struct task_struct___old *to = (void *)task;
	struct mm_struct___new *mn = NULL;
	struct mm_struct___old *mo = NULL;
	struct mm_struct *mm;

	out.has_state_new = bpf_core_field_exists(tn->__state);
	out.has_state_old = bpf_core_field_exists(to->state);
	out.has_rss_new = bpf_core_field_exists(mn->rss_stat);
	out.has_rss_old = bpf_core_field_exists(mo->rss_stat);
	out.flavor_type_exists_task = bpf_core_type_exists(struct task_struct___new);
	out.flavor_type_exists_gone = bpf_core_type_exists(struct btfpack_gone___v2);

	out.state = task_state(task);
	mm = BPF_CORE_READ(task, mm);
	if (mm) {
		out.file_pages = mm_counter(mm, MM_FILEPAGES);
		out.anon_pages = mm_counter(mm, MM_ANONPAGES);
	}
	out.runs++;
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_nanosleep")
int flavor_tp_ctx(struct trace_event_raw_sys_enter___x *ctx)
{
	out.syscall_id = ctx->id;
	out.arg0 = ctx->args[0];
	return 0;
}

SEC("raw_tracepoint/block_rq_complete")
int BPF_PROG(flavor_request, struct request *rq)
{
	struct request___old *ro = (void *)rq;
	struct request_queue___new *qn;
	struct gendisk *disk = NULL;

	out.has_rq_disk = bpf_core_field_exists(ro->rq_disk);
	if (bpf_core_field_exists(ro->rq_disk)) {
		disk = BPF_CORE_READ(ro, rq_disk);
	} else {
		qn = (void *)BPF_CORE_READ(rq, q);
		out.has_q_disk = bpf_core_field_exists(qn->disk);
		if (bpf_core_field_exists(qn->disk))
			disk = BPF_CORE_READ(qn, disk);
	}
	net_blk.has_disk = disk != NULL;
	if (disk) {
		net_blk.disk_major = BPF_CORE_READ(disk, major);
		net_blk.disk_minor = BPF_CORE_READ(disk, first_minor);
	}
	return 0;
}

SEC("kprobe/inet_listen")
int BPF_KPROBE(flavor_sock, struct socket *socket)
{
	struct sock *sk = BPF_CORE_READ(socket, sk);
	struct inet_sock___new *in = (void *)sk;
	struct inet_sock___old *io = (void *)sk;
	struct sock___old *so = (void *)sk;

	out.has_inet_flags = bpf_core_field_exists(in->inet_flags);
	out.has_inet_bits = bpf_core_field_exists(io->freebind);
	if (bpf_core_field_exists(in->inet_flags)) {
		unsigned long flags = BPF_CORE_READ(in, inet_flags);

		net_blk.freebind = (flags >> 11) & 1;
		net_blk.transparent = (flags >> 15) & 1;
	} else if (bpf_core_field_exists(io->freebind)) {
		net_blk.freebind = BPF_CORE_READ_BITFIELD_PROBED(io, freebind);
		net_blk.transparent = BPF_CORE_READ_BITFIELD_PROBED(io, transparent);
	}

	if (bpf_core_field_size(sk->sk_protocol) == 2)
		net_blk.proto = BPF_CORE_READ(sk, sk_protocol);
	else
		net_blk.proto = BPF_CORE_READ_BITFIELD_PROBED(so, sk_protocol);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
