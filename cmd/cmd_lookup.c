// SPDX-License-Identifier: MIT
/* btfpack lookup BUNDLE PATH [OUT]: the minimized BTF a bundle holds for one
 * kernel, following symlinks, hard links and index.json blob mappings, so an
 * application can fetch its kernel's BTF whatever --dedup mode built it.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive/bundle_reader.h"
#include "cmd/commands.h"
#include "base/fileio.h"
#include "base/text.h"

void cmd_lookup_usage(FILE *out)
{
	fprintf(out,
		"Usage: btfpack lookup BUNDLE PATH [OUT]\n"
		"\n"
		"Write the BTF stored in BUNDLE (a tar of any compression, or a directory)\n"
		"under PATH (<distro>/<version>/<arch>/<kernel>.btf) to OUT, or to stdout\n"
		"when OUT is omitted or '-'.\n"
		"\n"
		"Exit status: 0 found, 1 not found or unreadable, 2 usage error.\n");
}

struct lookup_opts {
	const char *bundle;
	const char *entry;
	const char *out;	/* NULL: stdout */
};

static int parse_args(int argc, char **argv, struct lookup_opts *o)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		if (c == 'h') {
			cmd_lookup_usage(stdout);
			return EXIT_OK;
		}
		cmd_lookup_usage(stderr);
		return EXIT_USAGE;
	}
	if (argc - optind < 2 || argc - optind > 3) {
		bp_print_error("lookup: expected BUNDLE PATH [OUT]");
		cmd_lookup_usage(stderr);
		return EXIT_USAGE;
	}
	o->bundle = argv[optind];
	o->entry = argv[optind + 1];
	if (argc - optind == 3 && strcmp(argv[optind + 2], "-"))
		o->out = argv[optind + 2];
	return CMD_RUN;
}

int cmd_lookup(int argc, char **argv)
{
	struct lookup_opts o = { 0 };
	struct bp_err err;
	size_t size;
	void *data;
	int ret;

	ret = parse_args(argc, argv, &o);
	if (ret != CMD_RUN)
		return ret;
	if (bundle_lookup(o.bundle, o.entry, &data, &size, &err)) {
		bp_print_error(err.msg);
		return EXIT_ERROR;
	}
	if (o.out) {
		ret = bp_write_file_atomic(o.out, data, size, &err);
		if (ret)
			bp_print_error(err.msg);
	} else if (fwrite(data, 1, size, stdout) != size || fflush(stdout)) {
		bp_print_error("cannot write to stdout");
		ret = -1;
	}
	free(data);
	return ret ? EXIT_ERROR : EXIT_OK;
}
