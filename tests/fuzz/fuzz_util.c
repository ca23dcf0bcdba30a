// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/relo_engine.h"
#include "tests/fuzz/fuzz.h"

void fuzz_finding(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("FUZZ FINDING: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}

int fuzz_check_event(void *ctx, const struct relo_event *ev)
{
	(void)ctx;
	if (ev->status == RELO_REJECTED && !ev->reason[0])
		fuzz_finding("%s: sec '%s' relo #%zu rejected (%d) without a reason", ev->obj->name,
			     ev->sec->name, ev->sec_rec, ev->err);
	return 0;
}

void fuzz_setup_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("fuzz setup: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

void fuzz_paths_get(const char *env, const char *fallback, struct fuzz_paths *p)
{
	const char *list = getenv(env);
	char *tok, *save = NULL;

	if (!list || !*list)
		list = fallback;
	p->cnt = 0;
	p->buf = strdup(list);
	/* at most one path per ':' plus one */
	p->v = calloc(strlen(list) / 2 + 2, sizeof(*p->v));
	if (!p->buf || !p->v)
		fuzz_setup_fail("out of memory");
	for (tok = strtok_r(p->buf, ":", &save); tok; tok = strtok_r(NULL, ":", &save))
		p->v[p->cnt++] = tok;
}

void fuzz_paths_free(struct fuzz_paths *p)
{
	free(p->buf);
	free(p->v);
}
