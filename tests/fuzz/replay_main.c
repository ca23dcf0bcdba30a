// SPDX-License-Identifier: MIT
/* Replay driver: runs one harness over files and directories of inputs
 * (every regular file, sorted, dot files skipped), without libFuzzer, so the
 * normal build's ctest replays every seed and regression input. A crash or
 * an oracle's abort() fails the test; a path that cannot be read fails it too,
 * so a missing corpus never passes as an empty one.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/fileio.h"
#include "tests/fuzz/fuzz.h"

static int replay_file(const char *path)
{
	struct bp_err err;
	void *data;
	size_t size;

	if (bp_read_file(path, BP_MAX_INPUT_FILE, &data, &size, &err)) {
		fprintf(stderr, "replay: %s\n", err.msg);
		return -1;
	}
	fprintf(stderr, "replay: %s (%zu bytes)\n", path, size);
	LLVMFuzzerTestOneInput(data, size);
	free(data);
	return 0;
}

static int not_hidden(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/* Returns the number of inputs replayed, or -1. */
static long replay_path(const char *path)
{
	struct dirent **ents;
	char full[4096];
	struct stat st;
	long cnt = 0;
	int n, i;

	if (stat(path, &st) < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(path) ? -1 : 1;
	n = scandir(path, &ents, not_hidden, alphasort);
	if (n < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		snprintf(full, sizeof(full), "%s/%s", path, ents[i]->d_name);
		if (cnt >= 0 && stat(full, &st) == 0 && S_ISREG(st.st_mode))
			cnt = replay_file(full) ? -1 : cnt + 1;
		free(ents[i]);
	}
	free(ents);
	return cnt;
}

int main(int argc, char **argv)
{
	long total = 0, n;
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++) {
		n = replay_path(argv[i]);
		if (n < 0)
			return 1;
		total += n;
	}
	fprintf(stderr, "replay: %ld inputs, no finding\n", total);
	return 0;
}
