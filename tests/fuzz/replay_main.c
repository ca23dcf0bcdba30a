// SPDX-License-Identifier: MIT
/* Replay driver: runs one harness over files and directories of inputs
 * (every regular file, sorted, dot files skipped), without libFuzzer, so the
 * normal build's ctest replays every seed and regression input. A crash or
 * an oracle's abort() fails the test; a path that cannot be read fails it too,
 * so a missing corpus never passes as an empty one.
 *
 * With --expect-finding first, each input runs in a child that must crash:
 * reproducers of a known defect whose fix is not merged yet. One that stops
 * crashing fails the test, so it gets moved to the plain regression set.
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/fileio.h"
#include "tests/fuzz/fuzz.h"

static bool expect_finding;

static int replay_expecting_crash(const char *path, void *data, size_t size)
{
	int status;
	pid_t pid;

	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "replay: fork: %s\n", strerror(errno));
		free(data);
		return -1;
	}
	if (pid == 0) {
		LLVMFuzzerTestOneInput(data, size);
		_exit(0);
	}
	free(data);
	if (waitpid(pid, &status, 0) < 0 || (WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
		fprintf(stderr, "replay: %s no longer fails: move it to the regression set\n",
			path);
		return -1;
	}
	return 0;
}

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
	if (!expect_finding) {
		LLVMFuzzerTestOneInput(data, size);
		free(data);
		return 0;
	}
	return replay_expecting_crash(path, data, size);
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
	int i = 1;

	if (argc > 1 && !strcmp(argv[1], "--expect-finding")) {
		expect_finding = true;
		i++;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: %s [--expect-finding] FILE|DIR...\n", argv[0]);
		return 2;
	}
	LLVMFuzzerInitialize(&argc, &argv);
	for (; i < argc; i++) {
		n = replay_path(argv[i]);
		if (n < 0)
			return 1;
		total += n;
	}
	fprintf(stderr, "replay: %ld inputs, %s\n", total,
		expect_finding ? "each one still a finding" : "no finding");
	return 0;
}
