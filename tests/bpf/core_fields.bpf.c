// SPDX-License-Identifier: GPL-2.0
/*
 * core_fields: targeted field relocations against real kernel types.
 *
 * Relocation kinds: FIELD_BYTE_OFFSET, FIELD_BYTE_SIZE, FIELD_EXISTS,
 * FIELD_SIGNED.
 *
 * Cases covered:
 *  - members nested in anonymous structs/unions (sk_buff.dev,
 *    sock_common.skc_dport, mm_struct.arg_start, qstr.len, file.f_path,
 *    which is only anonymous-nested in newer kernels)
 *  - arrays of structs (signal_struct.rlim[RLIMIT_NOFILE].rlim_cur,
 *    task_struct.pid_links[PIDTYPE_PGID], pid.numbers[0].nr) and arrays
 *    of scalars in a named union (in6_addr.in6_u.u6_addr32[2])
 *  - fields whose size differs between kernels (sched_entity.on_rq:
 *    u8 vs u32) and whose signedness differs (net.ifindex: u32 vs int)
 *  - fields missing in some kernels (task_struct.__state,
 *    request.rq_disk, inet_sock.inet_flags, sk_buff.vlan_present)
 *  - a made-up field in a real struct and a made-up struct: no target at
 *    all; every access is guarded by bpf_core_field_exists()
 *
 * The programs are raw tracepoints so they can be run without attaching
 * through BPF_PROG_TEST_RUN; all results land in the global "out"
 * (.bss) so a test can compare runs relocated against different BTFs.
 */
#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#define core_field_signed(field...) \
	__builtin_preserve_field_info(___bpf_field_ref(field), BPF_FIELD_SIGNED)

/* a real struct with a field no kernel has */
struct task_struct___btfpack_fake {
	int btfpack_no_such_field;
} __attribute__((preserve_access_index));

/* a struct no kernel has */
struct btfpack_no_such_struct {
	int value;
	struct task_struct *owner;
} __attribute__((preserve_access_index));

struct field_offsets {
	u32 task_pid;
	u32 task_comm;
	u32 task_se_vruntime;
	u32 mm_arg_start;
	u32 skb_dev;
	u32 skb_len;
	u32 skc_dport;
	u32 skc_num;
	u32 file_f_path;
	u32 file_f_path_dentry;
	u32 dentry_d_name_len;
	u32 rlim_nofile_max;
	u32 pid_links_pgid;
	u32 in6_u32_2;
	u32 pid_numbers0_nr;
	u32 inet_sport;
	u32 tcp_srtt_us;
};

struct field_sizes {
	u32 task_comm;
	u32 task_pid_links;
	u32 signal_rlim;
	u32 se_on_rq;
	u32 net_ifindex;
	u32 skb_cb;
	u32 skc_v6_daddr;
	u32 skc_family;
	u32 inet_sport;
	u32 request_part;
	u32 state;		/* whichever of __state/state exists */
};

struct field_exists {
	u8 task___state;
	u8 request_rq_disk;
	u8 request_q;
	u8 inet_flags;
	u8 inet_freebind;
	u8 skb_vlan_present;
	u8 rq_queue_disk;
	u8 fake_field;
	u8 fake_struct;
	u8 fake_struct_owner;
};

struct field_signed {
	u8 task_exit_code;
	u8 task_flags;
	u8 task_prio;
	u8 net_ifindex;
	u8 inet_uc_ttl;
	u8 skc_family;
	u8 socket_state;
	u8 file_f_pos;
};

struct field_values {
	u64 nofile_cur;
	u64 nofile_max;
	u64 arg_len;
	u64 vruntime;
	u64 start_time;
	u32 pid;
	u32 tgid;
	u32 ppid;
	u32 euid;
	u32 max_fds;
	u32 next_fd;
	u32 pidns_level;
	u32 thread_pid_nr;
	u32 on_rq;
	u32 nr_threads;
	u32 fake;
	char comm[TASK_COMM_LEN];
	char parent_comm[TASK_COMM_LEN];
};

struct {
	struct field_offsets off;
	struct field_sizes sz;
	struct field_exists ex;
	struct field_signed sg;
	struct field_values val;
	u64 runs;
} out = {};

const volatile pid_t target_tgid = 0;

static __always_inline bool skip_current(void)
{
	return target_tgid && (bpf_get_current_pid_tgid() >> 32) != (u32)target_tgid;
}

SEC("raw_tracepoint/sys_enter")
int field_offsets(void *ctx)
{
	if (skip_current())
		return 0;

	out.off.task_pid = bpf_core_field_offset(struct task_struct, pid);
	out.off.task_comm = bpf_core_field_offset(struct task_struct, comm);
	out.off.task_se_vruntime = bpf_core_field_offset(struct task_struct, se.vruntime);
	out.off.mm_arg_start = bpf_core_field_offset(struct mm_struct, arg_start);
	out.off.skb_dev = bpf_core_field_offset(struct sk_buff, dev);
	out.off.skb_len = bpf_core_field_offset(struct sk_buff, len);
	out.off.skc_dport = bpf_core_field_offset(struct sock_common, skc_dport);
	out.off.skc_num = bpf_core_field_offset(struct sock_common, skc_num);
	out.off.file_f_path = bpf_core_field_offset(struct file, f_path);
	out.off.file_f_path_dentry = bpf_core_field_offset(struct file, f_path.dentry);
	out.off.dentry_d_name_len = bpf_core_field_offset(struct dentry, d_name.len);
	out.off.rlim_nofile_max =
		bpf_core_field_offset(struct signal_struct, rlim[RLIMIT_NOFILE].rlim_max);
	out.off.pid_links_pgid =
		bpf_core_field_offset(struct task_struct, pid_links[PIDTYPE_PGID]);
	out.off.in6_u32_2 = bpf_core_field_offset(struct in6_addr, in6_u.u6_addr32[2]);
	out.off.pid_numbers0_nr = bpf_core_field_offset(struct pid, numbers[0].nr);
	out.off.inet_sport = bpf_core_field_offset(struct inet_sock, inet_sport);
	out.off.tcp_srtt_us = bpf_core_field_offset(struct tcp_sock, srtt_us);
	out.runs++;
	return 0;
}

SEC("raw_tracepoint/sys_enter")
int field_sizes(void *ctx)
{
	struct task_struct___old_state {
		long state;
	} __attribute__((preserve_access_index)) *old;
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	if (skip_current())
		return 0;

	out.sz.task_comm = bpf_core_field_size(task->comm);
	out.sz.task_pid_links = bpf_core_field_size(struct task_struct, pid_links);
	out.sz.signal_rlim = bpf_core_field_size(struct signal_struct, rlim);
	out.sz.se_on_rq = bpf_core_field_size(struct sched_entity, on_rq);
	out.sz.net_ifindex = bpf_core_field_size(struct net, ifindex);
	out.sz.skb_cb = bpf_core_field_size(struct sk_buff, cb);
	out.sz.skc_v6_daddr = bpf_core_field_size(struct sock_common, skc_v6_daddr);
	out.sz.skc_family = bpf_core_field_size(struct sock_common, skc_family);
	out.sz.inet_sport = bpf_core_field_size(struct inet_sock, inet_sport);
	out.sz.request_part = bpf_core_field_size(struct request, part);

	old = (void *)task;
	if (bpf_core_field_exists(task->__state))
		out.sz.state = bpf_core_field_size(task->__state);
	else if (bpf_core_field_exists(old->state))
		out.sz.state = bpf_core_field_size(old->state);
	return 0;
}

SEC("raw_tracepoint/sys_enter")
int field_exists(void *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct task_struct___btfpack_fake *fake = (void *)task;
	struct btfpack_no_such_struct *ns = (void *)task;
	struct request *rq = NULL;
	struct sk_buff *skb = NULL;
	struct inet_sock *inet = NULL;

	if (skip_current())
		return 0;

	out.ex.task___state = bpf_core_field_exists(task->__state);
	out.ex.request_rq_disk = bpf_core_field_exists(rq->rq_disk);
	out.ex.request_q = bpf_core_field_exists(struct request, q);
	out.ex.rq_queue_disk = bpf_core_field_exists(struct request_queue, disk);
	out.ex.inet_flags = bpf_core_field_exists(inet->inet_flags);
	out.ex.inet_freebind = bpf_core_field_exists(inet->freebind);
	out.ex.skb_vlan_present = bpf_core_field_exists(skb->vlan_present);
	out.ex.fake_field = bpf_core_field_exists(fake->btfpack_no_such_field);
	out.ex.fake_struct = bpf_core_field_exists(ns->value);
	out.ex.fake_struct_owner = bpf_core_field_exists(struct btfpack_no_such_struct, owner);

	/* guarded accesses that can never be relocated */
	if (bpf_core_field_exists(fake->btfpack_no_such_field))
		out.val.fake = BPF_CORE_READ(fake, btfpack_no_such_field);
	if (bpf_core_field_exists(ns->owner))
		out.val.fake = BPF_CORE_READ(ns, owner, pid);
	return 0;
}

SEC("raw_tracepoint/sys_enter")
int field_signed(void *ctx)
{
	if (skip_current())
		return 0;

	out.sg.task_exit_code = core_field_signed(struct task_struct, exit_code);
	out.sg.task_flags = core_field_signed(struct task_struct, flags);
	out.sg.task_prio = core_field_signed(struct task_struct, prio);
	out.sg.net_ifindex = core_field_signed(struct net, ifindex);
	out.sg.inet_uc_ttl = core_field_signed(struct inet_sock, uc_ttl);
	out.sg.skc_family = core_field_signed(struct sock_common, skc_family);
	out.sg.socket_state = core_field_signed(struct socket, state);
	out.sg.file_f_pos = core_field_signed(struct file, f_pos);
	return 0;
}

SEC("raw_tracepoint/sys_enter")
int field_values(void *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	unsigned long arg_start, arg_end;
	struct sched_entity *se;

	if (skip_current())
		return 0;

	out.val.pid = BPF_CORE_READ(task, pid);
	out.val.tgid = BPF_CORE_READ(task, tgid);
	out.val.ppid = BPF_CORE_READ(task, real_parent, tgid);
	out.val.euid = BPF_CORE_READ(task, cred, euid.val);
	out.val.start_time = BPF_CORE_READ(task, start_time);
	out.val.vruntime = BPF_CORE_READ(task, se.vruntime);
	/*
	 * on_rq is u8 in newer kernels and u32 in 5.10: read it with the
	 * size-adaptive bitfield macro. The macro's relocations are rooted at
	 * its pointer argument, so take the embedded struct's address through
	 * an explicit offset relocation instead of &task->se (which clang
	 * would fold into a task_struct-rooted access chain).
	 */
	se = (void *)task + bpf_core_field_offset(task->se);
	out.val.on_rq = BPF_CORE_READ_BITFIELD_PROBED(se, on_rq);
	BPF_CORE_READ_STR_INTO(&out.val.comm, task, comm);
	BPF_CORE_READ_STR_INTO(&out.val.parent_comm, task, real_parent, comm);

	/* array of structs behind two pointers */
	out.val.nofile_cur = BPF_CORE_READ(task, signal, rlim[RLIMIT_NOFILE].rlim_cur);
	out.val.nofile_max = BPF_CORE_READ(task, signal, rlim[RLIMIT_NOFILE].rlim_max);
	out.val.nr_threads = BPF_CORE_READ(task, signal, nr_threads);

	/* anonymous struct inside mm_struct */
	arg_start = BPF_CORE_READ(task, mm, arg_start);
	arg_end = BPF_CORE_READ(task, mm, arg_end);
	out.val.arg_len = arg_end - arg_start;

	out.val.max_fds = BPF_CORE_READ(task, files, fdt, max_fds);
	out.val.next_fd = BPF_CORE_READ(task, files, next_fd);
	out.val.pidns_level = BPF_CORE_READ(task, nsproxy, pid_ns_for_children, level);
	out.val.thread_pid_nr = BPF_CORE_READ(task, thread_pid, numbers[0].nr);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
