// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <string.h>

#include "cmd/commands.h"
#include "core/cleanup.h"
#include "core/text.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: btfpack COMMAND [OPTIONS] ARGS...\n"
		"       btfpack --help | --version\n"
		"\n"
		"Minimized kernel BTF for CO-RE BPF programs.\n"
		"\n"
		"Commands:\n"
		"  min SRC OUT OBJ [OBJ...]  minimize one kernel BTF for the given BPF objects\n"
		"                            (a drop-in for 'bpftool gen min_core_btf')\n"
		"  build -o BUNDLE --obj OBJ HUB\n"
		"                            minimize a whole BTFHub-style tree into one\n"
		"                            deduplicated, reproducible bundle\n"
		"  lookup BUNDLE PATH [OUT]  extract one kernel's BTF from a bundle\n"
		"\n"
		"Run 'btfpack COMMAND --help' for a command's options.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("btfpack %s\n", BTFPACK_VERSION);
		return EXIT_OK;
	}
	/* before any thread: SIGINT/TERM/HUP remove the temps, then exit */
	if (bp_signals_start())
		fprintf(stderr, "btfpack: warning: cannot start the signal thread; "
			"a signal may leave temp files\n");
	if (!strcmp(argv[1], "min"))
		return cmd_min(argc - 1, argv + 1);
	if (!strcmp(argv[1], "build"))
		return cmd_build(argc - 1, argv + 1);
	if (!strcmp(argv[1], "lookup"))
		return cmd_lookup(argc - 1, argv + 1);
	bp_print_errorf("unknown command '%s'", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
