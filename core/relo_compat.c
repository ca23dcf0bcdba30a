// SPDX-License-Identifier: MIT
/* Type compatibility rules of CO-RE, each a mirror of its libbpf 1.1
 * counterpart. The type-based checks optionally mark every target type they
 * read into a keep_set, which is how the minimizer learns what a
 * TYPE_EXISTS/TYPE_SIZE/TYPE_ID_TARGET/TYPE_MATCHES decision depends on.
 */
#include <errno.h>
#include <string.h>

#include "core/btf_util.h"
#include "core/cand_index.h"
#include "core/keep_set.h"
#include "core/relo_internal.h"

#define COMPAT_MAX_DEPTH 32	/* libbpf's recursion limits */
#define COMPAT_MAX_LEVEL 32

static bool kinds_compat(const struct btf_type *a, const struct btf_type *b)
{
	return btf_kind(a) == btf_kind(b) || (btf_is_any_enum(a) && btf_is_any_enum(b));
}

static bool essential_names_equal(const char *a, const char *b)
{
	size_t la = core_essential_name_len(a), lb = core_essential_name_len(b);

	return la == lb && strncmp(a, b, la) == 0;
}

/* ks is the minimizer's set over targ_btf; NULL when only deciding. */
static void mark_chain(struct keep_set *ks, __u32 id)
{
	if (ks)
		keep_chain(ks, id);
}

/* libbpf 1.1's bpf_core_fields_are_compat(). */
int core_fields_are_compat(const struct btf *local_btf, __u32 local_id,
			   const struct btf *targ_btf, __u32 targ_id)
{
	const struct btf_type *lt, *tt;
	int depth = 0;

	for (;;) {
		lt = btf_skip_mods(local_btf, local_id, &local_id);
		tt = btf_skip_mods(targ_btf, targ_id, &targ_id);
		if (!lt || !tt || ++depth > BTF_CHAIN_MAX)
			return -EINVAL;
		if (btf_is_composite(lt) && btf_is_composite(tt))
			return 1;
		if (!kinds_compat(lt, tt))
			return 0;
		switch (btf_kind(lt)) {
		case BTF_KIND_PTR:
		case BTF_KIND_FLOAT:
			return 1;
		case BTF_KIND_FWD:
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64: {
			const char *ln = btf_str(local_btf, lt->name_off);
			const char *tn = btf_str(targ_btf, tt->name_off);

			/* either anonymous, or equal names without flavors */
			return core_essential_name_len(ln) == 0 ||
			       core_essential_name_len(tn) == 0 || essential_names_equal(ln, tn);
		}
		case BTF_KIND_INT:
			/* reject only the deprecated bitfield-like ints */
			return btf_int_offset(lt) == 0 && btf_int_offset(tt) == 0;
		case BTF_KIND_ARRAY:
			local_id = btf_array(lt)->type;
			targ_id = btf_array(tt)->type;
			continue;
		default:
			return 0;
		}
	}
}

static int types_are_compat(const struct btf *local_btf, __u32 local_id,
			    const struct btf *targ_btf, __u32 targ_id, int level,
			    struct keep_set *ks);

static int protos_are_compat(const struct btf *local_btf, const struct btf_type *lt,
			     const struct btf *targ_btf, const struct btf_type *tt, int level,
			     struct keep_set *ks)
{
	const struct btf_param *lp = btf_params(lt), *tp = btf_params(tt);
	__u16 vlen = btf_vlen(lt);
	__u32 lid, tid;
	int i, ret;

	if (vlen != btf_vlen(tt))
		return 0;
	for (i = 0; i < vlen; i++, lp++, tp++) {
		if (level <= 0)
			return -EINVAL;
		mark_chain(ks, tp->type);
		btf_skip_mods(local_btf, lp->type, &lid);
		btf_skip_mods(targ_btf, tp->type, &tid);
		ret = types_are_compat(local_btf, lid, targ_btf, tid, level - 1, ks);
		if (ret <= 0)
			return ret;
	}
	return 1;
}

/* One step of both walks (libbpf 1.1 loops the same way in
 * __bpf_core_types_are_compat() and __bpf_core_types_match()): keep the
 * target's modifier chain, skip modifiers and typedefs on both sides.
 * Nonzero past the depth limit or on an id that is not there.
 */
static int skip_both(const struct btf *local_btf, __u32 *local_id, const struct btf_type **lt,
		     const struct btf *targ_btf, __u32 *targ_id, const struct btf_type **tt,
		     int *depth, struct keep_set *ks)
{
	if (--*depth < 0)
		return -EINVAL;
	mark_chain(ks, *targ_id);
	*lt = btf_skip_mods(local_btf, *local_id, local_id);
	*tt = btf_skip_mods(targ_btf, *targ_id, targ_id);
	return *lt && *tt ? 0 : -EINVAL;
}

/* libbpf 1.1's __bpf_core_types_are_compat(). */
static int types_are_compat(const struct btf *local_btf, __u32 local_id,
			    const struct btf *targ_btf, __u32 targ_id, int level,
			    struct keep_set *ks)
{
	const struct btf_type *lt, *tt;
	int depth = COMPAT_MAX_DEPTH, ret;

	lt = btf__type_by_id(local_btf, local_id);
	tt = btf__type_by_id(targ_btf, targ_id);
	if (!lt || !tt)
		return -EINVAL;
	if (!kinds_compat(lt, tt))
		return 0;
	for (;;) {
		if (skip_both(local_btf, &local_id, &lt, targ_btf, &targ_id, &tt, &depth, ks))
			return -EINVAL;
		if (!kinds_compat(lt, tt))
			return 0;
		switch (btf_kind(lt)) {
		case BTF_KIND_UNKN:
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
		case BTF_KIND_ENUM:
		case BTF_KIND_FWD:
		case BTF_KIND_ENUM64:
			return 1;
		case BTF_KIND_INT:
			return btf_int_offset(lt) == 0 && btf_int_offset(tt) == 0;
		case BTF_KIND_PTR:
			if (ks)
				keep_pointee(ks, targ_id);
			local_id = lt->type;
			targ_id = tt->type;
			continue;
		case BTF_KIND_ARRAY:
			local_id = btf_array(lt)->type;
			targ_id = btf_array(tt)->type;
			continue;
		case BTF_KIND_FUNC_PROTO:
			ret = protos_are_compat(local_btf, lt, targ_btf, tt, level, ks);
			if (ret <= 0)
				return ret;
			/* then the return type, as a tail step */
			btf_skip_mods(local_btf, lt->type, &local_id);
			mark_chain(ks, tt->type);
			btf_skip_mods(targ_btf, tt->type, &targ_id);
			continue;
		default:
			return 0;
		}
	}
}

int core_types_are_compat(const struct btf *local_btf, __u32 local_id,
			  const struct btf *targ_btf, __u32 targ_id, struct keep_set *ks)
{
	return types_are_compat(local_btf, local_id, targ_btf, targ_id, COMPAT_MAX_LEVEL, ks);
}

/* libbpf 1.1's bpf_core_names_match(): empty target matches only empty local. */
static bool names_match(const struct btf *local_btf, __u32 local_off,
			const struct btf *targ_btf, __u32 targ_off)
{
	const char *ln = btf_str(local_btf, local_off);
	const char *tn = btf_str(targ_btf, targ_off);

	if (str_empty(tn))
		return str_empty(ln);
	return essential_names_equal(ln ? ln : "", tn);
}

static __u32 enumerator_name_off(const struct btf_type *t, int i)
{
	return btf_is_enum(t) ? btf_enum(t)[i].name_off : btf_enum64(t)[i].name_off;
}

/* libbpf 1.1's bpf_core_enums_match(). */
static int enums_match(const struct btf *local_btf, const struct btf_type *lt,
		       const struct btf *targ_btf, const struct btf_type *tt)
{
	__u16 lvlen = btf_vlen(lt), tvlen = btf_vlen(tt);
	int i, j;

	if (lt->size != tt->size || lvlen > tvlen)
		return 0;
	for (i = 0; i < lvlen; i++) {
		__u32 loff = enumerator_name_off(lt, i);

		for (j = 0; j < tvlen; j++) {
			if (names_match(local_btf, loff, targ_btf, enumerator_name_off(tt, j)))
				break;
		}
		if (j == tvlen)
			return 0;
	}
	return 1;
}

static int types_match(const struct btf *local_btf, __u32 local_id,
		       const struct btf *targ_btf, __u32 targ_id, bool behind_ptr, int level,
		       struct keep_set *ks);

/* With matched members marked, a minimized target must still have at least
 * as many members as the local type (libbpf compares the counts first);
 * keep more, in order, when two local members matched the same target one.
 */
static void keep_member_quota(struct keep_set *ks, __u32 targ_id, const struct btf_type *tt,
			      __u16 quota)
{
	__u16 i;

	for (i = 0; i < btf_vlen(tt) && keep_member_count(ks, targ_id) < quota; i++)
		keep_member(ks, targ_id, i);
}

/* libbpf 1.1's bpf_core_composites_match(). */
static int composites_match(const struct btf *local_btf, const struct btf_type *lt,
			    const struct btf *targ_btf, __u32 targ_id, const struct btf_type *tt,
			    bool behind_ptr, int level, struct keep_set *ks)
{
	const struct btf_member *lm = btf_members(lt);
	__u16 lvlen = btf_vlen(lt), tvlen = btf_vlen(tt);
	int i, j, ret;

	if (lvlen > tvlen)
		return 0;
	for (i = 0; i < lvlen; i++, lm++) {
		const struct btf_member *tm = btf_members(tt);
		bool matched = false;

		for (j = 0; j < tvlen; j++, tm++) {
			if (!names_match(local_btf, lm->name_off, targ_btf, tm->name_off))
				continue;
			if (ks)
				keep_member(ks, targ_id, (__u32)j);
			ret = types_match(local_btf, lm->type, targ_btf, tm->type, behind_ptr,
					  level - 1, ks);
			if (ret < 0)
				return ret;
			if (ret > 0) {
				matched = true;
				break;
			}
		}
		if (!matched)
			return 0;
	}
	if (ks)
		keep_member_quota(ks, targ_id, tt, lvlen);
	return 1;
}

static int fwd_match(const struct btf_type *lt, const struct btf_type *tt, bool behind_ptr)
{
	bool local_union = btf_kflag(lt);

	if (behind_ptr && !btf_is_fwd(tt))
		return (btf_is_struct(tt) && !local_union) || (btf_is_union(tt) && local_union);
	return btf_is_fwd(tt) && local_union == btf_kflag(tt);
}

/* libbpf 1.1's __bpf_core_types_match(). */
static int types_match(const struct btf *local_btf, __u32 local_id,
		       const struct btf *targ_btf, __u32 targ_id, bool behind_ptr, int level,
		       struct keep_set *ks)
{
	const struct btf_type *lt, *tt;
	int depth = COMPAT_MAX_DEPTH, i, ret;

	if (level <= 0)
		return -EINVAL;
	for (;;) {
		if (skip_both(local_btf, &local_id, &lt, targ_btf, &targ_id, &tt, &depth, ks))
			return -EINVAL;
		if (!names_match(local_btf, lt->name_off, targ_btf, tt->name_off))
			return 0;

		switch (btf_kind(lt)) {
		case BTF_KIND_UNKN:
			return btf_kind(tt) == BTF_KIND_UNKN;
		case BTF_KIND_FWD:
			return fwd_match(lt, tt, behind_ptr);
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
			if (!btf_is_any_enum(tt))
				return 0;
			if (ks)
				keep_all_members(ks, targ_id);
			return enums_match(local_btf, lt, targ_btf, tt);
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
			if (behind_ptr) {
				if (btf_kind(lt) == btf_kind(tt))
					return 1;
				if (!btf_is_fwd(tt))
					return 0;
				return btf_is_union(lt) == btf_kflag(tt);
			}
			if (btf_kind(lt) != btf_kind(tt))
				return 0;
			return composites_match(local_btf, lt, targ_btf, targ_id, tt, behind_ptr,
						level, ks);
		case BTF_KIND_INT:
			if (!btf_is_int(tt))
				return 0;
			return lt->size == tt->size &&
			       (btf_int_encoding(lt) & BTF_INT_SIGNED) ==
				       (btf_int_encoding(tt) & BTF_INT_SIGNED);
		case BTF_KIND_PTR:
			if (!btf_is_ptr(tt))
				return 0;
			if (ks)
				keep_pointee(ks, targ_id);
			behind_ptr = true;
			local_id = lt->type;
			targ_id = tt->type;
			continue;
		case BTF_KIND_ARRAY:
			if (!btf_is_array(tt) || btf_array(lt)->nelems != btf_array(tt)->nelems)
				return 0;
			local_id = btf_array(lt)->type;
			targ_id = btf_array(tt)->type;
			continue;
		case BTF_KIND_FUNC_PROTO: {
			const struct btf_param *lp = btf_params(lt), *tp = btf_params(tt);

			if (!btf_is_func_proto(tt) || btf_vlen(lt) != btf_vlen(tt))
				return 0;
			for (i = 0; i < btf_vlen(lt); i++, lp++, tp++) {
				ret = types_match(local_btf, lp->type, targ_btf, tp->type,
						  behind_ptr, level - 1, ks);
				if (ret <= 0)
					return ret;
			}
			local_id = lt->type;
			targ_id = tt->type;
			continue;
		}
		default:
			return 0;
		}
	}
}

int core_types_match(const struct btf *local_btf, __u32 local_id,
		     const struct btf *targ_btf, __u32 targ_id, struct keep_set *ks)
{
	return types_match(local_btf, local_id, targ_btf, targ_id, false, COMPAT_MAX_LEVEL, ks);
}
