// SPDX-License-Identifier: MIT
#include <libelf.h>

#include "core/btf_util.h"
#include "core/core_init.h"
#include "core/loader_log.h"

void core_init(bool verbose)
{
	loader_log_init(verbose);
	/* libelf's version handshake is global state: settle it up front */
	elf_version(EV_CURRENT);
}
