// SPDX-License-Identifier: MIT
/* Open addressing with linear probing, kept at most half full. The keys are
 * already uniform hashes, so the low bits pick the slot directly.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dedup/blob_store.h"

#define BLOB_STORE_MIN_CAP 64

struct blob_slot {
	struct bp_hash hash;
	char *path;		/* NULL: slot free */
	size_t tag;		/* the first adder's */
};

struct blob_store {
	struct blob_slot *slots;
	size_t cap;		/* power of two */
	size_t cnt;
};

struct blob_store *blob_store_new(void)
{
	struct blob_store *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->cap = BLOB_STORE_MIN_CAP;
	s->slots = calloc(s->cap, sizeof(*s->slots));
	if (!s->slots) {
		free(s);
		return NULL;
	}
	return s;
}

void blob_store_free(struct blob_store *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->cap; i++)
		free(s->slots[i].path);
	free(s->slots);
	free(s);
}

/* The slot holding h, or the free slot where it belongs. */
static struct blob_slot *find_slot(struct blob_slot *slots, size_t cap,
				   const struct bp_hash *h)
{
	size_t mask = cap - 1, i = (size_t)h->low & mask;

	while (slots[i].path && !bp_hash_equal(&slots[i].hash, h))
		i = (i + 1) & mask;
	return &slots[i];
}

static int grow(struct blob_store *s)
{
	struct blob_slot *slots, *dst;
	size_t cap, i;

	if (s->cap > SIZE_MAX / 2 / sizeof(*slots))
		return -ENOMEM;
	cap = s->cap * 2;
	slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (i = 0; i < s->cap; i++) {
		if (!s->slots[i].path)
			continue;
		dst = find_slot(slots, cap, &s->slots[i].hash);
		*dst = s->slots[i];
	}
	free(s->slots);
	s->slots = slots;
	s->cap = cap;
	return 0;
}

int blob_store_add(struct blob_store *s, const struct bp_hash *h, const char *path,
		   const char **first)
{
	return blob_store_add_tag(s, h, path, 0, first, NULL);
}

int blob_store_add_tag(struct blob_store *s, const struct bp_hash *h, const char *path,
		       size_t tag, const char **first, size_t *first_tag)
{
	struct blob_slot *slot;
	char *copy;
	int ret;

	slot = find_slot(s->slots, s->cap, h);
	if (slot->path) {
		if (first)
			*first = slot->path;
		if (first_tag)
			*first_tag = slot->tag;
		return 0;
	}
	/* keep the load at most 1/2 so probe runs stay short */
	if ((s->cnt + 1) * 2 > s->cap) {
		ret = grow(s);
		if (ret)
			return ret;
		slot = find_slot(s->slots, s->cap, h);
	}
	copy = strdup(path);
	if (!copy)
		return -ENOMEM;
	slot->hash = *h;
	slot->path = copy;
	slot->tag = tag;
	s->cnt++;
	if (first)
		*first = NULL;
	if (first_tag)
		*first_tag = tag;
	return 0;
}

size_t blob_store_unique(const struct blob_store *s)
{
	return s->cnt;
}

/* Length of the leading directories the two paths share, up to and
 * including the last common '/'.
 */
static size_t common_dir_len(const char *a, const char *b)
{
	size_t i, len = 0;

	for (i = 0; a[i] && a[i] == b[i]; i++) {
		if (a[i] == '/')
			len = i + 1;
	}
	return len;
}

char *blob_relative_target(const char *link_path, const char *target_path)
{
	size_t common = common_dir_len(link_path, target_path);
	const char *rest = target_path + common, *p;
	size_t ups = 0, len, off = 0;
	char *out;

	/* each directory of the link below the common part is one "../" */
	for (p = link_path + common; *p; p++) {
		if (*p == '/')
			ups++;
	}
	len = ups * 3 + strlen(rest);
	out = malloc(len + 1);
	if (!out)
		return NULL;
	for (; ups; ups--, off += 3)
		memcpy(out + off, "../", 3);
	memcpy(out + off, rest, strlen(rest) + 1);
	return out;
}
