/* SPDX-License-Identifier: MIT */
/* The type references of one BTF type, in declaration order: the one place
 * that knows which kinds refer to which types. Validation, the minimizer's
 * closure, its output order and its renumbering all walk them through here.
 */
#ifndef BTFPACK_CORE_BTF_REFS_H
#define BTFPACK_CORE_BTF_REFS_H

#include <linux/types.h>

struct btf_type;

enum btf_ref_role {
	REF_TARGET,	/* typedef, modifiers, type tag, func, var, decl tag */
	REF_POINTEE,	/* ptr */
	REF_ELEM,	/* array element */
	REF_INDEX,	/* array index type */
	REF_MEMBER,	/* struct/union member #index */
	REF_RETURN,	/* func_proto return type */
	REF_PARAM,	/* func_proto parameter #index */
	REF_VAR,	/* datasec variable #index */
};

/* *id may be rewritten by the callback (to renumber references). A
 * non-zero return stops the walk and is returned.
 */
typedef int (*btf_ref_fn)(void *ctx, __u32 *id, enum btf_ref_role role, __u32 index);

int btf_type_visit_refs(struct btf_type *t, btf_ref_fn fn, void *ctx);

#endif
