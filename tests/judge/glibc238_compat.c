/*
 * Debian trixie's libbpf.a was compiled against glibc 2.38, whose headers
 * redirect sscanf/fscanf/strtoull (under _GNU_SOURCE) to the C23 variants
 * __isoc23_*; Debian 12's glibc 2.36 does not have them. The C23 variants
 * differ only in accepting binary ("%b", "0b") input, which libbpf never
 * parses, so the pre-C23 functions are what libbpf means here.
 * Linked only into the judge built against that libbpf.a.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

int __isoc23_sscanf(const char *s, const char *fmt, ...);
int __isoc23_fscanf(FILE *f, const char *fmt, ...);
unsigned long long __isoc23_strtoull(const char *s, char **end, int base);

int __isoc23_sscanf(const char *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsscanf(s, fmt, ap);
	va_end(ap);
	return n;
}

int __isoc23_fscanf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfscanf(f, fmt, ap);
	va_end(ap);
	return n;
}

unsigned long long __isoc23_strtoull(const char *s, char **end, int base)
{
	return strtoull(s, end, base);
}
