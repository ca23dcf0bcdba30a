/* SPDX-License-Identifier: MIT */
/* The BPF objects of a build: --obj FILE|DIR for every architecture and
 * --obj-arch ARCH=FILE|DIR for one, each parsed and hashed once per run.
 */
#ifndef BTFPACK_BATCH_OBJ_SET_H
#define BTFPACK_BATCH_OBJ_SET_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"
#include "dedup/hash.h"

struct objfile;

struct obj_entry {
	struct objfile *obj;
	char *name;		/* file name; for --obj DIR, relative to DIR */
	char *arch;		/* NULL: every architecture */
	struct bp_hash hash;	/* of the object file */
	struct bp_hash relo;	/* relocation digest (core/relo_digest.h) */
};

struct obj_set {
	struct obj_entry *entries;
	size_t cnt;
};

/* Add FILE, or every *.o file directly in DIR (sorted); arch may be NULL.
 * Two objects of one name that could meet on one architecture: -EEXIST.
 */
int obj_set_add(struct obj_set *set, const char *path, const char *arch, bool quiet,
		struct bp_err *err);
void obj_set_free(struct obj_set *set);

/* The objects that apply to arch (in set order); returns the count. */
size_t obj_set_select(const struct obj_set *set, const char *arch, struct objfile **objs,
		      size_t *indexes);

/* The object-set digest: of every object's relocation digest and --obj-arch
 * in set order (arch NULL), or of the objects that apply to arch only, in
 * set order: what a kernel of that arch is minimized for. -ENOMEM only.
 */
int obj_set_digest(const struct obj_set *set, const char *arch, struct bp_hash *out);

#endif
