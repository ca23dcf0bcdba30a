// SPDX-License-Identifier: MIT
/* The build cache's entry format (batch/cache_entry.h). Fields are in host
 * byte order: an entry of another byte order reads as another format.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "batch/cache_entry.h"

static const char magic[8] = { 'b', 't', 'f', 'p', 'k', 'c', '\r', '\n' };

/* Offsets in the header. */
enum {
	OFF_FORMAT = 8,
	OFF_KIND = 12,
	OFF_KEY = 16,
	OFF_SIZE = 32,
	OFF_SUM = 40,	/* the checksum covers everything else */
	OFF_END = 56,	/* 8 zero bytes to CACHE_HDR_SIZE */
};

static void put_u32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void put_u64(unsigned char *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

static uint32_t get_u32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t get_u64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* xxh3-128 of the header without its checksum field, then the payload. */
static int checksum(const unsigned char *hdr, const void *payload, size_t size,
		    struct bp_hash *out)
{
	struct bp_hasher *h = bp_hasher_new();

	if (!h)
		return -ENOMEM;
	bp_hasher_update(h, hdr, OFF_SUM);
	bp_hasher_update(h, hdr + OFF_END, CACHE_HDR_SIZE - OFF_END);
	bp_hasher_update(h, payload, size);
	bp_hasher_final(h, out);
	return 0;
}

int cache_entry_encode(enum cache_kind kind, const struct bp_hash *key, const void *payload,
		       size_t size, void **out, size_t *out_size)
{
	unsigned char *buf;
	struct bp_hash sum;

	*out = NULL;
	if (size > SIZE_MAX - CACHE_HDR_SIZE)
		return -ENOMEM;
	buf = calloc(1, CACHE_HDR_SIZE + size);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, magic, sizeof(magic));
	put_u32(buf + OFF_FORMAT, CACHE_FORMAT);
	put_u32(buf + OFF_KIND, kind);
	put_u64(buf + OFF_KEY, key->high);
	put_u64(buf + OFF_KEY + 8, key->low);
	put_u64(buf + OFF_SIZE, size);
	if (size)
		memcpy(buf + CACHE_HDR_SIZE, payload, size);
	if (checksum(buf, buf + CACHE_HDR_SIZE, size, &sum)) {
		free(buf);
		return -ENOMEM;
	}
	put_u64(buf + OFF_SUM, sum.high);
	put_u64(buf + OFF_SUM + 8, sum.low);
	*out = buf;
	*out_size = CACHE_HDR_SIZE + size;
	return 0;
}

int cache_entry_decode(const void *buf, size_t size, enum cache_kind kind,
		       const struct bp_hash *key, const void **payload, size_t *payload_size)
{
	const unsigned char *p = buf;
	struct bp_hash sum;
	uint64_t len;

	if (size < CACHE_HDR_SIZE || memcmp(p, magic, sizeof(magic)))
		return -EBADMSG;
	if (get_u32(p + OFF_FORMAT) != CACHE_FORMAT)
		return -ESTALE;
	len = get_u64(p + OFF_SIZE);
	if (get_u32(p + OFF_KIND) != kind || len != size - CACHE_HDR_SIZE ||
	    get_u64(p + OFF_KEY) != key->high || get_u64(p + OFF_KEY + 8) != key->low)
		return -EBADMSG;
	if (checksum(p, p + CACHE_HDR_SIZE, (size_t)len, &sum))
		return -ENOMEM;
	if (get_u64(p + OFF_SUM) != sum.high || get_u64(p + OFF_SUM + 8) != sum.low)
		return -EBADMSG;
	*payload = p + CACHE_HDR_SIZE;
	*payload_size = (size_t)len;
	return 0;
}
