// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/error.h"

int bp_err_set(struct bp_err *err, int errnum, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return errnum > 0 ? -errnum : errnum;
}

void bp_err_prefix(struct bp_err *err, const char *what)
{
	size_t plen, mlen;

	if (!err || !what)
		return;
	/* "what: msg", cutting the end of msg if it no longer fits */
	plen = strlen(what) + 2;
	if (plen >= sizeof(err->msg))
		return;
	mlen = strlen(err->msg);
	if (mlen > sizeof(err->msg) - 1 - plen)
		mlen = sizeof(err->msg) - 1 - plen;
	memmove(err->msg + plen, err->msg, mlen);
	memcpy(err->msg, what, plen - 2);
	memcpy(err->msg + plen - 2, ": ", 2);
	err->msg[plen + mlen] = '\0';
}
