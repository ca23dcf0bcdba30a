/* SPDX-License-Identifier: MIT */
/* btfpack build: options, per-kernel results, and the driver. */
#ifndef BTFPACK_BATCH_BUILD_H
#define BTFPACK_BATCH_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "archive/bundle_render.h"
#include "archive/bundle_writer.h"
#include "batch/hub_walk.h"
#include "batch/obj_set.h"
#include "base/error.h"
#include "dedup/dedup_plan.h"
#include "dedup/hash.h"
#include "dedup/index_json.h"

struct build_cache;

struct build_opts {
	const char *hub;
	const char *output;
	enum bundle_format format;
	unsigned int out_flags;	/* bundle_open_flags(), from the profile */
	enum bundle_profile profile;
	bool aliases;		/* --aliases: entries under consumers' keys too */
	enum dedup_mode dedup;
	unsigned int jobs;
	size_t member_cap;
	size_t max_memory;	/* bytes in flight across workers */
	time_t mtime;
	bool strict;
	bool verify;
	bool quiet;
	unsigned int loaders;	/* enum min_loader bits */
	const char *report;	/* NULL, "-" (table on stdout) or a JSON path */
	unsigned int shard, shard_of; /* --shard K/N (1-based K); of 0: whole tree */
	const char *keep_from;	/* --keep-from OLD_BUNDLE, or NULL */
	const char *cache_dir;	/* --cache DIR, or NULL */
	size_t cache_max;	/* --cache-max bytes, 0: no eviction */
	struct build_cache *cache; /* opened by build_run() from cache_dir */
	struct hub_filter filter;
	struct obj_set objs;
};

enum kernel_cached {
	KC_NONE,		/* no --cache, or the input could not be hashed */
	KC_MISS,
	KC_SOURCE,		/* decoded BTF from the cache, minimized anew */
	KC_RESULT,		/* the whole result from the cache */
};

struct kernel_result {
	bool ok;
	char error[BP_ERR_MSG_MAX];
	void *blob;			/* minimized BTF */
	size_t blob_size;
	struct bp_hash blob_hash;
	struct bp_hash source_hash;
	bool source_read;		/* source_hash is valid */
	size_t source_size;		/* input file bytes */
	size_t btf_size;		/* kernel BTF bytes (decompressed) */
	struct index_coverage *coverage; /* one per object of the set */
	size_t resolved, unresolved, rejected;
	size_t mem_held;		/* budget bytes still reserved (the blob) */
	const char *carried_from;	/* --keep-from: the old bundle's id, else NULL */
	enum kernel_cached cached;	/* what --cache gave */
	bool decompressed;		/* an archive decoder ran on the input */
};

struct mem_budget;

/* Process one kernel: never fails as a whole; failures land in res. Its
 * memory comes from budget, in the turn of ticket (its place among the
 * kernels handed out, in input order); what it still holds when done (its
 * blob) is in res->mem_held, for the writer to release.
 */
void build_kernel(const struct build_opts *o, const struct hub_kernel *k,
		  struct mem_budget *budget, size_t ticket, struct kernel_result *res);
void kernel_result_clear(struct kernel_result *res);

/* How a run ended; cmd/ maps it to the process exit status. */
enum build_outcome {
	BUILD_OK,		/* bundle written, every kernel ok */
	BUILD_PARTIAL,		/* bundle written, some kernels failed */
	BUILD_FAILED,		/* no bundle, or the report could not be written */
};

/* Run the batch; errors are printed as they happen. */
enum build_outcome build_run(const struct build_opts *o);

#endif
