/* SPDX-License-Identifier: MIT */
/* Walking a BTFHub-style tree: <distro>/<version>/<arch>/<kernel>.btf.tar.xz
 * (also .tar.gz, .tar.zst, plain .btf and vmlinux ELF files), in byte-wise
 * sorted order, with --arch/--distro/--match filters.
 */
#ifndef BTFPACK_BATCH_HUB_WALK_H
#define BTFPACK_BATCH_HUB_WALK_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"

enum hub_input_kind {
	HUB_ARCHIVE,		/* tarball holding the BTF */
	HUB_RAW,		/* raw .btf file */
	HUB_ELF,		/* vmlinux with a .BTF section */
	HUB_DIR,		/* a directory the walk could not enter (problem set) */
	HUB_CARRIED,		/* gone from the hub, kept from --keep-from's bundle */
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
	bool follow_symlinks;	/* symlinks may lead outside the hub */
};

struct hub_list {
	struct hub_kernel *kernels;
	size_t cnt;
	/* what the filters left out, to explain an empty selection */
	size_t filtered_out;
	char **filtered_arches;	/* their distinct architectures, sorted */
	size_t filtered_arch_cnt;
};

/* Inputs that cannot be used (not a regular file, not at
 * <distro>/<version>/<arch>/<kernel>, a name that is not UTF-8, a symlink
 * leading out of the hub or nowhere) are still listed, with problem set, so
 * the batch reports them instead of losing them; so are directories the
 * walk could not enter (unreadable, too deep, a symlink loop), as HUB_DIR
 * entries. Their text fields are made valid UTF-8. Only a hub root that
 * cannot be read, or running out of memory, fails the walk.
 *
 * Symlinks are followed, files and directories alike (BTFHub links
 * codenames to versions), when they resolve inside the hub, or anywhere
 * with follow_symlinks.
 */

/* Canonical architecture name: amd64/x86 -> x86_64, aarch64 -> arm64. */
const char *arch_canonical(const char *name);

int hub_walk(const char *root, const struct hub_filter *filter, struct hub_list *out,
	     struct bp_err *err);
void hub_list_free(struct hub_list *list);
/* Free the strings of one kernel (not k itself). */
void hub_kernel_free(struct hub_kernel *k);

/* The walk's order of two source paths: component by component, each
 * compared byte-wise (a parent before its children). merge sorts the parts'
 * kernels back into one build's order with it.
 */
int hub_source_cmp(const char *a, const char *b);

/* Which of n shards (0-based) an input with this bundle path belongs to: a
 * hash of the path alone, so adding an input moves no other. Inputs that
 * land on one bundle path (x.btf beside x.btf.tar.xz) share a shard, where
 * the later one fails as in a whole build.
 */
unsigned int hub_shard_of(const char *bundle_path, unsigned int n);

/* Whether filter selects k (what the walk keeps). */
bool hub_filter_selects(const struct hub_filter *filter, const struct hub_kernel *k);

/* Merge the n entries of extra (in hub_source_cmp order) into list at
 * their places; list takes them over. -ENOMEM leaves list as it was.
 */
int hub_list_insert(struct hub_list *list, struct hub_kernel *extra, size_t n);

/* Keep only the inputs of shard k (0-based) of n, in order. */
void hub_list_keep_shard(struct hub_list *list, unsigned int k, unsigned int n);

#endif
