/* SPDX-License-Identifier: MIT */
/* Host-endian integers at any alignment in a byte buffer: file formats
 * (BTF.ext records, cache entries) are read and written through memcpy so
 * an unaligned field is never dereferenced.
 */
#ifndef BTFPACK_BASE_BYTES_H
#define BTFPACK_BASE_BYTES_H

#include <stdint.h>
#include <string.h>

static inline uint16_t bp_get_u16(const unsigned char *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t bp_get_u32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint64_t bp_get_u64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline void bp_put_u32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static inline void bp_put_u64(unsigned char *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

#endif
