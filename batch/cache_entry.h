/* SPDX-License-Identifier: MIT */
/* One entry of the build cache on disk: a 64-byte header (magic, cache
 * format, kind, the entry's own key, payload size, an xxh3-128 over header
 * and payload), then the payload. Every read checks all of it, so a
 * flipped, truncated, misplaced or foreign entry is never trusted.
 */
#ifndef BTFPACK_BATCH_CACHE_ENTRY_H
#define BTFPACK_BATCH_CACHE_ENTRY_H

#include <stddef.h>

#include "dedup/hash.h"

/* Bump when the layout of an entry or of a payload changes; it is also
 * the name of the cache's top directory (DIR/v<format>).
 */
#define CACHE_FORMAT 1
#define CACHE_HDR_SIZE 64

enum cache_kind {
	CACHE_RESULT = 1,	/* a kernel's minimized BTF and counts */
	CACHE_SOURCE = 2,	/* a kernel's decoded BTF, zstd */
};

/* header + payload in one malloc'ed buffer; -ENOMEM only. */
int cache_entry_encode(enum cache_kind kind, const struct bp_hash *key, const void *payload,
		       size_t size, void **out, size_t *out_size);

/* The payload inside buf, after every check: -ESTALE for an entry of
 * another cache format (or byte order), -EBADMSG for anything else that
 * is not exactly what encode wrote for kind and key.
 */
int cache_entry_decode(const void *buf, size_t size, enum cache_kind kind,
		       const struct bp_hash *key, const void **payload, size_t *payload_size);

#endif
