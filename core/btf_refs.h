/* SPDX-License-Identifier: MIT */
/* The type references of one BTF type, in declaration order: the one place
 * that knows which kinds refer to which types. Validation, the minimizer's
 * closure, its output order and its renumbering all walk them through here.
 */
#ifndef BTFPACK_CORE_BTF_REFS_H
#define BTFPACK_CORE_BTF_REFS_H

#include <linux/types.h>
#include <bpf/btf.h>

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

/* Inline so that each caller gets its callback inlined: validation and the
 * minimizer call this for every type of a 130k-type kernel.
 */
static inline int btf_type_visit_refs(struct btf_type *t, btf_ref_fn fn, void *ctx)
{
	__u16 vlen = btf_vlen(t), i;
	int ret;

	switch (btf_kind(t)) {
	case BTF_KIND_PTR:
		return fn(ctx, &t->type, REF_POINTEE, 0);
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
	case BTF_KIND_FUNC:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
		return fn(ctx, &t->type, REF_TARGET, 0);
	case BTF_KIND_ARRAY:
		ret = fn(ctx, &btf_array(t)->type, REF_ELEM, 0);
		return ret ? ret : fn(ctx, &btf_array(t)->index_type, REF_INDEX, 0);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		for (i = 0; i < vlen; i++) {
			ret = fn(ctx, &btf_members(t)[i].type, REF_MEMBER, i);
			if (ret)
				return ret;
		}
		return 0;
	case BTF_KIND_FUNC_PROTO:
		ret = fn(ctx, &t->type, REF_RETURN, 0);
		for (i = 0; !ret && i < vlen; i++)
			ret = fn(ctx, &btf_params(t)[i].type, REF_PARAM, i);
		return ret;
	case BTF_KIND_DATASEC:
		for (i = 0; i < vlen; i++) {
			ret = fn(ctx, &btf_var_secinfos(t)[i].type, REF_VAR, i);
			if (ret)
				return ret;
		}
		return 0;
	default:
		return 0;
	}
}

#endif
