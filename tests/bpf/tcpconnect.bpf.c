// SPDX-License-Identifier: GPL-2.0
/*
 * tcpconnect: trace active TCP connections (connect()) for IPv4 and IPv6
 * and count them per destination port; emit one event per connection.
 *
 * CO-RE surface: sock_common addresses and ports that live in anonymous
 * structs inside anonymous unions (skc_daddr, skc_rcv_saddr, skc_dport,
 * skc_num), skc_v6_daddr.in6_u.u6_addr32 (array in a named union),
 * skc_net (typedef'd struct) -> net.ns.inum, and sk_socket->file.
 */
#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>

#define MAX_ENTRIES 8192

struct ipv4_flow_key {
	u32 saddr;
	u32 daddr;
	u16 dport;
};

struct ipv6_flow_key {
	u32 saddr[4];
	u32 daddr[4];
	u16 dport;
};

struct connect_event {
	union {
		u32 saddr_v4;
		u32 saddr_v6[4];
	};
	union {
		u32 daddr_v4;
		u32 daddr_v6[4];
	};
	char task[TASK_COMM_LEN];
	u64 ts_us;
	u32 af;
	u32 pid;
	u32 uid;
	u32 netns;
	u16 lport;
	u16 dport;
	u8 state;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_ENTRIES);
	__type(key, u32);
	__type(value, struct sock *);
} sockets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_ENTRIES);
	__type(key, struct ipv4_flow_key);
	__type(value, u64);
} ipv4_count SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_ENTRIES);
	__type(key, struct ipv6_flow_key);
	__type(value, u64);
} ipv6_count SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(u32));
	__uint(value_size, sizeof(u32));
} events SEC(".maps");

const volatile bool do_count = false;
const volatile pid_t filter_pid = 0;
const volatile u16 filter_port = 0;

static __always_inline void inc_count(void *map, void *key)
{
	static const u64 zero;
	u64 *val;

	val = bpf_map_lookup_elem(map, key);
	if (!val) {
		bpf_map_update_elem(map, key, &zero, BPF_NOEXIST);
		val = bpf_map_lookup_elem(map, key);
		if (!val)
			return;
	}
	__sync_fetch_and_add(val, 1);
}

static __always_inline int enter_connect(struct sock *sk)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = (u32)id;

	if (filter_pid && filter_pid != (pid_t)(id >> 32))
		return 0;
	bpf_map_update_elem(&sockets, &tid, &sk, BPF_ANY);
	return 0;
}

static __always_inline void count_v4(struct sock *sk, u16 dport)
{
	struct ipv4_flow_key key = {};

	BPF_CORE_READ_INTO(&key.saddr, sk, __sk_common.skc_rcv_saddr);
	BPF_CORE_READ_INTO(&key.daddr, sk, __sk_common.skc_daddr);
	key.dport = dport;
	inc_count(&ipv4_count, &key);
}

static __always_inline void count_v6(struct sock *sk, u16 dport)
{
	struct ipv6_flow_key key = {};

	BPF_CORE_READ_INTO(&key.saddr, sk, __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr32);
	BPF_CORE_READ_INTO(&key.daddr, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr32);
	key.dport = dport;
	inc_count(&ipv6_count, &key);
}

static __always_inline void emit(struct pt_regs *ctx, struct sock *sk, u16 dport, int af)
{
	struct connect_event ev = {};

	ev.ts_us = bpf_ktime_get_ns() / 1000;
	ev.pid = bpf_get_current_pid_tgid() >> 32;
	ev.uid = (u32)bpf_get_current_uid_gid();
	ev.af = af;
	ev.dport = dport;
	ev.lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	ev.state = BPF_CORE_READ(sk, __sk_common.skc_state);
	ev.netns = BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum);
	bpf_get_current_comm(ev.task, sizeof(ev.task));
	if (af == AF_INET) {
		BPF_CORE_READ_INTO(&ev.saddr_v4, sk, __sk_common.skc_rcv_saddr);
		BPF_CORE_READ_INTO(&ev.daddr_v4, sk, __sk_common.skc_daddr);
	} else {
		BPF_CORE_READ_INTO(&ev.saddr_v6, sk,
				   __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr32);
		BPF_CORE_READ_INTO(&ev.daddr_v6, sk,
				   __sk_common.skc_v6_daddr.in6_u.u6_addr32);
	}
	bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &ev, sizeof(ev));
}

static __always_inline int exit_connect(struct pt_regs *ctx, int ret, int af)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct sock **skpp, *sk;
	u16 dport;

	skpp = bpf_map_lookup_elem(&sockets, &tid);
	if (!skpp)
		return 0;
	if (ret)
		goto end;

	sk = *skpp;
	/* a socket without a file is a kernel-internal one: skip it */
	if (!BPF_CORE_READ(sk, sk_socket, file))
		goto end;

	dport = BPF_CORE_READ(sk, __sk_common.skc_dport);
	if (filter_port && bpf_ntohs(dport) != filter_port)
		goto end;

	if (do_count) {
		if (af == AF_INET)
			count_v4(sk, dport);
		else
			count_v6(sk, dport);
	} else {
		emit(ctx, sk, dport, af);
	}
end:
	bpf_map_delete_elem(&sockets, &tid);
	return 0;
}

SEC("kprobe/tcp_v4_connect")
int BPF_KPROBE(tcp_v4_connect, struct sock *sk)
{
	return enter_connect(sk);
}

SEC("kretprobe/tcp_v4_connect")
int BPF_KRETPROBE(tcp_v4_connect_ret, int ret)
{
	return exit_connect(ctx, ret, AF_INET);
}

SEC("kprobe/tcp_v6_connect")
int BPF_KPROBE(tcp_v6_connect, struct sock *sk)
{
	return enter_connect(sk);
}

SEC("kretprobe/tcp_v6_connect")
int BPF_KRETPROBE(tcp_v6_connect_ret, int ret)
{
	return exit_connect(ctx, ret, AF_INET6);
}

char LICENSE[] SEC("license") = "GPL";
