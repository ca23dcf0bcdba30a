/* SPDX-License-Identifier: MIT */
/* A bundle as C source: its bytes as a const array a program links in and
 * hands to btfpack_bundle__open_mem(), and a header declaring them.
 */
#ifndef BTFPACK_ARCHIVE_BUNDLE_EMBED_H
#define BTFPACK_ARCHIVE_BUNDLE_EMBED_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"

/* Largest bundle embedded: its C source is about six times as big. */
#define BUNDLE_EMBED_MAX (256UL * 1024 * 1024)

/* A C identifier of at most 64 bytes, not starting with '_'. */
bool bundle_embed_symbol_ok(const char *symbol);

struct bundle_embed {
	char *c_src;		/* malloc'ed, NUL-terminated */
	size_t c_len;
	char *h_src;
	size_t h_len;
};

/* Render data (size bytes, the bundle called name in comments) as
 * `const unsigned char symbol[]`, 64-byte aligned, and `symbol_len`, the
 * source including header_name. The bytes depend only on the arguments.
 */
int bundle_embed_render(const void *data, size_t size, const char *name, const char *symbol,
			const char *header_name, struct bundle_embed *out, struct bp_err *err);
void bundle_embed_free(struct bundle_embed *e);

#endif
