// SPDX-License-Identifier: MIT
/* btfpack-oracle OBJ BTF: decide every CO-RE relocation of OBJ against BTF
 * twice, with libbpf's loader (its debug log during bpf_object__load) and
 * with btfpack's engine, and compare decision by decision:
 *   libbpf "no matching targets found"        <-> engine UNRESOLVED
 *   libbpf ambiguity / parse / match failure  <-> engine FAILED
 *   libbpf patched value (or the value it expected when it refused the
 *   instruction)                               <-> engine new value
 *   libbpf poisoned the instruction            <-> engine poison, or a load
 *                                                  size it cannot adjust
 * Relocations libbpf never reached (it stops at the first failure) are not
 * compared. Prints one line per mismatch and a summary; exit 0 when all
 * agree, 1 on a mismatch or error, 77 when bpf() is unavailable.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "core/objfile.h"
#include "core/cand_index.h"
#include "core/core_init.h"
#include "core/relo_engine.h"
#include "core/source_btf.h"

enum seen {
	SEEN_NONE,
	SEEN_VALUE,		/* patched, or expected value before refusal */
	SEEN_POISON,
	SEEN_FAILED,
};

struct libbpf_decision {
	enum seen seen;
	bool unresolved;	/* "no matching targets found" */
	bool memsz;		/* "accesses field incorrectly" */
	unsigned long long new_val;
};

struct oracle {
	const struct objfile *obj;
	struct libbpf_decision *d;	/* by record index in obj->relos */
	long cur_sec;			/* section of the lines being read */
	char line[4096];
	size_t len;
};

static struct oracle O;

static long sec_by_name(const char *name, size_t n)
{
	size_t s;

	for (s = 0; s < O.obj->sec_cnt; s++) {
		if (strlen(O.obj->secs[s].name) == n && !strncmp(O.obj->secs[s].name, name, n))
			return (long)s;
	}
	return -1;
}

static struct libbpf_decision *decision_for(int relo)
{
	const struct core_relo_sec *sec;

	if (O.cur_sec < 0 || relo < 0)
		return NULL;
	sec = &O.obj->secs[O.cur_sec];
	return (size_t)relo < sec->count ? &O.d[sec->first + (size_t)relo] : NULL;
}

static void parse_line(const char *l)
{
	struct libbpf_decision *d;
	unsigned long long a, b;
	const char *p, *q;
	int relo;

	if (!strncmp(l, "sec '", 5) && (q = strstr(l, "': found "))) {
		O.cur_sec = sec_by_name(l + 5, (size_t)(q - (l + 5)));
		return;
	}
	p = strstr(l, "relo #");
	if (!p || sscanf(p, "relo #%d:", &relo) != 1 || !(d = decision_for(relo)))
		return;
	if (strstr(p, "no matching targets found")) {
		d->unresolved = true;
	} else if ((q = strstr(p, "patched insn")) && !strstr(q, "mem_sz")) {
		q = strstr(q, ") ");
		if (q && sscanf(strchr(q + 2, ' '), " %llu -> %llu", &a, &b) == 2 &&
		    d->seen == SEEN_NONE) {
			d->seen = SEEN_VALUE;
			d->new_val = b;
		}
	} else if ((q = strstr(p, "value: got ")) && (q = strstr(q, "exp ")) &&
		   sscanf(q, "exp %llu -> %llu", &a, &b) == 2) {
		d->seen = SEEN_VALUE;
		d->new_val = b;
	} else if (strstr(p, "accesses field incorrectly")) {
		d->memsz = true;
	} else if (strstr(p, "substituting insn")) {
		if (d->seen != SEEN_FAILED)
			d->seen = SEEN_POISON;
	} else if (strstr(p, "ambiguity") || strstr(p, "failed to relocate") ||
		   strstr(p, "parsing [") || strstr(p, "error matching candidate") ||
		   strstr(p, "candidate search failed") || strstr(p, "can't be")) {
		d->seen = SEEN_FAILED;
	}
}

static int capture(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char buf[4096];
	int n;

	(void)level;
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n < 0)
		return 0;
	/* libbpf may print one line in several calls: assemble lines */
	for (char *s = buf; *s; s++) {
		if (*s == '\n') {
			O.line[O.len] = '\0';
			parse_line(strncmp(O.line, "libbpf: ", 8) ? O.line : O.line + 8);
			O.len = 0;
		} else if (O.len + 1 < sizeof(O.line)) {
			O.line[O.len++] = *s;
		}
	}
	return 0;
}

static int run_libbpf(const char *obj_path, const char *btf_path)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .btf_custom_path = btf_path);
	struct bpf_object *obj;

	libbpf_set_print(capture);
	obj = bpf_object__open_file(obj_path, &opts);
	if (!obj) {
		fprintf(stderr, "btfpack-oracle: libbpf cannot open %s\n", obj_path);
		return -1;
	}
	bpf_object__load(obj);	/* the outcome is in the log */
	bpf_object__close(obj);
	return 0;
}

struct compare {
	size_t compared, mismatched;
	bool type_id_target_exact;
};

static const char *engine_str(const struct relo_event *ev, char *buf, size_t n)
{
	if (ev->status == RELO_REJECTED)
		snprintf(buf, n, "failed (%s)", ev->reason);
	else
		snprintf(buf, n, "%s, %s%s value %llu",
			 ev->status == RELO_RESOLVED ? "resolved" : "unresolved",
			 ev->res.poison ? "poisoned, " : "",
			 ev->res.fail_memsz_adjust ? "bad load size, " : "",
			 (unsigned long long)ev->res.new_val);
	return buf;
}

static int check(void *ctx, const struct relo_event *ev)
{
	struct compare *c = ctx;
	const struct libbpf_decision *d = &O.d[ev->sec->first + ev->sec_rec];
	bool ok;
	char buf[256];

	if (d->seen == SEEN_NONE && !d->unresolved)
		return 0; /* libbpf stopped before this one */
	c->compared++;
	if (d->seen == SEEN_FAILED)
		ok = ev->status == RELO_REJECTED;
	else if (ev->status == RELO_REJECTED)
		ok = false;
	else if (d->unresolved != (ev->status == RELO_UNRESOLVED))
		ok = false;
	else if (d->seen == SEEN_POISON)
		ok = ev->res.poison || (ev->res.fail_memsz_adjust && d->memsz);
	else
		ok = d->seen == SEEN_VALUE && !ev->res.poison && d->new_val == ev->res.new_val;
	if (!ok) {
		c->mismatched++;
		printf("MISMATCH %s sec '%s' relo #%zu: libbpf %s%s%s %llu; engine %s\n",
		       ev->obj->name, ev->sec->name, ev->sec_rec,
		       d->unresolved ? "unresolved," : "",
		       d->seen == SEEN_FAILED ? " failed" : d->seen == SEEN_POISON ? " poisoned" : "",
		       d->memsz ? " bad-load-size" : "", d->new_val,
		       engine_str(ev, buf, sizeof(buf)));
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct compare cmp = { 0 };
	struct cand_index *idx = NULL;
	struct objfile *obj = NULL;
	struct btf *btf = NULL;
	struct bp_err err;
	int fd, ret = 1;

	if (argc != 3) {
		fprintf(stderr, "usage: btfpack-oracle OBJ BTF\n");
		return 1;
	}
	core_init(false);
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 4, 1, NULL);
	if (fd < 0) {
		fprintf(stderr, "btfpack-oracle: bpf() unavailable (%s): skipping\n",
			strerror(errno));
		return 77;
	}
	close(fd);
	if (objfile_load_file(argv[1], &obj, &err) || source_btf_load_file(argv[2], &btf, &err) ||
	    cand_index_build(btf, &idx, &err)) {
		fprintf(stderr, "btfpack-oracle: %s\n", err.msg);
		goto out;
	}
	O.obj = obj;
	O.cur_sec = -1;
	O.d = calloc(obj->relo_cnt + 1, sizeof(*O.d));
	if (!O.d || run_libbpf(argv[1], argv[2]))
		goto out;
	core_init(false); /* our own log sink again */
	if (relo_engine_run(obj, btf, idx, check, &cmp, &err)) {
		fprintf(stderr, "btfpack-oracle: %s\n", err.msg);
		goto out;
	}
	printf("%s vs %s: %zu decisions compared, %zu mismatched\n", argv[1], argv[2],
	       cmp.compared, cmp.mismatched);
	ret = cmp.mismatched ? 1 : 0;
out:
	free(O.d);
	cand_index_free(idx);
	btf__free(btf);
	objfile_free(obj);
	return ret;
}
