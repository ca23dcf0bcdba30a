// SPDX-License-Identifier: MIT
/* What cilium/ebpf reads to decide a relocation (btf/core.go, 0.9.1 and
 * 0.11.0), as marks in the kept set. It decides differently from libbpf:
 * its candidates are every type whose essential name is the local root's,
 * of any kind (a FUNC or a typedef named like the struct too, each seen
 * through typedefs and qualifiers); it finds members breadth-first through
 * anonymous members; it has no TYPE_MATCHES before 0.15 and fails the whole
 * object when that relocation has any candidate. This file walks the same
 * way for every such candidate and keeps what the walk reads, so cilium's
 * per-candidate fixups and errors, and hence its best-score choice, are the
 * same on the minimized BTF. It decides nothing itself.
 */
#include <stdlib.h>
#include <string.h>

#include "core/btf_util.h"
#include "core/cand_index.h"
#include "core/minimize_internal.h"
#include "core/relo_engine.h"
#include "core/relo_internal.h"

#define CILIUM_MAX_DEPTH 32	/* cilium's maxTypeDepth */

/* One composite to search in coreFindMember()'s breadth-first queue. */
struct find_step {
	__u32 id;		/* composite, after typedefs and qualifiers */
	int parent;		/* index of the step it is an anonymous member of, -1 */
	__u32 member;		/* its member index in the parent */
};

static bool is_composite_id(const struct btf *btf, __u32 id, __u32 *res)
{
	const struct btf_type *t = btf_skip_mods(btf, id, res);

	return t && btf_is_composite(t);
}

/* Keep the anonymous members from the searched root down to step i. */
static void keep_find_path(struct keep_set *ks, const struct find_step *s, int i)
{
	while (s[i].parent >= 0) {
		keep_member(ks, s[s[i].parent].id, s[i].member);
		i = s[i].parent;
	}
}

/* coreFindMember(): the member named name of composite id, searched
 * breadth-first through anonymous composites. Keeps the path to what it
 * finds, or the member it errors on (an anonymous non-composite), so the
 * search ends the same way on the output. Returns whether it found one.
 */
static bool find_member(struct keep_set *ks, const struct btf *btf, __u32 id, const char *name,
			__u32 *found_id, __u32 *found_idx)
{
	struct find_step s[CILIUM_MAX_DEPTH];
	int cnt = 1, i;
	__u16 j;

	s[0] = (struct find_step){ id, -1, 0 };
	for (i = 0; i < cnt; i++) {
		const struct btf_type *t = btf__type_by_id(btf, s[i].id);
		const struct btf_member *m = btf_members(t);

		for (j = 0; j < btf_vlen(t); j++, m++) {
			const char *mn = btf_str(btf, m->name_off);
			__u32 sub;

			if (!str_empty(mn)) {
				if (strcmp(mn, name))
					continue;
				keep_find_path(ks, s, i);
				*found_id = s[i].id;
				*found_idx = j;
				return true;
			}
			if (!is_composite_id(btf, m->type, &sub) || cnt == CILIUM_MAX_DEPTH) {
				/* cilium errors here (or on its depth limit) */
				keep_find_path(ks, s, i);
				keep_member(ks, s[i].id, j);
				if (cnt == CILIUM_MAX_DEPTH)
					keep_whole(ks, id);
				return false;
			}
			s[cnt++] = (struct find_step){ sub, i, j };
		}
	}
	return false;
}

/* coreAreMembersCompatible(): composites mix, other kinds must agree. */
static bool members_compat(const struct btf *lbtf, __u32 lid, const struct btf *tbtf, __u32 tid)
{
	const struct btf_type *lt = btf_skip_mods(lbtf, lid, NULL);
	const struct btf_type *tt = btf_skip_mods(tbtf, tid, NULL);

	if (!lt || !tt)
		return false;
	if (btf_is_composite(lt) && btf_is_composite(tt))
		return true;
	return btf_kind(lt) == btf_kind(tt) || (btf_is_any_enum(lt) && btf_is_any_enum(tt));
}

/* coreFindField(): the local access path, step by step, on target tid. */
static void find_field(struct keep_set *ks, const struct core_spec *local, const struct btf *tbtf,
		       __u32 tid)
{
	const struct btf *lbtf = local->btf;
	__u32 lid = local->root_type_id, mid, midx;
	const struct btf_type *lt, *tt;
	int i;

	if (!members_compat(lbtf, lid, tbtf, tid))
		return;
	for (i = 1; i < local->raw_len; i++) {
		lt = btf_skip_mods(lbtf, lid, &lid);
		tt = btf_skip_mods(tbtf, tid, &tid);
		if (!lt || !tt)
			return;
		if (btf_is_composite(lt)) {
			const struct btf_member *lm;
			const char *name;

			if ((__u32)local->raw_spec[i] >= btf_vlen(lt))
				return;
			lm = &btf_members(lt)[local->raw_spec[i]];
			name = btf_str(lbtf, lm->name_off);
			lid = lm->type;
			if (str_empty(name))
				continue;	/* the target stays where it is */
			if (!btf_is_composite(tt) || !find_member(ks, tbtf, tid, name, &mid, &midx))
				return;
			keep_member(ks, mid, midx);
			tid = btf_members(btf__type_by_id(tbtf, mid))[midx].type;
		} else if (btf_is_array(lt)) {
			if (!btf_is_array(tt))
				return;
			lid = btf_array(lt)->type;
			tid = btf_array(tt)->type;
		} else {
			return;
		}
		keep_chain(ks, tid);
		if (!members_compat(lbtf, lid, tbtf, tid))
			return;
	}
}

/* coreFindEnumValue(): the first enumerator of that essential name. */
static void find_enumval(struct keep_set *ks, const struct core_spec *local, const struct btf *tbtf,
			 __u32 tid)
{
	const struct btf_type *tt = btf_skip_mods(tbtf, tid, &tid);
	const char *name = local->len ? local->spec[0].name : NULL;
	size_t len;
	__u16 i;

	if (!tt || !btf_is_any_enum(tt) || !name)
		return;
	len = core_essential_name_len(name);
	for (i = 0; i < btf_vlen(tt); i++) {
		__u32 off = btf_is_enum(tt) ? btf_enum(tt)[i].name_off : btf_enum64(tt)[i].name_off;
		const char *tn = btf_str(tbtf, off);

		if (tn && core_essential_name_len(tn) == len && !strncmp(tn, name, len)) {
			keep_enumerator(ks, tid, i);
			return;
		}
	}
}

/* (local, target) pairs a deep match already walked, as cilium's visited
 * set: pointers make cycles. Open addressing, at most half full.
 */
#define DEEP_SLOTS 8192
#define DEEP_MAX (DEEP_SLOTS / 2)

struct deep_walk {
	struct keep_set *ks;
	const struct btf *lbtf;
	const struct btf *tbtf;
	__u64 seen[DEEP_SLOTS];	/* 0 empty, else (lid << 32 | tid) + 1 */
	int seen_cnt;
	bool capped;		/* stopped at DEEP_MAX pairs */
};

static bool deep_seen(struct deep_walk *w, __u32 lid, __u32 tid)
{
	__u64 key = ((__u64)lid << 32 | tid) + 1;
	__u32 i = (__u32)((key * 0x9e3779b97f4a7c15ULL) >> 51) & (DEEP_SLOTS - 1);

	while (w->seen[i]) {
		if (w->seen[i] == key)
			return true;
		i = (i + 1) & (DEEP_SLOTS - 1);
	}
	if (w->seen_cnt == DEEP_MAX) {
		w->capped = true;
		return true;
	}
	w->seen[i] = key;
	w->seen_cnt++;
	return false;
}

static void deep_match(struct deep_walk *w, __u32 lid, __u32 tid, int depth);

/* Both anonymous, or one essential name: a superset of what any loader's
 * member matching pairs up.
 */
static bool names_equal(const char *a, const char *b)
{
	size_t la, lb;

	if (str_empty(a) || str_empty(b))
		return str_empty(a) && str_empty(b);
	la = core_essential_name_len(a);
	lb = core_essential_name_len(b);
	return la == lb && !strncmp(a, b, la);
}

/* Members of a composite pair: every target member name-matching a local
 * one, and enough members that "local has more members" cannot flip.
 */
static void deep_members(struct deep_walk *w, const struct btf_type *lt, __u32 tid,
			 const struct btf_type *tt, int depth)
{
	const struct btf_member *lm = btf_members(lt);
	__u16 i, j;

	for (i = 0; i < btf_vlen(lt); i++, lm++) {
		const char *ln = btf_str(w->lbtf, lm->name_off);
		const struct btf_member *tm = btf_members(tt);

		for (j = 0; j < btf_vlen(tt); j++, tm++) {
			const char *tn = btf_str(w->tbtf, tm->name_off);

			if (!names_equal(ln, tn))
				continue;
			keep_member(w->ks, tid, j);
			deep_match(w, lm->type, tm->type, depth + 1);
		}
	}
	for (j = 0; j < btf_vlen(tt) && keep_member_count(w->ks, tid) < btf_vlen(lt); j++)
		keep_member(w->ks, tid, j);
}

/* TYPE_MATCHES as cilium 0.15 reads it: libbpf's walk, but composites
 * behind pointers are compared member by member too.
 */
static void deep_match(struct deep_walk *w, __u32 lid, __u32 tid, int depth)
{
	const struct btf_type *lt, *tt;
	__u16 i;

	if (depth > CILIUM_MAX_DEPTH || deep_seen(w, lid, tid))
		return;
	keep_chain(w->ks, tid);
	lt = btf_skip_mods(w->lbtf, lid, &lid);
	tt = btf_skip_mods(w->tbtf, tid, &tid);
	if (!lt || !tt)
		return;
	if (btf_is_any_enum(tt)) {
		keep_all_members(w->ks, tid);
	} else if (btf_is_ptr(lt) && btf_is_ptr(tt)) {
		keep_pointee(w->ks, tid);
		deep_match(w, lt->type, tt->type, depth + 1);
	} else if (btf_is_array(lt) && btf_is_array(tt)) {
		deep_match(w, btf_array(lt)->type, btf_array(tt)->type, depth + 1);
	} else if (btf_is_composite(lt) && btf_is_composite(tt)) {
		deep_members(w, lt, tid, tt, depth);
	} else if (btf_is_func_proto(lt) && btf_is_func_proto(tt) &&
		   btf_vlen(lt) == btf_vlen(tt)) {
		for (i = 0; i < btf_vlen(lt); i++)
			deep_match(w, btf_params(lt)[i].type, btf_params(tt)[i].type, depth + 1);
		deep_match(w, lt->type, tt->type, depth + 1);
	}
}

/* coreAreTypesCompatible() after UnderlyingType() on both roots: libbpf's
 * check from there, which walks the same pointers, arrays and prototypes.
 */
static void types_compat(struct keep_set *ks, const struct core_spec *local,
			 const struct btf *tbtf, __u32 tid)
{
	__u32 lid;

	if (!btf_skip_mods(local->btf, local->root_type_id, &lid) ||
	    !btf_skip_mods(tbtf, tid, &tid))
		return;
	if (core_types_are_compat(local->btf, lid, tbtf, tid, ks) < 0)
		keep_whole(ks, tid);
}

static void mark_candidate(struct minimizer *m, const struct relo_event *ev, __u32 tid)
{
	enum core_kind kind = (enum core_kind)ev->rec->kind;
	struct deep_walk *w;

	/* kind and name are all cilium reads of a candidate whose kind it
	 * then rejects (a FUNC keeps its prototype through the closure)
	 */
	keep_root(m->ks, tid);
	keep_chain(m->ks, tid);
	if (core_kind_is_field(kind)) {
		find_field(m->ks, ev->local, m->src, tid);
	} else if (core_kind_is_enumval(kind)) {
		find_enumval(m->ks, ev->local, m->src, tid);
	} else if (kind == CORE_TYPE_MATCHES) {
		w = calloc(1, sizeof(*w));
		if (!w) {
			keep_whole(m->ks, tid);	/* exact; it reports running out too */
			return;
		}
		w->ks = m->ks;
		w->lbtf = ev->local->btf;
		w->tbtf = m->src;
		deep_match(w, ev->local->root_type_id, tid, 0);
		/* past the cap the walk is not followed: keep what it could read */
		if (w->capped)
			keep_whole(m->ks, tid);
		free(w);
	} else {
		types_compat(m->ks, ev->local, m->src, tid);
	}
}

void cilium_mark_event(struct minimizer *m, const struct relo_event *ev)
{
	const struct btf_type *lt;
	const char *name;
	const __u32 *ids;
	size_t n, i;

	if (!ev->local || ev->rec->kind == CORE_TYPE_ID_LOCAL)
		return;
	lt = btf__type_by_id(ev->local->btf, ev->rec->type_id);
	name = lt ? btf_str(ev->local->btf, lt->name_off) : NULL;
	if (str_empty(name))
		return;
	ids = cand_index_lookup(m->idx, name, core_essential_name_len(name), &n);
	for (i = 0; i < n; i++) {
		const struct btf_type *t = btf__type_by_id(m->src, ids[i]);

		/* a tag's component index would outlive the members it names */
		if (t && !btf_is_decl_tag(t))
			mark_candidate(m, ev, ids[i]);
	}
}
