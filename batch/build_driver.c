// SPDX-License-Identifier: MIT
/* The batch: N worker threads take kernels in order and process them; the
 * main thread writes each finished kernel to the bundle strictly in input
 * order, so neither bytes nor order depend on N or on scheduling.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "archive/bundle_writer.h"
#include "batch/build.h"
#include "batch/bundle_emit.h"
#include "batch/carry.h"
#include "batch/build_cache.h"
#include "batch/mem_budget.h"
#include "core/minimize_run.h"
#include "core/objfile.h"
#include "base/fileio.h"
#include "base/text.h"
#include "dedup/blob_store.h"
#include "dedup/dedup_plan.h"
#include "dedup/index_json.h"

struct driver {
	const struct build_opts *o;
	struct hub_list hub;
	struct kernel_result *results;
	bool *done;
	size_t next;
	size_t tickets;		/* kernels handed out: their memory turns */
	struct mem_budget budget;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct timespec start;
	/* filled as kernels finish, in input order */
	struct blob_store *blobs;
	size_t *holder;		/* per ok kernel: the kernel that keeps its bytes */
	size_t ok, failed, bytes_in, bytes_btf, bytes_out;
	struct index_part part;	/* --shard */
	struct carry carry;	/* --keep-from */
	size_t cache_results, cache_sources, decompressed;
	struct build_opts run;	/* the options, with the cache opened */
	/* the rendering and the index document, once every kernel is settled */
	struct bundle_emit emit;
	const void **data;	/* per kernel: its bytes, for the renderer */
	struct index_object *ix_objs;
	struct index_kernel *ix_kernels;
	struct index_provenance prov;
	struct index_doc doc;
};

static double elapsed(const struct driver *d)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - d->start.tv_sec) +
	       (double)(now.tv_nsec - d->start.tv_nsec) / 1e9;
}

static void *worker(void *arg)
{
	struct driver *d = arg;
	size_t i, ticket;

	for (;;) {
		pthread_mutex_lock(&d->lock);
		/* skip kernels settled before the run (duplicates) */
		while (d->next < d->hub.cnt && d->done[d->next])
			d->next++;
		i = d->next++;
		ticket = d->tickets++;
		pthread_mutex_unlock(&d->lock);
		if (i >= d->hub.cnt)
			return NULL;
		build_kernel(d->o, &d->hub.kernels[i], &d->budget, ticket, &d->results[i]);
		pthread_mutex_lock(&d->lock);
		d->done[i] = true;
		pthread_cond_broadcast(&d->cond);
		pthread_mutex_unlock(&d->lock);
	}
}

static int cmp_bundle_paths(const void *a, const void *b, void *ctx)
{
	const struct hub_kernel *k = ctx;
	size_t ia = *(const size_t *)a, ib = *(const size_t *)b;
	int c = strcmp(k[ia].bundle_path, k[ib].bundle_path);

	return c ? c : (ia > ib) - (ia < ib);
}

/* True when path is the bundle's index or lies below it. */
static bool takes_index_path(const char *path)
{
	size_t n = strlen(BUNDLE_INDEX_PATH);

	return !strncmp(path, BUNDLE_INDEX_PATH, n) && (!path[n] || path[n] == '/');
}

/* Inputs the walk found unusable fail with its reason; so does one whose
 * bundle path the index takes (a distro directory named index.json); of two
 * inputs that would land on one bundle path, the later one fails.
 */
static int mark_unusable(struct driver *d)
{
	size_t *order, i, n = 0;

	for (i = 0; i < d->hub.cnt; i++) {
		struct hub_kernel *k = &d->hub.kernels[i];

		if (!k->problem && d->o->dedup != DEDUP_INDEX && takes_index_path(k->bundle_path) &&
		    !(k->problem = strdup("its bundle path is where the bundle keeps " BUNDLE_INDEX_PATH)))
			return -ENOMEM;
		if (!k->problem)
			continue;
		snprintf(d->results[i].error, sizeof(d->results[i].error), "%s: %s", k->source,
			 k->problem);
		d->done[i] = true;
	}
	order = malloc((d->hub.cnt + 1) * sizeof(*order));
	if (!order)
		return -ENOMEM;
	for (i = 0; i < d->hub.cnt; i++) {
		if (!d->hub.kernels[i].problem)
			order[n++] = i;
	}
	qsort_r(order, n, sizeof(*order), cmp_bundle_paths, d->hub.kernels);
	for (i = 1; i < n; i++) {
		const struct hub_kernel *prev = &d->hub.kernels[order[i - 1]];
		struct hub_kernel *k = &d->hub.kernels[order[i]];

		if (strcmp(prev->bundle_path, k->bundle_path))
			continue;
		snprintf(d->results[order[i]].error, sizeof(d->results[order[i]].error),
			 "%s: same bundle path %s as %s", k->abs_path, k->bundle_path,
			 prev->source);
		d->done[order[i]] = true;
	}
	free(order);
	return 0;
}

static void progress(const struct driver *d, size_t written)
{
	double t = elapsed(d), rate = t > 0 ? (double)written / t : 0;

	if (d->o->quiet || !isatty(STDERR_FILENO))
		return;
	fprintf(stderr, "\r\033[Kbtfpack: %zu/%zu kernels, %.1f/s, ETA %.0fs", written,
		d->hub.cnt, rate, rate > 0 ? (double)(d->hub.cnt - written) / rate : 0.0);
	if (written == d->hub.cnt)
		fprintf(stderr, "\r\033[K");
}

/* The first kernel with these bytes keeps them for the renderer; a repeat
 * drops its copy.
 */
static int keep_blob(struct driver *d, size_t i, struct bp_err *err)
{
	struct kernel_result *r = &d->results[i];
	const char *first;

	if (blob_store_add_tag(d->blobs, &r->blob_hash, d->hub.kernels[i].bundle_path, i, &first,
			       &d->holder[i]))
		return bp_err_set(err, ENOMEM, "out of memory");
	if (!first) {
		d->bytes_out += r->blob_size;
		return 0;
	}
	free(r->blob);
	r->blob = NULL;
	return 0;
}

static void fill_index(struct driver *d, struct index_object *objs,
		       struct index_kernel *kernels, struct index_doc *doc)
{
	const struct obj_set *set = &d->o->objs;
	size_t i;

	for (i = 0; i < set->cnt; i++) {
		objs[i].name = set->entries[i].name;
		objs[i].arch = set->entries[i].arch;
		bp_hash_hex(&set->entries[i].hash, objs[i].hash);
		bp_hash_hex(&set->entries[i].relo, objs[i].relo);
		objs[i].relocations = set->entries[i].obj->relo_cnt;
	}
	for (i = 0; i < d->hub.cnt; i++) {
		const struct hub_kernel *k = &d->hub.kernels[i];
		const struct kernel_result *r = &d->results[i];
		struct index_kernel *x = &kernels[i];

		memset(x, 0, sizeof(*x));
		x->path = k->bundle_path;
		x->source = k->source;
		x->distro = k->distro;
		x->version = k->version;
		x->arch = k->arch;
		x->release = k->release;
		x->status = r->ok ? "ok" : "failed";
		x->error = r->ok ? NULL : r->error;
		if (r->ok)
			bp_hash_hex(&r->blob_hash, x->blob);
		x->size = r->blob_size;
		if (r->source_read)
			bp_hash_hex(&r->source_hash, x->source_hash);
		x->carried_from = r->carried_from;
		x->resolved = r->resolved;
		x->unresolved = r->unresolved;
		x->rejected = r->rejected;
		x->coverage = r->ok ? r->coverage : NULL;
	}
	doc->btfpack_version = BTFPACK_VERSION;
	doc->provenance = &d->prov;
	doc->part = d->o->shard_of ? &d->part : NULL;
	doc->objects = objs;
	doc->obj_cnt = set->cnt;
	doc->kernels = kernels;
	doc->kernel_cnt = d->hub.cnt;
}

static int write_report(const struct build_opts *o, const struct index_doc *doc,
			struct bp_err *err)
{
	char *json = NULL;
	int ret;

	if (!o->report)
		return 0;
	if (!strcmp(o->report, "-")) {
		ret = report_table_write(doc, stdout);
		return ret ? bp_err_set(err, -ret, "cannot write the report to stdout: %s",
					strerror(-ret)) : 0;
	}
	ret = report_json_render(doc, &json, err);
	if (!ret)
		ret = bp_write_file_atomic(o->report, json, strlen(json), err);
	free(json);
	return ret;
}

/* The index document of the run, once every kernel is settled: index.json
 * and the report are both rendered from it.
 */
static int make_index(struct driver *d, struct bp_err *err)
{
	struct bp_hash set;

	d->ix_objs = calloc(d->o->objs.cnt + 1, sizeof(*d->ix_objs));
	d->ix_kernels = calloc(d->hub.cnt + 1, sizeof(*d->ix_kernels));
	if (!d->ix_objs || !d->ix_kernels || obj_set_digest(&d->o->objs, NULL, &set))
		return bp_err_set(err, ENOMEM, "out of memory");
	bp_hash_hex(&set, d->prov.object_set);
	d->prov.output_format = BTFPACK_OUTPUT_FORMAT;
	snprintf(d->prov.loader, sizeof(d->prov.loader), "%s", min_loader_name(d->o->loaders));
	fill_index(d, d->ix_objs, d->ix_kernels, &d->doc);
	return 0;
}

/* Plan the output; a kernel the profile cannot hold fails alone. */
static int plan_output(struct driver *d, struct bp_err *err)
{
	const struct build_opts *o = d->o;
	const struct emit_opts eo = { o->profile, o->dedup, o->aliases, o->mtime };
	struct kernel_result *r;
	size_t i, dropped;
	int ret;

	d->data = calloc(d->hub.cnt + 1, sizeof(*d->data));
	if (!d->data)
		return bp_err_set(err, ENOMEM, "out of memory");
	for (i = 0; i < d->hub.cnt; i++)
		d->data[i] = d->results[i].ok ? d->results[d->holder[i]].blob : NULL;
	ret = bundle_emit_plan(&d->emit, &eo, d->ix_kernels, d->hub.cnt, d->data, &dropped, err);
	if (ret)
		return ret;
	bundle_emit_doc(&d->emit, &d->doc);
	for (i = 0; dropped && i < d->hub.cnt; i++) {
		r = &d->results[i];
		if (!r->ok || !strcmp(d->ix_kernels[i].status, "ok"))
			continue;
		r->ok = false;
		snprintf(r->error, sizeof(r->error), "%s", d->ix_kernels[i].error);
		d->ix_kernels[i].error = r->error;
		d->ix_kernels[i].coverage = NULL;
		bp_print_error(r->error);
		d->ok--;
		d->failed++;
	}
	return 0;
}

static void summary(const struct driver *d)
{
	char budget[32];

	/* nothing to sum up when the run stopped before it had a hub */
	if (d->o->quiet || !d->blobs)
		return;
	fprintf(stderr,
		"btfpack: %zu kernels: %zu ok, %zu failed; %zu unique blobs; "
		"in %.1f MiB (%.1f MiB BTF) -> out %.1f KiB; %.2f s, memory budget %s\n",
		d->hub.cnt, d->ok, d->failed, blob_store_unique(d->blobs),
		(double)d->bytes_in / 1048576.0, (double)d->bytes_btf / 1048576.0,
		(double)d->bytes_out / 1024.0, elapsed(d),
		mem_size_str(budget, d->budget.limit));
	if (d->o->cache)
		fprintf(stderr, "btfpack: cache: %zu of %zu kernels from results, %zu from decoded "
			"sources; %zu archives decompressed\n", d->cache_results, d->hub.cnt,
			d->cache_sources, d->decompressed);
}

/* --cache DIR: a cache that cannot be opened costs speed, not the run. */
static void open_cache(struct driver *d, const struct build_opts *o)
{
	struct bp_err err;

	d->run = *o;
	d->o = &d->run;
	if (o->cache_dir && build_cache_open(o->cache_dir, &d->run.cache, &err))
		bp_print_errorf("warning: %s; building without the cache", err.msg);
}

/* --cache-max: after the bundle, so this run's entries are the newest. */
static void close_cache(struct driver *d)
{
	struct cache_evicted ev;
	struct bp_err err;

	if (!d->run.cache)
		return;
	if (d->o->cache_max && build_cache_evict(d->run.cache, d->o->cache_max, &ev, &err))
		bp_print_errorf("warning: %s", err.msg);
	else if (d->o->cache_max && !d->o->quiet)
		fprintf(stderr, "btfpack: cache: evicted %zu entries (%.1f KiB), %.1f KiB kept\n",
			ev.entries, (double)ev.bytes / 1024.0, (double)ev.kept_bytes / 1024.0);
	build_cache_close(d->run.cache);
	d->run.cache = NULL;
}

/* Wait for kernel i, then account for it and write it. */
static int take_kernel(struct driver *d, size_t i, struct bp_err *err)
{
	struct kernel_result *r = &d->results[i];
	int ret = 0;

	pthread_mutex_lock(&d->lock);
	while (!d->done[i])
		pthread_cond_wait(&d->cond, &d->lock);
	pthread_mutex_unlock(&d->lock);

	d->bytes_in += r->source_size;
	d->bytes_btf += r->btf_size;
	d->cache_results += r->cached == KC_RESULT;
	d->cache_sources += r->cached == KC_SOURCE;
	d->decompressed += r->decompressed;
	if (r->ok) {
		d->ok++;
		ret = keep_blob(d, i, err);
	} else {
		d->failed++;
		bp_print_error(r->error);
	}
	/* a kept blob is small next to the kernels in flight: its memory
	 * leaves the budget
	 */
	mem_budget_shrink(&d->budget, &r->mem_held, 0);
	progress(d, i + 1);
	return ret;
}

static int run_workers(struct driver *d, struct bp_err *err)
{
	unsigned int n = d->o->jobs, started = 0, t;
	pthread_t *threads;
	size_t i;
	int ret = 0;

	if ((size_t)n > d->hub.cnt)
		n = d->hub.cnt ? (unsigned int)d->hub.cnt : 1;
	threads = calloc(n, sizeof(*threads));
	if (!threads)
		return bp_err_set(err, ENOMEM, "out of memory");
	for (t = 0; t < n; t++) {
		if (pthread_create(&threads[t], NULL, worker, d))
			break;
		started++;
	}
	if (!started) {
		free(threads);
		return bp_err_set(err, EAGAIN, "cannot start worker threads");
	}
	for (i = 0; i < d->hub.cnt && !ret; i++)
		ret = take_kernel(d, i, err);
	if (ret) {
		/* stop handing out work, let running kernels finish */
		pthread_mutex_lock(&d->lock);
		d->next = d->hub.cnt;
		pthread_mutex_unlock(&d->lock);
		/* unwritten blobs keep their memory: nobody may wait for it */
		mem_budget_cancel(&d->budget);
	}
	for (t = 0; t < started; t++)
		pthread_join(threads[t], NULL);
	free(threads);
	return ret;
}

static void driver_free(struct driver *d)
{
	size_t i;

	for (i = 0; d->results && i < d->hub.cnt; i++)
		kernel_result_clear(&d->results[i]);
	free(d->results);
	free(d->done);
	free(d->ix_objs);
	free(d->ix_kernels);
	bundle_emit_free(&d->emit);
	free(d->data);
	free(d->holder);
	blob_store_free(d->blobs);
	carry_free(&d->carry);
	hub_list_free(&d->hub);
	pthread_mutex_destroy(&d->lock);
	pthread_cond_destroy(&d->cond);
	mem_budget_destroy(&d->budget);
}

/* Nothing to build: say whether the hub had nothing or the filters took
 * it all, and what they left out (an --arch typo shows at once).
 */
static void explain_empty(const struct driver *d, struct bp_err *err)
{
	const struct hub_list *h = &d->hub;
	char arches[256] = "";
	size_t i, n = 0;

	if (!h->filtered_out) {
		bp_err_set(err, ENOENT,
			   "%s: no kernel BTF found (inputs are <distro>/<version>/<arch>/<kernel>.btf[.tar.xz|.tar.gz|.tar.zst|.tar] or vmlinux*)",
			   d->o->hub);
		return;
	}
	for (i = 0; i < h->filtered_arch_cnt && n < sizeof(arches); i++)
		n += (size_t)snprintf(arches + n, sizeof(arches) - n, "%s%s", i ? ", " : "",
				      h->filtered_arches[i]);
	bp_err_set(err, ENOENT,
		   "%s: none of its %zu kernel inputs is selected by --arch/--distro/--match (architectures there: %s)",
		   d->o->hub, h->filtered_out, arches[0] ? arches : "none");
}

/* --shard K/N: this run's part of the tree, and the mark its index carries. */
static void select_shard(struct driver *d)
{
	if (!d->o->shard_of)
		return;
	hub_list_keep_shard(&d->hub, d->o->shard - 1, d->o->shard_of);
	d->part.shard = d->o->shard;
	d->part.of = d->o->shard_of;
}

/* --keep-from: carried entries are settled before any worker starts. */
static int settle_carried(struct driver *d, struct bp_err *err)
{
	size_t i;

	for (i = 0; i < d->hub.cnt; i++) {
		if (d->hub.kernels[i].kind != HUB_CARRIED || d->done[i])
			continue;
		if (carry_result(&d->carry, &d->hub.kernels[i], &d->results[i], err))
			return -1;
		d->done[i] = true;
	}
	return 0;
}

static int prepare(struct driver *d, struct bp_err *err)
{
	size_t n;

	if (hub_walk(d->o->hub, &d->o->filter, &d->hub, err))
		return -1;
	if (!d->hub.cnt) {
		explain_empty(d, err);
		return -1;
	}
	if (carry_load(&d->carry, d->o, &d->hub, err))
		return -1;
	select_shard(d);
	n = d->hub.cnt;
	d->results = calloc(n + 1, sizeof(*d->results));
	d->done = calloc(n + 1, sizeof(*d->done));
	d->holder = calloc(n + 1, sizeof(*d->holder));
	d->blobs = blob_store_new();
	if (!d->results || !d->done || !d->holder || !d->blobs || mark_unusable(d)) {
		bp_err_set(err, ENOMEM, "out of memory");
		return -1;
	}
	return settle_carried(d, err);
}

/* Index, then commit: the bundle is in place or nothing is. A shard's
 * part may hold no ok kernel: the merge decides for the whole tree.
 */
static int write_bundle(struct driver *d, struct bundle_writer **w, struct bp_err *err)
{
	const struct build_opts *o = d->o;

	if ((!d->ok && !o->shard_of) || (d->failed && o->strict))
		return bp_err_set(err, EINVAL, "%s: not written: %s", o->output,
				  d->ok ? "--strict and some kernels failed" : "no kernel succeeded");
	return bundle_emit_write(&d->emit, w, &d->doc, err);
}

enum build_outcome build_run(const struct build_opts *o)
{
	struct driver d = { .o = o };
	struct bundle_writer *w = NULL;
	struct bp_err err = { { 0 } };
	enum build_outcome code = BUILD_FAILED;

	pthread_mutex_init(&d.lock, NULL);
	pthread_cond_init(&d.cond, NULL);
	open_cache(&d, o);
	mem_budget_init(&d.budget, o->max_memory);
	clock_gettime(CLOCK_MONOTONIC, &d.start);
	if (!prepare(&d, &err) && !bundle_open_flags(o->output, o->format, o->mtime, o->out_flags,
						     &w, &err) &&
	    !run_workers(&d, &err) && !make_index(&d, &err) && !plan_output(&d, &err) &&
	    !write_bundle(&d, &w, &err))
		code = d.failed ? BUILD_PARTIAL : BUILD_OK;
	if (w)
		bundle_abort(w);
	if (code == BUILD_FAILED && err.msg[0])
		bp_print_error(err.msg);
	/* after the bundle, so a full disk for the report cannot cost the
	 * bundle; written even without a bundle, to say what failed
	 */
	if (d.ix_kernels && write_report(o, &d.doc, &err)) {
		if (code != BUILD_FAILED)
			bp_print_errorf("%s (the bundle %s is written)", err.msg, o->output);
		else
			bp_print_error(err.msg);
		code = BUILD_FAILED;
	}
	summary(&d);
	close_cache(&d);
	driver_free(&d);
	return code;
}
