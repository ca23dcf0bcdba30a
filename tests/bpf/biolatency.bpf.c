// SPDX-License-Identifier: GPL-2.0
/*
 * biolatency: block I/O latency histograms per disk and operation.
 *
 * CO-RE surface:
 *  - raw tracepoint argument layout: block_rq_insert/issue dropped their
 *    request_queue argument in 5.11; detected with bpf_core_type_matches()
 *    on the kernel's btf_trace_<event> typedefs (function prototypes)
 *  - disk lookup: request->rq_disk (5.10) versus request->q->disk (5.16+)
 *  - enum req_op (5.19+) versus enum req_opf (older) for the operation
 *  - request sizes/sector and timestamps kept by the block layer
 */
#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#define MAX_ENTRIES 10240
#define MAX_SLOTS 27
#define MKDEV(ma, mi) ((u32)(((ma) << MINORBITS) | (mi)))

/* 5.10 and older: TP_PROTO(struct request_queue *q, struct request *rq) */
typedef void (*btf_trace_block_rq_issue___with_q)(void *, struct request_queue *,
						   struct request *);
typedef void (*btf_trace_block_rq_insert___with_q)(void *, struct request_queue *,
						    struct request *);

/* pre-5.19 name of enum req_op, with flavored enumerators */
enum req_opf___old {
	REQ_OP_READ___old = 0,
	REQ_OP_WRITE___old = 1,
	REQ_OP_FLUSH___old = 2,
	REQ_OP_DISCARD___old = 3,
};

struct hist_key {
	u32 dev;
	u32 op;
};

struct hist {
	u32 slots[MAX_SLOTS];
	u64 bytes;
	char disk[DISK_NAME_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_ENTRIES);
	__type(key, struct request *);
	__type(value, u64);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct hist_key);
	__type(value, struct hist);
} hists SEC(".maps");

const volatile bool targ_queued = false;
const volatile bool targ_per_disk = true;
const volatile bool targ_per_op = true;
const volatile u32 targ_dev = 0;

static struct hist initial_hist;

static __always_inline struct gendisk *rq_disk(struct request *rq)
{
	if (bpf_core_field_exists(rq->rq_disk))
		return BPF_CORE_READ(rq, rq_disk);
	return BPF_CORE_READ(rq, q, disk);
}

static __always_inline u32 rq_dev(struct request *rq)
{
	struct gendisk *disk = rq_disk(rq);

	if (!disk)
		return 0;
	return MKDEV(BPF_CORE_READ(disk, major), BPF_CORE_READ(disk, first_minor));
}

static __always_inline u32 rq_op(struct request *rq)
{
	u32 op = BPF_CORE_READ(rq, cmd_flags) & REQ_OP_MASK;

	if (bpf_core_type_exists(enum req_op)) {
		if (op == bpf_core_enum_value(enum req_op, REQ_OP_WRITE))
			return 1;
		if (op == bpf_core_enum_value(enum req_op, REQ_OP_DISCARD))
			return 2;
	} else {
		if (op == bpf_core_enum_value(enum req_opf___old, REQ_OP_WRITE___old))
			return 1;
		if (op == bpf_core_enum_value(enum req_opf___old, REQ_OP_DISCARD___old))
			return 2;
	}
	return 0;
}

static __always_inline u64 log2l(u64 v)
{
	u64 r = 0;

#pragma unroll
	for (int i = 0; i < 6; i++) {
		int shift = 32 >> i;

		if (v >= (1ULL << shift)) {
			v >>= shift;
			r += shift;
		}
	}
	return r;
}

static __always_inline int trace_rq_start(struct request *rq, bool insert)
{
	u64 ts;

	if (insert && !targ_queued)
		return 0;
	if (targ_dev && rq_dev(rq) != targ_dev)
		return 0;
	ts = bpf_ktime_get_ns();
	/* an insert timestamp must not be overwritten by the later issue */
	bpf_map_update_elem(&start, &rq, &ts, insert || !targ_queued ? BPF_ANY : BPF_NOEXIST);
	return 0;
}

SEC("raw_tracepoint/block_rq_insert")
int BPF_PROG(block_rq_insert)
{
	if (bpf_core_type_matches(btf_trace_block_rq_insert___with_q))
		return trace_rq_start((struct request *)ctx[1], true);
	return trace_rq_start((struct request *)ctx[0], true);
}

SEC("raw_tracepoint/block_rq_issue")
int BPF_PROG(block_rq_issue)
{
	if (bpf_core_type_matches(btf_trace_block_rq_issue___with_q))
		return trace_rq_start((struct request *)ctx[1], false);
	return trace_rq_start((struct request *)ctx[0], false);
}

SEC("raw_tracepoint/block_rq_complete")
int BPF_PROG(block_rq_complete, struct request *rq, int error, unsigned int nr_bytes)
{
	struct hist_key key = {};
	struct gendisk *disk;
	struct hist *h;
	u64 *tsp, slot;
	s64 delta;

	tsp = bpf_map_lookup_elem(&start, &rq);
	if (!tsp)
		return 0;
	delta = (s64)(bpf_ktime_get_ns() - *tsp);
	if (delta < 0)
		goto cleanup;

	disk = rq_disk(rq);
	if (targ_per_disk)
		key.dev = rq_dev(rq);
	if (targ_per_op)
		key.op = rq_op(rq);

	h = bpf_map_lookup_elem(&hists, &key);
	if (!h) {
		bpf_map_update_elem(&hists, &key, &initial_hist, BPF_NOEXIST);
		h = bpf_map_lookup_elem(&hists, &key);
		if (!h)
			goto cleanup;
		if (disk)
			BPF_CORE_READ_STR_INTO(&h->disk, disk, disk_name);
	}

	slot = log2l(delta / 1000U);
	if (slot >= MAX_SLOTS)
		slot = MAX_SLOTS - 1;
	__sync_fetch_and_add(&h->slots[slot], 1);
	/* nr_bytes is 0 for some completions; fall back to the request size */
	if (!nr_bytes)
		nr_bytes = BPF_CORE_READ(rq, __data_len);
	__sync_fetch_and_add(&h->bytes, nr_bytes);
cleanup:
	bpf_map_delete_elem(&start, &rq);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
