// SPDX-License-Identifier: MIT
/* Harness 5: the input is both an os-release file and a bundle in memory.
 * bundle_os_release_parse() must leave every field NUL-terminated, free of
 * '/', spaces and control bytes, the ID lower-case. The input opened with
 * bundle_cat_open() from memory (as btfpack_bundle__open_mem() does) is
 * searched for the parsed host and for fixed ones; a match must be a
 * kernel entry of the host's arch and release with data, a failure must be
 * one of the lookup's error codes with a message.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "archive/bundle_host.h"
#include "archive/bundle_reader.h"
#include "core/core_init.h"
#include "tests/fuzz/fuzz.h"

/* Hosts the seeds' bundles hold (mkseeds.sh's fuzzdistro hub) and others. */
static const struct bundle_host hosts[] = {
	{ .id = "fuzzdistro", .version_id = "1", .release = "base", .arch = "x86_64" },
	{ .id = "fuzzdistro", .version_id = "2.7", .release = "renamed", .arch = "x86_64" },
	{ .id = "", .release = "same", .arch = "x86_64" },
	{ .id = "debian", .version_id = "12", .codename = "bookworm", .release = "base",
	  .arch = "arm64" },
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	core_init(false);
	return 0;
}

static void check_field(const char *what, const char *v, bool lower)
{
	size_t n = strnlen(v, BUNDLE_HOST_FIELD_MAX), i;

	if (n == BUNDLE_HOST_FIELD_MAX)
		fuzz_finding("os-release %s is not NUL-terminated", what);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c <= ' ' || c == 0x7f || c == '/')
			fuzz_finding("os-release %s holds byte 0x%02x", what, c);
		if (lower && isupper(c))
			fuzz_finding("os-release ID \"%s\" is not lower-case", v);
	}
}

static void check_found(const struct bundle_host *h, const char *entry, size_t size)
{
	const char *file = strrchr(entry, '/');
	size_t n = strlen(h->release);

	if (!file || strncmp(file + 1, h->release, n) ||
	    (strcmp(file + 1 + n, ".btf") && strcmp(file + 1 + n, ".btf.tar.xz")))
		fuzz_finding("found %s for release %s", entry, h->release);
	(void)size;
}

static void find_one(const struct bundle_cat *cat, const struct bundle_host *h)
{
	struct bp_err err = { .msg = "" };
	char *entry = NULL, *rule = NULL;
	void *data = NULL;
	size_t size = 0;
	int ret;

	ret = bundle_find(cat, h, &data, &size, &entry, &rule, &err);
	if (!ret) {
		if (!data || !entry || !rule)
			fuzz_finding("found, but data %p entry %p rule %p", data, (void *)entry,
				     (void *)rule);
		check_found(h, entry, size);
	} else if (ret != -ENOENT && ret != -EBADMSG && ret != -EIO && ret != -ENOMEM) {
		fuzz_finding("find returned %d (%s)", ret, err.msg);
	} else if (!err.msg[0] || data || entry || rule) {
		fuzz_finding("failed find (%d) without a message or with results", ret);
	}
	free(data);
	free(entry);
	free(rule);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bundle_src src = { .name = "fuzz", .mem = data, .mem_size = size };
	struct bp_err err = { .msg = "" };
	struct bundle_host h = { .id = "" };
	struct bundle_cat *cat;
	size_t i;

	bundle_os_release_parse((const char *)data, size, &h);
	check_field("ID", h.id, true);
	check_field("VERSION_ID", h.version_id, false);
	check_field("VERSION_CODENAME", h.codename, false);
	if (!size || bundle_cat_open(&src, &cat, &err))
		return 0;
	if (bundle_find_check(cat, &err) == 0) {
		strcpy(h.release, "base");
		strcpy(h.arch, "x86_64");
		find_one(cat, &h);
		for (i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++)
			find_one(cat, &hosts[i]);
	}
	bundle_cat_free(cat);
	return 0;
}
