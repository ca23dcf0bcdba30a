// SPDX-License-Identifier: MIT
/* Harness 2: the input is a BPF object (ELF with .BTF and .BTF.ext). What
 * objfile_load_mem() accepts must be self-consistent (sections cover the
 * records exactly, in order), and is
 * then run through the engine and the minimizer against one fixed kernel,
 * the way `btfpack min` would, so hostile access strings and local types
 * reach the relocation code too.
 */
#include <errno.h>
#include <stdlib.h>
#include <bpf/btf.h>

#include "core/objfile.h"
#include "core/cand_index.h"
#include "core/core_init.h"
#include "core/minimize_run.h"
#include "core/source_btf.h"
#include "core/verify.h"
#include "tests/fuzz/fuzz.h"

#ifndef FUZZ_KERNEL
#define FUZZ_KERNEL ""
#endif

static struct btf *kernel;
static struct cand_index *kernel_idx;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct fuzz_paths paths;
	struct bp_err err;

	(void)argc;
	(void)argv;
	core_init(false);
	fuzz_paths_get("BTFPACK_FUZZ_KERNEL", FUZZ_KERNEL, &paths);
	if (paths.cnt != 1)
		fuzz_setup_fail("set BTFPACK_FUZZ_KERNEL to one kernel BTF");
	if (source_btf_load_file(paths.v[0], &kernel, &err) ||
	    cand_index_build(kernel, &kernel_idx, &err))
		fuzz_setup_fail("%s", err.msg);
	fuzz_paths_free(&paths);
	return 0;
}

static void check_shape(const struct objfile *obj)
{
	size_t s, next = 0;

	if (!obj->btf && (obj->relo_cnt || obj->sec_cnt))
		fuzz_finding("records without a local BTF");
	for (s = 0; s < obj->sec_cnt; s++) {
		if (obj->secs[s].first != next || !obj->secs[s].name)
			fuzz_finding("section %zu does not follow the one before it", s);
		next += obj->secs[s].count;
	}
	if (next != obj->relo_cnt)
		fuzz_finding("sections hold %zu records, the object %zu", next, obj->relo_cnt);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct minimize_stats stats;
	struct btf *min = NULL;
	struct objfile *obj;
	struct bp_err err;
	int ret;

	if (objfile_load_mem(data, size, "fuzz", &obj, &err))
		return 0;
	check_shape(obj);
	if (minimize_run(kernel, kernel_idx, &obj, 1, &stats, fuzz_check_event, NULL, true, MIN_LOADER_ALL, &min, &err))
		goto out;
	if (stats.resolved + stats.unresolved + stats.rejected != obj->relo_cnt)
		fuzz_finding("%zu records, %zu decisions", obj->relo_cnt,
			     stats.resolved + stats.unresolved + stats.rejected);
	ret = verify_min(kernel, kernel_idx, min, &obj, 1, &err);
	if (ret && ret != -ENOMEM)
		fuzz_finding("verify fails on the minimized BTF: %s", err.msg);
out:
	btf__free(min);
	objfile_free(obj);
	return 0;
}
