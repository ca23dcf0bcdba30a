/* SPDX-License-Identifier: MIT */
/* libbpf's own messages (the loader's words), kept per thread, so a failed
 * parse can say what libbpf found wrong ("BTF type [12] is malformed").
 */
#ifndef BTFPACK_CORE_LOADER_LOG_H
#define BTFPACK_CORE_LOADER_LOG_H

#include <stdbool.h>

void loader_log_init(bool verbose);
const char *loader_log_last_warning(void);
void loader_log_clear_warning(void);

#endif
