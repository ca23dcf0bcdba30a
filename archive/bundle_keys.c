// SPDX-License-Identifier: MIT
/* The lookup side's rule table: which versions a host may be filed under
 * in a bundle besides its VERSION_ID. docs/lookup.md lists the same rows.
 */
#include <stdio.h>
#include <string.h>

#include "archive/bundle_host.h"

/* Both spellings of one release of a distro: a (os-release's number) and
 * b (a codename, or the name BTFHub files it under).
 */
static const struct version_alias {
	const char *id;
	const char *a;
	const char *b;
	const char *why;
} aliases[] = {
	{ "debian", "7", "wheezy", "codename" },
	{ "debian", "8", "jessie", "codename" },
	{ "debian", "9", "stretch", "codename" },
	{ "debian", "10", "buster", "codename" },
	{ "debian", "11", "bullseye", "codename" },
	{ "debian", "12", "bookworm", "codename" },
	{ "debian", "13", "trixie", "codename" },
	{ "ubuntu", "14.04", "trusty", "codename" },
	{ "ubuntu", "16.04", "xenial", "codename" },
	{ "ubuntu", "18.04", "bionic", "codename" },
	{ "ubuntu", "20.04", "focal", "codename" },
	{ "ubuntu", "22.04", "jammy", "codename" },
	{ "ubuntu", "24.04", "noble", "codename" },
	/* Amazon Linux AMI 2018.03 is BTFHub's amzn/1 */
	{ "amzn", "2018", "1", "BTFHub's name" },
};

#define N_ALIASES (sizeof(aliases) / sizeof(aliases[0]))

static size_t add(struct bundle_try *out, size_t n, const char *version, const char *rule)
{
	size_t i;

	if (!*version || n == BUNDLE_TRIES_MAX || strlen(version) >= sizeof(out[0].version))
		return n;
	for (i = 0; i < n; i++)
		if (!strcmp(out[i].version, version))
			return n;
	strcpy(out[n].version, version);
	snprintf(out[n].rule, sizeof(out[n].rule), "%s", rule);
	return n + 1;
}

/* The other spelling of each version tried so far, from the table. */
static size_t add_aliases(const char *id, struct bundle_try *out, size_t n)
{
	char rule[sizeof(out[0].rule)];
	size_t i, j, have = n;

	for (i = 0; i < have; i++) {
		for (j = 0; j < N_ALIASES; j++) {
			const struct version_alias *a = &aliases[j];
			const char *v = out[i].version, *other;

			if (strcmp(a->id, id))
				continue;
			if (!strcmp(v, a->a))
				other = a->b;
			else if (!strcmp(v, a->b))
				other = a->a;
			else
				continue;
			snprintf(rule, sizeof(rule), "%s %.16s -> %s (%s)", a->id, v, other,
				 a->why);
			n = add(out, n, other, rule);
		}
	}
	return n;
}

size_t bundle_version_tries(const struct bundle_host *h, struct bundle_try *out)
{
	char major[BUNDLE_HOST_FIELD_MAX], rule[sizeof(out[0].rule)];
	const char *dot;
	size_t n = 0;

	if (!*h->id)
		return 0;
	n = add(out, n, h->version_id, "exact");
	dot = strchr(h->version_id, '.');
	if (dot && dot > h->version_id) {
		snprintf(major, sizeof(major), "%.*s", (int)(dot - h->version_id), h->version_id);
		snprintf(rule, sizeof(rule), "minor -> major (%.32s -> %.32s)", h->version_id, major);
		n = add(out, n, major, rule);
	}
	/* Debian testing has a codename and no VERSION_ID */
	n = add(out, n, h->codename, "VERSION_CODENAME");
	return add_aliases(h->id, out, n);
}
