// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dedup/dedup_plan.h"

static const char *const mode_names[] = {
	[DEDUP_SYMLINK] = "symlink",
	[DEDUP_HARDLINK] = "hardlink",
	[DEDUP_INDEX] = "index",
	[DEDUP_NONE] = "none",
};

#define N_MODES (sizeof(mode_names) / sizeof(mode_names[0]))

const char *dedup_mode_name(enum dedup_mode mode)
{
	return (size_t)mode < N_MODES ? mode_names[mode] : NULL;
}

int dedup_mode_parse(const char *name, enum dedup_mode *mode)
{
	size_t i;

	for (i = 0; i < N_MODES; i++) {
		if (!strcmp(name, mode_names[i])) {
			*mode = (enum dedup_mode)i;
			return 0;
		}
	}
	return -EINVAL;
}

void dedup_blob_path(const char hex[BP_HASH_HEX_LEN + 1], char out[DEDUP_BLOB_PATH_MAX])
{
	snprintf(out, DEDUP_BLOB_PATH_MAX, "blobs/%s.btf", hex);
}

int dedup_place(struct blob_store *s, enum dedup_mode mode, const struct bp_hash *h,
		const char *kernel_path, struct dedup_entry *out)
{
	char hex[BP_HASH_HEX_LEN + 1];
	const char *first = NULL;
	int ret;

	memset(out, 0, sizeof(*out));
	out->action = DEDUP_ADD_FILE;
	if (mode == DEDUP_INDEX) {
		bp_hash_hex(h, hex);
		dedup_blob_path(hex, out->path);
	} else if (snprintf(out->path, sizeof(out->path), "%s", kernel_path) >=
		   (int)sizeof(out->path)) {
		return -ENAMETOOLONG;
	}
	ret = blob_store_add(s, h, out->path, &first);
	if (ret)
		return ret;
	out->new_blob = !first;
	if (first && mode == DEDUP_INDEX)
		out->action = DEDUP_ADD_NOTHING;	/* just another index row */
	if (!first || mode == DEDUP_INDEX || mode == DEDUP_NONE)
		return 0;
	out->link = first;
	if (mode == DEDUP_SYMLINK) {
		out->action = DEDUP_ADD_SYMLINK;
		out->target = blob_relative_target(out->path, first);
	} else {
		out->action = DEDUP_ADD_HARDLINK;
		out->target = strdup(first);
	}
	return out->target ? 0 : -ENOMEM;
}

void dedup_entry_clear(struct dedup_entry *e)
{
	free(e->target);
	e->target = NULL;
}
