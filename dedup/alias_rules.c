// SPDX-License-Identifier: MIT
/* The alias rule table. Each rule is one row; docs/lookup.md says why. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dedup/alias_rules.h"

/* IDs that os-release writes quoted (ID="centos"); bcc's sscanf("ID=%64s")
 * keeps the quotes, so its key starts with a quoted directory.
 */
static const char *const quoted_ids[] = { "amzn", "centos", "ol", "rhel", "sles" };

/* Majors whose hosts report a minor VERSION_ID ("8.6") where BTFHub keeps
 * one directory per major: every minor up to last is an alias.
 */
static const struct {
	const char *distro, *major;
	int last;
} minors[] = {
	{ "ol", "7", 9 },
	{ "ol", "8", 10 },
	{ "rhel", "7", 9 },
	{ "rhel", "8", 10 },
};

/* Other names of one version directory (from -> to, one way each). */
static const struct {
	const char *distro, *from, *to;
} renames[] = {
	/* Amazon Linux 1 reports VERSION_ID="2018.03"; BTFHub says 2018 or 1 */
	{ "amzn", "1", "2018" },
	{ "amzn", "1", "2018.03" },
	{ "amzn", "2018", "1" },
	{ "amzn", "2018", "2018.03" },
	{ "amzn", "2018.03", "1" },
	{ "amzn", "2018.03", "2018" },
	/* Debian: VERSION_CODENAME beside VERSION_ID, both in use */
	{ "debian", "9", "stretch" },
	{ "debian", "stretch", "9" },
	{ "debian", "10", "buster" },
	{ "debian", "buster", "10" },
	{ "debian", "11", "bullseye" },
	{ "debian", "bullseye", "11" },
	{ "debian", "12", "bookworm" },
	{ "debian", "bookworm", "12" },
	/* Ubuntu hosts always have VERSION_ID: a codename dir maps to it */
	{ "ubuntu", "xenial", "16.04" },
	{ "ubuntu", "bionic", "18.04" },
	{ "ubuntu", "focal", "20.04" },
	{ "ubuntu", "jammy", "22.04" },
	{ "ubuntu", "noble", "24.04" },
};

/* IDs whose VERSION_ID is unquoted (VERSION_ID=37): bcc's
 * sscanf("VERSION_ID=\"%64s") reads nothing and builds "fedora//x86_64".
 */
static const char *const unquoted_version_ids[] = { "fedora" };

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_SPELLINGS 16	/* per field; the tables stay well below */

struct spellings {
	char s[MAX_SPELLINGS][ALIAS_FIELD_MAX];
	size_t cnt;
};

static bool in_list(const char *const *list, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(list[i], s))
			return true;
	return false;
}

/* Add s unless it is there already or does not fit. */
static void spell(struct spellings *sp, const char *s)
{
	size_t i, len = strlen(s);

	if (len >= ALIAS_FIELD_MAX || sp->cnt >= MAX_SPELLINGS)
		return;
	for (i = 0; i < sp->cnt; i++)
		if (!strcmp(sp->s[i], s))
			return;
	memcpy(sp->s[sp->cnt++], s, len + 1);
}

static void distro_spellings(const struct alias_key *k, unsigned int flags,
			     struct spellings *sp)
{
	char buf[ALIAS_FIELD_MAX + 2];

	spell(sp, k->distro);
	if ((flags & ALIAS_QUOTED_IDS) && in_list(quoted_ids, ARRAY_LEN(quoted_ids), k->distro)) {
		snprintf(buf, sizeof(buf), "\"%s\"", k->distro);
		spell(sp, buf);
	}
}

static void version_spellings(const struct alias_key *k, unsigned int flags,
			      struct spellings *sp)
{
	char buf[ALIAS_FIELD_MAX + 16];
	size_t i;
	int m;

	spell(sp, k->version);
	for (i = 0; i < ARRAY_LEN(minors); i++) {
		if (strcmp(minors[i].distro, k->distro) || strcmp(minors[i].major, k->version))
			continue;
		for (m = 0; m <= minors[i].last; m++) {
			snprintf(buf, sizeof(buf), "%s.%d", k->version, m);
			spell(sp, buf);
		}
	}
	for (i = 0; i < ARRAY_LEN(renames); i++) {
		if (!strcmp(renames[i].distro, k->distro) && !strcmp(renames[i].from, k->version))
			spell(sp, renames[i].to);
	}
	if ((flags & ALIAS_EMPTY_VERSION) &&
	    in_list(unquoted_version_ids, ARRAY_LEN(unquoted_version_ids), k->distro))
		spell(sp, "");
}

static void arch_spellings(const struct alias_key *k, struct spellings *sp)
{
	spell(sp, k->arch);
	/* uname -m says aarch64 where BTFHub says arm64 */
	if (!strcmp(k->arch, "arm64"))
		spell(sp, "aarch64");
}

int alias_key_set(struct alias_key *k, const char *distro, const char *version,
		  const char *arch)
{
	if (!distro || !version || !arch)
		return -EINVAL;
	if (strlen(distro) >= ALIAS_FIELD_MAX || strlen(version) >= ALIAS_FIELD_MAX ||
	    strlen(arch) >= ALIAS_FIELD_MAX)
		return -ENAMETOOLONG;
	strcpy(k->distro, distro);
	strcpy(k->version, version);
	strcpy(k->arch, arch);
	return 0;
}

size_t alias_keys(const struct alias_key *k, unsigned int flags, struct alias_key out[ALIAS_MAX])
{
	struct spellings d = { .cnt = 0 }, v = { .cnt = 0 }, a = { .cnt = 0 };
	size_t i, j, l, n = 0;

	distro_spellings(k, flags, &d);
	version_spellings(k, flags, &v);
	arch_spellings(k, &a);
	/* index 0 of each is k's own spelling: skip the combination 0,0,0 */
	for (i = 0; i < d.cnt; i++) {
		for (j = 0; j < v.cnt; j++) {
			for (l = 0; l < a.cnt && n < ALIAS_MAX; l++) {
				if (!i && !j && !l)
					continue;
				memcpy(out[n].distro, d.s[i], sizeof(out[n].distro));
				memcpy(out[n].version, v.s[j], sizeof(out[n].version));
				memcpy(out[n].arch, a.s[l], sizeof(out[n].arch));
				n++;
			}
		}
	}
	return n;
}

static bool key_equal(const struct alias_key *a, const struct alias_key *b)
{
	return !strcmp(a->distro, b->distro) && !strcmp(a->version, b->version) &&
	       !strcmp(a->arch, b->arch);
}

bool alias_key_matches(const struct alias_key *entry, const struct alias_key *host,
		       unsigned int flags)
{
	struct alias_key keys[ALIAS_MAX];
	size_t i, n;

	if (key_equal(entry, host))
		return true;
	n = alias_keys(entry, flags, keys);
	for (i = 0; i < n; i++)
		if (key_equal(&keys[i], host))
			return true;
	return false;
}
