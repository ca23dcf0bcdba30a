// SPDX-License-Identifier: MIT
/* btfpack-loader: a CO-RE exec tracer that carries its own BTF.
 *
 * At start it picks the BTF libbpf relocates against: the kernel's own
 * (/sys/kernel/btf/vmlinux) when the kernel has one, else this host's entry
 * in the bundle embedded in the binary (found by os-release and uname, see
 * btfpack_host__detect()), written to a private temp file and handed to
 * libbpf as btf_custom_path. It says which one it used, then prints one
 * line per exec until --count events or --timeout seconds.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/libbpf.h>
#include <btfpack.h>

#include "loader_bundle.h"
#include "tracer.h"
#include "tracer.skel.h"

struct options {
	bool ignore_kernel_btf;
	unsigned long count;	/* 0: no limit */
	unsigned long timeout;	/* seconds; 0: no limit */
	bool verbose;
};

struct state {
	const struct options *opt;
	unsigned long seen;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: btfpack-loader [--ignore-kernel-btf] [--count N] [--timeout S] [-v]\n"
		"\n"
		"Trace every exec (pid, parent, uid, comm, file) with a CO-RE BPF program.\n"
		"BTF: the kernel's own when it has one, else this host's entry in the\n"
		"embedded btfpack bundle.\n"
		"\n"
		"  --ignore-kernel-btf  use the embedded bundle even if the kernel has BTF\n"
		"  --count N            exit after N events (exit 0)\n"
		"  --timeout S          exit after S seconds (exit 1 if --count was not met)\n"
		"  -v, --verbose        libbpf's debug messages\n"
		"\n"
		"Exit status: 0 done, 1 error or too few events, 2 usage error.\n");
}

static int parse_ulong(const char *s, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	return errno || end == s || *end || s[0] == '-' ? -1 : 0;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "ignore-kernel-btf", no_argument, NULL, 'k' },
		{ "count", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'k': o->ignore_kernel_btf = true; break;
		case 'v': o->verbose = true; break;
		case 'c':
		case 't':
			if (parse_ulong(optarg, c == 'c' ? &o->count : &o->timeout)) {
				fprintf(stderr, "btfpack-loader: --%s wants a number, got '%s'\n",
					c == 'c' ? "count" : "timeout", optarg);
				return 2;
			}
			break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "btfpack-loader: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	return 0;
}

/* Bytes from the kernel or a bundle, printed as printable ASCII only. */
static void put_clean(const char *s, size_t max)
{
	size_t i;

	for (i = 0; i < max && s[i]; i++)
		putchar(s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?');
}

/* id/version_id/arch/release, as the bundle's keys spell them. */
static void put_host(const struct btfpack_host *h)
{
	put_clean(h->id, sizeof(h->id));
	putchar('/');
	put_clean(h->version_id, sizeof(h->version_id));
	putchar('/');
	put_clean(h->arch, sizeof(h->arch));
	putchar('/');
	put_clean(h->release, sizeof(h->release));
}

/* This host's entry of the embedded bundle, as a temp file for libbpf. */
static int btf_from_bundle(char **path)
{
	struct btfpack_bundle *bundle = NULL;
	struct btfpack_host host;
	struct btfpack_err err;
	char *entry = NULL;
	void *buf = NULL;
	size_t size = 0;
	int ret;

	ret = btfpack_bundle__open_mem(loader_bundle, loader_bundle_size, "embedded bundle",
				       &bundle, &err);
	if (!ret)
		ret = btfpack_host__detect(NULL, &host, &err);
	if (!ret)
		ret = btfpack_bundle__find(bundle, &host, &buf, &size, &entry, &err);
	if (!ret)
		ret = btfpack_bundle__find_to_file(bundle, &host, path, &err);
	if (ret) {
		fprintf(stderr, "btfpack-loader: no BTF for this host: ");
		put_clean(err.msg, sizeof(err.msg));
		fputc('\n', stderr);
	} else {
		printf("btf: bundle entry ");
		put_clean(entry, strlen(entry));
		printf(" (%zu bytes) for ", size);
		put_host(&host);
		printf(", via %s\n", *path);
		fflush(stdout);
	}
	btfpack_free(entry);
	btfpack_free(buf);
	btfpack_bundle__free(bundle);
	return ret;
}

static int choose_btf(const struct options *o, char **path)
{
	*path = NULL;
	if (!o->ignore_kernel_btf && btfpack_host__has_kernel_btf(NULL)) {
		printf("btf: kernel /sys/kernel/btf/vmlinux\n");
		fflush(stdout);
		return 0;
	}
	if (!o->ignore_kernel_btf)
		printf("btf: the kernel has none; looking in the embedded bundle\n");
	return btf_from_bundle(path);
}

static int on_event(void *ctx, void *data, size_t size)
{
	const struct exec_event *e = data;
	struct state *st = ctx;

	/* the rest of a poll's batch, once --count is met */
	if (size < sizeof(*e) || stop)
		return 0;
	printf("exec pid=%d ppid=%d uid=%u comm=", e->pid, e->ppid, e->uid);
	put_clean(e->comm, sizeof(e->comm));
	printf(" file=");
	put_clean(e->filename, sizeof(e->filename));
	putchar('\n');
	fflush(stdout);
	if (++st->seen == st->opt->count)
		stop = 1;
	return 0;
}

static int libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static int libbpf_log_all(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	return vfprintf(stderr, fmt, ap);
}

/* Open with the chosen BTF, load, attach. The temp file is only read at
 * load time: it is removed as soon as the load is done.
 */
static struct tracer *start(const char *btf_path)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .btf_custom_path = btf_path);
	struct tracer *skel = tracer__open_opts(&opts);
	const char *step = "load";
	int err;

	if (!skel) {
		fprintf(stderr, "btfpack-loader: cannot open the BPF object: %s\n",
			strerror(errno));
		return NULL;
	}
	err = tracer__load(skel);
	if (!err) {
		step = "attach";
		err = tracer__attach(skel);
	}
	if (err) {
		fprintf(stderr, "btfpack-loader: cannot %s the BPF program: %s\n", step,
			strerror(-err));
		tracer__destroy(skel);
		return NULL;
	}
	return skel;
}

static int run(const struct options *o, struct tracer *skel)
{
	struct state st = { .opt = o };
	struct ring_buffer *rb;
	time_t end = o->timeout ? time(NULL) + (time_t)o->timeout : 0;
	int err = 0;

	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_event, &st, NULL);
	if (!rb) {
		fprintf(stderr, "btfpack-loader: cannot open the ring buffer: %s\n",
			strerror(errno));
		return 1;
	}
	printf("attached: tracing exec\n");
	fflush(stdout);
	while (!stop && (!end || time(NULL) < end)) {
		err = ring_buffer__poll(rb, 100);
		if (err == -EINTR)
			err = 0;
		if (err < 0) {
			fprintf(stderr, "btfpack-loader: ring buffer: %s\n", strerror(-err));
			break;
		}
	}
	ring_buffer__free(rb);
	printf("events: %lu\n", st.seen);
	if (err < 0 || (o->count && st.seen < o->count))
		return 1;
	return 0;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct tracer *skel;
	char *btf_path;
	int ret;

	ret = parse_args(argc, argv, &o);
	if (ret)
		return ret;
	libbpf_set_print(o.verbose ? libbpf_log_all : libbpf_log);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (choose_btf(&o, &btf_path))
		return 1;
	skel = start(btf_path);
	if (btf_path)
		btfpack_tmpfile__remove(btf_path);
	if (!skel)
		return 1;
	ret = run(&o, skel);
	tracer__destroy(skel);
	return ret;
}
