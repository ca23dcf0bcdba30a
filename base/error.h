/* SPDX-License-Identifier: MIT */
/* Error reporting: every fallible function returns a negative errno and
 * fills a caller-owned bp_err with one line naming the input and the problem.
 * Caller-owned buffers keep this thread-safe for the parallel batch driver.
 */
#ifndef BTFPACK_BASE_ERROR_H
#define BTFPACK_BASE_ERROR_H

#include <stddef.h>

#define BP_ERR_MSG_MAX 512

struct bp_err {
	char msg[BP_ERR_MSG_MAX];
};

/* Format a message into err (which may be NULL) and return -errnum. */
int bp_err_set(struct bp_err *err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefix an existing message with "what: " (e.g. the name of an input). */
void bp_err_prefix(struct bp_err *err, const char *what);

#endif
