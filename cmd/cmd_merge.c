// SPDX-License-Identifier: MIT
/* btfpack merge [OPTIONS] -o BUNDLE PART...: command-line parsing; the work
 * is in batch/merge.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "batch/merge.h"
#include "cmd/commands.h"

void cmd_merge_usage(FILE *out)
{
	fprintf(out,
		"Usage: btfpack merge [OPTIONS] -o BUNDLE PART...\n"
		"\n"
		"Merge the parts written by 'btfpack build --shard K/N' (all N of them, in\n"
		"any order) into the bundle one build of the whole tree writes, byte for\n"
		"byte: same entries, order, dedup and index.json. Parts from other btfpack\n"
		"versions or object sets, a shard given twice and missing shards are\n"
		"refused. Parts are native bundles; the merge renders any profile.\n"
		"\n"
		"  -o, --output BUNDLE   .tar.xz, .tar.gz, .tar.zst, .tar, or a directory\n"
		"  --profile NAME        native (default), bcc, tree, btfhub: as build's\n"
		"  --aliases             entries under consumers' keys too, as build's\n"
		"  --dedup MODE          symlink (default), hardlink, index, none: as build's\n"
		"  --strict              any failed kernel fails the merge (no bundle)\n"
		"  -q, --quiet           no summary line\n"
		"  -h, --help            show this help\n"
		"\n"
		"Timestamps come from SOURCE_DATE_EPOCH (default 0), as in build.\n"
		"Exit status: 0 all kernels ok, 3 bundle written but some kernels failed,\n"
		"1 error (no bundle written), 2 usage error.\n");
}

enum { OPT_DEDUP = 256, OPT_STRICT, OPT_PROFILE, OPT_ALIASES };

static int usage(const char *msg, const char *arg)
{
	bp_print_errorf("merge: %s%s%s", msg, arg ? arg : "", arg ? "'" : "");
	cmd_merge_usage(stderr);
	return EXIT_USAGE;
}

static int parse_args(int argc, char **argv, struct merge_opts *o)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "dedup", required_argument, NULL, OPT_DEDUP },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "profile", required_argument, NULL, OPT_PROFILE },
		{ "aliases", no_argument, NULL, OPT_ALIASES },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct bp_err err = { { 0 } };
	bool dedup_given = false;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': o->output = optarg; break;
		case 'q': o->quiet = true; break;
		case OPT_STRICT: o->strict = true; break;
		case OPT_ALIASES: o->aliases = true; break;
		case OPT_DEDUP:
			if (dedup_mode_parse(optarg, &o->dedup))
				return usage("--dedup wants symlink, hardlink, index or none, got '",
					     optarg);
			dedup_given = true;
			break;
		case OPT_PROFILE:
			if (bundle_profile_parse(optarg, &o->profile))
				return usage("--profile wants native, bcc, tree or btfhub, got '",
					     optarg);
			break;
		case 'h': cmd_merge_usage(stdout); return EXIT_OK;
		default: cmd_merge_usage(stderr); return EXIT_USAGE;
		}
	}
	if (!o->output)
		return usage("-o BUNDLE is required", NULL);
	if (optind >= argc)
		return usage("give the parts to merge", NULL);
	o->parts = (const char *const *)&argv[optind];
	o->part_cnt = (size_t)(argc - optind);
	if (dedup_given && o->profile != PROFILE_NATIVE)
		return usage("--dedup applies to --profile native only, not '",
			     bundle_profile_name(o->profile));
	if (bundle_profile_output(o->profile, o->output, &o->format, &o->out_flags, &err)) {
		bp_print_errorf("merge: -o %s", err.msg);
		cmd_merge_usage(stderr);
		return EXIT_USAGE;
	}
	if (o->format == BUNDLE_DIR && cmd_unsupported_archive_name(o->output))
		return usage("unsupported bundle format (use .tar, .tar.gz, .tar.xz, .tar.zst or a directory): '",
			     o->output);
	return cmd_parse_epoch("merge", &o->mtime) ? EXIT_USAGE : CMD_RUN;
}

int cmd_merge(int argc, char **argv)
{
	struct merge_opts o = { .dedup = DEDUP_SYMLINK };
	int code = parse_args(argc, argv, &o);

	if (code != CMD_RUN)
		return code;
	switch (merge_run(&o)) {
	case BUILD_OK: return EXIT_OK;
	case BUILD_PARTIAL: return EXIT_PARTIAL;
	default: return EXIT_ERROR;
	}
}
