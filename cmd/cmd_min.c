// SPDX-License-Identifier: MIT
/* btfpack min SRC OUT OBJ...: one kernel, the same contract as
 * "bpftool gen min_core_btf", with btfpack's engine and canonical output.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <bpf/btf.h>

#include "cmd/commands.h"
#include "core/objfile.h"
#include "core/btf_util.h"
#include "core/cand_index.h"
#include "core/core_init.h"
#include "base/fileio.h"
#include "core/minimize_run.h"
#include "core/source_btf.h"
#include "base/text.h"
#include "core/verify.h"

struct min_opts {
	bool verbose;
	bool no_verify;
	unsigned int loaders;	/* enum min_loader bits */
	const char *src;
	const char *out;
	char **objs;
	int obj_cnt;
};

struct trace_ctx {
	const char *src;
	bool verbose;
};

void cmd_min_usage(FILE *out)
{
	fprintf(out,
		"Usage: btfpack min [-v] [--no-verify] [--loader L] SRC OUT OBJ [OBJ...]\n"
		"\n"
		"Write to OUT the part of kernel BTF SRC (raw BTF or an ELF file with .BTF)\n"
		"that the CO-RE relocations of the BPF objects OBJ... need, so that libbpf\n"
		"(and, by default, cilium/ebpf) decides every relocation against OUT exactly\n"
		"as against SRC.\n"
		"\n"
		"  -v, --verbose  trace every relocation decision on stderr\n"
		"  --no-verify    do not re-decide every relocation against OUT before\n"
		"                 writing it (on by default; --verify is accepted)\n"
		"  --loader L     whose CO-RE rules OUT must serve: libbpf (1.1 to 1.5),\n"
		"                 cilium (cilium/ebpf) or all (default)\n"
		"  -h, --help     show this help\n"
		"\n"
		"Exit status: 0 success, 1 error (OUT is not written), 2 usage error.\n");
}

enum { OPT_VERIFY = 256, OPT_NO_VERIFY, OPT_LOADER };

static int parse_args(int argc, char **argv, struct min_opts *o)
{
	static const struct option longopts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "verify", no_argument, NULL, OPT_VERIFY },
		{ "no-verify", no_argument, NULL, OPT_NO_VERIFY },
		{ "loader", required_argument, NULL, OPT_LOADER },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'v':
			o->verbose = true;
			break;
		case OPT_VERIFY:
			o->no_verify = false;
			break;
		case OPT_NO_VERIFY:
			o->no_verify = true;
			break;
		case OPT_LOADER:
			if (min_loader_parse(optarg, &o->loaders)) {
				bp_print_errorf("min: --loader wants libbpf, cilium or all, got '%s'",
						optarg);
				cmd_min_usage(stderr);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			cmd_min_usage(stdout);
			return EXIT_OK;
		default:
			cmd_min_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind < 3) {
		bp_print_error("min: expected SRC OUT OBJ [OBJ...]");
		cmd_min_usage(stderr);
		return EXIT_USAGE;
	}
	o->src = argv[optind];
	o->out = argv[optind + 1];
	o->objs = argv + optind + 2;
	o->obj_cnt = argc - optind - 2;
	return CMD_RUN;
}

static const char *status_str(enum relo_status s)
{
	switch (s) {
	case RELO_RESOLVED: return "resolved";
	case RELO_UNRESOLVED: return "unresolved";
	default: return "rejected";
	}
}

static int trace_event(void *ctx, const struct relo_event *ev)
{
	struct trace_ctx *t = ctx;
	char local[256], targ[256] = "", line[1024];
	int n;

	if (ev->status == RELO_REJECTED)
		bp_print_errorf("warning: %s: %s: sec '%s' relo #%zu: %s; libbpf rejects this object on this kernel (all candidates kept)",
				t->src, ev->obj->name, ev->sec->name, ev->sec_rec, ev->reason);
	if (!t->verbose)
		return 0;
	if (ev->local)
		relo_spec_format(local, sizeof(local), ev->local);
	else
		snprintf(local, sizeof(local), "[%u] kind %u", ev->rec->type_id, ev->rec->kind);
	if (ev->status == RELO_RESOLVED && ev->targ)
		relo_spec_format(targ, sizeof(targ), ev->targ);
	n = snprintf(line, sizeof(line), "%s: sec '%s' relo #%zu: %s: %s%s%s", ev->obj->name,
		     ev->sec->name, ev->sec_rec, local, status_str(ev->status),
		     targ[0] ? " => " : "", targ);
	if (ev->status != RELO_REJECTED && n >= 0 && (size_t)n < sizeof(line))
		snprintf(line + n, sizeof(line) - (size_t)n, "%s value %llu -> %llu",
			 ev->res.poison ? " poisoned," : "", (unsigned long long)ev->res.orig_val,
			 (unsigned long long)ev->res.new_val);
	/* names come from the object's and the kernel's BTF strings */
	bp_fputs_escaped(line, stderr);
	fputc('\n', stderr);
	return 0;
}

static int load_objects(const struct min_opts *o, struct objfile **objs)
{
	struct bp_err err;
	int i;

	for (i = 0; i < o->obj_cnt; i++) {
		if (objfile_load_file(o->objs[i], &objs[i], &err)) {
			bp_print_error(err.msg);
			return -1;
		}
		if (!objs[i]->relo_cnt)
			bp_print_errorf("warning: %s: no CO-RE relocations (%s); it adds nothing",
					o->objs[i], objs[i]->has_btf_ext ? "empty in .BTF.ext" : "no .BTF.ext");
	}
	return 0;
}

static int run(const struct min_opts *o, struct objfile **objs, struct minimize_stats *stats)
{
	struct trace_ctx trace = { .src = o->src, .verbose = o->verbose };
	struct cand_index *idx = NULL;
	struct btf *src = NULL, *out = NULL;
	struct bp_err err;
	void *data = NULL;
	size_t size;
	int ret;

	ret = source_btf_load_file(o->src, &src, &err);
	if (!ret && load_objects(o, objs))
		ret = -1, err.msg[0] = '\0';
	if (!ret)
		ret = cand_index_build(src, &idx, &err);
	if (!ret) {
		ret = minimize_run(src, idx, objs, (size_t)o->obj_cnt, stats, trace_event, &trace,
				   !o->no_verify, o->loaders, &out, &err);
		if (ret == -EPROTO)
			bp_err_prefix(&err, "verification failed");
		if (ret && err.msg[0])
			bp_err_prefix(&err, o->src);
	}
	if (!ret)
		ret = minimize_serialize(out, &data, &size, &err);
	if (!ret)
		ret = bp_write_file_atomic(o->out, data, size, &err);
	if (ret && err.msg[0])
		bp_print_error(err.msg);
	free(data);
	btf__free(out);
	cand_index_free(idx);
	btf__free(src);
	return ret;
}

int cmd_min(int argc, char **argv)
{
	struct min_opts o = { .loaders = MIN_LOADER_ALL };
	struct minimize_stats *stats = NULL;
	struct objfile **objs = NULL;
	int ret, i;

	ret = parse_args(argc, argv, &o);
	if (ret != CMD_RUN)
		return ret;
	core_init(o.verbose);
	objs = calloc((size_t)o.obj_cnt, sizeof(*objs));
	stats = calloc((size_t)o.obj_cnt, sizeof(*stats));
	if (!objs || !stats) {
		fprintf(stderr, "btfpack: out of memory\n");
		ret = EXIT_ERROR;
		goto out;
	}
	ret = run(&o, objs, stats) ? EXIT_ERROR : EXIT_OK;
	if (ret == EXIT_OK && o.verbose) {
		for (i = 0; i < o.obj_cnt; i++)
		{
			bp_fputs_escaped(o.objs[i], stderr);
			fprintf(stderr, ": %zu resolved, %zu unresolved, %zu rejected\n",
				stats[i].resolved, stats[i].unresolved, stats[i].rejected);
		}
	}
out:
	for (i = 0; objs && i < o.obj_cnt; i++)
		objfile_free(objs[i]);
	free(objs);
	free(stats);
	return ret;
}
