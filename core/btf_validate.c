// SPDX-License-Identifier: MIT
/* Structural checks libbpf's parser leaves out: every type and string a type
 * refers to must exist, and chains of pointers, arrays, typedefs and
 * modifiers must end. With these checked once per BTF, the engine and the
 * minimizer can walk types without guarding every step against garbage.
 */
#include <byteswap.h>
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <linux/btf.h>

#include "core/btf_util.h"

/* Size of the string section, read from the BTF header. */
static __u32 strings_size(const struct btf *btf)
{
	const struct btf_header *hdr;
	__u32 size;

	hdr = btf__raw_data(btf, &size);
	if (!hdr || size < sizeof(*hdr))
		return 0;
	if (btf__endianness(btf) != (__BYTE_ORDER == __LITTLE_ENDIAN ? BTF_LITTLE_ENDIAN
								    : BTF_BIG_ENDIAN))
		return bswap_32(hdr->str_len);
	return hdr->str_len;
}

struct validator {
	const struct btf *btf;
	__u32 cnt;
	__u32 str_len;
	const char *name;
};

static int check_name(const struct validator *v, __u32 id, __u32 off, struct bp_err *err)
{
	if (off >= v->str_len)
		return bp_err_set(err, EINVAL,
				  "%s: corrupt BTF: type [%u] has name offset %u outside the string section",
				  v->name, id, off);
	return 0;
}

static int check_ref(const struct validator *v, __u32 id, __u32 ref, struct bp_err *err)
{
	if (ref >= v->cnt)
		return bp_err_set(err, EINVAL,
				  "%s: corrupt BTF: type [%u] refers to type [%u], but only %u types exist",
				  v->name, id, ref, v->cnt - 1);
	return 0;
}

static int check_type(const struct validator *v, __u32 id, struct bp_err *err)
{
	const struct btf_type *t = btf__type_by_id(v->btf, id);
	__u16 vlen = btf_vlen(t);
	int ret, i;

	ret = check_name(v, id, t->name_off, err);
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
		return check_ref(v, id, t->type, err);
	case BTF_KIND_ARRAY:
		ret = check_ref(v, id, btf_array(t)->type, err);
		return ret ? ret : check_ref(v, id, btf_array(t)->index_type, err);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION: {
		const struct btf_member *m = btf_members(t);

		for (i = 0; i < vlen; i++, m++) {
			ret = check_name(v, id, m->name_off, err);
			ret = ret ? ret : check_ref(v, id, m->type, err);
			if (ret)
				return ret;
		}
		return 0;
	}
	case BTF_KIND_ENUM: {
		const struct btf_enum *e = btf_enum(t);

		for (i = 0; i < vlen; i++, e++) {
			ret = check_name(v, id, e->name_off, err);
			if (ret)
				return ret;
		}
		return 0;
	}
	case BTF_KIND_ENUM64: {
		const struct btf_enum64 *e = btf_enum64(t);

		for (i = 0; i < vlen; i++, e++) {
			ret = check_name(v, id, e->name_off, err);
			if (ret)
				return ret;
		}
		return 0;
	}
	case BTF_KIND_FUNC_PROTO: {
		const struct btf_param *p = btf_params(t);

		ret = check_ref(v, id, t->type, err);
		for (i = 0; !ret && i < vlen; i++, p++) {
			ret = check_name(v, id, p->name_off, err);
			ret = ret ? ret : check_ref(v, id, p->type, err);
		}
		return ret;
	}
	case BTF_KIND_DATASEC: {
		const struct btf_var_secinfo *vs = btf_var_secinfos(t);

		for (i = 0; i < vlen; i++, vs++) {
			ret = check_ref(v, id, vs->type, err);
			if (ret)
				return ret;
		}
		return 0;
	}
	default:
		return bp_err_set(err, EINVAL, "%s: corrupt BTF: type [%u] has unknown kind %u",
				  v->name, id, btf_kind(t));
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
	struct validator v = { .btf = btf, .cnt = btf__type_cnt(btf), .name = name };
	__u32 id;
	int ret;

	v.str_len = strings_size(btf);
	for (id = 1; id < v.cnt; id++) {
		ret = check_type(&v, id, err);
		if (ret)
			return ret;
	}
	return check_chains(btf, v.cnt, name, err);
}
