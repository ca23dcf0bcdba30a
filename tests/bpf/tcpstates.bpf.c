// SPDX-License-Identifier: GPL-2.0
/*
 * tcpstates: trace TCP state transitions through the sock:inet_sock_set_state
 * tracepoint, measure the time spent in each state and, when a socket
 * closes, report its lifetime statistics (tcplife-style).
 *
 * CO-RE surface: trace_event_raw_inet_sock_set_state (byte arrays in a
 * tracepoint record), tcp_sock counters reached through the
 * inet_connection_sock -> inet_sock -> sock embedding chain, the
 * icsk_ca_state bitfield, and the tcp_sock rate_app_limited bitfield.
 */
#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>

#define MAX_ENTRIES 10240

struct state_event {
	u64 skaddr;
	u64 ts_us;
	u64 delta_us;
	u64 rx_bytes;
	u64 tx_bytes;
	u32 pid;
	u32 srtt_us;
	u32 total_retrans;
	u32 snd_cwnd;
	int oldstate;
	int newstate;
	u16 family;
	u16 sport;
	u16 dport;
	u8 ca_state;
	u8 app_limited;
	u8 saddr[16];
	u8 daddr[16];
	char task[TASK_COMM_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_ENTRIES);
	__type(key, u64);
	__type(value, u64);
} timestamps SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 128 * 1024);
} events SEC(".maps");

const volatile bool filter_by_sport = false;
const volatile u16 target_sport = 0;
const volatile u16 target_family = 0;

SEC("tracepoint/sock/inet_sock_set_state")
int handle_set_state(struct trace_event_raw_inet_sock_set_state *ctx)
{
	struct sock *sk = (struct sock *)ctx->skaddr;
	struct tcp_sock *tp = (struct tcp_sock *)sk;
	struct inet_connection_sock *icsk = (struct inet_connection_sock *)sk;
	u16 family = ctx->family;
	u16 sport = ctx->sport;
	u64 skaddr = (u64)(unsigned long)sk;
	struct state_event *e;
	u64 *tsp, ts;

	if (ctx->protocol != IPPROTO_TCP)
		return 0;
	if (target_family && target_family != family)
		return 0;
	if (filter_by_sport && sport != target_sport)
		return 0;

	ts = bpf_ktime_get_ns();
	tsp = bpf_map_lookup_elem(&timestamps, &skaddr);

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		goto update;

	e->skaddr = skaddr;
	e->ts_us = ts / 1000;
	e->delta_us = tsp ? (ts - *tsp) / 1000 : 0;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->oldstate = ctx->oldstate;
	e->newstate = ctx->newstate;
	e->family = family;
	e->sport = sport;
	e->dport = ctx->dport;
	bpf_get_current_comm(&e->task, sizeof(e->task));

	if (family == AF_INET) {
		bpf_probe_read_kernel(&e->saddr, 4, ctx->saddr);
		bpf_probe_read_kernel(&e->daddr, 4, ctx->daddr);
	} else {
		bpf_probe_read_kernel(&e->saddr, sizeof(e->saddr), ctx->saddr_v6);
		bpf_probe_read_kernel(&e->daddr, sizeof(e->daddr), ctx->daddr_v6);
	}

	e->ca_state = BPF_CORE_READ_BITFIELD_PROBED(icsk, icsk_ca_state);
	if (ctx->newstate == TCP_CLOSE) {
		e->rx_bytes = BPF_CORE_READ(tp, bytes_received);
		e->tx_bytes = BPF_CORE_READ(tp, bytes_acked);
		e->srtt_us = BPF_CORE_READ(tp, srtt_us) >> 3;
		e->total_retrans = BPF_CORE_READ(tp, total_retrans);
		e->snd_cwnd = BPF_CORE_READ(tp, snd_cwnd);
		e->app_limited = BPF_CORE_READ_BITFIELD_PROBED(tp, rate_app_limited);
	} else {
		e->rx_bytes = 0;
		e->tx_bytes = 0;
		e->srtt_us = 0;
		e->total_retrans = 0;
		e->snd_cwnd = 0;
		e->app_limited = 0;
	}
	bpf_ringbuf_submit(e, 0);

update:
	if (ctx->newstate == TCP_CLOSE)
		bpf_map_delete_elem(&timestamps, &skaddr);
	else
		bpf_map_update_elem(&timestamps, &skaddr, &ts, BPF_ANY);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
