/* SPDX-License-Identifier: MIT */
/* Candidate index of a target BTF: every named type by its essential name
 * (the name without a "___flavor" suffix), built once per kernel so each
 * relocation finds its candidates without scanning all types.
 */
#ifndef BTFPACK_CORE_CAND_INDEX_H
#define BTFPACK_CORE_CAND_INDEX_H

#include <stddef.h>
#include <linux/types.h>

#include "base/error.h"

struct btf;
struct cand_index;

int cand_index_build(const struct btf *targ, struct cand_index **out, struct bp_err *err);
void cand_index_free(struct cand_index *idx);

/* Type ids (ascending) whose essential name equals name[0..len), any kind. */
const __u32 *cand_index_lookup(const struct cand_index *idx, const char *name,
			       size_t len, size_t *cnt);

/* Length of name without its flavor suffix, exactly as libbpf computes it. */
size_t core_essential_name_len(const char *name);

#endif
