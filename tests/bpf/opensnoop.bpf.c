// SPDX-License-Identifier: GPL-2.0
/*
 * opensnoop: trace openat() entry/exit and, on success, resolve the new
 * descriptor through current->files->fdt->fd[] to report the dentry name,
 * inode number and device of the file that was actually opened.
 *
 * CO-RE surface: trace_event_raw_sys_enter/sys_exit (args[] array),
 * files_struct -> fdtable -> file ** (array of pointers indexed at run
 * time), file.f_path (anonymous union in newer kernels), dentry.d_name
 * (anonymous union in newer kernels) and qstr.len (anonymous struct).
 */
#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#define NAME_MAX 255
#define MAX_FDS_SCAN 4

struct args_t {
	const char *fname;
	int flags;
	int mode;
};

struct open_event {
	u64 ts;
	u32 pid;
	u32 uid;
	int fd;
	int flags;
	int mode;
	u32 name_len;
	u64 ino;
	u32 dev;
	u32 max_fds;
	u32 next_fd;
	u32 fmode;
	char comm[TASK_COMM_LEN];
	char fname[NAME_MAX + 1];
	char dname[64];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct args_t);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(u32));
	__uint(value_size, sizeof(u32));
} events SEC(".maps");

/* the event is too large for the BPF stack */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct open_event);
} heap SEC(".maps");

const volatile pid_t targ_tgid = 0;
const volatile bool targ_failed = false;

static __always_inline bool trace_allowed(u32 tgid)
{
	return !targ_tgid || targ_tgid == (pid_t)tgid;
}

SEC("tracepoint/syscalls/sys_enter_openat")
int tracepoint__syscalls__sys_enter_openat(struct trace_event_raw_sys_enter *ctx)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = (u32)id;
	struct args_t args = {};

	if (!trace_allowed(id >> 32))
		return 0;

	args.fname = (const char *)ctx->args[1];
	args.flags = (int)ctx->args[2];
	args.mode = (int)ctx->args[3];
	bpf_map_update_elem(&start, &tid, &args, BPF_ANY);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_open")
int tracepoint__syscalls__sys_enter_open(struct trace_event_raw_sys_enter *ctx)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = (u32)id;
	struct args_t args = {};

	if (!trace_allowed(id >> 32))
		return 0;

	args.fname = (const char *)ctx->args[0];
	args.flags = (int)ctx->args[1];
	args.mode = (int)ctx->args[2];
	bpf_map_update_elem(&start, &tid, &args, BPF_ANY);
	return 0;
}

static __always_inline struct file *fd_to_file(struct task_struct *task, int fd)
{
	struct file **fds;
	struct file *f = NULL;
	unsigned int max_fds;

	max_fds = BPF_CORE_READ(task, files, fdt, max_fds);
	if (fd < 0 || (unsigned int)fd >= max_fds)
		return NULL;
	fds = BPF_CORE_READ(task, files, fdt, fd);
	if (!fds)
		return NULL;
	bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]);
	return f;
}

static __always_inline int trace_exit(struct trace_event_raw_sys_exit *ctx)
{
	struct task_struct *task;
	struct open_event *e;
	struct args_t *ap;
	struct file *f;
	struct dentry *de;
	u32 tid = (u32)bpf_get_current_pid_tgid();
	u32 zero = 0;
	int ret;

	ap = bpf_map_lookup_elem(&start, &tid);
	if (!ap)
		return 0;
	ret = (int)ctx->ret;
	if (targ_failed && ret >= 0)
		goto cleanup;

	e = bpf_map_lookup_elem(&heap, &zero);
	if (!e)
		goto cleanup;

	task = (struct task_struct *)bpf_get_current_task();
	e->ts = bpf_ktime_get_ns();
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->uid = (u32)bpf_get_current_uid_gid();
	e->fd = ret;
	e->flags = ap->flags;
	e->mode = ap->mode;
	e->ino = 0;
	e->dev = 0;
	e->name_len = 0;
	e->dname[0] = '\0';
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_probe_read_user_str(e->fname, sizeof(e->fname), ap->fname);

	e->max_fds = BPF_CORE_READ(task, files, fdt, max_fds);
	e->next_fd = BPF_CORE_READ(task, files, next_fd);

	f = fd_to_file(task, ret);
	if (f) {
		e->fmode = BPF_CORE_READ(f, f_mode);
		de = BPF_CORE_READ(f, f_path.dentry);
		e->name_len = BPF_CORE_READ(de, d_name.len);
		bpf_probe_read_kernel_str(e->dname, sizeof(e->dname),
					  BPF_CORE_READ(de, d_name.name));
		e->ino = BPF_CORE_READ(f, f_inode, i_ino);
		e->dev = BPF_CORE_READ(f, f_inode, i_sb, s_dev);
	}

	bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, e, sizeof(*e));
cleanup:
	bpf_map_delete_elem(&start, &tid);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_openat")
int tracepoint__syscalls__sys_exit_openat(struct trace_event_raw_sys_exit *ctx)
{
	return trace_exit(ctx);
}

SEC("tracepoint/syscalls/sys_exit_open")
int tracepoint__syscalls__sys_exit_open(struct trace_event_raw_sys_exit *ctx)
{
	return trace_exit(ctx);
}

/*
 * Periodic sampler (attached to sys_enter_close): count how many of the
 * first few descriptor slots of the fd_array embedded in files_struct are
 * populated. Exercises an array of pointers inside a struct and an
 * embedded struct (files_struct.fdtab) rather than a pointer chain.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_FDS_SCAN + 1);
	__type(key, u32);
	__type(value, u64);
} fd_slots SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_close")
int tracepoint__syscalls__sys_enter_close(struct trace_event_raw_sys_enter *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct files_struct *files = BPF_CORE_READ(task, files);
	struct file *f;
	u32 used = 0, key;
	u64 *cnt;
	int i;

	if (!trace_allowed(bpf_get_current_pid_tgid() >> 32) || ctx->args[0] > 1024)
		return 0;

#pragma unroll
	for (i = 0; i < MAX_FDS_SCAN; i++) {
		f = NULL;
		bpf_core_read(&f, sizeof(f), &files->fd_array[i]);
		if (f)
			used++;
	}
	/* the embedded table normally has max_fds == NR_OPEN_DEFAULT */
	if (BPF_CORE_READ(files, fdtab.max_fds) == 0)
		used = MAX_FDS_SCAN;

	key = used;
	cnt = bpf_map_lookup_elem(&fd_slots, &key);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
