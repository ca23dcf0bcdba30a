/* SPDX-License-Identifier: MIT */
/* BPF object files: the local BTF and the CO-RE relocation records of
 * .BTF.ext, read with libelf and bounds-checked byte by byte.
 */
#ifndef BTFPACK_CORE_OBJFILE_H
#define BTFPACK_CORE_OBJFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "base/error.h"

struct btf;

/* One bpf_core_relo record as stored in .BTF.ext. */
struct core_relo {
	__u32 insn_off;
	__u32 type_id;
	__u32 access_str_off;
	__u32 kind;
};

/* Records of one program section, in file order (libbpf's order too). */
struct core_relo_sec {
	const char *name;	/* section name, from the local BTF strings */
	size_t first;		/* index of the first record in objfile.relos */
	size_t count;
};

struct objfile {
	char *name;		/* path or name given at load, for messages */
	struct btf *btf;	/* local BTF; NULL when the object has no .BTF */
	bool has_btf_ext;
	struct core_relo_sec *secs;
	size_t sec_cnt;
	struct core_relo *relos;
	size_t relo_cnt;
};

int objfile_load_mem(const void *data, size_t size, const char *name,
		     struct objfile **out, struct bp_err *err);

int objfile_load_file(const char *path, struct objfile **out, struct bp_err *err);

void objfile_free(struct objfile *obj);

#endif
