// SPDX-License-Identifier: MIT
#include <bpf/btf.h>

#include "core/btf_refs.h"

int btf_type_visit_refs(struct btf_type *t, btf_ref_fn fn, void *ctx)
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
