// SPDX-License-Identifier: MIT
/* The build cache's entry format (batch/cache_entry.h). Fields are in host
 * byte order: an entry of another byte order reads as another format.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
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
	bp_put_u32(buf + OFF_FORMAT, CACHE_FORMAT);
	bp_put_u32(buf + OFF_KIND, kind);
	bp_put_u64(buf + OFF_KEY, key->high);
	bp_put_u64(buf + OFF_KEY + 8, key->low);
	bp_put_u64(buf + OFF_SIZE, size);
	if (size)
		memcpy(buf + CACHE_HDR_SIZE, payload, size);
	if (checksum(buf, buf + CACHE_HDR_SIZE, size, &sum)) {
		free(buf);
		return -ENOMEM;
	}
	bp_put_u64(buf + OFF_SUM, sum.high);
	bp_put_u64(buf + OFF_SUM + 8, sum.low);
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
	if (bp_get_u32(p + OFF_FORMAT) != CACHE_FORMAT)
		return -ESTALE;
	len = bp_get_u64(p + OFF_SIZE);
	if (bp_get_u32(p + OFF_KIND) != kind || len != size - CACHE_HDR_SIZE ||
	    bp_get_u64(p + OFF_KEY) != key->high || bp_get_u64(p + OFF_KEY + 8) != key->low)
		return -EBADMSG;
	if (checksum(p, p + CACHE_HDR_SIZE, (size_t)len, &sum))
		return -ENOMEM;
	if (bp_get_u64(p + OFF_SUM) != sum.high || bp_get_u64(p + OFF_SUM + 8) != sum.low)
		return -EBADMSG;
	*payload = p + CACHE_HDR_SIZE;
	*payload_size = (size_t)len;
	return 0;
}
