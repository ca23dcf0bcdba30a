// SPDX-License-Identifier: MIT
/* The tracer's BPF side: one event per successful exec, from the raw
 * tracepoint sched_process_exec (task, old pid, linux_binprm): a raw
 * tracepoint attaches by name through bpf(), with no tracefs and no kernel
 * BTF needed. Every kernel struct is read with CO-RE (BPF_CORE_READ over
 * vmlinux.h's preserve_access_index types), so its offsets are relocated
 * at load time against whatever BTF the loader gives libbpf: the kernel's
 * own, or the bundle's.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

#include "tracer.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

SEC("raw_tp/sched_process_exec")
int handle_exec(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *task = (struct task_struct *)ctx->args[0];
	struct linux_binprm *bprm = (struct linux_binprm *)ctx->args[2];
	struct exec_event *e;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	e->pid = BPF_CORE_READ(task, tgid);
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->uid = BPF_CORE_READ(task, cred, uid.val);
	BPF_CORE_READ_STR_INTO(&e->comm, task, comm);
	bpf_probe_read_kernel_str(e->filename, sizeof(e->filename), BPF_CORE_READ(bprm, filename));
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* bpf_probe_read_kernel() is GPL-only */
char LICENSE[] SEC("license") = "Dual MIT/GPL";
