/* SPDX-License-Identifier: MIT */
/* Parser for the CO-RE relocation part of .BTF.ext. */
#ifndef BTFPACK_CORE_BTF_EXT_H
#define BTFPACK_CORE_BTF_EXT_H

#include <stddef.h>

#include "core/objfile.h"
#include "base/error.h"

/* Append the CO-RE records of a .BTF.ext image to obj (secs/relos); section
 * names are looked up in obj->btf. An image without CO-RE data adds nothing.
 */
int btf_ext_read_core_relos(const void *data, size_t size, struct objfile *obj,
			    struct bp_err *err);

#endif
