/* SPDX-License-Identifier: MIT */
/* Kernel ("source", "target") BTF: raw BTF blobs as BTFHub ships them, or ELF
 * files (vmlinux) carrying a .BTF section.
 */
#ifndef BTFPACK_CORE_SOURCE_BTF_H
#define BTFPACK_CORE_SOURCE_BTF_H

#include <stddef.h>

#include "base/error.h"

struct btf;

/* Parse kernel BTF from bytes; name is used in messages only. */
int source_btf_load_mem(const void *data, size_t size, const char *name,
			struct btf **out, struct bp_err *err);

int source_btf_load_file(const char *path, struct btf **out, struct bp_err *err);

#endif
