/* SPDX-License-Identifier: MIT */
/* btfpack merge: the parts of a sharded build (build --shard K/N, always
 * native bundles) into the bundle one build of the whole tree writes, byte
 * for byte, in any profile: the parts' entries are rendered as a build
 * renders its settled kernels.
 */
#ifndef BTFPACK_BATCH_MERGE_H
#define BTFPACK_BATCH_MERGE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "archive/bundle_writer.h"
#include "batch/build.h"
#include "dedup/dedup_plan.h"

struct merge_opts {
	const char *const *parts;
	size_t part_cnt;
	const char *output;
	enum bundle_format format;
	unsigned int out_flags;	/* bundle_open_flags(), from the profile */
	enum bundle_profile profile;
	bool aliases;		/* --aliases: entries under consumers' keys too */
	enum dedup_mode dedup;
	time_t mtime;
	bool strict;
	bool quiet;
};

/* Refuses (BUILD_FAILED, nothing written, the message names the parts)
 * parts of other btfpack versions or object sets, a bundle that is not a
 * part, shards of different counts, a shard given twice, missing shards,
 * and a kernel that is not in the shard its part claims.
 */
enum build_outcome merge_run(const struct merge_opts *o);

#endif
