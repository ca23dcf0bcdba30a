/* SPDX-License-Identifier: MIT */
/* build --keep-from OLD_BUNDLE: the old bundle's entries whose source is
 * gone from the hub come back as settled kernels, marked carried_from with
 * the old bundle's id, instead of vanishing from the new bundle. Refused
 * when the old bundle was built for other objects: its BTF would not be
 * what these objects need.
 */
#ifndef BTFPACK_BATCH_CARRY_H
#define BTFPACK_BATCH_CARRY_H

#include <stdbool.h>

#include "archive/bundle_load.h"
#include "batch/build.h"

struct carry {
	struct bundle_content old;
	char id[BP_HASH_HEX_LEN + 1];	/* the old bundle's id */
	const struct index_kernel **kept; /* carried entries, by source */
	size_t kept_cnt;
};

/* Load o->keep_from and insert its carried entries (kind HUB_CARRIED) into
 * hub at their walk places; o->keep_from NULL does nothing.
 */
int carry_load(struct carry *c, const struct build_opts *o, struct hub_list *hub,
	       struct bp_err *err);

/* The settled result of carried entry k. -ENOMEM. */
int carry_result(const struct carry *c, const struct hub_kernel *k, struct kernel_result *res,
		 struct bp_err *err);

void carry_free(struct carry *c);

#endif
