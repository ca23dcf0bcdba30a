/* SPDX-License-Identifier: MIT */
/* CO-RE relocation vocabulary shared by the engine, the minimizer and the
 * trace printer. Values of core_kind are the on-disk bpf_core_relo_kind.
 */
#ifndef BTFPACK_CORE_RELO_TYPES_H
#define BTFPACK_CORE_RELO_TYPES_H

#include <stdbool.h>
#include <linux/types.h>

struct btf;

enum core_kind {
	CORE_FIELD_BYTE_OFFSET = 0,
	CORE_FIELD_BYTE_SIZE = 1,
	CORE_FIELD_EXISTS = 2,
	CORE_FIELD_SIGNED = 3,
	CORE_FIELD_LSHIFT_U64 = 4,
	CORE_FIELD_RSHIFT_U64 = 5,
	CORE_TYPE_ID_LOCAL = 6,
	CORE_TYPE_ID_TARGET = 7,
	CORE_TYPE_EXISTS = 8,
	CORE_TYPE_SIZE = 9,
	CORE_ENUMVAL_EXISTS = 10,
	CORE_ENUMVAL_VALUE = 11,
	CORE_TYPE_MATCHES = 12,
	CORE_KIND_CNT
};

/* Same limit as libbpf: deeper access strings are rejected alike. */
#define CORE_SPEC_MAX_LEN 64

/* One high-level step of an access: a named member or an array index. */
struct core_accessor {
	__u32 type_id;		/* containing composite, array element or enum */
	__u32 idx;		/* member, element or enumerator index */
	const char *name;	/* member/enumerator name; NULL for array steps */
};

/* A parsed (local) or matched (target) access specification. */
struct core_spec {
	const struct btf *btf;
	__u32 root_type_id;
	enum core_kind kind;
	int len;				/* high-level accessors */
	struct core_accessor spec[CORE_SPEC_MAX_LEN];
	int raw_len;				/* low-level indices */
	int raw_spec[CORE_SPEC_MAX_LEN];
	__u32 bit_offset;
};

/* Values libbpf would patch into the instruction. */
struct core_relo_res {
	__u64 orig_val;
	__u64 new_val;
	bool poison;
	bool validate;
	bool fail_memsz_adjust;
	__u32 orig_sz;
	__u32 new_sz;
	__u32 orig_type_id;
	__u32 new_type_id;
};

const char *core_kind_str(enum core_kind kind);
bool core_kind_is_field(enum core_kind kind);
bool core_kind_is_type(enum core_kind kind);
bool core_kind_is_enumval(enum core_kind kind);

#endif
