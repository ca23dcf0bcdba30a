/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kernel_types.h - hand-written subset of kernel types used by the btfpack
 * BPF test programs.
 *
 * This header replaces a generated vmlinux.h on purpose: the test objects
 * must not depend on the kernel of the machine that builds them.  Every
 * struct/union declared between the "preserve_access_index" pragmas below
 * is a CO-RE type: clang records each member access as a relocation and
 * libbpf (or btfpack) resolves it by *name* against the target kernel BTF.
 * Member order, offsets and the set of members therefore do not have to
 * match any particular kernel; names and type kinds do.
 *
 * The declarations were checked against two kernels:
 *   - x86_64 6.18 (/sys/kernel/btf/vmlinux on the development machine)
 *   - arm64 Android 5.10 (btfhub-android a12-5.10 / a13-5.10)
 * Members that exist in only one of them are marked "(newer only)" or
 * "(5.10 only)"; programs must guard them with bpf_core_field_exists().
 *
 * UAPI definitions (map types, helper ids, flags) come from <linux/bpf.h>;
 * struct pt_regs is declared outside the CO-RE region because the programs
 * are compiled for x86_64 (-D__TARGET_ARCH_x86) and its register names only
 * exist in the x86 kernel.
 */
#ifndef BTFPACK_TESTS_KERNEL_TYPES_H
#define BTFPACK_TESTS_KERNEL_TYPES_H

/* Tell bpf_tracing.h to use kernel (not UAPI) pt_regs member names. */
#ifndef __VMLINUX_H__
#define __VMLINUX_H__
#endif

#include <linux/types.h>
#include <linux/bpf.h>

/* ------------------------------------------------------------------ */
/* Basic kernel typedefs                                                */
/* ------------------------------------------------------------------ */

typedef __u8 u8;
typedef __s8 s8;
typedef __u16 u16;
typedef __s16 s16;
typedef __u32 u32;
typedef __s32 s32;
typedef __u64 u64;
typedef __s64 s64;

typedef _Bool bool;
#define true 1
#define false 0

typedef int pid_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef unsigned short umode_t;
typedef unsigned int fmode_t;
typedef u32 __kernel_dev_t;
typedef __kernel_dev_t dev_t;
typedef u64 sector_t;
typedef unsigned long __kernel_ulong_t;
typedef __u64 __addrpair;
typedef __u32 __portpair;
typedef __u32 blk_opf_t;
typedef u8 blk_status_t;

/* Constants that are #defines (not BTF-visible) in the kernel. */
#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define RLIMIT_NOFILE 7
#define RLIM_NLIMITS 16
#define PIDTYPE_COUNT 4
#define TASK_COMM_LEN 16
#define DISK_NAME_LEN 32
#define MINORBITS 20
#define REQ_OP_BITS 8
#define REQ_OP_MASK ((1 << REQ_OP_BITS) - 1)
#define TASK_RUNNING 0

/* ------------------------------------------------------------------ */
/* x86_64 register frame (not relocated, see header comment)            */
/* ------------------------------------------------------------------ */

struct pt_regs {
	unsigned long r15;
	unsigned long r14;
	unsigned long r13;
	unsigned long r12;
	unsigned long bp;
	unsigned long bx;
	unsigned long r11;
	unsigned long r10;
	unsigned long r9;
	unsigned long r8;
	unsigned long ax;
	unsigned long cx;
	unsigned long dx;
	unsigned long si;
	unsigned long di;
	unsigned long orig_ax;
	unsigned long ip;
	unsigned long cs;
	unsigned long flags;
	unsigned long sp;
	unsigned long ss;
};

#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)

/* ------------------------------------------------------------------ */
/* Small building blocks                                                */
/* ------------------------------------------------------------------ */

typedef struct {
	int counter;
} atomic_t;

typedef struct {
	uid_t val;
} kuid_t;

typedef struct {
	gid_t val;
} kgid_t;

struct list_head {
	struct list_head *next;
	struct list_head *prev;
};

struct hlist_node {
	struct hlist_node *next;
	struct hlist_node **pprev;
};

struct rb_node {
	unsigned long __rb_parent_color;
	struct rb_node *rb_right;
	struct rb_node *rb_left;
};

struct qstr {
	union {
		struct {
			u32 hash;
			u32 len;
		};
		u64 hash_len;
	};
	const unsigned char *name;
};

struct in6_addr {
	union {
		__u8 u6_addr8[16];
		__be16 u6_addr16[8];
		__be32 u6_addr32[4];
	} in6_u;
};

struct rlimit {
	__kernel_ulong_t rlim_cur;
	__kernel_ulong_t rlim_max;
};

struct ns_common {
	unsigned int inum;
};

/* ------------------------------------------------------------------ */
/* Files and paths                                                      */
/* ------------------------------------------------------------------ */

struct super_block {
	dev_t s_dev;
	unsigned long s_magic;
	char s_id[32];
};

struct inode {
	umode_t i_mode;
	kuid_t i_uid;
	kgid_t i_gid;
	unsigned int i_flags;
	struct super_block *i_sb;
	unsigned long i_ino;
	dev_t i_rdev;
	long long i_size;
};

struct dentry {
	struct dentry *d_parent;
	struct qstr d_name;
	struct inode *d_inode;
	unsigned char d_iname[32];	/* 5.10 only (d_shortname later) */
};

struct vfsmount {
	struct dentry *mnt_root;
	struct super_block *mnt_sb;
	int mnt_flags;
};

struct path {
	struct vfsmount *mnt;
	struct dentry *dentry;
};

/*
 * In 6.18 f_path sits in an anonymous union next to __f_path; here it is a
 * plain member, libbpf/btfpack must look through the anonymous union.
 */
struct file {
	struct path f_path;
	struct inode *f_inode;
	unsigned int f_flags;
	fmode_t f_mode;
	long long f_pos;
	void *private_data;
};

struct fdtable {
	unsigned int max_fds;
	struct file **fd;
	unsigned long *close_on_exec;
	unsigned long *open_fds;
};

struct files_struct {
	atomic_t count;
	struct fdtable *fdt;
	struct fdtable fdtab;
	unsigned int next_fd;
	struct file *fd_array[64];
};

/* ------------------------------------------------------------------ */
/* Tasks, credentials, namespaces, memory                               */
/* ------------------------------------------------------------------ */

struct pid_namespace {
	unsigned int level;
	struct pid_namespace *parent;
	struct ns_common ns;
};

struct net {
	int ifindex;	/* u32 in newer kernels, int in 5.10 */
	struct ns_common ns;
};

struct mnt_namespace;
struct uts_namespace;

struct nsproxy {
	struct uts_namespace *uts_ns;
	struct mnt_namespace *mnt_ns;
	struct pid_namespace *pid_ns_for_children;
	struct net *net_ns;
};

struct cred {
	kuid_t uid;
	kgid_t gid;
	kuid_t suid;
	kgid_t sgid;
	kuid_t euid;
	kgid_t egid;
	unsigned int securebits;
};

/* All of these live in an anonymous struct inside mm_struct. */
struct mm_struct {
	struct {
		unsigned long mmap_base;
		unsigned long task_size;
		atomic_t mm_users;
		atomic_t mm_count;
		unsigned long hiwater_rss;
		unsigned long hiwater_vm;
		unsigned long total_vm;
		unsigned long start_code;
		unsigned long end_code;
		unsigned long start_data;
		unsigned long end_data;
		unsigned long start_brk;
		unsigned long brk;
		unsigned long start_stack;
		unsigned long arg_start;
		unsigned long arg_end;
		unsigned long env_start;
		unsigned long env_end;
		struct file *exe_file;
	};
};

struct signal_struct {
	int nr_threads;
	unsigned int flags;
	struct pid *pids[PIDTYPE_COUNT];
	struct rlimit rlim[RLIM_NLIMITS];
};

struct upid {
	int nr;
	struct pid_namespace *ns;
};

struct pid {
	unsigned int level;
	struct upid numbers[1];
};

struct thread_info {
	unsigned long flags;
};

struct sched_entity {
	unsigned int on_rq;	/* unsigned char in newer kernels */
	u64 exec_start;
	u64 sum_exec_runtime;
	u64 vruntime;
	u64 prev_sum_exec_runtime;
	u64 nr_migrations;
};

struct task_struct {
	struct thread_info thread_info;
	unsigned int __state;		/* newer only; 5.10 has "long state" */
	void *stack;
	unsigned int flags;
	int on_cpu;
	int prio;
	int static_prio;
	int normal_prio;
	unsigned int rt_priority;
	struct sched_entity se;
	unsigned int policy;
	struct mm_struct *mm;
	struct mm_struct *active_mm;
	int exit_state;
	int exit_code;
	int exit_signal;
	unsigned int in_execve: 1;
	unsigned int in_iowait: 1;
	pid_t pid;
	pid_t tgid;
	struct task_struct *real_parent;
	struct task_struct *parent;
	struct task_struct *group_leader;
	struct pid *thread_pid;
	struct hlist_node pid_links[PIDTYPE_COUNT];
	u64 utime;
	u64 stime;
	u64 start_time;
	u64 start_boottime;
	const struct cred *real_cred;
	const struct cred *cred;
	char comm[TASK_COMM_LEN];
	struct files_struct *files;
	struct nsproxy *nsproxy;
	struct signal_struct *signal;
};

struct linux_binprm {
	struct mm_struct *mm;
	unsigned long p;
	struct file *executable;
	struct file *interpreter;
	struct file *file;
	int argc;
	int envc;
	const char *filename;
	const char *interp;
	const char *fdpath;
};

struct mem_cgroup;

struct oom_control {
	struct zonelist *zonelist;
	struct mem_cgroup *memcg;
	const int order;
	unsigned long totalpages;
	struct task_struct *chosen;
	long chosen_points;
};

/* ------------------------------------------------------------------ */
/* Networking                                                           */
/* ------------------------------------------------------------------ */

typedef struct {
	struct net *net;
} possible_net_t;

struct sock_common {
	union {
		__addrpair skc_addrpair;
		struct {
			__be32 skc_daddr;
			__be32 skc_rcv_saddr;
		};
	};
	union {
		unsigned int skc_hash;
		__u16 skc_u16hashes[2];
	};
	union {
		__portpair skc_portpair;
		struct {
			__be16 skc_dport;
			__u16 skc_num;
		};
	};
	unsigned short skc_family;
	volatile unsigned char skc_state;
	unsigned char skc_reuse: 4;
	unsigned char skc_reuseport: 1;
	unsigned char skc_ipv6only: 1;
	unsigned char skc_net_refcnt: 1;
	int skc_bound_dev_if;
	possible_net_t skc_net;
	struct in6_addr skc_v6_daddr;
	struct in6_addr skc_v6_rcv_saddr;
	unsigned long skc_flags;
};

struct socket;

struct sock {
	struct sock_common __sk_common;
	int sk_rcvbuf;
	int sk_sndbuf;
	u32 sk_mark;
	u32 sk_priority;
	u8 sk_kern_sock: 1;
	u8 sk_no_check_tx: 1;
	u8 sk_no_check_rx: 1;
	u8 sk_userlocks: 4;	/* plain u8 in newer kernels */
	u8 sk_pacing_shift;
	u16 sk_type;
	u16 sk_protocol;	/* u16 since 5.6, an 8-bit bitfield before */
	u16 sk_gso_max_segs;
	u8 sk_shutdown;
	long sk_rcvtimeo;
	long sk_sndtimeo;
	struct socket *sk_socket;
};

struct ipv6_pinfo {
	struct in6_addr saddr;
	__be32 flow_label;
	__u32 frag_size;
	__s16 hop_limit: 9;	/* plain s16 in newer kernels */
	__s16 mcast_hops: 9;	/* plain u8 in newer kernels */
	int ucast_oif;
	int mcast_oif;
	union {
		struct {
			__u16 srcrt: 1;
			__u16 osrcrt: 1;
			__u16 rxinfo: 1;
			__u16 rxoinfo: 1;
			__u16 rxhlim: 1;
			__u16 rxohlim: 1;
			__u16 hopopts: 1;
			__u16 ohopopts: 1;
			__u16 dstopts: 1;
			__u16 odstopts: 1;
			__u16 rxflow: 1;
			__u16 rxtclass: 1;
			__u16 rxpmtu: 1;
			__u16 rxorigdstaddr: 1;
			__u16 recvfragsize: 1;
		} bits;
		__u16 all;
	} rxopt;
	__u16 pmtudisc: 3;	/* plain u8 in newer kernels */
	__u16 srcprefs: 3;	/* plain u8 in newer kernels */
	__u8 min_hopcount;
	__u8 tclass;
};

struct inet_sock {
	struct sock sk;
	struct ipv6_pinfo *pinet6;
	unsigned long inet_flags;	/* newer only: replaces the bitfields */
	__be32 inet_saddr;
	__s16 uc_ttl;
	__be16 inet_sport;
	__u8 tos;
	__u8 min_ttl;
	__u8 mc_ttl;
	__u8 pmtudisc;
	/* 5.10 only (folded into inet_flags in 6.6): */
	__u8 recverr: 1;
	__u8 is_icsk: 1;
	__u8 freebind: 1;
	__u8 hdrincl: 1;
	__u8 mc_loop: 1;
	__u8 transparent: 1;
	__u8 mc_all: 1;
	__u8 nodefrag: 1;
	__u8 bind_address_no_port: 1;
	__u8 recverr_rfc4884: 1;
	__u8 defer_connect: 1;
};

/* Kernel uses plain "typedef enum {...} socket_state" */
typedef enum {
	SS_FREE = 0,
	SS_UNCONNECTED,
	SS_CONNECTING,
	SS_CONNECTED,
	SS_DISCONNECTING,
} socket_state;

struct socket {
	socket_state state;
	short type;
	unsigned long flags;
	struct file *file;
	struct sock *sk;
};

struct inet_connection_sock {
	struct inet_sock icsk_inet;
	__u32 icsk_pmtu_cookie;
	__u8 icsk_ca_state: 5;
	__u8 icsk_ca_initialized: 1;
	__u8 icsk_ca_setsockopt: 1;
	__u8 icsk_ca_dst_locked: 1;
	__u8 icsk_retransmits;
};

struct tcp_sock {
	struct inet_connection_sock inet_conn;
	u64 bytes_received;
	u32 segs_in;
	u32 data_segs_in;
	u32 rcv_nxt;
	u32 segs_out;
	u64 bytes_acked;
	u32 snd_una;
	u32 mss_cache;
	u8 rate_app_limited: 1;
	u8 is_sack_reneg: 1;
	u8 nonagle: 4;
	u8 repair: 1;
	u32 srtt_us;
	u32 snd_cwnd;
	u32 delivered;
	u32 total_retrans;
};

struct net_device {
	char name[16];
	int ifindex;
	unsigned int mtu;
};

/* sk_buff: several members live in anonymous structs/unions in the kernel */
struct sk_buff {
	union {
		struct {
			struct sk_buff *next;
			struct sk_buff *prev;
			union {
				struct net_device *dev;
				unsigned long dev_scratch;
			};
		};
		struct rb_node rbnode;
		struct list_head list;
	};
	struct sock *sk;
	char cb[48];
	unsigned int len;
	unsigned int data_len;
	__u16 mac_len;
	__u16 hdr_len;
	__u16 queue_mapping;
	__u8 cloned: 1;
	__u8 nohdr: 1;
	__u8 fclone: 2;
	__u8 peeked: 1;
	__u8 head_frag: 1;
	__u8 pfmemalloc: 1;
	__u8 pkt_type: 3;
	__u8 ignore_df: 1;
	__u8 ip_summed: 2;
	__u8 ooo_okay: 1;
	__u8 l4_hash: 1;
	__u8 sw_hash: 1;
	__u8 vlan_present: 1;	/* 5.10 only */
	__u8 csum_level: 2;
	__u8 tstamp_type: 2;	/* newer only */
	__u16 tc_index;
	__u32 priority;
	int skb_iif;
	__u32 hash;
	__u32 mark;
	__be16 protocol;
	__u16 transport_header;
	__u16 network_header;
	__u16 mac_header;
	unsigned int tail;
	unsigned int end;
	unsigned char *head;
	unsigned char *data;
	unsigned int truesize;
};

/* ------------------------------------------------------------------ */
/* Block layer                                                          */
/* ------------------------------------------------------------------ */

struct gendisk {
	int major;
	int first_minor;
	int minors;
	char disk_name[DISK_NAME_LEN];
};

struct block_device {
	sector_t bd_start_sect;		/* newer only */
	dev_t bd_dev;
	u8 bd_partno;			/* 5.10 only */
	struct gendisk *bd_disk;
};

struct request_queue {
	struct gendisk *disk;	/* newer only */
	unsigned long queue_flags;
	int id;
};

struct request {
	struct request_queue *q;
	blk_opf_t cmd_flags;
	unsigned int rq_flags;
	int tag;
	int internal_tag;
	unsigned int __data_len;
	sector_t __sector;
	struct gendisk *rq_disk;	/* 5.10 only */
	struct block_device *part;	/* struct hd_struct * in 5.10 */
	u64 alloc_time_ns;
	u64 start_time_ns;
	u64 io_start_time_ns;
};

/* ------------------------------------------------------------------ */
/* Tracepoint context records (struct trace_event_raw_<event>)          */
/* ------------------------------------------------------------------ */

struct trace_entry {
	unsigned short type;
	unsigned char flags;
	unsigned char preempt_count;
	int pid;
};

struct trace_event_raw_sys_enter {
	struct trace_entry ent;
	long id;
	unsigned long args[6];
	char __data[0];
};

struct trace_event_raw_sys_exit {
	struct trace_entry ent;
	long id;
	long ret;
	char __data[0];
};

struct trace_event_raw_sched_process_exec {
	struct trace_entry ent;
	u32 __data_loc_filename;
	pid_t pid;
	pid_t old_pid;
	char __data[0];
};

struct trace_event_raw_sched_process_template {
	struct trace_entry ent;
	char comm[TASK_COMM_LEN];	/* 5.10; newer kernels use __data_loc_comm */
	u32 __data_loc_comm;		/* newer only */
	pid_t pid;
	int prio;
	char __data[0];
};

struct trace_event_raw_inet_sock_set_state {
	struct trace_entry ent;
	const void *skaddr;
	int oldstate;
	int newstate;
	__u16 sport;
	__u16 dport;
	__u16 family;
	__u16 protocol;
	__u8 saddr[4];
	__u8 daddr[4];
	__u8 saddr_v6[16];
	__u8 daddr_v6[16];
	char __data[0];
};

#pragma clang attribute pop

/* ------------------------------------------------------------------ */
/* Kernel enums (named, so that ENUMVAL relocations can find them)      */
/* ------------------------------------------------------------------ */

enum pid_type {
	PIDTYPE_PID,
	PIDTYPE_TGID,
	PIDTYPE_PGID,
	PIDTYPE_SID,
	PIDTYPE_MAX,
};

/* Newer kernels (5.19+); 5.10 calls the same enum "req_opf". */
enum req_op {
	REQ_OP_READ = 0,
	REQ_OP_WRITE = 1,
	REQ_OP_FLUSH = 2,
	REQ_OP_DISCARD = 3,
	REQ_OP_SECURE_ERASE = 5,
	REQ_OP_WRITE_ZEROES = 9,
	REQ_OP_DRV_IN = 34,
	REQ_OP_DRV_OUT = 35,
};

enum {
	TCP_ESTABLISHED = 1,
	TCP_SYN_SENT,
	TCP_SYN_RECV,
	TCP_FIN_WAIT1,
	TCP_FIN_WAIT2,
	TCP_TIME_WAIT,
	TCP_CLOSE,
	TCP_CLOSE_WAIT,
	TCP_LAST_ACK,
	TCP_LISTEN,
	TCP_CLOSING,
	TCP_NEW_SYN_RECV,
};

#endif /* BTFPACK_TESTS_KERNEL_TYPES_H */
