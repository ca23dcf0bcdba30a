// SPDX-License-Identifier: GPL-2.0
/*
 * unguarded: one program the verifier must reject on every kernel, one it
 * must accept, so the real-load test sees both outcomes.
 *
 * read_missing reads a task_struct field no kernel has, with no
 * bpf_core_field_exists() guard: libbpf finds no target, poisons the load
 * instruction, and the verifier refuses the program ("invalid func
 * unknown#195896080"). A minimized BTF must make it fail the same way, not
 * turn it into a load of garbage. read_present is its guarded twin.
 */
#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct task_struct___unguarded {
	int btfpack_no_such_field;
} __attribute__((preserve_access_index));

long out[2];

SEC("raw_tracepoint/sys_enter")
int read_missing(void *ctx)
{
	struct task_struct___unguarded *t = (void *)bpf_get_current_task();

	out[0] = BPF_CORE_READ(t, btfpack_no_such_field);
	return 0;
}

SEC("raw_tracepoint/sys_enter")
int read_present(void *ctx)
{
	struct task_struct___unguarded *t = (void *)bpf_get_current_task();

	if (bpf_core_field_exists(t->btfpack_no_such_field))
		out[1] = BPF_CORE_READ(t, btfpack_no_such_field);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
