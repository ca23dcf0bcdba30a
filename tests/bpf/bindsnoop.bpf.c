// SPDX-License-Identifier: GPL-2.0
/*
 * bindsnoop: trace IPv4/IPv6 bind() through inet_bind()/inet6_bind() and
 * report address, port, protocol and the socket options that influence
 * binding (freebind, transparent, bind_address_no_port, reuseaddr/port).
 *
 * CO-RE surface:
 *  - socket->sk, sock_common members behind the __sk_common embedding and
 *    anonymous unions (skc_family, skc_rcv_saddr, skc_num, skc_reuse...)
 *  - sk_protocol: an 8-bit bitfield before 5.6 and a u16 since; handled
 *    with a ___pre_5_6 flavor, bpf_core_field_size() and
 *    BPF_CORE_READ_BITFIELD_PROBED()
 *  - inet_sock option bits: bitfields in 5.10, a single inet_flags word in
 *    6.6+; selected with bpf_core_field_exists()
 *  - in6_addr.in6_u.u6_addr32[] array inside sock_common
 */
#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>

/* Bit numbers of the inet_flags word (include/net/inet_sock.h, 6.6+). */
#define INET_FLAGS_FREEBIND 11
#define INET_FLAGS_TRANSPARENT 15
#define INET_FLAGS_BIND_ADDRESS_NO_PORT 18

/* sock layout before commit bf9765145b85 ("sock: Make sk_protocol a 16-bit value") */
struct sock___pre_5_6 {
	unsigned int sk_padding: 1;
	unsigned int sk_kern_sock: 1;
	unsigned int sk_no_check_tx: 1;
	unsigned int sk_no_check_rx: 1;
	unsigned int sk_userlocks: 4;
	unsigned int sk_protocol: 8;
	unsigned int sk_type: 16;
} __attribute__((preserve_access_index));

union bind_options {
	u8 data;
	struct {
		u8 freebind: 1;
		u8 transparent: 1;
		u8 bind_address_no_port: 1;
		u8 reuseaddress: 1;
		u8 reuseport: 1;
	} fields;
};

struct bind_event {
	u64 ts_us;
	u32 pid;
	u32 bound_dev_if;
	int ret;
	u16 sport;
	u16 proto;
	u16 ver;
	u16 sk_type;
	u8 opts;
	u8 state;
	u32 addr[4];
	char task[TASK_COMM_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct socket *);
} sockets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u16);
	__type(value, u64);
} port_counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(u32));
	__uint(value_size, sizeof(u32));
} events SEC(".maps");

const volatile pid_t target_pid = 0;
const volatile bool ignore_errors = true;

static __always_inline u16 sock_protocol(struct sock *sk)
{
	struct sock___pre_5_6 *old = (void *)sk;

	if (bpf_core_field_size(sk->sk_protocol) == sizeof(u16))
		return BPF_CORE_READ(sk, sk_protocol);
	return (u16)BPF_CORE_READ_BITFIELD_PROBED(old, sk_protocol);
}

static __always_inline u8 bind_opts(struct sock *sk)
{
	struct inet_sock *inet = (struct inet_sock *)sk;
	struct sock_common *skc = (struct sock_common *)sk;
	union bind_options opts = {};
	unsigned long flags;

	if (bpf_core_field_exists(inet->inet_flags)) {
		flags = BPF_CORE_READ(inet, inet_flags);
		opts.fields.freebind = (flags >> INET_FLAGS_FREEBIND) & 1;
		opts.fields.transparent = (flags >> INET_FLAGS_TRANSPARENT) & 1;
		opts.fields.bind_address_no_port =
			(flags >> INET_FLAGS_BIND_ADDRESS_NO_PORT) & 1;
	} else {
		opts.fields.freebind = BPF_CORE_READ_BITFIELD_PROBED(inet, freebind);
		opts.fields.transparent = BPF_CORE_READ_BITFIELD_PROBED(inet, transparent);
		opts.fields.bind_address_no_port =
			BPF_CORE_READ_BITFIELD_PROBED(inet, bind_address_no_port);
	}
	/* __sk_common is the first member of struct sock in every kernel */
	opts.fields.reuseaddress = BPF_CORE_READ_BITFIELD_PROBED(skc, skc_reuse);
	opts.fields.reuseport = BPF_CORE_READ_BITFIELD_PROBED(skc, skc_reuseport);
	return opts.data;
}

static __always_inline int probe_entry(struct socket *socket)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = (u32)id;

	if (target_pid && target_pid != (pid_t)(id >> 32))
		return 0;
	bpf_map_update_elem(&sockets, &tid, &socket, BPF_ANY);
	return 0;
}

static __always_inline int probe_exit(struct pt_regs *ctx, short ver)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = (u32)id;
	struct socket **socketp, *socket;
	struct inet_sock *inet;
	struct bind_event ev = {};
	struct sock *sk;
	u64 *cnt, one = 1;
	int ret;

	socketp = bpf_map_lookup_elem(&sockets, &tid);
	if (!socketp)
		return 0;

	ret = PT_REGS_RC(ctx);
	if (ignore_errors && ret != 0)
		goto cleanup;

	socket = *socketp;
	sk = BPF_CORE_READ(socket, sk);
	inet = (struct inet_sock *)sk;

	ev.ts_us = bpf_ktime_get_ns() / 1000;
	ev.pid = id >> 32;
	ev.ret = ret;
	ev.ver = ver;
	ev.sport = bpf_ntohs(BPF_CORE_READ(inet, inet_sport));
	ev.bound_dev_if = BPF_CORE_READ(sk, __sk_common.skc_bound_dev_if);
	ev.state = BPF_CORE_READ(socket, state);
	ev.sk_type = BPF_CORE_READ(socket, type);
	ev.proto = sock_protocol(sk);
	ev.opts = bind_opts(sk);
	bpf_get_current_comm(ev.task, sizeof(ev.task));

	if (ver == 4) {
		if (BPF_CORE_READ(sk, __sk_common.skc_family) != AF_INET)
			goto cleanup;
		BPF_CORE_READ_INTO(&ev.addr[0], sk, __sk_common.skc_rcv_saddr);
	} else {
		BPF_CORE_READ_INTO(&ev.addr, sk,
				   __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr32);
	}

	cnt = bpf_map_lookup_elem(&port_counts, &ev.sport);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	else
		bpf_map_update_elem(&port_counts, &ev.sport, &one, BPF_NOEXIST);

	bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &ev, sizeof(ev));
cleanup:
	bpf_map_delete_elem(&sockets, &tid);
	return 0;
}

SEC("kprobe/inet_bind")
int BPF_KPROBE(ipv4_bind_entry, struct socket *socket)
{
	return probe_entry(socket);
}

SEC("kretprobe/inet_bind")
int BPF_KRETPROBE(ipv4_bind_exit)
{
	return probe_exit(ctx, 4);
}

SEC("kprobe/inet6_bind")
int BPF_KPROBE(ipv6_bind_entry, struct socket *socket)
{
	return probe_entry(socket);
}

SEC("kretprobe/inet6_bind")
int BPF_KRETPROBE(ipv6_bind_exit)
{
	return probe_exit(ctx, 6);
}

char LICENSE[] SEC("license") = "GPL";
