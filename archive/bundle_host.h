/* SPDX-License-Identifier: MIT */
/* Which bundle entry is this host's: the host's identity from os-release
 * and uname (bundle_host.c), the versions a lookup tries for it
 * (bundle_keys.c, the rule table of docs/lookup.md), and the search of a
 * bundle's catalogue (bundle_find.c).
 */
#ifndef BTFPACK_ARCHIVE_BUNDLE_HOST_H
#define BTFPACK_ARCHIVE_BUNDLE_HOST_H

#include <stdbool.h>
#include <stddef.h>

#include "archive/bundle_reader.h"
#include "base/error.h"

/* Same size as the public struct btfpack_host's fields. */
#define BUNDLE_HOST_FIELD_MAX 256

/* Normalized: id lower-case and unquoted, version_id and codename as
 * os-release spells them, release = uname -r, arch as BTFHub spells it.
 * Any field may be empty (no os-release: id, version_id and codename).
 */
struct bundle_host {
	char id[BUNDLE_HOST_FIELD_MAX];
	char version_id[BUNDLE_HOST_FIELD_MAX];
	char codename[BUNDLE_HOST_FIELD_MAX];
	char release[BUNDLE_HOST_FIELD_MAX];
	char arch[BUNDLE_HOST_FIELD_MAX];
};

/* What detection reads; NULL fields take the defaults. */
struct bundle_host_src {
	const char *root;		/* prefix of every host file; NULL: "/" */
	const char *os_release_path;	/* instead of <root>/etc/os-release, then
					 * <root>/usr/lib/os-release
					 */
	const char *release;		/* instead of uname -r */
	const char *arch;		/* instead of uname -m (normalized) */
};

/* os-release is read up to this many bytes; the rest is ignored. */
#define BUNDLE_OS_RELEASE_MAX (64 * 1024)

/* Fill h. No os-release at the default places leaves id, version_id and
 * codename empty (0); one that cannot be read, os_release_path missing, or
 * a root that is no directory is -EIO naming it. An arch or release override that does not fit or has
 * a '/' or control byte is -EINVAL.
 */
int bundle_host_detect(const struct bundle_host_src *src, struct bundle_host *h,
		       struct bp_err *err);

/* Parse os-release text (len bytes, NULs and all) into h's id, version_id
 * and codename, by os-release(5)'s shell-like rules: KEY=VALUE lines,
 * '#' comments, double quotes (backslash escapes \" \\ \$ \`), single
 * quotes (literal), backslash outside quotes. A line that does not parse
 * is skipped; so is a value that does not fit a field, is empty or holds
 * a '/', a control byte or a space. The last assignment of a key wins.
 */
void bundle_os_release_parse(const char *text, size_t len, struct bundle_host *h);

/* BTFHub's spelling of an architecture: aarch64/arm64 -> arm64,
 * x86_64/amd64/x86-64/x64 -> x86_64, ...; unknown names lower-cased.
 * out holds BUNDLE_HOST_FIELD_MAX bytes.
 */
void bundle_arch_normalize(const char *in, char out[BUNDLE_HOST_FIELD_MAX]);

/* <root>/sys/kernel/btf/vmlinux can be opened for reading. */
bool bundle_host_has_kernel_btf(const char *root);

/* ---- bundle_keys.c: the keys a lookup tries, in order ---- */

#define BUNDLE_TRIES_MAX 4

struct bundle_try {
	char version[BUNDLE_HOST_FIELD_MAX];
	char rule[96];		/* why, for messages and -v: "exact", ... */
};

/* The versions to try as h's, best first, without repeats: VERSION_ID
 * as is, its major (8.6 -> 8), VERSION_CODENAME. Returns the count (0
 * without an ID).
 */
size_t bundle_version_tries(const struct bundle_host *h, struct bundle_try *out);

/* Whether the alias table (dedup/alias_rules.c) takes host key
 * <h->id>/<host_version>/<h->arch> to entry key <distro>/<version>/<arch>.
 */
bool bundle_alias_reaches(const char *distro, const char *version, const char *arch,
			  const struct bundle_host *h, const char *host_version);

/* ---- bundle_find.c ---- */

/* The BTF cat holds for h, by the rules of docs/lookup.md: an entry
 * <id>/<version>/<arch>/<release>.btf (or .btf.tar.xz, unpacked) for each
 * version of bundle_version_tries(), then an entry the alias table
 * reaches from one of them, then (arch, release) alone when only one
 * entry has them or all such entries hold the same bytes. *entry gets
 * the bundle path that matched and *rule why (malloc'ed both; either may
 * be NULL). Errors: -ENOENT with the nearest entries named, -EBADMSG for a
 * corrupt bundle, -EIO when it cannot be read, -ENOMEM.
 */
int bundle_find(const struct bundle_cat *cat, const struct bundle_host *h, void **data,
		size_t *size, char **entry, char **rule, struct bp_err *err);

/* Whether cat holds anything a lookup can find: a kernel entry or an
 * index.json; else -EBADMSG ("not a btfpack bundle").
 */
int bundle_find_check(const struct bundle_cat *cat, struct bp_err *err);

/* A stage's error as the lookup reports it: -EIO (cannot be read),
 * -EBADMSG (not a bundle, corrupt), -ENOENT (no entry; at open: -EIO),
 * -ENOMEM. opening: the error came from bundle_cat_open().
 */
int bundle_find_errno(int ret, bool opening);

#endif
