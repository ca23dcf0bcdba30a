// SPDX-License-Identifier: MIT
/* The keys a lookup tries for a host: its VERSION_ID, the major of it and
 * its VERSION_CODENAME as versions of its ID; then the alias table of
 * dedup/alias_rules.c (shared with the writer's --aliases), which says
 * whether a host key reaches an entry key (Debian and Ubuntu codenames,
 * Amazon Linux 1, RHEL/OL minors). docs/lookup.md gives both.
 */
#include <stdio.h>
#include <string.h>

#include "archive/bundle_host.h"
#include "dedup/alias_rules.h"

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
	snprintf(rule, sizeof(rule), "VERSION_CODENAME (%.64s)", h->codename);
	return add(out, n, h->codename, rule);
}

bool bundle_alias_reaches(const char *distro, const char *version, const char *arch,
			  const struct bundle_host *h, const char *host_version)
{
	struct alias_key entry, host;

	if (alias_key_set(&entry, distro, version, arch) ||
	    alias_key_set(&host, h->id, host_version, h->arch))
		return false;	/* longer than any key the table knows */
	return alias_key_matches(&entry, &host, 0);
}
