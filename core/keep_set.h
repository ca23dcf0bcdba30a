/* SPDX-License-Identifier: MIT */
/* What the minimizer keeps of a target BTF: a set of types, and for structs,
 * unions and enums the subset of members/enumerators that decisions read.
 * Marking never fails loudly: out-of-memory is sticky and reported once by
 * keep_set_error(), so the matching code can mark as it walks.
 */
#ifndef BTFPACK_CORE_KEEP_SET_H
#define BTFPACK_CORE_KEEP_SET_H

#include <stdbool.h>
#include <linux/types.h>

#include "core/btf_refs.h"

struct btf;
struct keep_set;

struct keep_set *keep_set_new(const struct btf *btf);
void keep_set_free(struct keep_set *ks);
bool keep_set_error(const struct keep_set *ks);

/* Keep a type (a struct/union/enum is kept as a husk: name, size, flags). */
void keep_type(struct keep_set *ks, __u32 id);
/* Keep id and every typedef/modifier on the way to the type it names. */
void keep_chain(struct keep_set *ks, __u32 id);
/* Keep member idx of struct/union id (and id itself). */
void keep_member(struct keep_set *ks, __u32 id, __u32 idx);
/* Keep every member of a struct/union or every enumerator of an enum. */
void keep_all_members(struct keep_set *ks, __u32 id);
/* Keep id and everything it reaches, exactly: every member and enumerator,
 * every pointee, transitively. For a decision whose outcome depends on more
 * than any narrower rule tracks (a candidate whose matching fails).
 */
void keep_whole(struct keep_set *ks, __u32 id);
/* Keep enumerator idx of enum/enum64 id. */
void keep_enumerator(struct keep_set *ks, __u32 id, __u32 idx);
/* A pointer whose pointee some decision reads: the pointee is kept too
 * (otherwise a kept pointer is emitted as void *).
 */
void keep_pointee(struct keep_set *ks, __u32 ptr_id);
/* Mark id as a candidate root: roots are ordered first in the output. */
void keep_root(struct keep_set *ks, __u32 id);

bool keep_has_type(const struct keep_set *ks, __u32 id);
bool keep_is_root(const struct keep_set *ks, __u32 id);
bool keep_has_member(const struct keep_set *ks, __u32 id, __u32 idx);
bool keep_has_pointee(const struct keep_set *ks, __u32 ptr_id);
/* Whether the output follows reference (role, index) of kept type id: a
 * pointer's pointee only where a decision reads it, a member only when kept,
 * everything else always.
 */
bool keep_follows_ref(const struct keep_set *ks, __u32 id, enum btf_ref_role role,
		      __u32 index);

/* The kept type ids, in the order they were first kept (valid until the
 * next keep_*() call), so passes over the kept set need not scan every
 * type of a 130k-type kernel.
 */
size_t keep_ids(const struct keep_set *ks, const __u32 **ids);

/* Number of kept members/enumerators of id. */
__u32 keep_member_count(const struct keep_set *ks, __u32 id);

#endif
