// SPDX-License-Identifier: MIT
/* btfpack verify BUNDLE --hub HUB --obj FILE|DIR...: command-line parsing;
 * the work is in batch/verify_bundle.c.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive/hub_member.h"
#include "base/text.h"
#include "batch/verify_bundle.h"
#include "cmd/commands.h"
#include "core/core_init.h"

void cmd_verify_usage(FILE *out)
{
	fprintf(out,
		"Usage: btfpack verify [OPTIONS] BUNDLE --hub HUB --obj FILE|DIR...\n"
		"\n"
		"Decide every CO-RE relocation of the objects against each kernel entry\n"
		"of BUNDLE and against the full BTF of the HUB input it was built from\n"
		"(the same <distro>/<version>/<arch>/<kernel> path), and print each\n"
		"relocation decided differently: kernel, object, section, record,\n"
		"instruction offset, kind, local type, access string, both decisions.\n"
		"\n"
		"  --hub HUB                the BTFHub-style tree the bundle was built from\n"
		"  --obj FILE|DIR           BPF object(s) for every architecture (repeatable)\n"
		"  --obj-arch ARCH=FILE|DIR objects for one architecture only (repeatable)\n"
		"  -j, --jobs N             worker threads (default: online CPUs)\n"
		"  -v, --verbose            also a line for every equal entry\n"
		"  -q, --quiet              no summary line\n"
		"  -h, --help               show this help\n"
		"\n"
		"Exit status: 0 every entry checked and equal, 1 a relocation differs or an\n"
		"entry's BTF is unreadable (or the bundle or hub cannot be read), 3 no\n"
		"difference but some entries could not be checked (listed as UNCHECKED:\n"
		"no source in the hub, or it cannot be read), 2 usage error.\n");
}

enum { OPT_HUB = 256, OPT_OBJ, OPT_OBJ_ARCH };

static int usage_error(const char *msg, const char *arg)
{
	bp_print_errorf("verify: %s%s%s", msg, arg ? " " : "", arg ? arg : "");
	cmd_verify_usage(stderr);
	return EXIT_USAGE;
}

static int add_obj(struct verify_opts *o, const char *arg, bool per_arch)
{
	const char *eq = per_arch ? strchr(arg, '=') : NULL;
	struct bp_err err;
	char *arch = NULL;
	int ret;

	if (per_arch && (!eq || eq == arg || !eq[1]))
		return usage_error("--obj-arch wants ARCH=FILE|DIR, got", arg);
	if (eq && !(arch = strndup(arg, (size_t)(eq - arg)))) {
		bp_print_error("out of memory");
		return EXIT_ERROR;
	}
	ret = obj_set_add(&o->objs, eq ? eq + 1 : arg, arch,
			  o->quiet, &err);
	free(arch);
	if (ret) {
		bp_print_error(err.msg);
		return EXIT_ERROR;
	}
	return CMD_RUN;
}

static int parse_jobs(const char *arg, struct verify_opts *o)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(arg, &end, 10);
	if (errno || *end || n < 1 || n > 1024)
		return usage_error("-j wants a number from 1 to 1024, got", arg);
	o->jobs = (unsigned int)n;
	return CMD_RUN;
}

static int parse_args(int argc, char **argv, struct verify_opts *o)
{
	static const struct option longopts[] = {
		{ "hub", required_argument, NULL, OPT_HUB },
		{ "obj", required_argument, NULL, OPT_OBJ },
		{ "obj-arch", required_argument, NULL, OPT_OBJ_ARCH },
		{ "jobs", required_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, ret = CMD_RUN;

	optind = 1;
	while (ret == CMD_RUN && (c = getopt_long(argc, argv, "j:vqh", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_HUB: o->hub = optarg; break;
		case OPT_OBJ: ret = add_obj(o, optarg, false); break;
		case OPT_OBJ_ARCH: ret = add_obj(o, optarg, true); break;
		case 'j': ret = parse_jobs(optarg, o); break;
		case 'v': o->verbose = true; break;
		case 'q': o->quiet = true; break;
		case 'h': cmd_verify_usage(stdout); return EXIT_OK;
		default: cmd_verify_usage(stderr); return EXIT_USAGE;
		}
	}
	if (ret != CMD_RUN)
		return ret;
	if (argc - optind != 1)
		return usage_error("expected exactly one BUNDLE", NULL);
	if (!o->hub)
		return usage_error("--hub HUB is required", NULL);
	if (!o->objs.cnt)
		return usage_error("give BPF objects with --obj or --obj-arch", NULL);
	o->bundle = argv[optind];
	return CMD_RUN;
}

int cmd_verify(int argc, char **argv)
{
	struct verify_opts o = { .member_cap = HUB_MEMBER_DEFAULT_CAP };
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int code;

	o.jobs = cpus > 0 ? (unsigned int)cpus : 1;
	/* objects are parsed while the options are read: the sink first */
	core_init(false);
	code = parse_args(argc, argv, &o);
	if (code == CMD_RUN) {
		switch (verify_bundle_run(&o)) {
		case VERIFY_EQUAL: code = EXIT_OK; break;
		case VERIFY_UNCHECKED: code = EXIT_PARTIAL; break;
		default: code = EXIT_ERROR; break;
		}
	}
	obj_set_free(&o.objs);
	return code;
}
