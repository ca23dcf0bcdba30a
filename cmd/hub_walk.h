/* SPDX-License-Identifier: MIT */
/* Walking a BTFHub-style tree: <distro>/<version>/<arch>/<kernel>.btf.tar.xz
 * (also .tar.gz, .tar.zst, plain .btf and vmlinux ELF files), in byte-wise
 * sorted order, with --arch/--distro/--match filters.
 */
#ifndef BTFPACK_CMD_HUB_WALK_H
#define BTFPACK_CMD_HUB_WALK_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

enum hub_input_kind {
	HUB_ARCHIVE,		/* tarball holding the BTF */
	HUB_RAW,		/* raw .btf file */
	HUB_ELF,		/* vmlinux with a .BTF section */
};

struct hub_kernel {
	char *source;		/* path relative to the hub root */
	char *abs_path;		/* path to open */
	char *distro;		/* path components; "" where the tree is shallower */
	char *version;
	char *arch;		/* canonical: x86_64, arm64, ... */
	char *release;		/* file name without its suffix */
	char *bundle_path;	/* <dirs>/<release>.btf */
	enum hub_input_kind kind;
	char *problem;		/* why this input cannot be used, or NULL */
};

struct hub_filter {
	char **arches;		/* canonical names; NULL-terminated or NULL */
	char **distros;
	char **globs;		/* fnmatch on source */
};

struct hub_list {
	struct hub_kernel *kernels;
	size_t cnt;
};

/* Inputs that cannot be used (not a regular file, not at
 * <distro>/<version>/<arch>/<kernel>, a name that is not UTF-8) are still
 * listed, with problem set, so the batch reports them instead of losing
 * them; their text fields are made printable.
 */

/* Canonical architecture name: amd64/x86 -> x86_64, aarch64 -> arm64. */
const char *arch_canonical(const char *name);

int hub_walk(const char *root, const struct hub_filter *filter, struct hub_list *out,
	     struct bp_err *err);
void hub_list_free(struct hub_list *list);

#endif
