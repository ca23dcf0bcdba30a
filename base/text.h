/* SPDX-License-Identifier: MIT */
/* Text that comes from inputs (file names, BTF strings) on its way to a
 * terminal, a log or JSON: UTF-8 checks and escaping of control bytes.
 */
#ifndef BTFPACK_BASE_TEXT_H
#define BTFPACK_BASE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Length of the strict UTF-8 character at s (no overlongs, surrogates or
 * values past U+10FFFF), or 0 when s does not start one.
 */
size_t bp_utf8_char_len(const char *s);

/* Replace every byte that is not part of valid UTF-8 with '?'; true if any. */
bool bp_utf8_sanitize(char *s);

/* Write s to f with every byte that could steer a terminal or start a new
 * log line escaped as \xNN: C0 controls (newline, ESC, ...), DEL, C1
 * controls (raw or UTF-8 encoded) and bytes that are not valid UTF-8.
 * Everything else, printable UTF-8 included, is written as is.
 */
void bp_fputs_escaped(const char *s, FILE *f);

/* The same escaping into a new string (malloc'ed; NULL when out of memory). */
char *bp_escape_dup(const char *s);

/* "btfpack: <msg>\n" on stderr, msg escaped: the one way errors that may
 * carry input names reach the user.
 */
void bp_print_error(const char *msg);

/* The same for a formatted message (cut at BP_PRINT_MAX bytes). */
#define BP_PRINT_MAX 4096
void bp_print_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
