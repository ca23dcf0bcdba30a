// SPDX-License-Identifier: GPL-2.0
/*
 * core_enums: enumerator relocations.
 *
 * Relocation kinds: ENUMVAL_EXISTS, ENUMVAL_VALUE (+ TYPE_EXISTS guards).
 *
 * Cases covered:
 *  - values identical everywhere (enum pid_type)
 *  - values that differ between kernels because they depend on the
 *    kernel configuration (enum cgroup_subsys_id: net_prio_cgrp_id is 9
 *    on the x86 6.18 kernel and 6 on Android 5.10)
 *  - enumerators that only newer kernels have (BPF_FUNC_loop,
 *    BPF_MAP_TYPE_USER_RINGBUF, pids_cgrp_id on Android) and an enum type
 *    that only newer kernels have (enum skb_drop_reason)
 *  - the UAPI enums from <linux/bpf.h> used as local definitions
 *  - ENUM64: a local 64-bit enum (values above 32 bits) matched against
 *    the kernel's ENUM64 perf_callchain_context, and a local ENUM64 flavor
 *    of a 32-bit kernel enum (pid_type)
 *  - a flavored enum with flavored enumerator names (enum req_opf___old)
 *  - a made-up enumerator in a real enum and a made-up enum type
 */
#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

/* config-dependent numbering; only names used below are declared */
enum cgroup_subsys_id {
	cpuset_cgrp_id,
	cpu_cgrp_id,
	cpuacct_cgrp_id,
	io_cgrp_id,
	memory_cgrp_id,
	net_prio_cgrp_id,
	pids_cgrp_id,
	CGROUP_SUBSYS_COUNT,
};

/* 64-bit enumerators: clang emits BTF_KIND_ENUM64 for this type */
enum perf_callchain_context {
	PERF_CONTEXT_HV = (__u64)-32,
	PERF_CONTEXT_KERNEL = (__u64)-128,
	PERF_CONTEXT_USER = (__u64)-512,
	PERF_CONTEXT_GUEST = (__u64)-2048,
	PERF_CONTEXT_GUEST_KERNEL = (__u64)-2176,
	PERF_CONTEXT_GUEST_USER = (__u64)-2560,
	PERF_CONTEXT_MAX = (__u64)-4095,
};

/* an ENUM64 flavor of the kernel's 32-bit enum pid_type */
enum pid_type___wide {
	PIDTYPE_TGID___wide = 1,
	PIDTYPE_MAX___wide = 4,
	PIDTYPE_WIDE_MARKER___wide = 0x100000000ULL,
};

/* enum req_op before 5.19 */
enum req_opf___old {
	REQ_OP_WRITE___old = 1,
	REQ_OP_WRITE_SAME___old = 7,
};

/* 5.17+ */
enum skb_drop_reason {
	SKB_NOT_DROPPED_YET = 0,
	SKB_CONSUMED = 1,
	SKB_DROP_REASON_NOT_SPECIFIED = 2,
	SKB_DROP_REASON_NO_SOCKET = 3,
};

/* a real enum with a value no kernel has */
enum pid_type___btfpack {
	PIDTYPE_BTFPACK_NOPE = 99,
};

/* an enum no kernel has */
enum btfpack_no_such_enum {
	BTFPACK_NO_SUCH_VALUE = 7,
};

struct {
	/* ENUMVAL_EXISTS */
	u8 has_pidtype_tgid;
	u8 has_memory_cgrp;
	u8 has_pids_cgrp;
	u8 has_bpf_func_loop;
	u8 has_user_ringbuf;
	u8 has_ctx_kernel;
	u8 has_wide_tgid;
	u8 has_write_same;
	u8 has_drop_no_socket;
	u8 has_fake_value;
	u8 has_fake_enum;
	u8 has_skb_drop_reason;
	/* ENUMVAL_VALUE */
	u64 pidtype_tgid;
	u64 pidtype_max;
	u64 memory_cgrp;
	u64 net_prio_cgrp;
	u64 pids_cgrp;
	u64 subsys_count;
	u64 bpf_func_ringbuf_output;
	u64 bpf_func_loop;
	u64 map_type_ringbuf;
	u64 ctx_kernel;
	u64 ctx_user;
	u64 ctx_max;
	u64 wide_max;
	u64 req_write;
	u64 drop_not_specified;
	u64 fake_value;
	u64 runs;
} out = {};

SEC("raw_tracepoint/sys_enter")
int enum_exists(void *ctx)
{
	out.has_pidtype_tgid = bpf_core_enum_value_exists(enum pid_type, PIDTYPE_TGID);
	out.has_memory_cgrp = bpf_core_enum_value_exists(enum cgroup_subsys_id, memory_cgrp_id);
	out.has_pids_cgrp = bpf_core_enum_value_exists(enum cgroup_subsys_id, pids_cgrp_id);
	out.has_bpf_func_loop = bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_loop);
	out.has_user_ringbuf =
		bpf_core_enum_value_exists(enum bpf_map_type, BPF_MAP_TYPE_USER_RINGBUF);
	out.has_ctx_kernel =
		bpf_core_enum_value_exists(enum perf_callchain_context, PERF_CONTEXT_KERNEL);
	out.has_wide_tgid = bpf_core_enum_value_exists(enum pid_type___wide, PIDTYPE_TGID___wide);
	out.has_write_same =
		bpf_core_enum_value_exists(enum req_opf___old, REQ_OP_WRITE_SAME___old);
	out.has_drop_no_socket =
		bpf_core_enum_value_exists(enum skb_drop_reason, SKB_DROP_REASON_NO_SOCKET);
	out.has_fake_value = bpf_core_enum_value_exists(enum pid_type___btfpack,
							PIDTYPE_BTFPACK_NOPE);
	out.has_fake_enum = bpf_core_enum_value_exists(enum btfpack_no_such_enum,
						       BTFPACK_NO_SUCH_VALUE);
	out.has_skb_drop_reason = bpf_core_type_exists(enum skb_drop_reason);
	out.runs++;
	return 0;
}

SEC("raw_tracepoint/sys_enter")
int enum_values(void *ctx)
{
	out.pidtype_tgid = bpf_core_enum_value(enum pid_type, PIDTYPE_TGID);
	out.pidtype_max = bpf_core_enum_value(enum pid_type, PIDTYPE_MAX);
	out.memory_cgrp = bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id);
	out.net_prio_cgrp = bpf_core_enum_value(enum cgroup_subsys_id, net_prio_cgrp_id);
	out.subsys_count = bpf_core_enum_value(enum cgroup_subsys_id, CGROUP_SUBSYS_COUNT);
	if (bpf_core_enum_value_exists(enum cgroup_subsys_id, pids_cgrp_id))
		out.pids_cgrp = bpf_core_enum_value(enum cgroup_subsys_id, pids_cgrp_id);
	else
		out.pids_cgrp = (u64)-1;

	out.bpf_func_ringbuf_output = bpf_core_enum_value(enum bpf_func_id, BPF_FUNC_ringbuf_output);
	if (bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_loop))
		out.bpf_func_loop = bpf_core_enum_value(enum bpf_func_id, BPF_FUNC_loop);
	out.map_type_ringbuf = bpf_core_enum_value(enum bpf_map_type, BPF_MAP_TYPE_RINGBUF);

	/* ENUM64 <-> ENUM64 */
	out.ctx_kernel = bpf_core_enum_value(enum perf_callchain_context, PERF_CONTEXT_KERNEL);
	out.ctx_user = bpf_core_enum_value(enum perf_callchain_context, PERF_CONTEXT_USER);
	out.ctx_max = bpf_core_enum_value(enum perf_callchain_context, PERF_CONTEXT_MAX);
	/* local ENUM64 -> kernel 32-bit ENUM */
	out.wide_max = bpf_core_enum_value(enum pid_type___wide, PIDTYPE_MAX___wide);

	if (bpf_core_type_exists(enum req_op))
		out.req_write = bpf_core_enum_value(enum req_op, REQ_OP_WRITE);
	else
		out.req_write = bpf_core_enum_value(enum req_opf___old, REQ_OP_WRITE___old);

	if (bpf_core_type_exists(enum skb_drop_reason))
		out.drop_not_specified = bpf_core_enum_value(enum skb_drop_reason,
							     SKB_DROP_REASON_NOT_SPECIFIED);

	if (bpf_core_enum_value_exists(enum pid_type___btfpack, PIDTYPE_BTFPACK_NOPE))
		out.fake_value = bpf_core_enum_value(enum pid_type___btfpack, PIDTYPE_BTFPACK_NOPE);
	if (bpf_core_enum_value_exists(enum btfpack_no_such_enum, BTFPACK_NO_SUCH_VALUE))
		out.fake_value = bpf_core_enum_value(enum btfpack_no_such_enum,
						     BTFPACK_NO_SUCH_VALUE);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
