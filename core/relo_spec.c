// SPDX-License-Identifier: MIT
/* Access specs: parse a local access string ("0:1:2") into a spec, and match
 * a local spec against a target candidate type.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "core/btf_util.h"
#include "core/cand_index.h"
#include "core/relo_internal.h"

/* A zero-length array that is the last member of its struct can be indexed
 * past its end (libbpf 1.1's is_flex_arr()).
 */
static bool is_flex_arr(const struct btf *btf, const struct core_accessor *acc,
			const struct btf_array *arr)
{
	const struct btf_type *t;

	if (!acc->name || arr->nelems > 0)
		return false;
	t = btf__type_by_id(btf, acc->type_id);
	return t && acc->idx == (__u32)btf_vlen(t) - 1;
}

/* One "%d" of libbpf's sscanf loop; negative or overflowing indices, which
 * libbpf would go on to use out of bounds, are rejected.
 */
static int parse_index(const char **s, int *out)
{
	const char *p = *s;
	long long v = 0;

	while (isspace((unsigned char)*p))
		p++;
	if (*p == '+')
		p++;
	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		v = v * 10 + (*p - '0');
		if (v > INT_MAX)
			return -EINVAL;
	}
	*out = (int)v;
	*s = p;
	return 0;
}

/* Spec accessors for a field relocation: libbpf 1.1's bpf_core_parse_spec(). */
static int parse_field_steps(const struct btf *btf, struct core_spec *spec, __u32 id)
{
	struct core_accessor *acc;
	const struct btf_type *t;
	__s64 sz;
	int i;

	sz = btf__resolve_size(btf, id);
	if (sz < 0)
		return (int)sz;
	spec->bit_offset = (__u32)((__u64)spec->raw_spec[0] * (__u64)sz * 8);

	for (i = 1; i < spec->raw_len; i++) {
		__u32 access_idx = (__u32)spec->raw_spec[i];

		t = btf_skip_mods(btf, id, &id);
		if (!t)
			return -EINVAL;
		acc = &spec->spec[spec->len];
		if (btf_is_composite(t)) {
			const struct btf_member *m;
			const char *name;

			if (access_idx >= btf_vlen(t))
				return -EINVAL;
			spec->bit_offset += btf_member_bit_offset(t, access_idx);
			m = btf_members(t) + access_idx;
			if (m->name_off) {
				name = btf_str(btf, m->name_off);
				if (str_empty(name))
					return -EINVAL;
				acc->type_id = id;
				acc->idx = access_idx;
				acc->name = name;
				spec->len++;
			}
			id = m->type;
		} else if (btf_is_array(t)) {
			const struct btf_array *a = btf_array(t);
			bool flex;

			t = btf_skip_mods(btf, a->type, &id);
			if (!t)
				return -EINVAL;
			flex = is_flex_arr(btf, acc - 1, a);
			if (!flex && access_idx >= a->nelems)
				return -EINVAL;
			spec->spec[spec->len].type_id = id;
			spec->spec[spec->len].idx = access_idx;
			spec->spec[spec->len].name = NULL;
			spec->len++;
			sz = btf__resolve_size(btf, id);
			if (sz < 0)
				return (int)sz;
			spec->bit_offset += (__u32)((__u64)access_idx * (__u64)sz * 8);
		} else {
			return -EINVAL;
		}
	}
	return 0;
}

int core_parse_spec(const struct btf *btf, const struct core_relo *relo,
		    struct core_spec *spec)
{
	const struct btf_type *t;
	const char *str;
	__u32 id;
	int idx, ret;

	str = btf_str(btf, relo->access_str_off);
	if (str_empty(str) || *str == ':')
		return -EINVAL;

	memset(spec, 0, sizeof(*spec));
	spec->btf = btf;
	spec->root_type_id = relo->type_id;
	spec->kind = (enum core_kind)relo->kind;

	/* type-based relocations carry no access path */
	if (core_kind_is_type(spec->kind))
		return strcmp(str, "0") ? -EINVAL : 0;

	while (*str) {
		if (*str == ':')
			++str;
		ret = parse_index(&str, &idx);
		if (ret)
			return ret;
		if (spec->raw_len == CORE_SPEC_MAX_LEN)
			return -E2BIG;
		spec->raw_spec[spec->raw_len++] = idx;
	}
	if (spec->raw_len == 0)
		return -EINVAL;

	t = btf_skip_mods(btf, relo->type_id, &id);
	if (!t)
		return -EINVAL;
	idx = spec->raw_spec[0];
	spec->spec[0].type_id = id;
	spec->spec[0].idx = (__u32)idx;
	spec->len++;

	if (core_kind_is_enumval(spec->kind)) {
		__u32 name_off;

		if (!btf_is_any_enum(t) || spec->raw_len > 1 || idx >= btf_vlen(t))
			return -EINVAL;
		name_off = btf_is_enum(t) ? btf_enum(t)[idx].name_off
					  : btf_enum64(t)[idx].name_off;
		spec->spec[0].name = btf_str(btf, name_off);
		return 0;
	}
	if (!core_kind_is_field(spec->kind))
		return -EINVAL;
	return parse_field_steps(btf, spec, id);
}

/* Find the target member a local named accessor refers to, searching
 * anonymous members depth-first: libbpf 1.1's bpf_core_match_member().
 */
static int match_member(const struct btf *local_btf, const struct core_accessor *local_acc,
			const struct btf *targ_btf, __u32 targ_id,
			struct core_spec *spec, __u32 *next_targ_id)
{
	const struct btf_member *local_member, *m;
	const struct btf_type *local_type, *targ_type;
	const char *local_name;
	int i, n, found;

	targ_type = btf_skip_mods(targ_btf, targ_id, &targ_id);
	if (!targ_type)
		return -EINVAL;
	if (!btf_is_composite(targ_type))
		return 0;

	local_type = btf__type_by_id(local_btf, local_acc->type_id);
	local_member = btf_members(local_type) + local_acc->idx;
	local_name = btf_str(local_btf, local_member->name_off);

	n = btf_vlen(targ_type);
	m = btf_members(targ_type);
	for (i = 0; i < n; i++, m++) {
		__u32 bit_offset = btf_member_bit_offset(targ_type, i);
		const char *targ_name;

		if (spec->raw_len == CORE_SPEC_MAX_LEN)
			return -E2BIG;
		/* speculate this member is the one */
		spec->bit_offset += bit_offset;
		spec->raw_spec[spec->raw_len++] = i;

		targ_name = btf_str(targ_btf, m->name_off);
		if (str_empty(targ_name)) {
			found = match_member(local_btf, local_acc, targ_btf, m->type, spec,
					     next_targ_id);
			if (found)
				return found;
		} else if (strcmp(local_name, targ_name) == 0) {
			struct core_accessor *targ_acc = &spec->spec[spec->len++];

			targ_acc->type_id = targ_id;
			targ_acc->idx = (__u32)i;
			targ_acc->name = targ_name;
			*next_targ_id = m->type;
			found = core_fields_are_compat(local_btf, local_member->type, targ_btf,
						       m->type);
			if (!found)
				spec->len--;
			return found;
		}
		spec->bit_offset -= bit_offset;
		spec->raw_len--;
	}
	return 0;
}

static int match_enumval(const struct core_spec *local_spec, __u32 targ_id,
			 struct core_spec *targ_spec)
{
	const struct core_accessor *local_acc = &local_spec->spec[0];
	const struct btf *targ_btf = targ_spec->btf;
	const struct btf_type *targ_type;
	size_t local_len;
	int i;

	targ_type = btf_skip_mods(targ_btf, targ_id, &targ_id);
	if (!targ_type || !btf_is_any_enum(targ_type))
		return 0;
	local_len = core_essential_name_len(local_acc->name);
	for (i = 0; i < btf_vlen(targ_type); i++) {
		__u32 name_off = btf_is_enum(targ_type) ? btf_enum(targ_type)[i].name_off
							: btf_enum64(targ_type)[i].name_off;
		const char *targ_name = btf_str(targ_btf, name_off);

		if (core_essential_name_len(targ_name) != local_len ||
		    strncmp(local_acc->name, targ_name, local_len) != 0)
			continue;
		targ_spec->spec[0].type_id = targ_id;
		targ_spec->spec[0].idx = (__u32)i;
		targ_spec->spec[0].name = targ_name;
		targ_spec->len++;
		targ_spec->raw_spec[targ_spec->raw_len++] = i;
		return 1;
	}
	return 0;
}

/* Step into an array for a local array accessor (not the first one, which
 * indexes the root pointer).
 */
static int match_array_step(const struct btf *targ_btf, const struct btf_type *targ_type,
			    const struct core_accessor *prev_targ_acc, __u32 local_idx,
			    __u32 *targ_id)
{
	const struct btf_array *a;

	if (!btf_is_array(targ_type))
		return 0;
	a = btf_array(targ_type);
	if (!is_flex_arr(targ_btf, prev_targ_acc, a) && local_idx >= a->nelems)
		return 0;
	if (!btf_skip_mods(targ_btf, a->type, targ_id))
		return -EINVAL;
	return 1;
}

/* libbpf 1.1's bpf_core_spec_match(). */
int core_spec_match(const struct core_spec *local_spec, const struct btf *targ_btf,
		    __u32 targ_id, struct core_spec *targ_spec)
{
	const struct core_accessor *local_acc;
	struct core_accessor *targ_acc;
	const struct btf_type *targ_type;
	int i, ret;
	__s64 sz;

	memset(targ_spec, 0, sizeof(*targ_spec));
	targ_spec->btf = targ_btf;
	targ_spec->root_type_id = targ_id;
	targ_spec->kind = local_spec->kind;

	if (core_kind_is_type(local_spec->kind)) {
		if (local_spec->kind == CORE_TYPE_MATCHES)
			return core_types_match(local_spec->btf, local_spec->root_type_id,
						targ_btf, targ_id, NULL);
		return core_types_are_compat(local_spec->btf, local_spec->root_type_id,
					     targ_btf, targ_id, NULL);
	}
	if (core_kind_is_enumval(local_spec->kind))
		return match_enumval(local_spec, targ_id, targ_spec);
	if (!core_kind_is_field(local_spec->kind))
		return -EINVAL;

	local_acc = &local_spec->spec[0];
	targ_acc = &targ_spec->spec[0];
	for (i = 0; i < local_spec->len; i++, local_acc++, targ_acc++) {
		targ_type = btf_skip_mods(targ_btf, targ_id, &targ_id);
		if (!targ_type)
			return -EINVAL;
		if (local_acc->name) {
			ret = match_member(local_spec->btf, local_acc, targ_btf, targ_id,
					   targ_spec, &targ_id);
			if (ret <= 0)
				return ret;
			continue;
		}
		/* the first array accessor indexes the root pointer itself */
		if (i > 0) {
			ret = match_array_step(targ_btf, targ_type, targ_acc - 1,
					       local_acc->idx, &targ_id);
			if (ret <= 0)
				return ret;
		}
		if (targ_spec->raw_len == CORE_SPEC_MAX_LEN)
			return -E2BIG;
		targ_acc->type_id = targ_id;
		targ_acc->idx = local_acc->idx;
		targ_acc->name = NULL;
		targ_spec->len++;
		targ_spec->raw_spec[targ_spec->raw_len++] = (int)targ_acc->idx;
		sz = btf__resolve_size(targ_btf, targ_id);
		if (sz < 0)
			return (int)sz;
		targ_spec->bit_offset += (__u32)((__u64)local_acc->idx * (__u64)sz * 8);
	}
	return 1;
}
