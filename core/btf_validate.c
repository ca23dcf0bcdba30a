// SPDX-License-Identifier: MIT
/* Structural checks libbpf's parser leaves out: every type and string a type
 * refers to must exist, and chains of pointers, arrays, typedefs and
 * modifiers must end. With these checked once per BTF, the engine and the
 * minimizer can walk types without guarding every step against garbage.
 */
#include <errno.h>
#include <stdlib.h>

#include "core/btf_util.h"

static int check_name(const struct btf *btf, __u32 id, __u32 off, const char *name,
		      struct bp_err *err)
{
	if (!btf__name_by_offset(btf, off))
		return bp_err_set(err, EINVAL,
				  "%s: corrupt BTF: type [%u] has name offset %u outside the string section",
				  name, id, off);
	return 0;
}

static int check_ref(__u32 id, __u32 ref, __u32 cnt, const char *name, struct bp_err *err)
{
	if (ref >= cnt)
		return bp_err_set(err, EINVAL,
				  "%s: corrupt BTF: type [%u] refers to type [%u], but only %u types exist",
				  name, id, ref, cnt - 1);
	return 0;
}

static int check_type(const struct btf *btf, __u32 id, __u32 cnt, const char *name,
		      struct bp_err *err)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	__u16 vlen = btf_vlen(t);
	int ret, i;

	ret = check_name(btf, id, t->name_off, name, err);
	if (ret)
		return ret;

	switch (btf_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_FLOAT:
	case BTF_KIND_FWD:
		return 0;
	case BTF_KIND_PTR:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
	case BTF_KIND_FUNC:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
		return check_ref(id, t->type, cnt, name, err);
	case BTF_KIND_ARRAY:
		ret = check_ref(id, btf_array(t)->type, cnt, name, err);
		return ret ? ret : check_ref(id, btf_array(t)->index_type, cnt, name, err);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION: {
		const struct btf_member *m = btf_members(t);

		for (i = 0; i < vlen; i++, m++) {
			ret = check_name(btf, id, m->name_off, name, err);
			ret = ret ? ret : check_ref(id, m->type, cnt, name, err);
			if (ret)
				return ret;
		}
		return 0;
	}
	case BTF_KIND_ENUM: {
		const struct btf_enum *e = btf_enum(t);

		for (i = 0; i < vlen; i++, e++) {
			ret = check_name(btf, id, e->name_off, name, err);
			if (ret)
				return ret;
		}
		return 0;
	}
	case BTF_KIND_ENUM64: {
		const struct btf_enum64 *e = btf_enum64(t);

		for (i = 0; i < vlen; i++, e++) {
			ret = check_name(btf, id, e->name_off, name, err);
			if (ret)
				return ret;
		}
		return 0;
	}
	case BTF_KIND_FUNC_PROTO: {
		const struct btf_param *p = btf_params(t);

		ret = check_ref(id, t->type, cnt, name, err);
		for (i = 0; !ret && i < vlen; i++, p++) {
			ret = check_name(btf, id, p->name_off, name, err);
			ret = ret ? ret : check_ref(id, p->type, cnt, name, err);
		}
		return ret;
	}
	case BTF_KIND_DATASEC: {
		const struct btf_var_secinfo *v = btf_var_secinfos(t);

		for (i = 0; i < vlen; i++, v++) {
			ret = check_ref(id, v->type, cnt, name, err);
			if (ret)
				return ret;
		}
		return 0;
	}
	default:
		return bp_err_set(err, EINVAL, "%s: corrupt BTF: type [%u] has unknown kind %u",
				  name, id, btf_kind(t));
	}
}

/* The single outgoing edge along which walks continue without a composite
 * in between; 0 ends the chain.
 */
static __u32 chain_next(const struct btf_type *t)
{
	switch (btf_kind(t)) {
	case BTF_KIND_PTR:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
		return t->type;
	case BTF_KIND_ARRAY:
		return btf_array(t)->type;
	default:
		return 0;
	}
}

enum { WALK_NEW, WALK_ON_PATH, WALK_DONE };

static int check_chains(const struct btf *btf, __u32 cnt, const char *name,
			struct bp_err *err)
{
	unsigned char *state;
	__u32 id, cur, next;
	int ret = 0;

	state = calloc(cnt, 1);
	if (!state)
		return bp_err_set(err, ENOMEM, "%s: out of memory", name);
	for (id = 1; id < cnt && !ret; id++) {
		/* each type has one chain edge: walk it, then settle the path */
		for (cur = id; cur && state[cur] == WALK_NEW; cur = next) {
			state[cur] = WALK_ON_PATH;
			next = chain_next(btf__type_by_id(btf, cur));
		}
		if (cur && state[cur] == WALK_ON_PATH)
			ret = bp_err_set(err, ELOOP,
					 "%s: corrupt BTF: type [%u] is part of a reference cycle",
					 name, cur);
		for (cur = id; cur && state[cur] == WALK_ON_PATH; cur = next) {
			state[cur] = WALK_DONE;
			next = chain_next(btf__type_by_id(btf, cur));
		}
	}
	free(state);
	return ret;
}

int btf_validate(const struct btf *btf, const char *name, struct bp_err *err)
{
	__u32 cnt = btf__type_cnt(btf), id;
	int ret;

	for (id = 1; id < cnt; id++) {
		ret = check_type(btf, id, cnt, name, err);
		if (ret)
			return ret;
	}
	return check_chains(btf, cnt, name, err);
}
