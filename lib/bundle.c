// SPDX-License-Identifier: MIT
/* btfpack_bundle: looking a kernel's BTF up in a bundle. */
#include <errno.h>

#include "archive/bundle_reader.h"
#include "include/btfpack.h"
#include "lib/lib_priv.h"

int btfpack_bundle__lookup(const char *bundle, const char *entry, void **buf, size_t *size,
			   struct btfpack_err *err)
{
	struct bp_err e = { .msg = "" };

	*buf = NULL;
	*size = 0;
	if (!bundle || !entry)
		return lib_err(bp_err_set(&e, EINVAL, "bundle: no path or entry"), &e, err);
	return lib_err(bundle_lookup(bundle, entry, buf, size, &e), &e, err);
}
