// SPDX-License-Identifier: MIT
/* btfpack_kernel: a kernel's parsed BTF and the candidate index every
 * minimization against it uses, built once at open.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>

#include "base/fileio.h"
#include "core/cand_index.h"
#include "core/source_btf.h"
#include "include/btfpack.h"
#include "lib/lib_priv.h"

static int kernel_new(const char *name, struct btf *btf, struct btfpack_kernel **out,
		      struct bp_err *e)
{
	struct btfpack_kernel *k = calloc(1, sizeof(*k));
	int ret;

	if (!k || !(k->name = strdup(name))) {
		free(k);
		btf__free(btf);
		return bp_err_set(e, ENOMEM, "%s: out of memory", name);
	}
	k->btf = btf;
	ret = cand_index_build(btf, &k->idx, e);
	if (ret) {
		bp_err_prefix(e, name);
		btfpack_kernel__free(k);
		return ret;
	}
	*out = k;
	return 0;
}

int btfpack_kernel__open_mem(const void *data, size_t size, const char *name,
			     struct btfpack_kernel **kernel, struct btfpack_err *err)
{
	struct bp_err e = { .msg = "" };
	struct btf *btf;
	int ret;

	*kernel = NULL;
	if (!data || !name)
		return lib_err(bp_err_set(&e, EINVAL, "kernel BTF: no data or name"), &e, err);
	ret = source_btf_load_mem(data, size, name, &btf, &e);
	if (!ret)
		ret = kernel_new(name, btf, kernel, &e);
	return lib_err(ret, &e, err);
}

int btfpack_kernel__open_file(const char *path, struct btfpack_kernel **kernel,
			      struct btfpack_err *err)
{
	struct bp_err e = { .msg = "" };
	struct btf *btf;
	int ret;

	*kernel = NULL;
	if (!path)
		return lib_err(bp_err_set(&e, EINVAL, "kernel BTF: no path"), &e, err);
	ret = source_btf_load_file(path, &btf, &e);
	if (!ret)
		ret = kernel_new(path, btf, kernel, &e);
	return lib_err(ret, &e, err);
}

void btfpack_kernel__free(struct btfpack_kernel *kernel)
{
	if (!kernel)
		return;
	cand_index_free(kernel->idx);
	btf__free(kernel->btf);
	free(kernel->name);
	free(kernel);
}
