// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdlib.h>
#include <xxhash.h>

#include "dedup/hash.h"

static const char hex_digits[] = "0123456789abcdef";

void bp_hash_bytes(const void *data, size_t size, struct bp_hash *out)
{
	XXH128_hash_t h = XXH3_128bits(data, size);

	out->high = h.high64;
	out->low = h.low64;
}

struct bp_hasher {
	XXH3_state_t *st;
};

struct bp_hasher *bp_hasher_new(void)
{
	struct bp_hasher *h = malloc(sizeof(*h));

	if (h && !(h->st = XXH3_createState())) {
		free(h);
		h = NULL;
	}
	if (h)
		XXH3_128bits_reset(h->st);
	return h;
}

void bp_hasher_update(struct bp_hasher *h, const void *data, size_t size)
{
	XXH3_128bits_update(h->st, data, size);
}

void bp_hasher_final(struct bp_hasher *h, struct bp_hash *out)
{
	XXH128_hash_t x = XXH3_128bits_digest(h->st);

	out->high = x.high64;
	out->low = x.low64;
	XXH3_freeState(h->st);
	free(h);
}

void bp_hash_hex(const struct bp_hash *h, char *out)
{
	XXH128_hash_t x = { .low64 = h->low, .high64 = h->high };
	XXH128_canonical_t c;
	size_t i;

	/* the canonical (big-endian, high half first) form is what xxhsum prints */
	XXH128_canonicalFromHash(&c, x);
	for (i = 0; i < sizeof(c.digest); i++) {
		out[2 * i] = hex_digits[c.digest[i] >> 4];
		out[2 * i + 1] = hex_digits[c.digest[i] & 0xf];
	}
	out[BP_HASH_HEX_LEN] = '\0';
}

bool bp_hash_equal(const struct bp_hash *a, const struct bp_hash *b)
{
	return a->high == b->high && a->low == b->low;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int bp_hash_parse_hex(const char *hex, struct bp_hash *out)
{
	uint64_t half[2] = { 0, 0 };
	int i, v;

	for (i = 0; i < BP_HASH_HEX_LEN; i++) {
		v = hex_value(hex[i]);
		if (v < 0)
			return -EINVAL;
		half[i / 16] = half[i / 16] << 4 | (uint64_t)v;
	}
	if (hex[BP_HASH_HEX_LEN])
		return -EINVAL;
	out->high = half[0];
	out->low = half[1];
	return 0;
}
