/* SPDX-License-Identifier: MIT */
/* build --cache DIR: content-addressed entries under DIR/v<CACHE_FORMAT>/.
 *   res/<hh>/<key>  a kernel's result: minimized BTF and counts, keyed on
 *                   the archive bytes, the relocation digest of the objects
 *                   it is built for, btfpack's version and output format
 *                   and the options that change output (verify, --loader)
 *   src/<hh>/<key>  a kernel's decoded BTF (zstd level 1), keyed on the
 *                   archive bytes, so new relocations skip xz
 * Writes go to a temp in the same directory and are renamed in place, so
 * processes can share DIR without a lock: equal keys mean equal bytes.
 * Reads check each entry (cache_entry.h); a bad one is removed with a
 * warning and recomputed. A hit touches the entry's mtime, the stamp that
 * build_cache_evict() orders by (atime is unreliable).
 */
#ifndef BTFPACK_BATCH_BUILD_CACHE_H
#define BTFPACK_BATCH_BUILD_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"
#include "dedup/hash.h"
#include "dedup/index_json.h"

struct build_cache;

/* Create DIR/v<format>/{res,src} as needed. */
int build_cache_open(const char *dir, struct build_cache **out, struct bp_err *err);
void build_cache_close(struct build_cache *c);
/* DIR/v<format>: where this btfpack's entries are. */
const char *build_cache_root(const struct build_cache *c);

/* xxh3-128 and size of a file, read in pieces (nothing mapped). */
int build_cache_hash_file(const char *path, struct bp_hash *h, size_t *size,
			  struct bp_err *err);

/* Keys: source is the archive's hash, objs the object-set digest of the
 * objects the kernel is built for (obj_set_digest() for its arch).
 */
void build_cache_result_key(const struct bp_hash *source, const struct bp_hash *objs,
			    size_t obj_cnt, bool verify, unsigned int loaders,
			    struct bp_hash *key);
void build_cache_source_key(const struct bp_hash *source, struct bp_hash *key);

/* A kernel's result, as cached. */
struct cache_result {
	size_t obj_cnt;				/* objects it was built for */
	struct index_coverage *coverage;	/* obj_cnt, in set order */
	size_t btf_size;			/* decoded kernel BTF bytes */
	void *blob;
	size_t blob_size;
};

/* 1 and *r filled (caller frees coverage and blob) on a hit, 0 on a miss. */
int build_cache_get_result(struct build_cache *c, const struct bp_hash *key, size_t obj_cnt,
			   struct cache_result *r);
void build_cache_put_result(struct build_cache *c, const struct bp_hash *key,
			    const struct cache_result *r);

/* A decoded source, checked but still compressed. */
struct cache_source {
	void *entry;		/* the entry file's bytes */
	const void *frame;	/* zstd frame inside entry */
	size_t frame_size;
	size_t raw_size;	/* decoded BTF bytes */
	size_t member_size;	/* archive member bytes it came from */
	char *path;
};

/* 1 and *s filled on a hit (free with build_cache_source_free()), 0 on a
 * miss; nothing is decoded yet, so the caller can budget raw_size first.
 */
int build_cache_get_source(struct build_cache *c, const struct bp_hash *key,
			   struct cache_source *s);
/* Decode s into a malloc'ed buffer of s->raw_size bytes. */
int build_cache_decode_source(struct cache_source *s, void **raw, struct bp_err *err);
void build_cache_source_free(struct cache_source *s);
void build_cache_put_source(struct build_cache *c, const struct bp_hash *key, const void *raw,
			    size_t raw_size, size_t member_size);

/* Remove least recently used entries until the cache holds at most max
 * bytes (temps of dead writers older than an hour go too). Entries that
 * vanish meanwhile (another process evicting) are skipped.
 */
struct cache_evicted {
	size_t entries, bytes, kept_bytes;
};
int build_cache_evict(struct build_cache *c, size_t max, struct cache_evicted *ev,
		      struct bp_err *err);

#endif
