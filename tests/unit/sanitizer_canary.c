// SPDX-License-Identifier: MIT
/* Does one thing each sanitizer must report, so ctest can check that a
 * report ends the process with the exit code tests/CMakeLists.txt sets
 * (and not 1, which btfpack itself uses for bad input).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	/* volatile: the compiler must not see the answers coming */
	volatile int big = INT_MAX, idx = 8, sum;
	char *p;

	if (argc != 2)
		return 2;
	if (!strcmp(argv[1], "ub")) {
		sum = big + idx;			/* signed overflow */
		return sum ? 0 : 1;
	}
	if (!strcmp(argv[1], "asan")) {
		p = malloc(8);
		if (!p)
			return 2;
		p[idx] = 1;				/* heap overflow */
		free(p);
		return 0;
	}
	if (!strcmp(argv[1], "leak")) {
		p = malloc(64);
		if (!p)
			return 2;
		p[0] = 1;
		p = NULL;				/* lost */
		return 0;
	}
	return 2;
}
