// SPDX-License-Identifier: MIT
/* The library as a whole: its version, freeing what it returned, and the
 * error buffer the caller owns.
 */
#include <stdlib.h>
#include <string.h>

#include "include/btfpack.h"
#include "lib/lib_priv.h"

/* the public buffer mirrors bp_err: a message fits either */
_Static_assert(sizeof(((struct btfpack_err *)0)->msg) == BP_ERR_MSG_MAX,
	       "btfpack_err and bp_err hold the same message");

const char *btfpack_version(void)
{
	return BTFPACK_VERSION;
}

void btfpack_free(void *buf)
{
	free(buf);
}

int lib_err(int ret, const struct bp_err *src, struct btfpack_err *err)
{
	if (ret && err)
		memcpy(err->msg, src->msg, sizeof(err->msg));
	return ret;
}
