// SPDX-License-Identifier: MIT
/* The output profiles: plan the items, then write them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive/bundle_render.h"
#include "dedup/alias_rules.h"
#include "dedup/blob_store.h"

static const char *const profile_names[] = {
	[PROFILE_NATIVE] = "native",
	[PROFILE_BCC] = "bcc",
	[PROFILE_TREE] = "tree",
	[PROFILE_BTFHUB] = "btfhub",
};

#define N_PROFILES (sizeof(profile_names) / sizeof(profile_names[0]))

const char *bundle_profile_name(enum bundle_profile p)
{
	return (size_t)p < N_PROFILES ? profile_names[p] : NULL;
}

int bundle_profile_parse(const char *name, enum bundle_profile *p)
{
	size_t i;

	for (i = 0; i < N_PROFILES; i++) {
		if (!strcmp(name, profile_names[i])) {
			*p = (enum bundle_profile)i;
			return 0;
		}
	}
	return -EINVAL;
}

bool bundle_profile_has_index(enum bundle_profile p)
{
	/* bcc's reader would not mind one more member, but it costs bytes in
	 * every binary that embeds the tar, and the entries are found by name
	 */
	return p != PROFILE_BCC;
}

int bundle_profile_output(enum bundle_profile p, const char *path, enum bundle_format *fmt,
			  unsigned int *flags, struct bp_err *err)
{
	enum bundle_format f = bundle_format_for_path(path);

	*fmt = f;
	*flags = 0;
	switch (p) {
	case PROFILE_NATIVE:
		return 0;
	case PROFILE_BCC:
		*flags = BUNDLE_VERBATIM_NAMES | BUNDLE_MAX_COMPRESSION;
		if (f == BUNDLE_TAR_GZ)
			return 0;
		return bp_err_set(err, EINVAL, "%s: --profile bcc writes a .tar.gz (or .tgz)", path);
	case PROFILE_TREE:
		if (f == BUNDLE_DIR)
			return 0;
		return bp_err_set(err, EINVAL, "%s: --profile tree writes a directory, not a tar",
				  path);
	case PROFILE_BTFHUB:
		if (f == BUNDLE_DIR || f == BUNDLE_TAR_XZ)
			return 0;
		return bp_err_set(err, EINVAL,
				  "%s: --profile btfhub writes a directory or one .tar.xz", path);
	}
	return bp_err_set(err, EINVAL, "%s: unknown profile %d", path, (int)p);
}

/* ---- the plan ---- */

struct plan_build {
	struct render_plan *plan;
	size_t cap;
	size_t *group;		/* per entry: first entry with its hash */
	struct bp_err *err;
};

static int oom(struct plan_build *b)
{
	return bp_err_set(b->err, ENOMEM, "out of memory");
}

/* The output name of key for the plan's profile, or NULL (ENOMEM). */
static char *item_name(enum bundle_profile p, const char *key)
{
	char *s = NULL;
	int n;

	if (p == PROFILE_BCC)
		n = asprintf(&s, "./%s", key);
	else if (p == PROFILE_BTFHUB)
		n = asprintf(&s, "%s.tar.xz", key);
	else
		n = asprintf(&s, "%s", key);
	return n < 0 ? NULL : s;
}

/* Add key for entry; *fits false when the profile cannot name it. */
static int add_item(struct plan_build *b, const char *key, size_t entry, bool alias,
		    bool *fits)
{
	struct render_plan *pl = b->plan;
	struct render_item *it;
	char *name;

	*fits = true;
	name = item_name(pl->profile, key);
	if (!name)
		return oom(b);
	if (pl->profile == PROFILE_BCC && strlen(name) > BUNDLE_USTAR_NAME_MAX) {
		free(name);
		*fits = false;
		return 0;
	}
	if (pl->cnt == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;

		it = realloc(pl->items, cap * sizeof(*it));
		if (!it) {
			free(name);
			return oom(b);
		}
		pl->items = it;
		b->cap = cap;
	}
	it = &pl->items[pl->cnt];
	*it = (struct render_item){ .name = name, .entry = entry, .alias = alias };
	it->key = strdup(key);
	if (!it->key) {
		free(name);
		return oom(b);
	}
	pl->cnt++;
	return 0;
}

static int add_entry_item(struct plan_build *b, const struct render_entry *e, size_t i)
{
	bool fits;
	int ret;

	ret = add_item(b, e->path, i, false, &fits);
	if (ret || fits)
		return ret;
	if (asprintf(&b->plan->errors[i],
		     "%s: its bcc name ./%s is over %d bytes, the ustar name field bcc reads",
		     e->path, e->path, BUNDLE_USTAR_NAME_MAX) < 0) {
		b->plan->errors[i] = NULL;
		return oom(b);
	}
	return 0;
}

/* bcc computes both bugs' keys; native links are cheap and the lookup
 * reads them; go:embed drops names with '"' (tree, and btfhub trees that
 * tracee embeds), and directories cannot have empty names.
 */
static unsigned int alias_flags_for(enum bundle_profile p)
{
	switch (p) {
	case PROFILE_BCC:
		return ALIAS_ALL;
	case PROFILE_NATIVE:
		return ALIAS_QUOTED_IDS;
	default:
		return 0;
	}
}

static int add_alias_items(struct plan_build *b, const struct render_entry *e, size_t i)
{
	struct alias_key k, keys[ALIAS_MAX];
	unsigned int flags = alias_flags_for(b->plan->profile);
	char *key;
	size_t j, n;
	bool fits;
	int ret = 0;

	/* a field too long for the rules has no aliases */
	if (alias_key_set(&k, e->distro, e->version, e->arch))
		return 0;
	n = alias_keys(&k, flags, keys);
	for (j = 0; j < n && !ret; j++) {
		if (asprintf(&key, "%s/%s/%s/%s.btf", keys[j].distro, keys[j].version,
			     keys[j].arch, e->release) < 0)
			return oom(b);
		/* an alias whose name does not fit is left out, the entry stays */
		ret = add_item(b, key, i, true, &fits);
		free(key);
	}
	return ret;
}

static int cmp_name(const void *a, const void *b, void *ctx)
{
	const struct render_item *it = ctx;
	size_t ia = *(const size_t *)a, ib = *(const size_t *)b;
	int c = strcmp(it[ia].name, it[ib].name);

	return c ? c : (ia > ib) - (ia < ib);
}

struct order_ctx {
	const struct render_item *items;
	const size_t *group;
};

/* bcc: items of one blob together, blobs in order of first appearance */
static int cmp_group(const void *a, const void *b, void *ctx)
{
	const struct order_ctx *o = ctx;
	const struct render_item *x = &o->items[*(const size_t *)a];
	const struct render_item *y = &o->items[*(const size_t *)b];
	size_t gx = o->group[x->entry], gy = o->group[y->entry];

	if (gx != gy)
		return (gx > gy) - (gx < gy);
	return strcmp(x->name, y->name);
}

static void item_free(struct render_item *it)
{
	free(it->key);
	free(it->name);
}

/* Drop items whose name an earlier one took (entries precede aliases, so
 * a real kernel always keeps its path), then put them in output order.
 */
static int settle(struct plan_build *b)
{
	struct render_plan *pl = b->plan;
	struct order_ctx oc = { .items = pl->items, .group = b->group };
	struct render_item *out;
	size_t *ord, i, n = 0;
	bool *drop;

	ord = malloc((pl->cnt + 1) * sizeof(*ord));
	drop = calloc(pl->cnt + 1, sizeof(*drop));
	out = malloc((pl->cnt + 1) * sizeof(*out));
	if (!ord || !drop || !out) {
		free(ord);
		free(drop);
		free(out);
		return oom(b);
	}
	for (i = 0; i < pl->cnt; i++)
		ord[i] = i;
	qsort_r(ord, pl->cnt, sizeof(*ord), cmp_name, pl->items);
	for (i = 1; i < pl->cnt; i++)
		drop[ord[i]] = !strcmp(pl->items[ord[i]].name, pl->items[ord[i - 1]].name);
	for (i = 0; i < pl->cnt; i++) {
		if (drop[i])
			item_free(&pl->items[i]);
		else
			ord[n++] = i;
	}
	if (pl->profile == PROFILE_BCC)
		qsort_r(ord, n, sizeof(*ord), cmp_group, &oc);
	for (i = 0; i < n; i++)
		out[i] = pl->items[ord[i]];
	free(pl->items);
	pl->items = out;
	pl->cnt = n;
	free(ord);
	free(drop);
	return 0;
}

static int group_entries(struct plan_build *b, const struct render_entry *e, size_t n)
{
	struct blob_store *s = blob_store_new();
	size_t i;
	int ret = 0;

	b->group = malloc((n + 1) * sizeof(*b->group));
	if (!s || !b->group) {
		blob_store_free(s);
		return oom(b);
	}
	for (i = 0; i < n && !ret; i++)
		if (blob_store_add_tag(s, &e[i].hash, e[i].path, i, NULL, &b->group[i]))
			ret = oom(b);
	blob_store_free(s);
	return ret;
}

int render_plan_make(enum bundle_profile p, enum dedup_mode dedup, bool aliases, time_t mtime,
		     const struct render_entry *e, size_t n, struct render_plan *plan,
		     struct bp_err *err)
{
	struct plan_build b = { .plan = plan, .err = err };
	size_t i;
	int ret;

	*plan = (struct render_plan){ .profile = p, .dedup = dedup, .mtime = mtime,
				      .entry_cnt = n };
	plan->errors = calloc(n + 1, sizeof(*plan->errors));
	if (!plan->errors)
		return oom(&b);
	ret = group_entries(&b, e, n);
	for (i = 0; i < n && !ret; i++)
		ret = add_entry_item(&b, &e[i], i);
	for (i = 0; aliases && i < n && !ret; i++) {
		if (!plan->errors[i])
			ret = add_alias_items(&b, &e[i], i);
	}
	if (!ret)
		ret = settle(&b);
	free(b.group);
	if (ret)
		render_plan_free(plan);
	return ret;
}

void render_plan_free(struct render_plan *plan)
{
	size_t i;

	for (i = 0; i < plan->cnt; i++)
		item_free(&plan->items[i]);
	for (i = 0; plan->errors && i < plan->entry_cnt; i++)
		free(plan->errors[i]);
	free(plan->items);
	free(plan->errors);
	*plan = (struct render_plan){ 0 };
}

/* ---- writing ---- */

static int write_native(struct bundle_writer *w, struct blob_store *s,
			const struct render_plan *pl, const struct render_item *it,
			const struct render_entry *e, struct bp_err *err)
{
	struct dedup_entry de;
	int ret;

	ret = dedup_place(s, pl->dedup, &e->hash, it->name, &de);
	if (ret)
		return bp_err_set(err, -ret, "%s: %s", it->name, strerror(-ret));
	switch (de.action) {
	case DEDUP_ADD_FILE:
		ret = bundle_add_file(w, de.path, e->data, e->size, err);
		break;
	case DEDUP_ADD_SYMLINK:
		ret = bundle_add_symlink(w, de.path, de.target, err);
		break;
	case DEDUP_ADD_HARDLINK:
		ret = bundle_add_hardlink(w, de.path, de.target, err);
		break;
	case DEDUP_ADD_NOTHING:
		break;
	}
	dedup_entry_clear(&de);
	return ret;
}

static int write_btfhub(struct bundle_writer *w, const struct render_plan *pl,
			const struct render_item *it, const struct render_entry *e,
			struct bp_err *err)
{
	const char *base = strrchr(it->key, '/');
	size_t size;
	void *xz;
	int ret;

	/* the member is <release>.btf, as in btfhub-archive */
	ret = bundle_tar_xz_one(base ? base + 1 : it->key, e->data, e->size, pl->mtime, &xz,
				&size, err);
	if (ret)
		return ret;
	ret = bundle_add_file(w, it->name, xz, size, err);
	free(xz);
	return ret;
}

int render_write(struct bundle_writer *w, const struct render_plan *pl,
		 const struct render_entry *e, struct bp_err *err)
{
	struct blob_store *s = NULL;
	size_t i;
	int ret = 0;

	if (pl->profile == PROFILE_NATIVE && !(s = blob_store_new()))
		return bp_err_set(err, ENOMEM, "out of memory");
	for (i = 0; i < pl->cnt && !ret; i++) {
		const struct render_item *it = &pl->items[i];
		const struct render_entry *x = &e[it->entry];

		switch (pl->profile) {
		case PROFILE_NATIVE:
			ret = write_native(w, s, pl, it, x, err);
			break;
		case PROFILE_BTFHUB:
			ret = write_btfhub(w, pl, it, x, err);
			break;
		default:
			ret = bundle_add_file(w, it->name, x->data, x->size, err);
			break;
		}
	}
	blob_store_free(s);
	return ret;
}
