// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>

#include "batch/kernel_cache.h"

static int result_key(const struct build_opts *o, const struct hub_kernel *k, size_t n,
		      const struct bp_hash *source, struct bp_hash *key)
{
	struct bp_hash objs;

	if (obj_set_digest(&o->objs, k->arch, &objs))
		return -1;
	build_cache_result_key(source, &objs, n, o->verify, o->loaders, key);
	return 0;
}

static void take_result(struct cache_result *r, const size_t *obj_idx, size_t n,
			struct kernel_result *res)
{
	size_t i;

	for (i = 0; i < n; i++) {
		res->coverage[obj_idx[i]] = r->coverage[i];
		res->resolved += r->coverage[i].resolved;
		res->unresolved += r->coverage[i].unresolved;
		res->rejected += r->coverage[i].rejected;
	}
	free(r->coverage);
	res->blob = r->blob;
	res->blob_size = r->blob_size;
	res->btf_size = r->btf_size;
	bp_hash_bytes(res->blob, res->blob_size, &res->blob_hash);
	res->ok = true;
}

/* A member above --max-member-size fails without the cache: so it does
 * with it (the normal path says why).
 */
static bool over_cap(const struct build_opts *o, const struct hub_kernel *k, size_t member)
{
	return k->kind == HUB_ARCHIVE && member > o->member_cap;
}

enum kernel_cached kernel_cache_find(const struct build_opts *o, const struct hub_kernel *k,
				     const size_t *obj_idx, size_t n, struct kernel_result *res,
				     struct cache_source *src)
{
	struct cache_result r;
	struct bp_hash key;
	struct bp_err err;

	if (!o->cache || build_cache_hash_file(k->abs_path, &res->source_hash, &res->source_size,
					       &err))
		return KC_NONE;
	res->source_read = true;
	if (!result_key(o, k, n, &res->source_hash, &key) &&
	    build_cache_get_result(o->cache, &key, n, &r)) {
		if (!over_cap(o, k, r.btf_size)) {
			take_result(&r, obj_idx, n, res);
			return KC_RESULT;
		}
		free(r.coverage);
		free(r.blob);
	}
	build_cache_source_key(&res->source_hash, &key);
	if (!build_cache_get_source(o->cache, &key, src))
		return KC_MISS;
	if (!over_cap(o, k, src->member_size))
		return KC_SOURCE;
	build_cache_source_free(src);
	return KC_MISS;
}

void kernel_cache_store_source(const struct build_opts *o, const struct kernel_result *res,
			       const struct btf *btf)
{
	struct bp_hash key;
	const void *raw;
	__u32 size;

	if (!o->cache || !(raw = btf__raw_data(btf, &size)))
		return;
	build_cache_source_key(&res->source_hash, &key);
	build_cache_put_source(o->cache, &key, raw, size, res->btf_size);
}

void kernel_cache_store_result(const struct build_opts *o, const struct hub_kernel *k,
			       const size_t *obj_idx, size_t n, const struct kernel_result *res)
{
	struct cache_result r = { .obj_cnt = n, .btf_size = res->btf_size,
				  .blob = res->blob, .blob_size = res->blob_size };
	struct bp_hash key;
	size_t i;

	if (!o->cache || result_key(o, k, n, &res->source_hash, &key))
		return;
	r.coverage = calloc(n + 1, sizeof(*r.coverage));
	if (!r.coverage)
		return;
	for (i = 0; i < n; i++)
		r.coverage[i] = res->coverage[obj_idx[i]];
	build_cache_put_result(o->cache, &key, &r);
	free(r.coverage);
}
