// SPDX-License-Identifier: GPL-2.0
/*
 * execsnoop: report every successful exec() with the parent pid, the
 * binary path and the first part of the argument vector.
 *
 * CO-RE surface: task_struct (real_parent, tgid, mm, cred, nsproxy chain),
 * mm_struct (members inside an anonymous struct), the sched_process_exec
 * tracepoint record (__data_loc string) and linux_binprm (kprobe side).
 */
#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#define ARGSIZE 256
#define PATHSIZE 128

struct exec_event {
	u32 pid;
	u32 ppid;
	u32 uid;
	u32 pidns;
	u32 args_size;
	int argc;
	int is_script;
	u64 ts;
	char comm[TASK_COMM_LEN];
	char filename[PATHSIZE];
	char args[ARGSIZE];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

struct bprm_info {
	int argc;
	int is_script;
};

/* filled by the security_bprm_check kprobe, keyed by tid */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, u32);
	__type(value, struct bprm_info);
} bprm_by_tid SEC(".maps");

const volatile u32 targ_uid = (u32)-1;

static __always_inline u32 task_pidns_inum(struct task_struct *task)
{
	return BPF_CORE_READ(task, nsproxy, pid_ns_for_children, ns.inum);
}

SEC("tracepoint/sched/sched_process_exec")
int handle_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct exec_event *e;
	unsigned long arg_start, arg_end, len;
	unsigned int fname_off;
	struct bprm_info *info;
	u32 uid, tid;

	uid = BPF_CORE_READ(task, real_cred, uid.val);
	if (targ_uid != (u32)-1 && uid != targ_uid)
		return 0;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;

	e->ts = bpf_ktime_get_ns();
	e->uid = uid;
	e->pid = BPF_CORE_READ(task, tgid);
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->pidns = task_pidns_inum(task);
	bpf_get_current_comm(e->comm, sizeof(e->comm));

	/* __data_loc: low 16 bits are the offset of the string in the record */
	fname_off = ctx->__data_loc_filename & 0xFFFF;
	bpf_probe_read_kernel_str(e->filename, sizeof(e->filename),
				  (void *)ctx + fname_off);

	arg_start = BPF_CORE_READ(task, mm, arg_start);
	arg_end = BPF_CORE_READ(task, mm, arg_end);
	len = arg_end - arg_start;
	if (len > ARGSIZE)
		len = ARGSIZE;
	e->args_size = len;
	bpf_probe_read_user(e->args, len, (void *)arg_start);

	tid = (u32)bpf_get_current_pid_tgid();
	info = bpf_map_lookup_elem(&bprm_by_tid, &tid);
	e->argc = info ? info->argc : -1;
	e->is_script = info ? info->is_script : 0;
	if (info)
		bpf_map_delete_elem(&bprm_by_tid, &tid);

	bpf_ringbuf_submit(e, 0);
	return 0;
}

/*
 * security_bprm_check() runs once per exec attempt (and again for the
 * interpreter of a script) with a fully set-up linux_binprm.
 */
SEC("kprobe/security_bprm_check")
int BPF_KPROBE(bprm_check, struct linux_binprm *bprm)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct bprm_info info = {};

	info.argc = BPF_CORE_READ(bprm, argc);
	/* for "#!" scripts the interpreter replaces the file name */
	info.is_script = BPF_CORE_READ(bprm, interp) != BPF_CORE_READ(bprm, filename);
	bpf_map_update_elem(&bprm_by_tid, &tid, &info, BPF_ANY);
	return 0;
}

SEC("tracepoint/sched/sched_process_exit")
int handle_exit(struct trace_event_raw_sched_process_template *ctx)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();

	if (ctx->pid)
		bpf_map_delete_elem(&bprm_by_tid, &tid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
