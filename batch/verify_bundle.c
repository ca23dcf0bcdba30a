// SPDX-License-Identifier: MIT
/* btfpack verify: every kernel entry of a bundle against its hub source.
 * Entries are read through one bundle catalogue (bundle_cat_open(), then
 * bundle_cat_get() per entry), so links and index blobs are followed
 * exactly as an application's lookup follows them.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>

#include "archive/bundle_reader.h"
#include "archive/bundle_writer.h"
#include "archive/hub_member.h"
#include "base/fileio.h"
#include "base/text.h"
#include "batch/hub_walk.h"
#include "batch/verify_bundle.h"
#include "core/cand_index.h"
#include "core/objfile.h"
#include "core/source_btf.h"
#include "core/verify.h"
#include "dedup/alias_rules.h"
#include "dedup/index_json.h"

enum entry_state {
	ENTRY_EQUAL,
	ENTRY_MISMATCH,
	ENTRY_BAD,		/* the bundle's BTF cannot be read */
	ENTRY_UNCHECKED,	/* the hub's cannot */
};

struct entry_result {
	enum entry_state state;
	char reason[BP_ERR_MSG_MAX];	/* BAD, UNCHECKED */
	char *lines;			/* MISMATCH lines, names escaped */
	size_t lines_len;
	size_t relos;			/* decisions compared */
	size_t diffs;
};

struct path_list {
	char **paths;
	size_t cnt, cap;
};

/* A key of docs/lookup.md's alias table under which --aliases stores a
 * hub kernel.
 */
struct alias_entry {
	char *path;
	const struct hub_kernel *k;
};

struct verify_run {
	const struct verify_opts *o;
	struct bundle_cat *cat;		/* read by every worker */
	struct path_list entries;	/* sorted, unique */
	struct hub_list hub;
	const struct hub_kernel **by_path;	/* hub inputs sorted by bundle path */
	struct alias_entry *aliases;	/* sorted by path */
	size_t alias_cnt, alias_cap;
	struct entry_result *res;
	atomic_size_t next;
};

static int push_path(struct path_list *l, const char *p)
{
	char **grown;

	if (l->cnt == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;

		grown = realloc(l->paths, cap * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		l->paths = grown;
		l->cap = cap;
	}
	l->paths[l->cnt] = strdup(p);
	return l->paths[l->cnt] ? (l->cnt++, 0) : -ENOMEM;
}

#define ARCHIVED_SUFFIX ".tar.xz"

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && !strcmp(s + n - k, suffix);
}

/* <distro>/<version>/<arch>/<kernel>.btf (or .btf.tar.xz, the btfhub
 * profile's one archive per kernel): four components, so not a blob.
 */
static bool kernel_entry_path(const char *p)
{
	size_t slashes = 0;
	const char *c;

	if (!ends_with(p, ".btf") && !ends_with(p, ".btf" ARCHIVED_SUFFIX))
		return false;
	for (c = p; *c; c++)
		slashes += *c == '/';
	return slashes == 3 && strlen(p) > strlen("a/b/c/.btf");
}

/* The hub input's bundle path for an entry: without the archive suffix. */
static char *source_key(const char *entry)
{
	size_t n = strlen(entry);

	if (ends_with(entry, ARCHIVED_SUFFIX))
		n -= strlen(ARCHIVED_SUFFIX);
	return strndup(entry, n);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sort_unique(struct path_list *l)
{
	size_t i, out = 0;

	if (l->cnt > 1)
		qsort(l->paths, l->cnt, sizeof(*l->paths), cmp_str);
	for (i = 0; i < l->cnt; i++) {
		if (out && !strcmp(l->paths[out - 1], l->paths[i]))
			free(l->paths[i]);
		else
			l->paths[out++] = l->paths[i];
	}
	l->cnt = out;
}

/* The kernel entries: files and links of the catalogue, and the index's
 * blob mappings (--dedup index bundles have no file per kernel).
 */
static int list_entries(const struct bundle_cat *cat, struct path_list *l, struct bp_err *err)
{
	enum bundle_entry_type type;
	const void *index;
	char **more = NULL;
	size_t n = 0, size, i;
	const char *p;
	int ret = 0;

	for (i = 0; !ret && i < bundle_cat_count(cat); i++) {
		p = bundle_cat_path(cat, i, &type);
		if (type != BUNDLE_ENTRY_DIR && kernel_entry_path(p) && push_path(l, p))
			ret = bp_err_set(err, ENOMEM, "%s: out of memory", bundle_cat_name(cat));
	}
	index = bundle_cat_index(cat, &size);
	if (!ret && index)
		ret = index_json_kernel_paths(index, size, bundle_cat_name(cat), &more, &n, err);
	for (i = 0; i < n; i++) {
		if (!ret && push_path(l, more[i]))
			ret = bp_err_set(err, ENOMEM, "%s: out of memory", bundle_cat_name(cat));
		free(more[i]);
	}
	free(more);
	if (!ret)
		sort_unique(l);
	return ret;
}

static int cmp_hub_path(const void *a, const void *b)
{
	const struct hub_kernel *x = *(const struct hub_kernel *const *)a;
	const struct hub_kernel *y = *(const struct hub_kernel *const *)b;
	int c = strcmp(x->bundle_path, y->bundle_path);

	/* the build keeps the first input of a bundle path: walk order */
	return c ? c : (x < y ? -1 : x > y);
}

static const struct hub_kernel *hub_find(const struct verify_run *r, const char *path)
{
	size_t lo = 0, hi = r->hub.cnt, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(r->by_path[mid]->bundle_path, path) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < r->hub.cnt && !strcmp(r->by_path[lo]->bundle_path, path))
		return r->by_path[lo];
	return NULL;
}

static int push_alias(struct verify_run *r, const struct hub_kernel *k,
		      const struct alias_key *a)
{
	struct alias_entry *grown;

	if (r->alias_cnt == r->alias_cap) {
		size_t cap = r->alias_cap ? r->alias_cap * 2 : 64;

		grown = realloc(r->aliases, cap * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		r->aliases = grown;
		r->alias_cap = cap;
	}
	if (asprintf(&r->aliases[r->alias_cnt].path, "%s/%s/%s/%s.btf", a->distro, a->version,
		     a->arch, k->release) < 0)
		return -ENOMEM;
	r->aliases[r->alias_cnt++].k = k;
	return 0;
}

static int cmp_alias(const void *a, const void *b)
{
	const struct alias_entry *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	/* of two kernels with one alias, the first in walk order has it */
	return c ? c : (x->k < y->k ? -1 : x->k > y->k);
}

/* Every alias key of every hub input that `btfpack build --aliases` makes
 * for some profile (quoted IDs and empty versions included: bcc has them).
 */
static int list_aliases(struct verify_run *r, struct bp_err *err)
{
	struct alias_key key, out[ALIAS_MAX];
	size_t i, j, n;

	for (i = 0; i < r->hub.cnt; i++) {
		const struct hub_kernel *k = &r->hub.kernels[i];

		if (k->problem || alias_key_set(&key, k->distro, k->version, k->arch))
			continue;
		n = alias_keys(&key, ALIAS_ALL, out);
		for (j = 0; j < n; j++) {
			if (push_alias(r, k, &out[j]))
				return bp_err_set(err, ENOMEM, "verify: out of memory");
		}
	}
	if (r->alias_cnt > 1)
		qsort(r->aliases, r->alias_cnt, sizeof(*r->aliases), cmp_alias);
	return 0;
}

static const struct hub_kernel *alias_find(const struct verify_run *r, const char *path)
{
	size_t lo = 0, hi = r->alias_cnt, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(r->aliases[mid].path, path) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < r->alias_cnt && !strcmp(r->aliases[lo].path, path))
		return r->aliases[lo].k;
	return NULL;
}

/* The full BTF of a hub input, decompressed in memory as the build does. */
static int load_hub_btf(const struct hub_kernel *k, size_t member_cap, struct btf **out,
			struct bp_err *err)
{
	struct hub_member m = { 0 };
	struct bp_file_view view;
	const void *data;
	size_t size;
	int ret;

	ret = bp_view_file(k->abs_path, BP_MAX_INPUT_FILE, &view, err);
	if (ret)
		return ret;
	data = view.data;
	size = view.size;
	if (k->kind == HUB_ARCHIVE) {
		ret = hub_member_read(view.data, view.size, k->source, member_cap, &m, err);
		data = m.data;
		size = m.size;
	}
	if (!ret)
		ret = source_btf_load_mem(data, size, k->source, out, err);
	free(m.data);
	bp_unview_file(&view);
	return ret;
}

struct verbatim {
	const char *want;
	void *data;
	size_t size;
};

static int verbatim_fn(void *ctx, const struct bundle_entry *e)
{
	struct verbatim *v = ctx;

	if (e->type != BUNDLE_ENTRY_FILE || strcmp(e->path, v->want))
		return 0;
	v->data = malloc(e->size + 1);
	if (!v->data)
		return -ENOMEM;
	memcpy(v->data, e->data, e->size);
	v->size = e->size;
	return 1;
}

/* A tar member whose name has an empty directory ("fedora//x86_64/...",
 * the bcc profile's alias for an unquoted VERSION_ID) is what bcc reads,
 * byte for byte; a path walk skips the empty component and misses it.
 */
static int read_verbatim(const char *bundle, const char *path, void **data, size_t *size,
			 struct bp_err *err)
{
	struct verbatim v = { .want = path };
	int ret = bundle_read(bundle, verbatim_fn, &v, err);

	if (ret == 1) {
		*data = v.data;
		*size = v.size;
		return 0;
	}
	free(v.data);
	if (ret == -ENOMEM)
		return bp_err_set(err, ENOMEM, "%s: out of memory", bundle);
	return ret ? ret : bp_err_set(err, ENOENT, "%s: no file %s", bundle, path);
}

static int load_entry_btf(const struct bundle_cat *cat, const char *path, size_t member_cap,
			  struct btf **out, struct bp_err *err)
{
	struct hub_member m = { 0 };
	const void *btf_data;
	size_t size, btf_size;
	void *data;
	int ret;

	ret = bundle_cat_get(cat, path, &data, &size, err);
	if (ret == -ENOENT && strstr(path, "//"))
		ret = read_verbatim(bundle_cat_name(cat), path, &data, &size, err);
	if (ret)
		return ret;
	btf_data = data;
	btf_size = size;
	/* the btfpack profile's per-kernel archive holds one .btf */
	if (ends_with(path, ARCHIVED_SUFFIX)) {
		ret = hub_member_read(data, size, path, member_cap, &m, err);
		btf_data = m.data;
		btf_size = m.size;
	}
	if (!ret)
		ret = source_btf_load_mem(btf_data, btf_size, path, out, err);
	free(m.data);
	free(data);
	return ret;
}

struct diff_ctx {
	FILE *out;
	const char *entry;	/* escaped */
	const char *obj;	/* escaped */
};

static int print_diff(void *ctx, const struct verify_diff *d)
{
	struct diff_ctx *c = ctx;
	char *sec = bp_escape_dup(d->sec), *local = bp_escape_dup(d->local);
	char *access = bp_escape_dup(d->access);
	int ret = 0;

	if (!sec || !local || !access)
		ret = -ENOMEM;
	else
		fprintf(c->out, "MISMATCH %s: %s: sec '%s' relo #%zu insn %u %s %s '%s': "
			"hub: %s; bundle: %s\n", c->entry, c->obj, sec, d->sec_rec, d->insn_off,
			d->kind, local, access, d->first, d->second);
	free(sec);
	free(local);
	free(access);
	return ret;
}

struct pair {
	struct btf *full, *min;
	struct cand_index *full_idx, *min_idx;
};

/* Every object of the kernel's architecture, hub first, bundle second. */
static int compare_objects(const struct verify_run *r, const struct hub_kernel *k,
			   const struct pair *p, const char *entry, struct entry_result *res,
			   struct bp_err *err)
{
	const struct obj_set *set = &r->o->objs;
	struct objfile **objs = calloc(set->cnt + 1, sizeof(*objs));
	size_t *idx = calloc(set->cnt + 1, sizeof(*idx));
	struct diff_ctx c = { .entry = bp_escape_dup(entry) };
	size_t n = 0, i, d = 0;
	int ret = 0;

	c.out = open_memstream(&res->lines, &res->lines_len);
	if (!objs || !idx || !c.entry || !c.out)
		ret = bp_err_set(err, ENOMEM, "%s: out of memory", entry);
	if (!ret)
		n = obj_set_select(set, k->arch, objs, idx);
	for (i = 0; !ret && i < n; i++) {
		d = 0;
		c.obj = bp_escape_dup(set->entries[idx[i]].name);
		ret = c.obj ? verify_obj_each(p->full, p->full_idx, p->min, p->min_idx, objs[i],
					      print_diff, &c, &d, err)
			    : -ENOMEM;
		if (ret == -ENOMEM)
			ret = bp_err_set(err, ENOMEM, "%s: out of memory", entry);
		free((char *)c.obj);
		res->relos += objs[i]->relo_cnt;
		res->diffs += d;
	}
	if (c.out && fclose(c.out) && !ret)
		ret = bp_err_set(err, ENOMEM, "%s: out of memory", entry);
	free((char *)c.entry);
	free(objs);
	free(idx);
	return ret;
}

static void set_state(struct entry_result *res, enum entry_state s, const struct bp_err *err)
{
	res->state = s;
	if (err)
		memcpy(res->reason, err->msg, sizeof(res->reason));
}

/* The hub input an entry was built from; NULL with err set when none. */
static const struct hub_kernel *source_of(const struct verify_run *r, const char *entry,
					  struct bp_err *err)
{
	char *key = source_key(entry);
	const struct hub_kernel *k;

	if (!key) {
		bp_err_set(err, ENOMEM, "out of memory");
		return NULL;
	}
	/* a real kernel at a path wins over an alias, as in the build */
	k = hub_find(r, key);
	if (!k)
		k = alias_find(r, key);
	if (!k)
		bp_err_set(err, ENOENT, "no source in the hub");
	free(key);
	return k;
}

static void verify_entry(const struct verify_run *r, size_t i)
{
	const char *path = r->entries.paths[i];
	struct entry_result *res = &r->res[i];
	struct bp_err err = { { 0 } };
	const struct hub_kernel *k = source_of(r, path, &err);
	struct pair p = { 0 };

	if (!k) {
		set_state(res, ENTRY_UNCHECKED, &err);
		return;
	}
	if (k->problem) {
		bp_err_set(&err, EINVAL, "hub input %s: %s", k->source, k->problem);
		set_state(res, ENTRY_UNCHECKED, &err);
	} else if (load_hub_btf(k, r->o->member_cap, &p.full, &err) ||
		   cand_index_build(p.full, &p.full_idx, &err)) {
		set_state(res, ENTRY_UNCHECKED, &err);
	} else if (load_entry_btf(r->cat, path, r->o->member_cap, &p.min, &err) ||
		   cand_index_build(p.min, &p.min_idx, &err)) {
		set_state(res, ENTRY_BAD, &err);
	} else if (compare_objects(r, k, &p, path, res, &err)) {
		set_state(res, ENTRY_UNCHECKED, &err);
	} else {
		set_state(res, res->diffs ? ENTRY_MISMATCH : ENTRY_EQUAL, NULL);
	}
	cand_index_free(p.min_idx);
	cand_index_free(p.full_idx);
	btf__free(p.min);
	btf__free(p.full);
}

static void *worker(void *arg)
{
	struct verify_run *r = arg;
	size_t i;

	while ((i = atomic_fetch_add(&r->next, 1)) < r->entries.cnt)
		verify_entry(r, i);
	return NULL;
}

static void run_workers(struct verify_run *r)
{
	unsigned int n = r->o->jobs, started = 0, t;
	pthread_t *tids;

	if (n > r->entries.cnt)
		n = r->entries.cnt ? (unsigned int)r->entries.cnt : 1;
	tids = n > 1 ? calloc(n, sizeof(*tids)) : NULL;
	for (t = 0; tids && t < n; t++) {
		if (pthread_create(&tids[t], NULL, worker, r))
			break;
		started++;
	}
	/* no threads (one job, or none could start): this thread does it all */
	worker(r);
	for (t = 0; t < started; t++)
		pthread_join(tids[t], NULL);
	free(tids);
}

static const char *const state_word[] = { "EQUAL", "MISMATCH", "BAD", "UNCHECKED" };

static void print_entry(const struct verify_run *r, size_t i, size_t counts[4])
{
	const struct entry_result *res = &r->res[i];

	counts[res->state]++;
	if (res->state == ENTRY_MISMATCH) {
		fwrite(res->lines, 1, res->lines_len, stdout);
		return;
	}
	if (res->state == ENTRY_EQUAL && !r->o->verbose)
		return;
	printf("%s ", state_word[res->state]);
	bp_fputs_escaped(r->entries.paths[i], stdout);
	if (res->state == ENTRY_EQUAL) {
		printf(": %zu relocations\n", res->relos);
		return;
	}
	fputs(": ", stdout);
	bp_fputs_escaped(res->reason, stdout);
	putchar('\n');
}

static bool listed(const struct verify_run *r, const char *path)
{
	return bsearch(&path, r->entries.paths, r->entries.cnt, sizeof(char *), cmp_str);
}

/* Hub inputs that have no entry: the build failed them or was filtered. */
static size_t hub_without_entry(const struct verify_run *r)
{
	char archived[4096];
	size_t i, n = 0;

	for (i = 0; i < r->hub.cnt; i++) {
		const struct hub_kernel *k = &r->hub.kernels[i];

		snprintf(archived, sizeof(archived), "%s" ARCHIVED_SUFFIX, k->bundle_path);
		if (!k->problem && !listed(r, k->bundle_path) && !listed(r, archived))
			n++;
	}
	return n;
}

static enum verify_outcome report(const struct verify_run *r)
{
	size_t counts[4] = { 0 }, diffs = 0, relos = 0, i;

	for (i = 0; i < r->entries.cnt; i++) {
		print_entry(r, i, counts);
		diffs += r->res[i].diffs;
		relos += r->res[i].relos;
	}
	if (!r->o->quiet)
		printf("verify: %zu entries: %zu equal, %zu mismatched (%zu relocations), "
		       "%zu unreadable, %zu not checked; %zu decisions compared; "
		       "%zu hub kernels have no entry\n", r->entries.cnt, counts[ENTRY_EQUAL],
		       counts[ENTRY_MISMATCH], diffs, counts[ENTRY_BAD], counts[ENTRY_UNCHECKED],
		       relos, hub_without_entry(r));
	if (fflush(stdout)) {
		bp_print_error("verify: cannot write to stdout");
		return VERIFY_FAILED;
	}
	if (counts[ENTRY_MISMATCH] || counts[ENTRY_BAD])
		return VERIFY_MISMATCH;
	return counts[ENTRY_UNCHECKED] ? VERIFY_UNCHECKED : VERIFY_EQUAL;
}

/* Objects the bundle says it was not minimized for: their relocations may
 * well differ. A warning, the comparison says the rest.
 */
static void warn_other_objects(const struct verify_run *r)
{
	const struct obj_set *set = &r->o->objs;
	struct bp_err err;
	char **names, *dedup;
	const void *index;
	size_t size, n, i, j;

	index = bundle_cat_index(r->cat, &size);
	if (!index || index_json_describe(index, size, r->o->bundle, &names, &n, &dedup, &err))
		return;
	for (i = 0; n && i < set->cnt; i++) {
		for (j = 0; j < n && strcmp(names[j], set->entries[i].name); j++)
			;
		if (j == n)
			bp_print_errorf("verify: warning: %s: its index.json does not list object %s: "
					"it was not minimized for it", r->o->bundle,
					set->entries[i].name);
	}
	for (j = 0; j < n; j++)
		free(names[j]);
	free(names);
	free(dedup);
}

static int prepare(struct verify_run *r, struct bp_err *err)
{
	const struct bundle_src src = { .name = r->o->bundle, .path = r->o->bundle };
	const struct hub_filter all = { 0 };
	size_t i;
	int ret;

	ret = bundle_cat_open(&src, &r->cat, err);
	if (!ret)
		ret = list_entries(r->cat, &r->entries, err);
	if (!ret)
		warn_other_objects(r);
	if (!ret && !r->entries.cnt)
		ret = bp_err_set(err, ENOENT, "%s: holds no kernel entries", r->o->bundle);
	if (!ret)
		ret = hub_walk(r->o->hub, &all, &r->hub, err);
	if (!ret)
		ret = list_aliases(r, err);
	if (ret)
		return ret;
	r->by_path = calloc(r->hub.cnt + 1, sizeof(*r->by_path));
	r->res = calloc(r->entries.cnt, sizeof(*r->res));
	if (!r->by_path || !r->res)
		return bp_err_set(err, ENOMEM, "verify: out of memory");
	for (i = 0; i < r->hub.cnt; i++)
		r->by_path[i] = &r->hub.kernels[i];
	if (r->hub.cnt > 1)
		qsort(r->by_path, r->hub.cnt, sizeof(*r->by_path), cmp_hub_path);
	return 0;
}

enum verify_outcome verify_bundle_run(const struct verify_opts *o)
{
	struct verify_run r = { .o = o };
	enum verify_outcome out = VERIFY_FAILED;
	struct bp_err err = { { 0 } };
	size_t i;

	atomic_init(&r.next, 0);
	if (prepare(&r, &err)) {
		bp_print_error(err.msg);
	} else {
		run_workers(&r);
		out = report(&r);
	}
	for (i = 0; r.res && i < r.entries.cnt; i++)
		free(r.res[i].lines);
	for (i = 0; i < r.entries.cnt; i++)
		free(r.entries.paths[i]);
	free(r.entries.paths);
	free(r.res);
	free(r.by_path);
	for (i = 0; i < r.alias_cnt; i++)
		free(r.aliases[i].path);
	free(r.aliases);
	hub_list_free(&r.hub);
	bundle_cat_free(r.cat);
	return out;
}
