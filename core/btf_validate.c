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

#include "core/btf_refs.h"
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

struct ref_check {
	const struct validator *v;
	__u32 id;
	struct bp_err *err;
};

static int check_ref_cb(void *ctx, __u32 *ref, enum btf_ref_role role, __u32 index)
{
	const struct ref_check *c = ctx;

	(void)role;
	(void)index;
	return check_ref(c->v, c->id, *ref, c->err);
}

/* Name offset of member/enumerator/parameter i, for kinds whose items have
 * names; false for the others.
 */
static bool item_name_off(const struct btf_type *t, __u16 i, __u32 *off)
{
	switch (btf_kind(t)) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		*off = btf_members(t)[i].name_off;
		return true;
	case BTF_KIND_ENUM:
		*off = btf_enum(t)[i].name_off;
		return true;
	case BTF_KIND_ENUM64:
		*off = btf_enum64(t)[i].name_off;
		return true;
	case BTF_KIND_FUNC_PROTO:
		*off = btf_params(t)[i].name_off;
		return true;
	default:
		return false;
	}
}

static int check_type(const struct validator *v, __u32 id, struct bp_err *err)
{
	const struct btf_type *t = btf__type_by_id(v->btf, id);
	struct ref_check rc = { .v = v, .id = id, .err = err };
	__u16 vlen = btf_vlen(t), i;
	__u32 off;
	int ret;

	if (btf_kind(t) == BTF_KIND_UNKN || btf_kind(t) > BTF_KIND_ENUM64)
		return bp_err_set(err, EINVAL, "%s: corrupt BTF: type [%u] has unknown kind %u",
				  v->name, id, btf_kind(t));
	ret = check_name(v, id, t->name_off, err);
	for (i = 0; !ret && i < vlen && item_name_off(t, i, &off); i++)
		ret = check_name(v, id, off, err);
	if (ret)
		return ret;
	/* the walk only reads: the cast lets one visitor serve readers and
	 * renumbering alike
	 */
	return btf_type_visit_refs((struct btf_type *)t, check_ref_cb, &rc);
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
