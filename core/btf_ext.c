// SPDX-License-Identifier: MIT
/* .BTF.ext layout (all little-endian here; big-endian objects are refused
 * before we get here):
 *   header: u16 magic 0xeB9F, u8 version 1, u8 flags, u32 hdr_len,
 *           u32 func_info_off/len, u32 line_info_off/len,
 *           [u32 core_relo_off/len when hdr_len >= 32]
 *   core_relo data (offset relative to the end of the header):
 *           u32 rec_size, then per program section
 *           { u32 sec_name_off; u32 num_info; num_info records of rec_size }
 *   record: u32 insn_off, type_id, access_str_off, kind (+ future fields)
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>

#include "base/bytes.h"
#include "core/btf_ext.h"

#define BTF_EXT_MAGIC 0xeB9F
#define BTF_EXT_HDR_MIN 24
#define BTF_EXT_HDR_CORE 32
#define CORE_RELO_REC_MIN 16



/* Bytes [off, off+len) must lie inside [0, size). */
static bool in_bounds(size_t size, size_t off, size_t len)
{
	return off <= size && len <= size - off;
}

struct relo_cursor {
	const unsigned char *p;
	size_t left;
	const char *name;
	size_t secs_cap, relos_cap;	/* allocated room in obj's arrays */
};

/* arr with room for want elements, grown by doubling (one realloc per
 * element made 100k sections quadratic); NULL when out of memory, arr
 * then untouched.
 */
static void *reserve(void *arr, size_t *cap, size_t want, size_t elem)
{
	size_t n = *cap ? *cap : 16;
	void *p;

	if (want <= *cap && arr)
		return arr;
	while (n < want) {
		if (n > SIZE_MAX / 2)
			return NULL;
		n *= 2;
	}
	if (n > SIZE_MAX / elem)
		return NULL;
	p = realloc(arr, n * elem);
	if (p)
		*cap = n;
	return p;
}

static int add_section(struct relo_cursor *c, struct objfile *obj, const char *sec_name,
		       size_t num, struct bp_err *err)
{
	struct core_relo_sec *secs;

	secs = reserve(obj->secs, &c->secs_cap, obj->sec_cnt + 1, sizeof(*secs));
	if (!secs)
		return bp_err_set(err, ENOMEM, "%s: out of memory", obj->name);
	obj->secs = secs;
	secs[obj->sec_cnt].name = sec_name;
	secs[obj->sec_cnt].first = obj->relo_cnt;
	secs[obj->sec_cnt].count = num;
	obj->sec_cnt++;
	return 0;
}

static int read_section(struct relo_cursor *c, __u32 rec_size, struct objfile *obj,
			struct bp_err *err)
{
	const char *sec_name;
	struct core_relo *relos;
	__u32 name_off, num, i;
	int ret;

	if (c->left < 8)
		return bp_err_set(err, EINVAL,
				  "%s: .BTF.ext: CO-RE section header truncated (%zu bytes left)",
				  c->name, c->left);
	name_off = bp_get_u32(c->p);
	num = bp_get_u32(c->p + 4);
	c->p += 8;
	c->left -= 8;
	sec_name = btf__name_by_offset(obj->btf, name_off);
	if (!sec_name || !sec_name[0])
		return bp_err_set(err, EINVAL,
				  "%s: .BTF.ext: CO-RE section name offset %u is not a name in .BTF",
				  c->name, name_off);
	if (num == 0)
		return bp_err_set(err, EINVAL, "%s: .BTF.ext: CO-RE section '%s' has no records",
				  c->name, sec_name);
	if ((size_t)num > c->left / rec_size)
		return bp_err_set(err, EINVAL,
				  "%s: .BTF.ext: CO-RE section '%s' claims %u records of %u bytes, only %zu bytes left",
				  c->name, sec_name, num, rec_size, c->left);
	ret = add_section(c, obj, sec_name, num, err);
	if (ret)
		return ret;
	relos = reserve(obj->relos, &c->relos_cap, obj->relo_cnt + num, sizeof(*relos));
	if (!relos)
		return bp_err_set(err, ENOMEM, "%s: out of memory", obj->name);
	obj->relos = relos;
	for (i = 0; i < num; i++) {
		struct core_relo *r = &relos[obj->relo_cnt++];

		r->insn_off = bp_get_u32(c->p);
		r->type_id = bp_get_u32(c->p + 4);
		r->access_str_off = bp_get_u32(c->p + 8);
		r->kind = bp_get_u32(c->p + 12);
		c->p += rec_size;
		c->left -= rec_size;
	}
	return 0;
}

int btf_ext_read_core_relos(const void *data, size_t size, struct objfile *obj,
			    struct bp_err *err)
{
	const unsigned char *base = data;
	struct relo_cursor c = { .name = obj->name };
	__u32 hdr_len, off, len, rec_size;
	__u16 magic;
	int ret;

	if (size < BTF_EXT_HDR_MIN)
		return bp_err_set(err, EINVAL, "%s: .BTF.ext is truncated (%zu bytes)", obj->name,
				  size);
	magic = bp_get_u16(base);
	if (magic == 0x9FEB)
		return bp_err_set(err, ENOTSUP, "%s: .BTF.ext is big-endian, which is not supported",
				  obj->name);
	if (magic != BTF_EXT_MAGIC)
		return bp_err_set(err, EINVAL, "%s: .BTF.ext has bad magic 0x%04x", obj->name, magic);
	if (base[2] != 1)
		return bp_err_set(err, ENOTSUP, "%s: .BTF.ext version %u is not supported",
				  obj->name, base[2]);
	hdr_len = bp_get_u32(base + 4);
	if (hdr_len < BTF_EXT_HDR_MIN || hdr_len > size)
		return bp_err_set(err, EINVAL, "%s: .BTF.ext header length %u is invalid (section is %zu bytes)",
				  obj->name, hdr_len, size);
	if (hdr_len < BTF_EXT_HDR_CORE)
		return 0; /* written before CO-RE existed: no records */
	off = bp_get_u32(base + 24);
	len = bp_get_u32(base + 28);
	if (len == 0)
		return 0;
	if (!in_bounds(size - hdr_len, off, len))
		return bp_err_set(err, EINVAL,
				  "%s: .BTF.ext CO-RE data at %u+%u lies outside the %zu-byte section",
				  obj->name, off, len, size);
	c.p = base + hdr_len + off;
	c.left = len;
	if (c.left < 4)
		return bp_err_set(err, EINVAL, "%s: .BTF.ext CO-RE data is truncated", obj->name);
	rec_size = bp_get_u32(c.p);
	c.p += 4;
	c.left -= 4;
	if (rec_size < CORE_RELO_REC_MIN || rec_size % 4)
		return bp_err_set(err, EINVAL, "%s: .BTF.ext CO-RE record size %u is invalid",
				  obj->name, rec_size);
	while (c.left) {
		ret = read_section(&c, rec_size, obj, err);
		if (ret)
			return ret;
	}
	return 0;
}
