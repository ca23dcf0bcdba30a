/* SPDX-License-Identifier: MIT */
/* What the public handles of include/btfpack.h hold, and the one place a
 * stage's bp_err becomes the caller's btfpack_err.
 */
#ifndef BTFPACK_LIB_PRIV_H
#define BTFPACK_LIB_PRIV_H

#include "base/error.h"
#include "include/btfpack.h"

struct btf;
struct cand_index;
struct objfile;

struct btfpack_kernel {
	char *name;		/* path or name given at open, for messages */
	struct btf *btf;
	struct cand_index *idx;	/* built once at open for every minimize */
};

struct btfpack_object {
	struct objfile *obj;
};

/* Copy a stage's message to the caller's buffer (err may be NULL); returns
 * ret so a call can end with "return lib_err(ret, &e, err);".
 */
int lib_err(int ret, const struct bp_err *src, struct btfpack_err *err);

#endif
