// SPDX-License-Identifier: MIT
/* A reader of a bcc profile bundle that follows the rules bcc's
 * libbpf-tools (btf_helpers.c) reads its embedded min_core_btfs.tar.gz by:
 * the whole gzip stream inflated with zlib, then 512-byte headers walked
 * from the start until one whose name starts with NUL; only the 100-byte
 * name field is compared (no prefix field, no pax or GNU long names), the
 * entry type is not looked at, the data is the size field's bytes right
 * after the header. The lookup key is computed the way bcc computes it:
 * "./<ID>/<VERSION_ID>/<uname -m>/<uname -r>.btf" with ID taken as the
 * first word after "ID=" (quotes kept) and VERSION_ID only when it is
 * quoted (the closing quote cut off).
 *
 *   bcc-reader BUNDLE.tar.gz --list
 *   bcc-reader BUNDLE.tar.gz --name NAME OUT
 *   bcc-reader BUNDLE.tar.gz --os-release FILE --release R --machine M OUT
 *
 * --list prints "<size> <name>" per member. Exit 0 found, 1 not found or
 * an error, 2 usage.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define BLOCK 512
#define NAME_FIELD 100
#define SIZE_OFF 124
#define SIZE_FIELD 12
#define KEY_FIELD 65	/* bcc: 64 characters and the NUL */
#define MAX_TAR (256u << 20)

struct buf {
	unsigned char *data;
	size_t len;
};

static int read_file(const char *path, struct buf *b)
{
	size_t cap = 1 << 16;
	FILE *f = fopen(path, "rb");
	unsigned char *p;
	size_t n;

	if (!f)
		return -errno;
	b->data = NULL;
	b->len = 0;
	for (;;) {
		p = realloc(b->data, cap);
		if (!p) {
			fclose(f);
			return -ENOMEM;
		}
		b->data = p;
		n = fread(b->data + b->len, 1, cap - b->len, f);
		b->len += n;
		if (b->len < cap)
			break;
		if (cap >= MAX_TAR) {
			fclose(f);
			return -EFBIG;
		}
		cap *= 2;
	}
	n = ferror(f);
	fclose(f);
	return n ? -EIO : 0;
}

/* One gzip member, as bcc's inflate_gz() takes it (16 + MAX_WBITS). */
static int gunzip(const struct buf *in, struct buf *out)
{
	size_t cap = 1 << 20;
	z_stream z = { 0 };
	unsigned char *p;
	int r;

	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return -EINVAL;
	out->data = malloc(cap);
	out->len = 0;
	z.next_in = in->data;
	z.avail_in = (uInt)in->len;
	do {
		if (!out->data) {
			inflateEnd(&z);
			return -ENOMEM;
		}
		z.next_out = out->data + out->len;
		z.avail_out = (uInt)(cap - out->len);
		r = inflate(&z, Z_NO_FLUSH);
		out->len = cap - z.avail_out;
		if (r != Z_OK && r != Z_STREAM_END) {
			inflateEnd(&z);
			return -EBADMSG;
		}
		if (r != Z_STREAM_END && !z.avail_out) {
			if (cap >= MAX_TAR) {
				inflateEnd(&z);
				return -EFBIG;
			}
			cap *= 2;
			p = realloc(out->data, cap);
			if (!p)
				free(out->data);
			out->data = p;
		}
	} while (r != Z_STREAM_END);
	inflateEnd(&z);
	return 0;
}

/* The octal size field; -1 when it is not octal digits (spaces/NULs end it). */
static long long field_size(const unsigned char *h)
{
	long long v = 0;
	size_t i;

	for (i = 0; i < SIZE_FIELD; i++) {
		unsigned char c = h[SIZE_OFF + i];

		if (c == ' ' || c == '\0')
			break;
		if (c < '0' || c > '7' || v > (1LL << 40))
			return -1;
		v = v * 8 + (c - '0');
	}
	return v;
}

typedef bool (*member_fn)(void *ctx, const char *name, const unsigned char *data,
			  size_t size);

/* Walk the members; stops when fn returns true. -EBADMSG for a header or
 * data that runs past the end.
 */
static int walk(const struct buf *tar, member_fn fn, void *ctx)
{
	char name[NAME_FIELD + 1];
	size_t off = 0;
	long long size;

	while (off + BLOCK <= tar->len && tar->data[off]) {
		const unsigned char *h = tar->data + off;

		memcpy(name, h, NAME_FIELD);
		name[NAME_FIELD] = '\0';
		size = field_size(h);
		if (size < 0 || (unsigned long long)size > tar->len - off - BLOCK)
			return -EBADMSG;
		if (fn(ctx, name, h + BLOCK, (size_t)size))
			return 0;
		off += BLOCK + ((size_t)size + BLOCK - 1) / BLOCK * BLOCK;
	}
	return 0;
}

static bool list_fn(void *ctx, const char *name, const unsigned char *data, size_t size)
{
	(void)ctx;
	(void)data;
	printf("%zu %s\n", size, name);
	return false;
}

struct find {
	const char *want;
	const unsigned char *data;
	size_t size;
	bool found;
};

static bool find_fn(void *ctx, const char *name, const unsigned char *data, size_t size)
{
	struct find *f = ctx;

	if (strcmp(name, f->want))
		return false;
	f->data = data;
	f->size = size;
	f->found = true;
	return true;
}

/* The first whitespace-delimited word of s, at most KEY_FIELD - 1 bytes. */
static void first_word(const char *s, char out[KEY_FIELD])
{
	size_t n = 0;

	while (s[n] && s[n] != ' ' && s[n] != '\t' && s[n] != '\n' && n < KEY_FIELD - 1) {
		out[n] = s[n];
		n++;
	}
	out[n] = '\0';
}

/* ID and VERSION_ID with bcc's quirks; -errno when the file is unreadable. */
static int os_release(const char *path, char id[KEY_FIELD], char ver[KEY_FIELD])
{
	char line[1024];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -errno;
	id[0] = ver[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "ID=", 3) && line[3] && line[3] != '\n') {
			first_word(line + 3, id);
		} else if (!strncmp(line, "VERSION_ID=\"", 12) && line[12] && line[12] != '\n') {
			first_word(line + 12, ver);
			n = strlen(ver);
			if (n)
				ver[n - 1] = '\0';	/* bcc drops the last character */
		}
	}
	fclose(f);
	return 0;
}

static int write_out(const char *path, const unsigned char *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	int bad;

	if (!f)
		return -errno;
	bad = size && fwrite(data, 1, size, f) != size;
	if (fclose(f) || bad)
		return -EIO;
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: bcc-reader BUNDLE.tar.gz --list\n"
			"       bcc-reader BUNDLE.tar.gz --name NAME OUT\n"
			"       bcc-reader BUNDLE.tar.gz --os-release FILE --release R --machine M OUT\n");
	return 2;
}

/* The member name from the arguments after BUNDLE; NULL on a usage error. */
static const char *want_name(int argc, char **argv, char name[NAME_FIELD], const char **out)
{
	char id[KEY_FIELD], ver[KEY_FIELD];
	int n;

	if (argc == 5 && !strcmp(argv[2], "--name")) {
		*out = argv[4];
		return argv[3];
	}
	if (argc != 9 || strcmp(argv[2], "--os-release") || strcmp(argv[4], "--release") ||
	    strcmp(argv[6], "--machine"))
		return NULL;
	if (os_release(argv[3], id, ver)) {
		fprintf(stderr, "bcc-reader: %s: %s\n", argv[3], strerror(errno));
		return NULL;
	}
	/* bcc's snprintf into char name[100] */
	n = snprintf(name, NAME_FIELD, "./%s/%s/%s/%s.btf", id, ver, argv[7], argv[5]);
	if (n < 0 || n >= NAME_FIELD) {
		fprintf(stderr, "bcc-reader: key for %s does not fit 99 bytes\n", argv[5]);
		return NULL;
	}
	*out = argv[8];
	return name;
}

int main(int argc, char **argv)
{
	struct buf gz = { 0 }, tar = { 0 };
	struct find f = { 0 };
	char name[NAME_FIELD];
	const char *out = NULL;
	int ret;

	if (argc < 3)
		return usage();
	if (strcmp(argv[2], "--list")) {
		f.want = want_name(argc, argv, name, &out);
		if (!f.want)
			return usage();
	}
	ret = read_file(argv[1], &gz);
	if (!ret)
		ret = gunzip(&gz, &tar);
	if (!ret)
		ret = walk(&tar, f.want ? find_fn : list_fn, &f);
	if (!ret && f.want && !f.found) {
		fprintf(stderr, "bcc-reader: %s: no member %s\n", argv[1], f.want);
		ret = 1;
	} else if (!ret && f.want) {
		ret = write_out(out, f.data, f.size);
	}
	if (ret < 0)
		fprintf(stderr, "bcc-reader: %s: %s\n", argv[1], strerror(-ret));
	free(gz.data);
	free(tar.data);
	return ret ? 1 : 0;
}
