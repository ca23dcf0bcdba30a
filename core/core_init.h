/* SPDX-License-Identifier: MIT */
#ifndef BTFPACK_CORE_INIT_H
#define BTFPACK_CORE_INIT_H

#include <stdbool.h>

/* Process-wide setup (libbpf logging, libelf); call once before threads. */
void core_init(bool verbose);

#endif
