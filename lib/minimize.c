// SPDX-License-Identifier: MIT
/* btfpack_kernel__minimize: the work of `btfpack min` as a call, with the
 * same steps (engine, minimizer, self-check, canonical bytes) so it returns
 * the bytes the CLI writes.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>

#include "core/minimize_run.h"
#include "core/objfile.h"
#include "core/verify.h"
#include "include/btfpack.h"
#include "lib/lib_priv.h"

#define offsetofend(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))

/* libbpf's OPTS_VALID(): a caller built against a newer header may pass a
 * larger struct, but only with the fields this library does not know zero.
 */
static int opts_valid(const struct btfpack_minimize_opts *opts, struct bp_err *e)
{
	const unsigned char *p = (const unsigned char *)opts;
	size_t i;

	if (!opts)
		return 0;
	if (opts->sz < offsetofend(struct btfpack_minimize_opts, sz))
		return bp_err_set(e, EINVAL, "minimize options: sz %zu is too small", opts->sz);
	for (i = sizeof(*opts); i < opts->sz; i++)
		if (p[i])
			return bp_err_set(e, EINVAL,
					  "minimize options: unknown option at byte %zu is set", i);
	return 0;
}

/* A field the caller's struct has (sz covers it), else its zero default. */
#define OPT(opts, field)							\
	((opts) && (opts)->sz >= offsetofend(struct btfpack_minimize_opts, field) ?	\
	 (opts)->field : (__typeof__((opts)->field))0)

struct log_ctx {
	const char *kernel;
	btfpack_log_fn fn;
	void *ctx;
};

static void log_warn(const struct log_ctx *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void log_warn(const struct log_ctx *l, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (!l->fn)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	l->fn(l->ctx, BTFPACK_LOG_WARN, line);
}

/* The warning `btfpack min` prints for a relocation libbpf would reject. */
static int observe(void *ctx, const struct relo_event *ev)
{
	struct log_ctx *l = ctx;

	if (ev->status == RELO_REJECTED)
		log_warn(l, "%s: %s: sec '%s' relo #%zu: %s; libbpf rejects this object on this kernel (all candidates kept)",
			 l->kernel, ev->obj->name, ev->sec->name, ev->sec_rec, ev->reason);
	return 0;
}

/* The public loader choice as the minimizer's loader set. */
static int loaders_of(const struct btfpack_minimize_opts *opts, unsigned int *loaders,
		      struct bp_err *e)
{
	switch (OPT(opts, loader)) {
	case BTFPACK_LOADER_ALL: *loaders = MIN_LOADER_ALL; return 0;
	case BTFPACK_LOADER_LIBBPF: *loaders = MIN_LOADER_LIBBPF; return 0;
	case BTFPACK_LOADER_CILIUM: *loaders = MIN_LOADER_CILIUM; return 0;
	}
	return bp_err_set(e, EINVAL, "minimize options: unknown loader %d",
			  (int)OPT(opts, loader));
}

static int run(const struct btfpack_kernel *k, struct objfile *const *objs, size_t n,
	       bool verify, unsigned int loaders, struct log_ctx *l, struct minimize_stats *stats,
	       struct btf **out, struct bp_err *e)
{
	int ret;

	ret = minimize_run(k->btf, k->idx, objs, n, stats, observe, l, verify, loaders, out, e);
	if (ret == -EPROTO)
		bp_err_prefix(e, "verification failed");
	if (ret && e->msg[0])
		bp_err_prefix(e, k->name);
	return ret;
}

static int minimize(const struct btfpack_kernel *k, const struct btfpack_object *const *objs,
		    size_t n, const struct btfpack_minimize_opts *opts, void **buf,
		    size_t *size, struct btfpack_stats *stats, struct bp_err *e)
{
	struct log_ctx l = { k->name, OPT(opts, log_fn), OPT(opts, log_ctx) };
	struct minimize_stats *st = calloc(n ? n : 1, sizeof(*st));
	struct objfile **of = calloc(n ? n : 1, sizeof(*of));
	struct btf *out = NULL;
	unsigned int loaders = MIN_LOADER_ALL;
	size_t i;
	int ret = 0;

	if (!st || !of)
		ret = bp_err_set(e, ENOMEM, "%s: out of memory", k->name);
	if (!ret)
		ret = loaders_of(opts, &loaders, e);
	for (i = 0; !ret && i < n; i++) {
		of[i] = objs[i]->obj;
		if (!of[i]->relo_cnt)
			log_warn(&l, "%s: no CO-RE relocations (%s); it adds nothing", of[i]->name,
				 of[i]->has_btf_ext ? "empty in .BTF.ext" : "no .BTF.ext");
	}
	if (!ret)
		ret = run(k, of, n, !OPT(opts, no_verify), loaders, &l, st, &out, e);
	if (!ret)
		ret = minimize_serialize(out, buf, size, e);
	for (i = 0; !ret && stats && i < n; i++)
		stats[i] = (struct btfpack_stats){ st[i].resolved, st[i].unresolved,
						   st[i].rejected };
	btf__free(out);
	free(of);
	free(st);
	return ret;
}

int btfpack_kernel__minimize(const struct btfpack_kernel *kernel,
			     const struct btfpack_object *const *objs, size_t obj_cnt,
			     const struct btfpack_minimize_opts *opts, void **buf, size_t *size,
			     struct btfpack_stats *stats, struct btfpack_err *err)
{
	struct bp_err e = { .msg = "" };
	size_t i;
	int ret;

	*buf = NULL;
	*size = 0;
	if (!kernel || (obj_cnt && !objs))
		return lib_err(bp_err_set(&e, EINVAL, "minimize: no kernel or objects"), &e, err);
	for (i = 0; i < obj_cnt; i++)
		if (!objs[i])
			return lib_err(bp_err_set(&e, EINVAL, "minimize: object %zu is NULL", i),
				       &e, err);
	ret = opts_valid(opts, &e);
	if (!ret)
		ret = minimize(kernel, objs, obj_cnt, opts, buf, size, stats, &e);
	return lib_err(ret, &e, err);
}
