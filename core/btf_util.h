/* SPDX-License-Identifier: MIT */
/* Small BTF helpers used across core/. BTF handed to these has passed
 * btf_validate(), so ids and name offsets are in range; the helpers still
 * return NULL rather than trust that.
 */
#ifndef BTFPACK_CORE_BTF_UTIL_H
#define BTFPACK_CORE_BTF_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <bpf/btf.h>

#include "base/error.h"

/* Longest typedef/modifier chain we follow; validated BTF has no cycles. */
#define BTF_CHAIN_MAX 1024

static inline const char *btf_str(const struct btf *btf, __u32 off)
{
	return btf__name_by_offset(btf, off);
}

static inline bool str_empty(const char *s)
{
	return !s || !s[0];
}

/* libbpf's skip_mods_and_typedefs(): follow const/volatile/restrict/
 * type_tag/typedef to the first other type; *res_id gets its id.
 */
static inline const struct btf_type *btf_skip_mods(const struct btf *btf, __u32 id,
						   __u32 *res_id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	int steps = 0;

	if (res_id)
		*res_id = id;
	while (t && (btf_is_mod(t) || btf_is_typedef(t))) {
		if (++steps > BTF_CHAIN_MAX)
			return NULL;
		id = t->type;
		if (res_id)
			*res_id = id;
		t = btf__type_by_id(btf, id);
	}
	return t;
}

/* A kind's name as libbpf's messages spell it ("struct", "void", ...). */
static inline const char *btf_kind_name(const struct btf_type *t)
{
	static const char *const names[] = {
		"void", "int", "ptr", "array", "struct", "union", "enum", "fwd",
		"typedef", "volatile", "const", "restrict", "func", "func_proto", "var",
		"datasec", "float", "decl_tag", "type_tag", "enum64",
	};

	return btf_kind(t) < sizeof(names) / sizeof(names[0]) ? names[btf_kind(t)] : "unknown";
}

/* Reject references to missing types or strings and reference cycles that do
 * not pass through a struct, union or function prototype. name is for the
 * message.
 */
int btf_validate(const struct btf *btf, const char *name, struct bp_err *err);


#endif
