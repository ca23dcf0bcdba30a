// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <archive.h>
#include <archive_entry.h>

#include "archive/archive_priv.h"

/* Read granularity; also the first allocation, so small members cost one. */
#define AR_CHUNK (64UL * 1024)

static int grow(char **buf, size_t *cap_alloc, size_t need)
{
	size_t n = *cap_alloc ? *cap_alloc : AR_CHUNK;
	char *p;

	while (n < need)
		n = n > SIZE_MAX / 2 ? need : n * 2;
	p = realloc(*buf, n);
	if (!p)
		return -ENOMEM;
	*buf = p;
	*cap_alloc = n;
	return 0;
}

int ar_read_data_capped(struct archive *a, size_t cap, void **data, size_t *size)
{
	size_t len = 0, alloc = 0, want;
	char *buf = NULL;
	la_ssize_t n;
	int ret;

	*data = NULL;
	*size = 0;
	for (;;) {
		/* room for one byte past cap, so going over it is seen */
		want = AR_CHUNK;
		if (cap - len < want)
			want = cap - len + 1;
		if (alloc - len < want) {
			ret = grow(&buf, &alloc, len + want);
			if (ret)
				goto err;
		}
		n = archive_read_data(a, buf + len, want);
		if (n < 0) {
			ret = -EBADMSG;
			goto err;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > cap) {
			ret = -EFBIG;
			goto err;
		}
	}
	if (!buf) {
		buf = malloc(1);	/* empty member: still a distinct buffer */
		if (!buf)
			return -ENOMEM;
	}
	*data = buf;
	*size = len;
	return 0;
err:
	free(buf);
	return ret;
}

const char *ar_entry_path(struct archive_entry *e)
{
	const char *p = archive_entry_pathname(e);

	/* pax names the locale cannot convert come back NULL */
	return p ? p : archive_entry_pathname_utf8(e);
}

const char *ar_skip_dot_slash(const char *path)
{
	while (path[0] == '.' && path[1] == '/') {
		path += 2;
		while (*path == '/')
			path++;
	}
	return path;
}

bool ar_path_is_safe(const char *path)
{
	const char *p = path, *end;

	if (*path == '/')
		return false;
	while (*p) {
		end = strchrnul(p, '/');
		if (end - p == 2 && p[0] == '.' && p[1] == '.')
			return false;
		p = *end ? end + 1 : end;
	}
	return true;
}

const char *ar_errstr(struct archive *a)
{
	const char *s = archive_error_string(a);

	return s ? s : "unknown libarchive error";
}
