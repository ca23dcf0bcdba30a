// SPDX-License-Identifier: MIT
/* The build cache (batch/build_cache.h): paths, the two payloads, atomic
 * writes, checked reads, and least-recently-used eviction.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zstd.h>

#include "base/bytes.h"
#include "base/fileio.h"
#include "base/text.h"
#include "batch/build_cache.h"
#include "batch/cache_entry.h"
#include "core/minimize_run.h"

#define ZSTD_LEVEL 1
/* a result entry: obj_cnt, btf_size, blob_size, then 3 counts per object */
#define RESULT_HEAD 24

struct build_cache {
	char *root;		/* DIR/v<format> */
};

static const char *const kind_dirs[] = { [CACHE_RESULT] = "res", [CACHE_SOURCE] = "src" };

static int make_dir(const char *path, struct bp_err *err)
{
	if (mkdir(path, 0755) && errno != EEXIST)
		return bp_err_set(err, errno, "%s: cannot create cache directory: %s", path,
				  strerror(errno));
	return 0;
}

int build_cache_open(const char *dir, struct build_cache **out, struct bp_err *err)
{
	struct build_cache *c = calloc(1, sizeof(*c));
	char sub[4096];
	int ret;

	*out = NULL;
	if (!c || asprintf(&c->root, "%s/v%d", dir, CACHE_FORMAT) < 0) {
		free(c);
		return bp_err_set(err, ENOMEM, "out of memory");
	}
	ret = make_dir(dir, err);
	if (!ret)
		ret = make_dir(c->root, err);
	snprintf(sub, sizeof(sub), "%s/%s", c->root, kind_dirs[CACHE_RESULT]);
	if (!ret)
		ret = make_dir(sub, err);
	snprintf(sub, sizeof(sub), "%s/%s", c->root, kind_dirs[CACHE_SOURCE]);
	if (!ret)
		ret = make_dir(sub, err);
	if (ret) {
		build_cache_close(c);
		return ret;
	}
	*out = c;
	return 0;
}

void build_cache_close(struct build_cache *c)
{
	if (!c)
		return;
	free(c->root);
	free(c);
}

const char *build_cache_root(const struct build_cache *c)
{
	return c->root;
}

/* Feed fd to x in pieces; -errno. */
static int hash_fd(int fd, struct bp_hasher *x, size_t *size)
{
	static const size_t chunk = 1 << 20;
	char *buf = malloc(chunk);
	ssize_t n;
	int ret = 0;

	if (!buf)
		return -ENOMEM;
	while ((n = read(fd, buf, chunk)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			break;
		}
		bp_hasher_update(x, buf, (size_t)n);
		*size += (size_t)n;
	}
	free(buf);
	return ret;
}

int build_cache_hash_file(const char *path, struct bp_hash *h, size_t *size,
			  struct bp_err *err)
{
	struct bp_hasher *x;
	int fd, ret;

	*size = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return bp_err_set(err, errno, "%s: %s", path, strerror(errno));
	x = bp_hasher_new();
	ret = x ? hash_fd(fd, x, size) : -ENOMEM;
	close(fd);
	if (x)
		bp_hasher_final(x, h);
	return ret ? bp_err_set(err, -ret, "%s: %s", path, strerror(-ret)) : 0;
}

static void key_hash(const char *tag, const void *parts, size_t size, struct bp_hash *key)
{
	char buf[256];
	int n = snprintf(buf, sizeof(buf), "%s|cache %d|btfpack %s|output %d|", tag, CACHE_FORMAT,
			 BTFPACK_VERSION, BTFPACK_OUTPUT_FORMAT);

	if (n < 0 || (size_t)n + size > sizeof(buf))
		n = 0;		/* cannot happen: tags and parts are small */
	memcpy(buf + n, parts, size);
	bp_hash_bytes(buf, (size_t)n + size, key);
}

void build_cache_result_key(const struct bp_hash *source, const struct bp_hash *objs,
			    size_t obj_cnt, bool verify, unsigned int loaders,
			    struct bp_hash *key)
{
	uint64_t parts[7] = { source->high, source->low, objs->high, objs->low, obj_cnt, verify,
			      loaders };

	key_hash("result", parts, sizeof(parts), key);
}

void build_cache_source_key(const struct bp_hash *source, struct bp_hash *key)
{
	uint64_t parts[2] = { source->high, source->low };

	key_hash("source", parts, sizeof(parts), key);
}

/* DIR/v<format>/<kind>/<hh>/<key> */
static char *entry_path(const struct build_cache *c, enum cache_kind kind,
			const struct bp_hash *key)
{
	char hex[BP_HASH_HEX_LEN + 1], *path;

	bp_hash_hex(key, hex);
	if (asprintf(&path, "%s/%s/%.2s/%s", c->root, kind_dirs[kind], hex, hex) < 0)
		return NULL;
	return path;
}

static void warn_entry(const char *path, const char *what)
{
	char *name = bp_escape_dup(path);

	bp_print_errorf("warning: cache entry %s: %s; discarded, recomputing",
			name ? name : "?", what);
	free(name);
}

/* The payload of the entry at path, checked; 0 on a miss. */
static int read_entry(const char *path, enum cache_kind kind, const struct bp_hash *key,
		      void **entry, const void **payload, size_t *size)
{
	struct bp_err err;
	size_t len;
	int ret;

	*entry = NULL;
	if (bp_read_file(path, BP_MAX_INPUT_FILE, entry, &len, &err))
		return 0;	/* absent (or evicted meanwhile): a miss */
	ret = cache_entry_decode(*entry, len, kind, key, payload, size);
	if (!ret) {
		utimensat(AT_FDCWD, path, NULL, 0);	/* the LRU stamp */
		return 1;
	}
	if (ret == -EBADMSG) {
		warn_entry(path, "corrupt or truncated");
		unlink(path);
	}
	free(*entry);
	*entry = NULL;
	return 0;
}

/* Temp in the entry's directory, then rename: readers see all or nothing. */
static void write_entry(const struct build_cache *c, enum cache_kind kind,
			const struct bp_hash *key, const void *payload, size_t size)
{
	char *path = entry_path(c, kind, key), *tmp = NULL, *slash;
	void *bytes = NULL;
	size_t len;
	int fd = -1, ret = -ENOMEM;

	if (!path || cache_entry_encode(kind, key, payload, size, &bytes, &len) ||
	    asprintf(&tmp, "%s.tmp.%ld.XXXXXX", path, (long)getpid()) < 0)
		goto out;
	slash = strrchr(path, '/');
	*slash = '\0';
	ret = mkdir(path, 0755) && errno != EEXIST ? -errno : 0;
	*slash = '/';
	if (!ret) {
		fd = mkstemp(tmp);
		ret = fd < 0 ? -errno : bp_write_all(fd, bytes, len);
	}
	if (fd >= 0 && close(fd) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret && fd >= 0)
		unlink(tmp);
out:
	if (ret) {
		char *name = path ? bp_escape_dup(path) : NULL;

		bp_print_errorf("warning: cache entry %s: not written: %s", name ? name : "?",
				strerror(-ret));
		free(name);
	}
	free(bytes);
	free(tmp);
	free(path);
}



static bool parse_result(const unsigned char *p, size_t size, size_t obj_cnt,
			 struct cache_result *r)
{
	size_t i, counts;

	if (size < RESULT_HEAD || bp_get_u64(p) != obj_cnt)
		return false;
	counts = obj_cnt * 3 * 8;
	r->btf_size = (size_t)bp_get_u64(p + 8);
	r->blob_size = (size_t)bp_get_u64(p + 16);
	if (size - RESULT_HEAD < counts || size - RESULT_HEAD - counts != r->blob_size)
		return false;
	r->obj_cnt = obj_cnt;
	r->coverage = calloc(obj_cnt + 1, sizeof(*r->coverage));
	r->blob = malloc(r->blob_size + 1);
	if (!r->coverage || !r->blob)
		return false;
	for (i = 0; i < obj_cnt; i++) {
		const unsigned char *q = p + RESULT_HEAD + i * 24;

		r->coverage[i].resolved = (size_t)bp_get_u64(q);
		r->coverage[i].unresolved = (size_t)bp_get_u64(q + 8);
		r->coverage[i].rejected = (size_t)bp_get_u64(q + 16);
	}
	memcpy(r->blob, p + RESULT_HEAD + counts, r->blob_size);
	return true;
}

int build_cache_get_result(struct build_cache *c, const struct bp_hash *key, size_t obj_cnt,
			   struct cache_result *r)
{
	char *path = entry_path(c, CACHE_RESULT, key);
	const void *payload;
	void *entry = NULL;
	size_t size;
	int hit = 0;

	memset(r, 0, sizeof(*r));
	if (path && read_entry(path, CACHE_RESULT, key, &entry, &payload, &size)) {
		hit = parse_result(payload, size, obj_cnt, r);
		if (!hit) {
			/* checksum right, content not: written by a broken writer */
			free(r->coverage);
			free(r->blob);
			memset(r, 0, sizeof(*r));
		}
	}
	free(entry);
	free(path);
	return hit;
}

void build_cache_put_result(struct build_cache *c, const struct bp_hash *key,
			    const struct cache_result *r)
{
	size_t counts = r->obj_cnt * 3 * 8, size = RESULT_HEAD + counts + r->blob_size, i;
	unsigned char *p = malloc(size);

	if (!p)
		return;
	bp_put_u64(p, r->obj_cnt);
	bp_put_u64(p + 8, r->btf_size);
	bp_put_u64(p + 16, r->blob_size);
	for (i = 0; i < r->obj_cnt; i++) {
		bp_put_u64(p + RESULT_HEAD + i * 24, r->coverage[i].resolved);
		bp_put_u64(p + RESULT_HEAD + i * 24 + 8, r->coverage[i].unresolved);
		bp_put_u64(p + RESULT_HEAD + i * 24 + 16, r->coverage[i].rejected);
	}
	memcpy(p + RESULT_HEAD + counts, r->blob, r->blob_size);
	write_entry(c, CACHE_RESULT, key, p, size);
	free(p);
}

/* a source entry: raw_size, member_size, then one zstd frame */
int build_cache_get_source(struct build_cache *c, const struct bp_hash *key,
			   struct cache_source *s)
{
	const unsigned char *p;
	size_t size;

	memset(s, 0, sizeof(*s));
	s->path = entry_path(c, CACHE_SOURCE, key);
	if (!s->path || !read_entry(s->path, CACHE_SOURCE, key, &s->entry, (const void **)&p,
				    &size) || size < 16) {
		build_cache_source_free(s);
		return 0;
	}
	s->raw_size = (size_t)bp_get_u64(p);
	s->member_size = (size_t)bp_get_u64(p + 8);
	s->frame = p + 16;
	s->frame_size = size - 16;
	return 1;
}

int build_cache_decode_source(struct cache_source *s, void **raw, struct bp_err *err)
{
	unsigned long long want = ZSTD_getFrameContentSize(s->frame, s->frame_size);
	void *buf;
	size_t n;

	*raw = NULL;
	if (want != s->raw_size)
		goto bad;
	buf = malloc(s->raw_size ? s->raw_size : 1);
	if (!buf)
		return bp_err_set(err, ENOMEM, "out of memory");
	n = ZSTD_decompress(buf, s->raw_size, s->frame, s->frame_size);
	if (ZSTD_isError(n) || n != s->raw_size) {
		free(buf);
		goto bad;
	}
	*raw = buf;
	return 0;
bad:
	/* the checksum was right: a writer's bug; never again */
	unlink(s->path);
	return bp_err_set(err, EBADMSG, "cache entry %s does not decode; removed, rerun", s->path);
}

void build_cache_source_free(struct cache_source *s)
{
	free(s->entry);
	free(s->path);
	memset(s, 0, sizeof(*s));
}

void build_cache_put_source(struct build_cache *c, const struct bp_hash *key, const void *raw,
			    size_t raw_size, size_t member_size)
{
	size_t bound = ZSTD_compressBound(raw_size), n;
	unsigned char *p = malloc(16 + bound);

	if (!p)
		return;
	bp_put_u64(p, raw_size);
	bp_put_u64(p + 8, member_size);
	n = ZSTD_compress(p + 16, bound, raw, raw_size, ZSTD_LEVEL);
	if (!ZSTD_isError(n))
		write_entry(c, CACHE_SOURCE, key, p, 16 + n);
	free(p);
}
