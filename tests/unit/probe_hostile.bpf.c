/*
 * probe_hostile: relocations aimed at hostile kernel BTF that the unit test
 * test_min_hostile builds with libbpf's writer. The local types are plain C;
 * the test's kernels give the same names shapes no compiler emits:
 *   hb_ptrbf.p   a pointer-typed bitfield (kflag struct, bitfield size 64)
 *   hb_self.x    looked up in a struct whose anonymous member contains
 *                itself, or nests anonymous structs deeper than libbpf's
 *                64-step spec limit (libbpf: -E2BIG matching the candidate)
 * Relocated only, never loaded against those kernels.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct hb_ptrbf {
	void *p;
} __attribute__((preserve_access_index));

struct hb_ptrbf_sz {
	void *p;
} __attribute__((preserve_access_index));

struct hb_self {
	int x;
} __attribute__((preserve_access_index));

volatile __u64 res[4];

SEC("tracepoint/hostile/ptr_bitfield")
int hostile_ptrbf(void *ctx)
{
	struct hb_ptrbf *s = (void *)bpf_get_current_task();

	/* FIELD_BYTE_OFFSET of a member at bit 0 */
	res[0] = (__u64)BPF_CORE_READ(s, p);
	return 0;
}

SEC("tracepoint/hostile/ptr_bitfield_size")
int hostile_ptrbf_size(void *ctx)
{
	struct hb_ptrbf_sz *s = (void *)bpf_get_current_task();

	/* FIELD_BYTE_SIZE: libbpf answers the pointee's type id */
	res[1] = bpf_core_field_size(s->p);
	return 0;
}

SEC("tracepoint/hostile/self")
int hostile_self(void *ctx)
{
	struct hb_self *h = (void *)bpf_get_current_task();

	res[2] = BPF_CORE_READ(h, x);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
