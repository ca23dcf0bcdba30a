// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "core/btf_util.h"
#include "core/loader_log.h"

static __thread char last_warning[256];
static bool log_verbose;

/* fmt is libbpf's: the attribute says so, for -Wformat-nonliteral */
static int loader_log_sink(enum libbpf_print_level level, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static int loader_log_sink(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	va_list copy;
	size_t len;

	if (level == LIBBPF_WARN) {
		va_copy(copy, ap);
		vsnprintf(last_warning, sizeof(last_warning), fmt, copy);
		va_end(copy);
		len = strlen(last_warning);
		while (len && (last_warning[len - 1] == '\n' || last_warning[len - 1] == ' '))
			last_warning[--len] = '\0';
	}
	if (log_verbose && level != LIBBPF_DEBUG)
		return vfprintf(stderr, fmt, ap);
	return 0;
}

void loader_log_init(bool verbose)
{
	log_verbose = verbose;
	libbpf_set_print(loader_log_sink);
}

const char *loader_log_last_warning(void)
{
	return last_warning;
}

void loader_log_clear_warning(void)
{
	last_warning[0] = '\0';
}
