/* SPDX-License-Identifier: MIT */
/* Output profiles: renderers of one deduplicated result (the ok kernels,
 * their bytes and hashes) for the readers consumers ship:
 *   native  btfpack's bundle: --dedup links or blobs, index.json
 *   bcc     tar.gz, ustar regular files "./<key>" of at most 99 bytes,
 *           equal blobs adjacent (gzip's 32 KB window), no index
 *   tree    a directory of regular files (go:embed drops links)
 *   btfhub  <key>.tar.xz per kernel, each holding <release>.btf; a
 *           directory, or one tar.xz around them
 * A plan names every output item first (entries, then --aliases keys), so
 * an entry the profile cannot hold fails alone before anything is written.
 */
#ifndef BTFPACK_ARCHIVE_BUNDLE_RENDER_H
#define BTFPACK_ARCHIVE_BUNDLE_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "archive/bundle_writer.h"
#include "base/error.h"
#include "dedup/dedup_plan.h"
#include "dedup/hash.h"

enum bundle_profile {
	PROFILE_NATIVE,
	PROFILE_BCC,
	PROFILE_TREE,
	PROFILE_BTFHUB,
};

/* "native", "bcc", "tree", "btfhub"; NULL past the last. */
const char *bundle_profile_name(enum bundle_profile p);
/* -EINVAL for an unknown name. */
int bundle_profile_parse(const char *name, enum bundle_profile *p);

/* The writer format and flags of profile p at -o path: native takes the
 * format from the path; bcc needs .tar.gz/.tgz, tree a directory, btfhub a
 * directory or .tar.xz (-EINVAL otherwise, the message says what fits).
 */
int bundle_profile_output(enum bundle_profile p, const char *path, enum bundle_format *fmt,
			  unsigned int *flags, struct bp_err *err);

/* Does the profile carry index.json? (bcc does not: see docs/index-format.md) */
bool bundle_profile_has_index(enum bundle_profile p);

/* One ok kernel, in bundle order. Entries with equal hashes may share data. */
struct render_entry {
	const char *path;	/* <distro>/<version>/<arch>/<release>.btf */
	const char *distro, *version, *arch, *release;
	struct bp_hash hash;
	const void *data;
	size_t size;
};

struct render_item {
	char *key;		/* bundle key: the entry's path or an alias path */
	char *name;		/* what the output holds it as */
	size_t entry;		/* whose bytes */
	bool alias;
};

struct render_plan {
	enum bundle_profile profile;
	enum dedup_mode dedup;
	time_t mtime;
	struct render_item *items;	/* in output order */
	size_t cnt;
	char **errors;		/* per entry: why it is left out (malloc'ed), or NULL */
	size_t entry_cnt;
};

int render_plan_make(enum bundle_profile p, enum dedup_mode dedup, bool aliases, time_t mtime,
		     const struct render_entry *e, size_t n, struct render_plan *plan,
		     struct bp_err *err);
void render_plan_free(struct render_plan *plan);

/* Add every item of plan to w (opened with bundle_profile_output's format
 * and flags); the caller adds index.json and commits.
 */
int render_write(struct bundle_writer *w, const struct render_plan *plan,
		 const struct render_entry *e, struct bp_err *err);

#endif
