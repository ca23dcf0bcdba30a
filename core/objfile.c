// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "core/objfile.h"
#include "core/btf_ext.h"
#include "core/btf_util.h"
#include "core/image.h"
#include "base/fileio.h"
#include "core/loader_log.h"

enum { SEC_BTF, SEC_BTF_EXT, SEC_CNT };

static int load_local_btf(struct objfile *obj, const struct image_section *sec,
			  struct bp_err *err)
{
	const char *why;
	int ret;

	if (sec->size > UINT32_MAX)
		return bp_err_set(err, EFBIG, "%s: .BTF section is too large", obj->name);
	loader_log_clear_warning();
	obj->btf = btf__new(sec->data, (__u32)sec->size);
	ret = libbpf_get_error(obj->btf);
	if (ret) {
		obj->btf = NULL;
		why = loader_log_last_warning();
		return bp_err_set(err, -ret, "%s: .BTF section is not valid BTF: %s", obj->name,
				  why[0] ? why : strerror(-ret));
	}
	ret = btf_validate(obj->btf, obj->name, err);
	/* libbpf computes the pointer size lazily, writing into the btf: do it
	 * now, so objects shared by worker threads are only ever read
	 */
	if (!ret)
		btf__pointer_size(obj->btf);
	return ret;
}

int objfile_load_mem(const void *data, size_t size, const char *name,
		     struct objfile **out, struct bp_err *err)
{
	struct image_section secs[SEC_CNT] = {
		[SEC_BTF] = { .name = ".BTF" },
		[SEC_BTF_EXT] = { .name = ".BTF.ext" },
	};
	struct objfile *obj;
	bool big_endian;
	int ret;

	*out = NULL;
	if (!image_is_elf(data, size))
		return bp_err_set(err, EINVAL, "%s: not a BPF object (not an ELF file)", name);
	obj = calloc(1, sizeof(*obj));
	if (!obj)
		return bp_err_set(err, ENOMEM, "%s: out of memory", name);
	obj->name = strdup(name);
	if (!obj->name) {
		ret = bp_err_set(err, ENOMEM, "%s: out of memory", name);
		goto fail;
	}
	ret = image_find_sections(data, size, name, secs, SEC_CNT, &big_endian, err);
	if (ret)
		goto fail;
	if (big_endian) {
		ret = bp_err_set(err, ENOTSUP,
				 "%s: big-endian BPF objects are not supported", name);
		goto fail;
	}
	if (!secs[SEC_BTF].data) {
		if (secs[SEC_BTF_EXT].data) {
			ret = bp_err_set(err, EINVAL, "%s: has .BTF.ext but no .BTF", name);
			goto fail;
		}
		*out = obj; /* no BTF: nothing to relocate */
		return 0;
	}
	ret = load_local_btf(obj, &secs[SEC_BTF], err);
	if (ret)
		goto fail;
	if (secs[SEC_BTF_EXT].data) {
		obj->has_btf_ext = true;
		ret = btf_ext_read_core_relos(secs[SEC_BTF_EXT].data, secs[SEC_BTF_EXT].size,
					      obj, err);
		if (ret)
			goto fail;
	}
	*out = obj;
	return 0;
fail:
	objfile_free(obj);
	return ret;
}

int objfile_load_file(const char *path, struct objfile **out, struct bp_err *err)
{
	struct bp_file_view view;
	int ret;

	ret = bp_view_file(path, BP_MAX_INPUT_FILE, &view, err);
	if (ret)
		return ret;
	ret = objfile_load_mem(view.data, view.size, path, out, err);
	bp_unview_file(&view);
	return ret;
}

void objfile_free(struct objfile *obj)
{
	if (!obj)
		return;
	btf__free(obj->btf);
	free(obj->secs);
	free(obj->relos);
	free(obj->name);
	free(obj);
}
