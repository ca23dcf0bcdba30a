// SPDX-License-Identifier: MIT
/* btfpack lookup BUNDLE PATH [OUT]: the minimized BTF a bundle holds for one
 * kernel, following symlinks, hard links and index.json blob mappings, so an
 * application can fetch its kernel's BTF whatever --dedup mode built it.
 */
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

int cmd_lookup(int argc, char **argv)
{
	struct bp_err err;
	size_t size;
	void *data;
	int ret;

	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		cmd_lookup_usage(stdout);
		return EXIT_OK;
	}
	if (argc < 3 || argc > 4 || argv[1][0] == '-' || argv[2][0] == '-') {
		cmd_lookup_usage(stderr);
		return EXIT_USAGE;
	}
	if (bundle_lookup(argv[1], argv[2], &data, &size, &err)) {
		bp_print_error(err.msg);
		return EXIT_ERROR;
	}
	if (argc == 4 && strcmp(argv[3], "-"))
		ret = bp_write_file_atomic(argv[3], data, size, &err);
	else
		ret = fwrite(data, 1, size, stdout) == size && !fflush(stdout) ? 0 : -1;
	if (ret)
		fprintf(stderr, "btfpack: %s\n", argc == 4 ? err.msg : "cannot write to stdout");
	free(data);
	return ret ? EXIT_ERROR : EXIT_OK;
}
