// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"

size_t bp_utf8_char_len(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned int c = s[0], need, i, cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		need = 1, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		need = 2, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		need = 3, cp = c & 0x07;
	else
		return 0;
	/* a NUL ends the string: it fails the continuation test */
	for (i = 1; i <= need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((need == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (need == 3 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return need + 1;
}

bool bp_utf8_sanitize(char *s)
{
	bool changed = false;
	size_t n;

	while (*s) {
		n = bp_utf8_char_len(s);
		if (!n) {
			*s++ = '?';
			changed = true;
		} else {
			s += n;
		}
	}
	return changed;
}

/* Bytes of s to escape at this position (0: the next character is safe),
 * or the safe character's length through *safe_len.
 */
static size_t unsafe_run(const char *s, size_t *safe_len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = bp_utf8_char_len(s);

	*safe_len = 0;
	if (!n)
		return 1;			/* not UTF-8: one raw byte */
	if (n == 1 && (u[0] < 0x20 || u[0] == 0x7f))
		return 1;			/* C0 control or DEL */
	if (n == 2 && u[0] == 0xc2 && u[1] < 0xa0)
		return 2;			/* U+0080..U+009F: C1 controls */
	*safe_len = n;
	return 0;
}

/* Calls emit(ctx, bytes, len) with the escaped form of s, piece by piece. */
static void escape_walk(const char *s, void (*emit)(void *, const char *, size_t), void *ctx)
{
	static const char hex[] = "0123456789abcdef";
	size_t bad, safe, i;
	char esc[4];

	while (*s) {
		bad = unsafe_run(s, &safe);
		if (!bad) {
			emit(ctx, s, safe);
			s += safe;
			continue;
		}
		for (i = 0; i < bad; i++) {
			unsigned char b = (unsigned char)s[i];

			esc[0] = '\\';
			esc[1] = 'x';
			esc[2] = hex[b >> 4];
			esc[3] = hex[b & 0xf];
			emit(ctx, esc, sizeof(esc));
		}
		s += bad;
	}
}

static void emit_file(void *ctx, const char *p, size_t n)
{
	fwrite(p, 1, n, ctx);
}

void bp_fputs_escaped(const char *s, FILE *f)
{
	escape_walk(s, emit_file, f);
}

struct grow_buf {
	char *p;
	size_t len;
};

static void emit_buf(void *ctx, const char *p, size_t n)
{
	struct grow_buf *b = ctx;

	/* the caller sized the buffer for the worst case: 4 bytes per byte */
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

char *bp_escape_dup(const char *s)
{
	size_t n = strlen(s);
	struct grow_buf b = { 0 };

	if (n > (SIZE_MAX - 1) / 4)
		return NULL;
	b.p = malloc(n * 4 + 1);
	if (!b.p)
		return NULL;
	escape_walk(s, emit_buf, &b);
	b.p[b.len] = '\0';
	return b.p;
}

void bp_print_error(const char *msg)
{
	fputs("btfpack: ", stderr);
	bp_fputs_escaped(msg, stderr);
	fputc('\n', stderr);
}

void bp_print_errorf(const char *fmt, ...)
{
	char buf[BP_PRINT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	bp_print_error(buf);
}
