// SPDX-License-Identifier: MIT
/* Harness 1: the input is a kernel BTF (raw, or an ELF with .BTF). Whatever
 * the engine accepts is minimized for a fixed set of BPF objects (the test
 * objects, loaded once), and the minimized BTF must be as good as its source:
 *   - it serializes, libbpf's btf__new() parses it back, and the engine's
 *     own loader (which adds btf_validate) accepts it;
 *   - verify_min() finds every relocation decided alike on the source
 *     and on the re-parsed minimized BTF;
 *   - every relocation the engine rejects on the source says why.
 * Any of these failing on a source the engine accepted is a finding.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "core/objfile.h"
#include "core/cand_index.h"
#include "core/core_init.h"
#include "core/minimize_run.h"
#include "core/source_btf.h"
#include "core/verify.h"
#include "tests/fuzz/fuzz.h"

#ifndef FUZZ_OBJS
#define FUZZ_OBJS ""
#endif

static struct objfile **objs;
static size_t obj_cnt;
static struct minimize_stats *stats;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct fuzz_paths paths;
	struct bp_err err;
	size_t i;

	(void)argc;
	(void)argv;
	core_init(false);
	fuzz_paths_get("BTFPACK_FUZZ_OBJS", FUZZ_OBJS, &paths);
	obj_cnt = paths.cnt;
	if (!obj_cnt)
		fuzz_setup_fail("no BPF objects: set BTFPACK_FUZZ_OBJS=obj.o:obj2.o");
	objs = calloc(obj_cnt, sizeof(*objs));
	stats = calloc(obj_cnt, sizeof(*stats));
	if (!objs || !stats)
		fuzz_setup_fail("out of memory");
	for (i = 0; i < obj_cnt; i++) {
		if (objfile_load_file(paths.v[i], &objs[i], &err))
			fuzz_setup_fail("%s", err.msg);
	}
	fuzz_paths_free(&paths);
	return 0;
}

/* The minimized BTF as a consumer sees it: serialized and parsed again. */
static struct btf *reparse(const struct btf *min)
{
	struct bp_err err;
	struct btf *back;
	size_t size;
	void *raw;
	int ret;

	if (minimize_serialize(min, &raw, &size, &err))
		fuzz_finding("cannot serialize the minimized BTF: %s", err.msg);
	back = btf__new(raw, (__u32)size);
	ret = libbpf_get_error(back);
	if (ret)
		fuzz_finding("libbpf btf__new() rejects the minimized BTF: %d", ret);
	btf__free(back);
	ret = source_btf_load_mem(raw, size, "minimized", &back, &err);
	if (ret)
		fuzz_finding("the engine rejects its own minimized BTF: %s", err.msg);
	free(raw);
	return back;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct btf *src = NULL, *min = NULL, *back;
	struct cand_index *idx = NULL;
	struct bp_err err;
	int ret;

	if (source_btf_load_mem(data, size, "fuzz", &src, &err))
		return 0;	/* refused with a message: fine */
	if (cand_index_build(src, &idx, &err))
		goto out;
	/* a kernel the minimizer fails is reported, not shipped: fine */
	if (minimize_run(src, idx, objs, obj_cnt, stats, fuzz_check_event, NULL, true, MIN_LOADER_ALL, &min, &err))
		goto out;
	back = reparse(min);
	ret = verify_min(src, idx, back, objs, obj_cnt, &err);
	if (ret && ret != -ENOMEM)
		fuzz_finding("verify fails on the minimized BTF: %s", err.msg);
	btf__free(back);
out:
	btf__free(min);
	cand_index_free(idx);
	btf__free(src);
	return 0;
}
