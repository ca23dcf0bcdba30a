/* SPDX-License-Identifier: MIT */
/* The canonical relocation digest of a BPF object: an xxh3-128 of what its
 * CO-RE relocations ask for, independent of the object's bytes, instruction
 * offsets, section and program names, string table layout and type ids.
 * Two objects with equal digests get the same decisions, the same
 * minimized BTF and the same counts from minimize_run() on any kernel;
 * docs/design.md ("The relocation digest") says what goes in and why.
 */
#ifndef BTFPACK_CORE_RELO_DIGEST_H
#define BTFPACK_CORE_RELO_DIGEST_H

#include <stdint.h>

#include "base/error.h"

struct objfile;

/* Bump when the digest's definition changes: old digests then mean nothing. */
#define RELO_DIGEST_VERSION 1

struct relo_digest {
	uint64_t high;
	uint64_t low;
};

/* Digest of obj's relocations; -ENOMEM is the only failure. */
int relo_digest_object(const struct objfile *obj, struct relo_digest *out,
		       struct bp_err *err);

#endif
