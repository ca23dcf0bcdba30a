// SPDX-License-Identifier: MIT
/* Relocation values: what libbpf patches into the instruction for a local
 * spec and a target spec (or for "no target"), per relocation kind.
 */
#include <errno.h>
#include <stdio.h>

#include "core/btf_util.h"
#include "core/relo_internal.h"

/* libbpf signals "poison the instruction" internally with EUCLEAN. */
#define RELO_POISON EUCLEAN

static bool field_is_signed(const struct btf_type *mt)
{
	/* libbpf 1.1 reads btf_int_encoding() of any kind here; for non-ints
	 * that reads the next record's bytes, which are below 2^24 in any BTF
	 * with less than 16 MiB of strings, i.e. "unsigned". We state it.
	 */
	if (btf_is_any_enum(mt))
		return btf_kflag(mt);
	return btf_is_int(mt) && (btf_int_encoding(mt) & BTF_INT_SIGNED);
}

/* Array element accessor at the end of the spec ("a[n]"). */
static int calc_array_elem(const struct core_relo *relo, const struct core_spec *spec,
			   const struct core_accessor *acc, __u64 *val, __u32 *field_sz,
			   __u32 *type_id, bool *validate, char *reason, size_t rsize)
{
	__s64 sz;

	if (relo->kind != CORE_FIELD_BYTE_OFFSET && relo->kind != CORE_FIELD_BYTE_SIZE) {
		snprintf(reason, rsize, "relo %u at insn #%u can't be applied to array access",
			 relo->kind, relo->insn_off / 8);
		return -EINVAL;
	}
	sz = btf__resolve_size(spec->btf, acc->type_id);
	if (sz < 0)
		return -EINVAL;
	if (relo->kind == CORE_FIELD_BYTE_OFFSET) {
		*val = spec->bit_offset / 8;
		*field_sz = (__u32)sz;
		*type_id = acc->type_id;
	} else {
		*val = (__u64)sz;
	}
	if (validate)
		*validate = true;
	return 0;
}

/* The smallest aligned load that covers a bitfield, starting from the size
 * word of its type (for a pointer that word is the pointee's id, which is
 * what libbpf 1.1 uses too).
 */
static int bitfield_load(const struct core_relo *relo, const struct btf_type *mt,
			 __u32 bit_off, __u32 bit_sz, __u32 *byte_off, __u32 *byte_sz,
			 char *reason, size_t rsize)
{
	*byte_sz = mt->size;
	if (*byte_sz == 0)
		return -EINVAL; /* libbpf would divide by zero */
	*byte_off = bit_off / 8 / *byte_sz * *byte_sz;
	while (bit_off + bit_sz - *byte_off * 8 > *byte_sz * 8) {
		if (*byte_sz >= 8) {
			snprintf(reason, rsize, "relo %u at insn #%u can't be satisfied for bitfield",
				 relo->kind, relo->insn_off / 8);
			return -E2BIG;
		}
		*byte_sz *= 2;
		*byte_off = bit_off / 8 / *byte_sz * *byte_sz;
	}
	return 0;
}

/* libbpf 1.1's bpf_core_calc_field_relo(). */
static int calc_field(const struct core_relo *relo, const struct core_spec *spec,
		      __u64 *val, __u32 *field_sz, __u32 *type_id, bool *validate,
		      char *reason, size_t rsize)
{
	__u32 byte_off, byte_sz, bit_off, bit_sz, field_type_id;
	const struct core_accessor *acc;
	const struct btf_type *t, *mt;
	const struct btf_member *m;
	bool bitfield;
	__s64 sz;

	*field_sz = 0;
	if (relo->kind == CORE_FIELD_EXISTS) {
		*val = spec ? 1 : 0;
		return 0;
	}
	if (!spec)
		return -RELO_POISON;

	acc = &spec->spec[spec->len - 1];
	if (!acc->name)
		return calc_array_elem(relo, spec, acc, val, field_sz, type_id, validate, reason,
				       rsize);

	t = btf__type_by_id(spec->btf, acc->type_id);
	m = btf_members(t) + acc->idx;
	mt = btf_skip_mods(spec->btf, m->type, &field_type_id);
	if (!mt)
		return -EINVAL;
	bit_off = spec->bit_offset;
	bit_sz = btf_member_bitfield_size(t, acc->idx);
	bitfield = bit_sz > 0;
	if (bitfield) {
		int ret = bitfield_load(relo, mt, bit_off, bit_sz, &byte_off, &byte_sz, reason,
					rsize);

		if (ret)
			return ret;
	} else {
		sz = btf__resolve_size(spec->btf, field_type_id);
		if (sz < 0)
			return -EINVAL;
		byte_sz = (__u32)sz;
		byte_off = spec->bit_offset / 8;
		bit_sz = byte_sz * 8;
	}

	/* bitfield values may legitimately differ from the compiler's guess */
	if (validate)
		*validate = !bitfield;

	switch (relo->kind) {
	case CORE_FIELD_BYTE_OFFSET:
		*val = byte_off;
		if (!bitfield) {
			*field_sz = byte_sz;
			*type_id = field_type_id;
		}
		return 0;
	case CORE_FIELD_BYTE_SIZE:
		*val = byte_sz;
		return 0;
	case CORE_FIELD_SIGNED:
		*val = field_is_signed(mt);
		if (validate)
			*validate = true;
		return 0;
	case CORE_FIELD_LSHIFT_U64:
		/* BPF is little-endian for every target we relocate for */
		*val = 64 - (bit_off + bit_sz - byte_off * 8);
		return 0;
	case CORE_FIELD_RSHIFT_U64:
		*val = 64 - bit_sz;
		if (validate)
			*validate = true;
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/* libbpf 1.1's bpf_core_calc_type_relo(). */
static int calc_type(const struct core_relo *relo, const struct core_spec *spec,
		     __u64 *val, bool *validate)
{
	__s64 sz;

	if (validate)
		*validate = true;
	if (!spec) {
		*val = 0;
		return 0;
	}
	switch (relo->kind) {
	case CORE_TYPE_ID_TARGET:
		*val = spec->root_type_id;
		if (validate)
			*validate = false; /* ids change at link time */
		return 0;
	case CORE_TYPE_EXISTS:
	case CORE_TYPE_MATCHES:
		*val = 1;
		return 0;
	case CORE_TYPE_SIZE:
		sz = btf__resolve_size(spec->btf, spec->root_type_id);
		if (sz < 0)
			return -EINVAL;
		*val = (__u64)sz;
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/* libbpf 1.1's bpf_core_calc_enumval_relo(). */
static int calc_enumval(const struct core_relo *relo, const struct core_spec *spec,
			__u64 *val)
{
	const struct btf_type *t;

	switch (relo->kind) {
	case CORE_ENUMVAL_EXISTS:
		*val = spec ? 1 : 0;
		return 0;
	case CORE_ENUMVAL_VALUE:
		if (!spec)
			return -RELO_POISON;
		t = btf__type_by_id(spec->btf, spec->spec[0].type_id);
		if (btf_is_enum(t))
			*val = (__u64)(__s64)btf_enum(t)[spec->spec[0].idx].val;
		else
			*val = btf_enum64_value(btf_enum64(t) + spec->spec[0].idx);
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/* Loads of another size are only safe for pointers and unsigned ints. */
static bool memsz_adjust_ok(const struct core_spec *local_spec,
			    const struct core_spec *targ_spec, const struct core_relo_res *res)
{
	const struct btf_type *orig_t, *new_t;

	orig_t = btf__type_by_id(local_spec->btf, res->orig_type_id);
	new_t = btf__type_by_id(targ_spec->btf, res->new_type_id);
	if (!orig_t || !new_t)
		return false;
	if (btf_is_ptr(orig_t) && btf_is_ptr(new_t))
		return true;
	return btf_is_int(orig_t) && btf_is_int(new_t) &&
	       btf_int_encoding(orig_t) != BTF_INT_SIGNED &&
	       btf_int_encoding(new_t) != BTF_INT_SIGNED;
}

/* libbpf 1.1's bpf_core_calc_relo(). */
int core_calc_relo(const struct core_relo *relo, const struct core_spec *local_spec,
		   const struct core_spec *targ_spec, struct core_relo_res *res,
		   char *reason, size_t reason_size)
{
	enum core_kind kind = (enum core_kind)relo->kind;
	int ret = -EOPNOTSUPP;

	*res = (struct core_relo_res){ .validate = true };

	if (core_kind_is_field(kind)) {
		ret = calc_field(relo, local_spec, &res->orig_val, &res->orig_sz,
				 &res->orig_type_id, &res->validate, reason, reason_size);
		if (!ret)
			ret = calc_field(relo, targ_spec, &res->new_val, &res->new_sz,
					 &res->new_type_id, NULL, reason, reason_size);
		if (!ret && res->orig_sz != res->new_sz)
			res->fail_memsz_adjust = !memsz_adjust_ok(local_spec, targ_spec, res);
	} else if (core_kind_is_type(kind)) {
		ret = calc_type(relo, local_spec, &res->orig_val, &res->validate);
		if (!ret)
			ret = calc_type(relo, targ_spec, &res->new_val, NULL);
	} else if (core_kind_is_enumval(kind)) {
		ret = calc_enumval(relo, local_spec, &res->orig_val);
		if (!ret)
			ret = calc_enumval(relo, targ_spec, &res->new_val);
	}

	if (ret == -RELO_POISON) {
		res->poison = true;
		ret = 0;
	} else if (ret == -EOPNOTSUPP) {
		snprintf(reason, reason_size, "unrecognized CO-RE relocation %s (%u) at insn #%u",
			 core_kind_str(kind), relo->kind, relo->insn_off / 8);
	}
	return ret;
}
