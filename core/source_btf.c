// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "core/btf_util.h"
#include "core/image.h"
#include "base/fileio.h"
#include "core/source_btf.h"
#include "core/loader_log.h"

/* libbpf's parse error, with its own explanation when it gave one. */
static int parse_error(const char *name, const char *what, int ret, struct bp_err *err)
{
	const char *why = loader_log_last_warning();

	if (why[0])
		return bp_err_set(err, -ret, "%s: %s is not valid BTF: %s", name, what, why);
	return bp_err_set(err, -ret, "%s: %s is not valid BTF (%s)", name, what, strerror(-ret));
}

/* libbpf 1.1 reads any version and ignores the flags byte; the kernel
 * takes version 1 with no flags only, and a newer format may mean other
 * things by the same bytes: refuse what we cannot vouch for.
 */
static int check_header(const unsigned char *p, size_t size, const char *name,
			const char *what, struct bp_err *err)
{
	/* magic (either byte order), then the version and flags bytes */
	if (size < 4 || !((p[0] == 0x9f && p[1] == 0xeb) || (p[0] == 0xeb && p[1] == 0x9f)))
		return 0;	/* not BTF at all: libbpf says so in its words */
	if (p[2] != 1)
		return bp_err_set(err, ENOTSUP, "%s: %s has BTF version %u; only version 1 is known",
				  name, what, p[2]);
	if (p[3])
		return bp_err_set(err, ENOTSUP, "%s: %s has unknown BTF header flags 0x%02x", name,
				  what, p[3]);
	return 0;
}

static int parse_btf_bytes(const void *data, size_t size, const char *name,
			   const char *what, struct btf **out, struct bp_err *err)
{
	struct btf *btf;
	int ret;

	if (size > UINT32_MAX)
		return bp_err_set(err, EFBIG, "%s: %s is too large for BTF", name, what);
	ret = check_header(data, size, name, what, err);
	if (ret)
		return ret;
	loader_log_clear_warning();
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
	struct image_section sec = { .name = ".BTF" };
	bool big_endian;
	int ret;

	*out = NULL;
	if (!image_is_elf(data, size))
		return parse_btf_bytes(data, size, name, "raw data", out, err);

	ret = image_find_sections(data, size, name, &sec, 1, &big_endian, err);
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
