// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "core/btf_util.h"
#include "core/elf_sections.h"
#include "core/fileio.h"
#include "core/source_btf.h"

/* libbpf's parse error, with its own explanation when it gave one. */
static int parse_error(const char *name, const char *what, int ret, struct bp_err *err)
{
	const char *why = libbpf_last_warning();

	if (why[0])
		return bp_err_set(err, -ret, "%s: %s is not valid BTF: %s", name, what, why);
	return bp_err_set(err, -ret, "%s: %s is not valid BTF (%s)", name, what, strerror(-ret));
}

static int parse_btf_bytes(const void *data, size_t size, const char *name,
			   const char *what, struct btf **out, struct bp_err *err)
{
	struct btf *btf;
	int ret;

	if (size > UINT32_MAX)
		return bp_err_set(err, EFBIG, "%s: %s is too large for BTF", name, what);
	libbpf_clear_warning();
	btf = btf__new(data, (__u32)size);
	ret = libbpf_get_error(btf);
	if (ret)
		return parse_error(name, what, ret, err);
	ret = btf_validate(btf, name, err);
	if (ret) {
		btf__free(btf);
		return ret;
	}
	*out = btf;
	return 0;
}

int source_btf_load_mem(const void *data, size_t size, const char *name,
			struct btf **out, struct bp_err *err)
{
	struct elf_section sec = { .name = ".BTF" };
	bool big_endian;
	int ret;

	*out = NULL;
	if (!elf_is_elf(data, size))
		return parse_btf_bytes(data, size, name, "raw data", out, err);

	ret = elf_find_sections(data, size, name, &sec, 1, &big_endian, err);
	if (ret)
		return ret;
	if (!sec.data)
		return bp_err_set(err, ENOENT, "%s: ELF file has no .BTF section", name);
	return parse_btf_bytes(sec.data, sec.size, name, ".BTF section", out, err);
}

int source_btf_load_file(const char *path, struct btf **out, struct bp_err *err)
{
	struct bp_file_view view;
	int ret;

	ret = bp_view_file(path, BP_MAX_INPUT_FILE, &view, err);
	if (ret)
		return ret;
	ret = source_btf_load_mem(view.data, view.size, path, out, err);
	bp_unview_file(&view);
	return ret;
}
