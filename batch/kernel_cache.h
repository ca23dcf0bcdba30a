/* SPDX-License-Identifier: MIT */
/* build_kernel()'s use of --cache (batch/build_cache.h): find a kernel's
 * result or decoded source before anything is budgeted, store both after.
 */
#ifndef BTFPACK_BATCH_KERNEL_CACHE_H
#define BTFPACK_BATCH_KERNEL_CACHE_H

#include <stddef.h>

#include "batch/build.h"
#include "batch/build_cache.h"

struct btf;

/* Hash k's input (res->source_*), then look its result up: KC_RESULT with
 * res filled as build_kernel() would (blob, counts in set order through
 * obj_idx), else KC_SOURCE with *src filled, else KC_MISS; KC_NONE when
 * there is no cache or the input cannot be read (the normal path says why).
 */
enum kernel_cached kernel_cache_find(const struct build_opts *o, const struct hub_kernel *k,
				     const size_t *obj_idx, size_t n, struct kernel_result *res,
				     struct cache_source *src);

/* Keep what a miss computed, keyed on res->source_hash (the bytes read). */
void kernel_cache_store_source(const struct build_opts *o, const struct kernel_result *res,
			       const struct btf *btf);
void kernel_cache_store_result(const struct build_opts *o, const struct hub_kernel *k,
			       const size_t *obj_idx, size_t n, const struct kernel_result *res);

#endif
