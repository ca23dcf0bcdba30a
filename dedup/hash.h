/* SPDX-License-Identifier: MIT */
/* Content hashes: xxh3-128, printed as 32 lowercase hex digits (high half
 * first, as xxhsum prints XXH128).
 */
#ifndef BTFPACK_DEDUP_HASH_H
#define BTFPACK_DEDUP_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BP_HASH_HEX_LEN 32

struct bp_hash {
	uint64_t high;
	uint64_t low;
};

void bp_hash_bytes(const void *data, size_t size, struct bp_hash *out);

/* The same hash over bytes given piece by piece; NULL when out of memory.
 * bp_hasher_final() gives the hash of everything fed and frees h.
 */
struct bp_hasher;
struct bp_hasher *bp_hasher_new(void);
void bp_hasher_update(struct bp_hasher *h, const void *data, size_t size);
void bp_hasher_final(struct bp_hasher *h, struct bp_hash *out);
/* out must hold BP_HASH_HEX_LEN + 1 bytes. */
void bp_hash_hex(const struct bp_hash *h, char *out);
bool bp_hash_equal(const struct bp_hash *a, const struct bp_hash *b);

/* Inverse of bp_hash_hex(): exactly BP_HASH_HEX_LEN lowercase hex digits
 * then NUL. Returns 0, or -EINVAL for anything else.
 */
int bp_hash_parse_hex(const char *hex, struct bp_hash *out);

#endif
