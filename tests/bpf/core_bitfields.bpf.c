// SPDX-License-Identifier: GPL-2.0
/*
 * core_bitfields: bitfield relocations against real kernel bitfields.
 *
 * Relocation kinds: FIELD_LSHIFT_U64, FIELD_RSHIFT_U64, FIELD_BYTE_SIZE,
 * FIELD_BYTE_OFFSET, FIELD_SIGNED, FIELD_EXISTS.
 *
 * Cases covered:
 *  - sk_buff flag bits (cloned, fclone, pkt_type, ip_summed), which live
 *    in an anonymous struct inside an anonymous union in newer kernels
 *  - sk_buff.vlan_present (5.10 only) / sk_buff.tstamp_type (newer only)
 *  - sock bits (sk_kern_sock, sk_no_check_tx) and sk_userlocks: a 4-bit
 *    bitfield in 5.10 but a plain u8 in newer kernels
 *  - sock_common skc_reuse (4 bits), skc_ipv6only
 *  - inet_connection_sock icsk_ca_state (5 bits)
 *  - task_struct in_execve / in_iowait (unsigned int : 1)
 *  - signed bitfields: ipv6_pinfo.hop_limit (__s16 : 9 in 5.10, plain s16
 *    newer), ipv6_pinfo.mcast_hops (__s16 : 9 in 5.10, u8 newer) and
 *    printf_spec.field_width (int : 24 in 5.10, int newer)
 *  - a made-up bitfield in a real struct (guarded, never resolves)
 */
#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#define field_lshift(field...) \
	__builtin_preserve_field_info(___bpf_field_ref(field), BPF_FIELD_LSHIFT_U64)
#define field_rshift(field...) \
	__builtin_preserve_field_info(___bpf_field_ref(field), BPF_FIELD_RSHIFT_U64)
#define field_signed(field...) \
	__builtin_preserve_field_info(___bpf_field_ref(field), BPF_FIELD_SIGNED)

/* lib/vsprintf.c, only reachable through BTF; used for field info only */
struct printf_spec {
	unsigned int type: 8;
	int field_width: 24;
	unsigned int flags: 8;
	unsigned int base: 8;
	int precision: 16;
} __attribute__((preserve_access_index));

struct sk_buff___btfpack_fake {
	__u8 btfpack_fake_bit: 1;
} __attribute__((preserve_access_index));

struct bit_desc {
	u8 byte_off;
	u8 byte_sz;
	u8 lshift;
	u8 rshift;
	u8 is_signed;
};

#define DESCRIBE(dst, ptr, fld) do {						\
	(dst).byte_off = bpf_core_field_offset(ptr->fld);			\
	(dst).byte_sz = bpf_core_field_size(ptr->fld);				\
	(dst).lshift = field_lshift(ptr->fld);					\
	(dst).rshift = field_rshift(ptr->fld);					\
	(dst).is_signed = field_signed(ptr->fld);				\
} while (0)

struct skb_bits {
	u8 cloned;
	u8 fclone;
	u8 pkt_type;
	u8 ip_summed;
	u8 vlan_present;
	u8 tstamp_type;
	u8 has_vlan_present;
	u8 has_tstamp_type;
	u8 fake;
	u8 has_fake;
	u32 len;
};

struct sock_bits {
	u8 kern_sock;
	u8 no_check_tx;
	u8 userlocks;
	u8 reuse;
	u8 ipv6only;
	u8 ca_state;
	u16 family;
	s16 hop_limit;
	s16 mcast_hops;
	u8 rxhlim;
};

struct {
	struct bit_desc skb_pkt_type;
	struct bit_desc skb_fclone;
	struct bit_desc sk_userlocks;
	struct bit_desc skc_reuse;
	struct bit_desc icsk_ca_state;
	struct bit_desc task_in_iowait;
	struct bit_desc np_hop_limit;
	struct bit_desc np_mcast_hops;
	struct bit_desc spec_field_width;
	struct bit_desc spec_precision;
	struct skb_bits skb;
	struct sock_bits sk;
	u8 in_execve;
	u8 in_iowait;
	u64 runs;
} out = {};

SEC("raw_tracepoint/sys_enter")
int bitfield_layout(void *ctx)
{
	struct sk_buff *skb = NULL;
	struct sock *sk = NULL;
	struct sock_common *skc = NULL;
	struct inet_connection_sock *icsk = NULL;
	struct task_struct *task = NULL;
	struct ipv6_pinfo *np = NULL;
	struct printf_spec *spec = NULL;

	DESCRIBE(out.skb_pkt_type, skb, pkt_type);
	DESCRIBE(out.skb_fclone, skb, fclone);
	DESCRIBE(out.sk_userlocks, sk, sk_userlocks);
	DESCRIBE(out.skc_reuse, skc, skc_reuse);
	DESCRIBE(out.icsk_ca_state, icsk, icsk_ca_state);
	DESCRIBE(out.task_in_iowait, task, in_iowait);
	DESCRIBE(out.np_hop_limit, np, hop_limit);
	DESCRIBE(out.np_mcast_hops, np, mcast_hops);
	DESCRIBE(out.spec_field_width, spec, field_width);
	DESCRIBE(out.spec_precision, spec, precision);
	out.runs++;
	return 0;
}

SEC("raw_tracepoint/sys_enter")
int task_bits(void *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	out.in_execve = BPF_CORE_READ_BITFIELD_PROBED(task, in_execve);
	out.in_iowait = BPF_CORE_READ_BITFIELD_PROBED(task, in_iowait);
	return 0;
}

SEC("raw_tracepoint/netif_receive_skb")
int BPF_PROG(skb_bits, struct sk_buff *skb)
{
	struct sk_buff___btfpack_fake *fake = (void *)skb;

	out.skb.len = BPF_CORE_READ(skb, len);
	out.skb.cloned = BPF_CORE_READ_BITFIELD_PROBED(skb, cloned);
	out.skb.fclone = BPF_CORE_READ_BITFIELD_PROBED(skb, fclone);
	out.skb.pkt_type = BPF_CORE_READ_BITFIELD_PROBED(skb, pkt_type);
	out.skb.ip_summed = BPF_CORE_READ_BITFIELD_PROBED(skb, ip_summed);

	out.skb.has_vlan_present = bpf_core_field_exists(skb->vlan_present);
	if (bpf_core_field_exists(skb->vlan_present))
		out.skb.vlan_present = BPF_CORE_READ_BITFIELD_PROBED(skb, vlan_present);

	out.skb.has_tstamp_type = bpf_core_field_exists(skb->tstamp_type);
	if (bpf_core_field_exists(skb->tstamp_type))
		out.skb.tstamp_type = BPF_CORE_READ_BITFIELD_PROBED(skb, tstamp_type);

	out.skb.has_fake = bpf_core_field_exists(fake->btfpack_fake_bit);
	if (bpf_core_field_exists(fake->btfpack_fake_bit))
		out.skb.fake = BPF_CORE_READ_BITFIELD_PROBED(fake, btfpack_fake_bit);
	return 0;
}

SEC("raw_tracepoint/inet_sock_set_state")
int BPF_PROG(sock_bits, struct sock *sk, int oldstate, int newstate)
{
	struct sock_common *skc = (struct sock_common *)sk;
	struct inet_connection_sock *icsk = (struct inet_connection_sock *)sk;
	struct inet_sock *inet = (struct inet_sock *)sk;
	struct ipv6_pinfo *np;

	out.sk.kern_sock = BPF_CORE_READ_BITFIELD_PROBED(sk, sk_kern_sock);
	out.sk.no_check_tx = BPF_CORE_READ_BITFIELD_PROBED(sk, sk_no_check_tx);
	/* bitfield in 5.10, plain u8 later: the probed read handles both */
	out.sk.userlocks = BPF_CORE_READ_BITFIELD_PROBED(sk, sk_userlocks);
	out.sk.reuse = BPF_CORE_READ_BITFIELD_PROBED(skc, skc_reuse);
	out.sk.ipv6only = BPF_CORE_READ_BITFIELD_PROBED(skc, skc_ipv6only);
	out.sk.ca_state = BPF_CORE_READ_BITFIELD_PROBED(icsk, icsk_ca_state);
	out.sk.family = BPF_CORE_READ(skc, skc_family);

	if (out.sk.family != AF_INET6)
		return 0;
	np = BPF_CORE_READ(inet, pinet6);
	if (!np)
		return 0;
	/* signed 9-bit bitfields in 5.10; s16 and u8 in newer kernels */
	out.sk.hop_limit = (s16)BPF_CORE_READ_BITFIELD_PROBED(np, hop_limit);
	out.sk.mcast_hops = (s16)BPF_CORE_READ_BITFIELD_PROBED(np, mcast_hops);
	out.sk.rxhlim = BPF_CORE_READ_BITFIELD_PROBED(np, rxopt.bits.rxhlim);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
