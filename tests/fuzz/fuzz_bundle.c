// SPDX-License-Identifier: MIT
/* Harness 4: the input is a tar bundle (any compression). bundle_read()
 * walks it; every entry it reports must be well-formed (relative, no ".."
 * component, no leading "./", data only for files). Then bundle_lookup()
 * resolves a few of its paths (and paths the seeds' index.json maps), and a
 * file that only one entry names, below no link or file, must come back
 * with the bytes the walk saw. The API takes a path, so the input is put in
 * a memfd and named through /proc/self/fd.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "archive/bundle_reader.h"
#include "core/core_init.h"
#include "base/fileio.h"
#include "tests/fuzz/fuzz.h"

#define MAX_SEEN 64		/* entries remembered per input */
#define MAX_LOOKUPS 8		/* each lookup decompresses the bundle twice */

struct seen {
	char *path;
	enum bundle_entry_type type;
	unsigned char *data;	/* files only, NULL when too big to keep */
	size_t size;
	int dups;		/* other entries with the same path */
};

struct walk {
	struct seen e[MAX_SEEN];
	size_t cnt;
};

/* Paths the generated seeds hold only in index.json (--dedup index). */
static const char *const index_paths[] = {
	"fuzzdistro/1/x86_64/base.btf",
	"fuzzdistro/2/x86_64/renamed.btf",
};

static int fd = -1;
static char fd_path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	core_init(false);
	fd = memfd_create("fuzz_bundle", 0);
	if (fd < 0)
		fuzz_setup_fail("memfd_create: %m");
	snprintf(fd_path, sizeof(fd_path), "/proc/self/fd/%d", fd);
	return 0;
}

static void check_entry(const struct bundle_entry *e)
{
	const char *p = e->path;

	if (!p || !*p || *p == '/' || !strncmp(p, "./", 2) || p[strlen(p) - 1] == '/')
		fuzz_finding("bad entry path '%s'", p ? p : "(null)");
	for (; p; p = strchr(p, '/') ? strchr(p, '/') + 1 : NULL) {
		if (!strncmp(p, "..", 2) && (p[2] == '/' || !p[2]))
			fuzz_finding("entry path '%s' climbs out", e->path);
	}
	if (e->type == BUNDLE_ENTRY_FILE ? !e->data : e->data || e->size)
		fuzz_finding("entry '%s': data does not match its type", e->path);
	if ((e->type == BUNDLE_ENTRY_SYMLINK || e->type == BUNDLE_ENTRY_HARDLINK) !=
	    (e->link_target != NULL))
		fuzz_finding("entry '%s': link target does not match its type", e->path);
}

static int walk_fn(void *ctx, const struct bundle_entry *e)
{
	struct walk *w = ctx;
	struct seen *s;
	size_t i;

	check_entry(e);
	for (i = 0; i < w->cnt; i++) {
		if (!strcmp(w->e[i].path, e->path)) {
			w->e[i].dups++;
			return 0;
		}
	}
	if (w->cnt == MAX_SEEN)
		return 0;
	s = &w->e[w->cnt];
	*s = (struct seen){ .path = strdup(e->path), .type = e->type, .size = e->size };
	if (!s->path)
		return -ENOMEM;
	if (e->type == BUNDLE_ENTRY_FILE && e->size) {
		s->data = malloc(e->size);
		if (s->data)
			memcpy(s->data, e->data, e->size);
	}
	w->cnt++;
	return 0;
}

/* Lookup resolves component by component: a prefix that is a link or a
 * file changes the answer, so only plain paths have a known one.
 */
static bool plain_path(const struct walk *w, const struct seen *s)
{
	const char *c;
	size_t i, n;

	if (s->type != BUNDLE_ENTRY_FILE || s->dups || (s->size && !s->data))
		return false;
	/* "a//b" or "a/./b" name one entry to the walk, another to lookup */
	for (c = s->path; c; c = strchr(c, '/') ? strchr(c, '/') + 1 : NULL) {
		if (*c == '/' || (c[0] == '.' && (c[1] == '/' || !c[1])))
			return false;
	}
	for (i = 0; i < w->cnt; i++) {
		n = strlen(w->e[i].path);
		if (w->e[i].type != BUNDLE_ENTRY_DIR && !strncmp(w->e[i].path, s->path, n) &&
		    s->path[n] == '/')
			return false;
	}
	return w->cnt < MAX_SEEN;
}

static void lookup_one(const struct walk *w, const char *path, const struct seen *s)
{
	struct bp_err err;
	void *data = NULL;
	size_t size = 0;
	int ret;

	ret = bundle_lookup(fd_path, path, &data, &size, &err);
	if (ret == 0 && !data)
		fuzz_finding("lookup of '%s' succeeded without data", path);
	if (s && plain_path(w, s)) {
		if (ret == -ENOMEM)
			return;
		if (ret)
			fuzz_finding("walk saw file '%s', lookup fails: %s", path, err.msg);
		if (size != s->size || (size && memcmp(data, s->data, size)))
			fuzz_finding("lookup of '%s': %zu bytes, the walk saw %zu", path, size,
				     s->size);
	}
	free(data);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct walk w = { .cnt = 0 };
	struct bp_err err;
	size_t i, n = 0;
	int ret;

	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		fuzz_setup_fail("cannot write the input to the memfd: %m");
	ret = bundle_read(fd_path, walk_fn, &w, &err);
	if (ret == 0) {
		for (i = 0; i < w.cnt && n < MAX_LOOKUPS; i++) {
			if (w.e[i].type == BUNDLE_ENTRY_DIR)
				continue;
			lookup_one(&w, w.e[i].path, &w.e[i]);
			n++;
		}
		for (i = 0; i < sizeof(index_paths) / sizeof(index_paths[0]); i++)
			lookup_one(&w, index_paths[i], NULL);
	}
	for (i = 0; i < w.cnt; i++) {
		free(w.e[i].path);
		free(w.e[i].data);
	}
	return 0;
}
