// SPDX-License-Identifier: MIT
/* btfpack COMMAND ...: one table of commands, each a thin cmd_<name>.c over
 * the library (git's builtin/ layout). A new subcommand is one file and
 * one row here.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/commands.h"
#include "base/cleanup.h"
#include "base/text.h"

struct command {
	const char *name;
	const char *synopsis;	/* arguments, for the top-level help */
	const char *summary;
	int (*run)(int argc, char **argv);
	void (*usage)(FILE *out);
};

static const struct command commands[] = {
	{ "min", "SRC OUT OBJ [OBJ...]",
	  "minimize one kernel BTF for the given BPF objects\n"
	  "(a drop-in for 'bpftool gen min_core_btf')", cmd_min, cmd_min_usage },
	{ "build", "-o BUNDLE --obj OBJ HUB",
	  "minimize a whole BTFHub-style tree into one\n"
	  "deduplicated, reproducible bundle", cmd_build, cmd_build_usage },
	{ "lookup", "BUNDLE PATH [OUT] | BUNDLE --host",
	  "extract one kernel's BTF from a bundle, by path\n"
	  "or for this host", cmd_lookup, cmd_lookup_usage },
	{ "ls", "[--json] BUNDLE", "list a bundle's entries, dedup figures and objects", cmd_ls,
	  cmd_ls_usage },
	{ "embed", "BUNDLE -o FILE.c", "a bundle as C source (a byte array and a header)\n"
	  "for btfpack_bundle__open_mem()", cmd_embed, cmd_embed_usage },
	{ "verify", "BUNDLE --hub HUB --obj OBJ",
	  "re-decide every relocation against each entry\n"
	  "and its hub kernel; name every difference", cmd_verify, cmd_verify_usage },
	{ "merge", "-o BUNDLE PART...", "merge the parts of a sharded build into one bundle",
	  cmd_merge, cmd_merge_usage },
	{ "diff", "[--json] OLD NEW", "kernels and objects that differ between two bundles",
	  cmd_diff, cmd_diff_usage },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < N_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/* The summary's lines, each indented to the description column. */
static void put_summary(FILE *out, const char *s)
{
	const char *nl;

	for (; (nl = strchr(s, '\n')); s = nl + 1)
		fprintf(out, "%.*s\n%-28s", (int)(nl - s), s, "");
	fprintf(out, "%s\n", s);
}

static void usage(FILE *out)
{
	size_t i;
	int n;

	fprintf(out, "Usage: btfpack COMMAND [OPTIONS] ARGS...\n"
		     "       btfpack help [COMMAND] | --help | --version\n"
		     "\n"
		     "Minimized kernel BTF for CO-RE BPF programs.\n"
		     "\n"
		     "Commands:\n");
	for (i = 0; i < N_COMMANDS; i++) {
		n = fprintf(out, "  %s %s", commands[i].name, commands[i].synopsis);
		/* a long synopsis gets the description on the next line */
		fprintf(out, "%-*s", n < 28 ? 28 - n : 0, "");
		if (n >= 28)
			fprintf(out, "\n%-28s", "");
		put_summary(out, commands[i].summary);
	}
	fprintf(out, "\nRun 'btfpack help COMMAND' or 'btfpack COMMAND --help' for a command's options.\n");
}

/* btfpack help [COMMAND] */
static int help(int argc, char **argv)
{
	const struct command *c;

	if (argc < 3) {
		usage(stdout);
		return EXIT_OK;
	}
	c = find_command(argv[2]);
	if (!c) {
		bp_print_errorf("help: unknown command '%s'", argv[2]);
		usage(stderr);
		return EXIT_USAGE;
	}
	c->usage(stdout);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	const struct command *c;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "help"))
		return help(argc, argv);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("btfpack %s\n", BTFPACK_VERSION);
		return EXIT_OK;
	}
	c = find_command(argv[1]);
	if (!c) {
		bp_print_errorf("unknown command '%s'", argv[1]);
		usage(stderr);
		return EXIT_USAGE;
	}
	/* before any thread: SIGINT/TERM/HUP remove the temps, then exit */
	if (bp_signals_start())
		fprintf(stderr, "btfpack: warning: cannot start the signal thread; "
			"a signal may leave temp files\n");
	return c->run(argc - 1, argv + 1);
}
