/* SPDX-License-Identifier: MIT */
/* btfpack verify: decide every CO-RE relocation of the objects against each
 * kernel entry of a bundle and against the hub kernel it was made from, and
 * report every relocation decided differently.
 */
#ifndef BTFPACK_BATCH_VERIFY_BUNDLE_H
#define BTFPACK_BATCH_VERIFY_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>

#include "batch/obj_set.h"

struct verify_opts {
	const char *bundle;
	const char *hub;
	unsigned int jobs;	/* worker threads, >= 1 */
	size_t member_cap;	/* largest hub archive member read */
	bool verbose;		/* also a line per equal entry */
	bool quiet;		/* no summary line */
	struct obj_set objs;
};

/* How a run ended; cmd/ maps it to the exit status. */
enum verify_outcome {
	VERIFY_EQUAL,		/* every entry checked, every decision equal */
	VERIFY_MISMATCH,	/* a decision differs, or an entry's BTF is unreadable */
	VERIFY_UNCHECKED,	/* no difference, but some entries could not be checked */
	VERIFY_FAILED,		/* the bundle or the hub could not be read */
};

/* Kernel entries are the bundle's <distro>/<version>/<arch>/<kernel>.btf
 * files and links (also <kernel>.btf.tar.xz, one archive per kernel), and
 * the paths its index.json maps to blobs. Each one's source is the hub
 * input whose bundle path (hub_walk()) is the same, archive suffix aside,
 * or else the one that has the entry's key as an alias (--aliases, by the
 * table of docs/lookup.md).
 * The report goes to stdout in entry order, whatever jobs is.
 */
enum verify_outcome verify_bundle_run(const struct verify_opts *o);

#endif
