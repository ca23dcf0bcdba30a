/* SPDX-License-Identifier: MIT */
/* Alias rules: the extra bundle keys under which consumers look a kernel up,
 * computing <ID>/<VERSION_ID>/<arch> by hand with known bugs (quoted IDs,
 * uname's aarch64, minor versions, codenames, an unquoted VERSION_ID read as
 * nothing). One table for the writer (--aliases adds entries) and for the
 * lookup (does a host key reach an entry). docs/lookup.md, "Aliases", gives
 * every rule and why.
 */
#ifndef BTFPACK_DEDUP_ALIAS_RULES_H
#define BTFPACK_DEDUP_ALIAS_RULES_H

#include <stdbool.h>
#include <stddef.h>

#define ALIAS_FIELD_MAX 64	/* bytes of one key field, NUL included */
#define ALIAS_MAX 64		/* aliases of one key, at most */

/* A bundle key: the three directories above <release>.btf. */
struct alias_key {
	char distro[ALIAS_FIELD_MAX];
	char version[ALIAS_FIELD_MAX];
	char arch[ALIAS_FIELD_MAX];
};

enum alias_flags {
	/* quoted IDs ("centos"): bcc keeps the quotes; go:embed silently
	 * leaves out names holding '"', so trees for it go without
	 */
	ALIAS_QUOTED_IDS = 1u << 0,
	/* keys only a tar member name can hold: an empty version
	 * ("fedora//x86_64"), which a directory tree cannot have
	 */
	ALIAS_EMPTY_VERSION = 1u << 1,
	ALIAS_ALL = ALIAS_QUOTED_IDS | ALIAS_EMPTY_VERSION,
};

/* Fill k; -ENAMETOOLONG when a field does not fit, -EINVAL for NULL. */
int alias_key_set(struct alias_key *k, const char *distro, const char *version,
		  const char *arch);

/* The alias keys of entry key k (never k itself, no repeats), in a fixed
 * order: distro spelling outermost, then version, then arch. Returns how
 * many were written to out (0 for a key no rule covers).
 */
size_t alias_keys(const struct alias_key *k, unsigned int flags, struct alias_key out[ALIAS_MAX]);

/* True when host (a key as a consumer computed it) is entry or one of
 * entry's aliases.
 */
bool alias_key_matches(const struct alias_key *entry, const struct alias_key *host,
		       unsigned int flags);

#endif
