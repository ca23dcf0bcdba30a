/* SPDX-License-Identifier: MIT */
/* The btfpack bundle built into the loader (loader_bundle.c is generated
 * from it at build time by embed.sh).
 */
#ifndef LOADER_BUNDLE_H
#define LOADER_BUNDLE_H

#include <stddef.h>

extern const unsigned char loader_bundle[];
extern const size_t loader_bundle_size;

#endif
