// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive/hub_member.h"
#include "batch/mem_budget.h"
#include "core/image.h"

/* The cost model, an upper bound checked against peak RSS (bench/memory.sh):
 * per kernel a fixed part (libbpf and minimizer bookkeeping, libarchive
 * buffers); libbpf's type offsets while parsing; and per type what the
 * candidate index (its hash table is a power of two at least twice the
 * named types), validation and the minimizer keep: 68 bytes measured on
 * 1.5M distinctly named types, up to ~90 as the table rounds up. The
 * smallest BTF type is 12 bytes, which bounds the count when only a size
 * is known.
 */
#define COST_FIXED (2UL * 1024 * 1024)
#define COST_PARSE_PER_TYPE 8
#define COST_PER_TYPE 96
#define MIN_TYPE_BYTES 12
/* tar headers, padding and small extras after the member */
#define STREAM_SLACK (1024UL * 1024)
#define DEFAULT_FALLBACK (1024UL * 1024 * 1024)
/* buffers from this size up are mapped on their own: above any real
 * kernel's BTF (a few MiB, reused from the heap: mapping each one cost a
 * quarter of a build in page faults), below the inputs a budget is for
 */
#define MMAP_THRESHOLD (64UL << 20)

void mem_budget_init(struct mem_budget *b, size_t limit)
{
	memset(b, 0, sizeof(*b));
	pthread_mutex_init(&b->lock, NULL);
	pthread_cond_init(&b->cond, NULL);
	b->limit = limit;
	/* glibc raises its mmap threshold as big blocks are freed (up to 32
	 * MiB on its own); blocks below it come from arenas that keep freed
	 * memory. Pin it, so a huge input's memory goes back when it is done.
	 */
	mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD);
}

void mem_budget_destroy(struct mem_budget *b)
{
	pthread_mutex_destroy(&b->lock);
	pthread_cond_destroy(&b->cond);
}

int mem_budget_reserve(struct mem_budget *b, size_t ticket, size_t n, size_t *held)
{
	int ret = 0;

	*held = 0;
	pthread_mutex_lock(&b->lock);
	while (!b->cancelled && b->turn != ticket)
		pthread_cond_wait(&b->cond, &b->lock);
	if (!b->cancelled && n > b->limit)
		ret = -EFBIG;
	while (!ret && !b->cancelled && b->limit - b->used < n)
		pthread_cond_wait(&b->cond, &b->lock);
	if (b->cancelled) {
		ret = -ECANCELED;
	} else {
		b->turn++;
		if (!ret) {
			b->used += n;
			*held = n;
		}
	}
	pthread_cond_broadcast(&b->cond);
	pthread_mutex_unlock(&b->lock);
	return ret;
}

void mem_budget_shrink(struct mem_budget *b, size_t *held, size_t n)
{
	if (n >= *held)
		return;
	pthread_mutex_lock(&b->lock);
	b->used -= *held - n;
	*held = n;
	pthread_cond_broadcast(&b->cond);
	pthread_mutex_unlock(&b->lock);
}

void mem_budget_cancel(struct mem_budget *b)
{
	pthread_mutex_lock(&b->lock);
	b->cancelled = true;
	pthread_cond_broadcast(&b->cond);
	pthread_mutex_unlock(&b->lock);
}

/* memory.max of one cgroup directory; SIZE_MAX for "max" or none */
static size_t read_memory_max(const char *rel)
{
	char path[4200], buf[64], *end;
	unsigned long long v;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/fs/cgroup%s/memory.max", rel);
	f = fopen(path, "re");
	if (!f)
		return SIZE_MAX;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	errno = 0;
	v = strtoull(buf, &end, 10);
	if (errno || end == buf || (*end && *end != '\n') || v > SIZE_MAX)
		return SIZE_MAX;
	return (size_t)v;
}

/* The tightest memory.max from this process's cgroup v2 up to the root
 * of the hierarchy it sees ("0::/a/b" tries /a/b, /a, then the root).
 */
static size_t cgroup_limit(void)
{
	char line[4096], *rel = NULL, *slash;
	size_t lim = SIZE_MAX, v;
	FILE *f = fopen("/proc/self/cgroup", "re");

	if (!f)
		return SIZE_MAX;
	while (!rel && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "0::/", 4)) {
			rel = line + 3;
			rel[strcspn(rel, "\n")] = '\0';
		}
	}
	fclose(f);
	while (rel) {
		if (!strcmp(rel, "/"))
			rel[0] = '\0';
		v = read_memory_max(rel);
		if (v < lim)
			lim = v;
		slash = strrchr(rel, '/');
		if (slash)
			*slash = '\0';
		else
			rel = NULL;
	}
	return lim;
}

size_t mem_budget_default(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
	size_t ram = SIZE_MAX, cg = cgroup_limit();

	if (pages > 0 && page > 0 && (unsigned long)pages <= SIZE_MAX / (unsigned long)page)
		ram = (size_t)pages * (size_t)page;
	if (cg < ram)
		ram = cg;
	return ram == SIZE_MAX ? DEFAULT_FALLBACK : ram / 2;
}

const char *mem_size_str(char buf[32], size_t n)
{
	if (n < 1024 * 1024)
		snprintf(buf, 32, "%zu bytes", n);
	else
		snprintf(buf, 32, "%.1f MiB", (double)n / (1024.0 * 1024.0));
	return buf;
}

static size_t sat_add(size_t a, size_t b)
{
	return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

static size_t sat_mul(size_t a, size_t b)
{
	return b && a > SIZE_MAX / b ? SIZE_MAX : a * b;
}

static size_t max3(size_t a, size_t b, size_t c)
{
	size_t m = a > b ? a : b;

	return m > c ? m : c;
}

size_t mem_parsed_cost(size_t btf_bytes, size_t types)
{
	/* the source, the minimized copy (never larger), per-type state */
	return sat_add(sat_add(sat_mul(btf_bytes, 2), sat_mul(types, COST_PER_TYPE)), COST_FIXED);
}

/* What a kernel holds at once: mapped input file, decoder window or
 * decompressed tar (stream), the member buffer, libbpf's copy of the BTF.
 */
struct mem_shape {
	size_t file, stream, member, btf, types;
};

static size_t shape_cost(const struct mem_shape *s)
{
	size_t decompress = sat_add(s->file, sat_add(s->stream, s->member));
	size_t parse = sat_add(sat_add(s->file, s->member),
			       sat_add(s->btf, sat_mul(s->types, COST_PARSE_PER_TYPE)));

	return max3(sat_add(decompress, COST_FIXED), sat_add(parse, COST_FIXED),
		    mem_parsed_cost(s->btf, s->types));
}

size_t mem_plan_cached(size_t stored, size_t raw)
{
	struct mem_shape s = { .file = stored, .member = raw, .btf = raw,
			       .types = raw / MIN_TYPE_BYTES + 1 };

	return shape_cost(&s);
}

static uint32_t get_u32(const unsigned char *p, bool big_endian)
{
	if (big_endian)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* BTF bytes and type count of size bytes starting with head: a raw BTF
 * header gives its type section length (libbpf refuses a header that lies);
 * anything else (ELF) is bounded by its size alone.
 */
static void btf_bounds(const unsigned char *head, size_t len, size_t size,
		       struct mem_shape *s)
{
	bool le = len >= 2 && head[0] == 0x9f && head[1] == 0xeb;
	bool be = len >= 2 && head[0] == 0xeb && head[1] == 0x9f;
	size_t type_len = size;

	if ((le || be) && len >= 24)
		type_len = get_u32(head + 12, be);
	if (type_len > size)
		type_len = size;
	s->btf = size;
	s->types = type_len / MIN_TYPE_BYTES + 1;
}

static int plan_archive(int fd, const char *path, size_t file, size_t member_cap,
			struct mem_plan *plan, struct bp_err *err)
{
	struct mem_shape s = { .file = file };
	struct hub_member_peek pk;
	size_t m = member_cap;
	int ret;

	ret = hub_member_peek(fd, path, &pk, err);
	if (ret && ret != -ENOENT)
		return ret;
	plan->member_cap = member_cap;
	plan->stream_cap = hub_member_stream_cap(member_cap);
	/* the BTFHub shape: the first regular member is the .btf, and it is
	 * the only member ever held; others must come after it and be small
	 */
	if (!ret && pk.named_btf && pk.member_size <= member_cap) {
		m = pk.member_size;
		plan->member_cap = m;
		plan->stream_cap = sat_add(m, STREAM_SLACK);
		btf_bounds(pk.head, pk.head_len, m, &s);
	} else {
		btf_bounds(NULL, 0, m, &s);
	}
	s.member = m;
	s.stream = plan->stream_cap;
	plan->estimate = shape_cost(&s);
	return 0;
}

/* A vmlinux on disk: its section table says how big .BTF is, and .BTF's
 * header how many types it may hold. Mapped, not read: only the headers'
 * pages are touched.
 */
static void plan_elf_file(int fd, const char *path, size_t file, struct mem_shape *s)
{
	struct image_section sec = { .name = ".BTF" };
	bool big_endian;
	void *map;

	map = mmap(NULL, file, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		return;
	if (!image_find_sections(map, file, path, &sec, 1, &big_endian, NULL) && sec.data)
		btf_bounds(sec.data, sec.size < 32 ? sec.size : 32, sec.size, s);
	munmap(map, file);
}

int mem_plan_kernel(const char *path, const char *name, bool archive, size_t member_cap,
		    struct mem_plan *plan, struct bp_err *err)
{
	unsigned char head[32];
	struct mem_shape s = { 0 };
	struct stat st;
	ssize_t n;
	int fd, ret = 0;

	memset(plan, 0, sizeof(*plan));
	/* non-blocking: a FIFO in the hub must not hang the look */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return bp_err_set(err, errno, "%s: cannot open: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0) {
		ret = bp_err_set(err, errno, "%s: cannot stat: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = bp_err_set(err, EINVAL, "%s: not a regular file", path);
		goto out;
	}
	s.file = (size_t)st.st_size;
	if (archive) {
		/* what is wrong inside the archive is said of the input's name */
		ret = plan_archive(fd, name, s.file, member_cap, plan, err);
		goto out;
	}
	n = pread(fd, head, sizeof(head), 0);
	btf_bounds(head, n > 0 ? (size_t)n : 0, s.file, &s);
	if (n > 0 && image_is_elf(head, (size_t)n))
		plan_elf_file(fd, path, s.file, &s);
	plan->estimate = shape_cost(&s);
out:
	close(fd);
	return ret;
}
