/* SPDX-License-Identifier: MIT */
/* Locate named sections in an in-memory ELF image with libelf; every
 * section's bytes are checked to lie inside the image.
 */
#ifndef BTFPACK_CORE_IMAGE_H
#define BTFPACK_CORE_IMAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"

struct image_section {
	const char *name;	/* in: section to look for */
	const void *data;	/* out: NULL when absent */
	size_t size;
};

bool image_is_elf(const void *data, size_t size);

/* Fill secs[i].data/size for each requested name; *big_endian reports the
 * image's byte order.
 */
int image_find_sections(const void *image, size_t size, const char *name,
		      struct image_section *secs, size_t sec_cnt, bool *big_endian,
		      struct bp_err *err);

#endif
