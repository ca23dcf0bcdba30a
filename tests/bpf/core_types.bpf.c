// SPDX-License-Identifier: GPL-2.0
/*
 * core_types: type-based relocations.
 *
 * Relocation kinds: TYPE_ID_LOCAL, TYPE_ID_TARGET, TYPE_EXISTS, TYPE_SIZE.
 *
 * Cases covered:
 *  - structs, unions, typedefs and enums that exist everywhere
 *  - types that exist only in newer kernels (struct bpf_timer,
 *    struct io_uring_cmd, typedef blk_opf_t, enum skb_drop_reason) or only
 *    in 5.10 (struct hd_struct, removed in 5.11)
 *  - a flavored local type (struct task_struct___core_types) that must
 *    resolve to the kernel's task_struct
 *  - a made-up struct that no kernel has (all results 0)
 *  - the kernel type id used at run time with bpf_snprintf_btf(), which
 *    is what TYPE_ID_TARGET is for in practice
 */
#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

/* removed in 5.11 (merged into struct block_device) */
struct hd_struct {
	sector_t start_sect;
	sector_t nr_sects;
	int partno;
} __attribute__((preserve_access_index));

/* 5.19+ */
struct io_uring_cmd {
	struct file *file;
	u32 cmd_op;
	u32 flags;
} __attribute__((preserve_access_index));

/* 5.17+ */
enum skb_drop_reason {
	SKB_NOT_DROPPED_YET = 0,
	SKB_CONSUMED = 1,
	SKB_DROP_REASON_NOT_SPECIFIED = 2,
};

/* a local-only flavor of a real type */
struct task_struct___core_types {
	pid_t pid;
	pid_t tgid;
} __attribute__((preserve_access_index));

/* nothing like this exists anywhere */
struct btfpack_no_such_type {
	u64 a;
	u64 b;
} __attribute__((preserve_access_index));

typedef struct btfpack_no_such_type btfpack_no_such_type_t;

struct type_ids {
	u32 local_task;
	u32 local_sk_buff;
	u32 local_sector_t;
	u32 local_pid_type;
	u32 local_no_such;
	u32 local_event;
	u32 kern_task;
	u32 kern_task_flavor;
	u32 kern_sock;
	u32 kern_sector_t;
	u32 kern_pid_type;
	u32 kern_hd_struct;
	u32 kern_no_such;
};

struct type_exists {
	u8 task;
	u8 sk_buff;
	u8 in6_addr;
	u8 possible_net_t;
	u8 socket_state;
	u8 bpf_timer;
	u8 io_uring_cmd;
	u8 blk_opf_t;
	u8 skb_drop_reason;
	u8 hd_struct;
	u8 task_flavor;
	u8 no_such;
	u8 no_such_typedef;
};

struct type_sizes {
	u32 task;
	u32 sk_buff;
	u32 sock_common;
	u32 rlimit;
	u32 in6_addr;
	u32 kuid_t;
	u32 sector_t;
	u32 pid_type;
	u32 hd_struct;
	u32 io_uring_cmd;
	u32 no_such;
};

struct {
	struct type_ids id;
	struct type_exists ex;
	struct type_sizes sz;
	long snprintf_ret;
	char task_dump[256];
	u64 runs;
} out = {};

/* a local struct that never leaves the program: only its local id matters */
struct local_event {
	u32 pid;
	u32 kind;
};

SEC("raw_tracepoint/sys_enter")
int type_ids(void *ctx)
{
	out.id.local_task = bpf_core_type_id_local(struct task_struct);
	out.id.local_sk_buff = bpf_core_type_id_local(struct sk_buff);
	out.id.local_sector_t = bpf_core_type_id_local(sector_t);
	out.id.local_pid_type = bpf_core_type_id_local(enum pid_type);
	out.id.local_no_such = bpf_core_type_id_local(struct btfpack_no_such_type);
	out.id.local_event = bpf_core_type_id_local(struct local_event);

	out.id.kern_task = bpf_core_type_id_kernel(struct task_struct);
	out.id.kern_task_flavor = bpf_core_type_id_kernel(struct task_struct___core_types);
	out.id.kern_sock = bpf_core_type_id_kernel(struct sock);
	out.id.kern_sector_t = bpf_core_type_id_kernel(sector_t);
	out.id.kern_pid_type = bpf_core_type_id_kernel(enum pid_type);
	out.id.kern_hd_struct = bpf_core_type_id_kernel(struct hd_struct);
	out.id.kern_no_such = bpf_core_type_id_kernel(struct btfpack_no_such_type);
	out.runs++;
	return 0;
}

SEC("raw_tracepoint/sys_enter")
int type_exists(void *ctx)
{
	out.ex.task = bpf_core_type_exists(struct task_struct);
	out.ex.sk_buff = bpf_core_type_exists(struct sk_buff);
	out.ex.in6_addr = bpf_core_type_exists(struct in6_addr);
	out.ex.possible_net_t = bpf_core_type_exists(possible_net_t);
	out.ex.socket_state = bpf_core_type_exists(socket_state);
	out.ex.bpf_timer = bpf_core_type_exists(struct bpf_timer);
	out.ex.io_uring_cmd = bpf_core_type_exists(struct io_uring_cmd);
	out.ex.blk_opf_t = bpf_core_type_exists(blk_opf_t);
	out.ex.skb_drop_reason = bpf_core_type_exists(enum skb_drop_reason);
	out.ex.hd_struct = bpf_core_type_exists(struct hd_struct);
	out.ex.task_flavor = bpf_core_type_exists(struct task_struct___core_types);
	out.ex.no_such = bpf_core_type_exists(struct btfpack_no_such_type);
	out.ex.no_such_typedef = bpf_core_type_exists(btfpack_no_such_type_t);
	return 0;
}

SEC("raw_tracepoint/sys_enter")
int type_sizes(void *ctx)
{
	out.sz.task = bpf_core_type_size(struct task_struct);
	out.sz.sk_buff = bpf_core_type_size(struct sk_buff);
	out.sz.sock_common = bpf_core_type_size(struct sock_common);
	out.sz.rlimit = bpf_core_type_size(struct rlimit);
	out.sz.in6_addr = bpf_core_type_size(struct in6_addr);
	out.sz.kuid_t = bpf_core_type_size(kuid_t);
	out.sz.sector_t = bpf_core_type_size(sector_t);
	out.sz.pid_type = bpf_core_type_size(enum pid_type);
	out.sz.hd_struct = bpf_core_type_size(struct hd_struct);
	out.sz.io_uring_cmd = bpf_core_type_size(struct io_uring_cmd);
	out.sz.no_such = bpf_core_type_size(struct btfpack_no_such_type);
	return 0;
}

/*
 * Dump the current task with the kernel's own BTF pretty printer. The
 * type id must be a *kernel* BTF id, hence bpf_core_type_id_kernel().
 * Guarded by existence checks so that a target without the type still
 * loads (the helper would just fail at run time with id 0).
 */
SEC("kprobe/do_nanosleep")
int BPF_KPROBE(dump_task)
{
	struct btf_ptr p = {};
	u64 size;

	if (!bpf_core_type_exists(struct task_struct))
		return 0;
	p.ptr = (void *)bpf_get_current_task();
	p.type_id = bpf_core_type_id_kernel(struct task_struct);
	size = bpf_core_type_size(struct task_struct);
	if (!size)
		return 0;
	out.snprintf_ret = bpf_snprintf_btf(out.task_dump, sizeof(out.task_dump),
					    &p, sizeof(p), BTF_F_COMPACT | BTF_F_NONAME);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
