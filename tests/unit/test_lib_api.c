// SPDX-License-Identifier: MIT
/* libbtfpack's public API (include/btfpack.h) at its edges: bad paths,
 * truncated BTF, bad options, each failing with a negative errno and one
 * line naming the input; the log callback; and the library leaving the
 * host's libbpf print function alone (the CLI installs its own, the library
 * must not: a host application keeps its libbpf logging).
 *
 * Linked against libbtfpack.so, through the public header only.
 * argv[1]: the synthetic fixtures dir (kernels/NAME.btf, probe_NAME.bpf.o).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <bpf/libbpf.h>

#include <btfpack.h>

static const char *synth_dir;
static int host_prints;

/* the host application's own libbpf print function */
static int host_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	host_prints++;
	return 0;
}

static char *fixture(const char *rel)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/%s", synth_dir, rel);
	return path;
}

static void *read_all(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	void *p;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	p = malloc((size_t)n);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*size = (size_t)n;
	return p;
}

static void assert_one_line_naming(const struct btfpack_err *err, const char *name)
{
	assert_non_null(strstr(err->msg, name));
	assert_null(strchr(err->msg, '\n'));
}

static void test_missing_files(void **state)
{
	struct btfpack_kernel *k = (void *)1;
	struct btfpack_object *o = (void *)1;
	struct btfpack_err err = { .msg = "" };
	void *buf = (void *)1;
	size_t size = 1;

	(void)state;
	assert_int_equal(btfpack_kernel__open_file("/nonexistent/k.btf", &k, &err), -ENOENT);
	assert_null(k);
	assert_one_line_naming(&err, "/nonexistent/k.btf");
	assert_int_equal(btfpack_object__open_file("/nonexistent/p.bpf.o", &o, &err), -ENOENT);
	assert_null(o);
	assert_one_line_naming(&err, "/nonexistent/p.bpf.o");
	assert_true(btfpack_bundle__lookup("/nonexistent/b.tar", "a/b/c/d.btf", &buf, &size,
					   &err) < 0);
	assert_null(buf);
	assert_int_equal(size, 0);
	assert_one_line_naming(&err, "/nonexistent/b.tar");
	/* err is optional */
	assert_int_equal(btfpack_kernel__open_file("/nonexistent/k.btf", &k, NULL), -ENOENT);
}

/* Truncated kernel BTF: the message names the input and, with no libbpf
 * hook of the library's own to explain it, falls back to strerror; libbpf's
 * own words went to the host's print function.
 */
static void test_truncated_btf(void **state)
{
	struct btfpack_err err = { .msg = "" };
	struct btfpack_kernel *k;
	size_t size, cut;
	void *data;

	(void)state;
	data = read_all(fixture("kernels/base.btf"), &size);
	for (cut = 0; cut < size; cut += cut < 64 ? 1 : size / 7) {
		host_prints = 0;
		assert_true(btfpack_kernel__open_mem(data, cut, "cut.btf", &k, &err) < 0);
		assert_null(k);
		assert_one_line_naming(&err, "cut.btf");
		if (cut >= 24) {	/* a whole header: libbpf parsed and refused */
			assert_non_null(strstr(err.msg, "is not valid BTF ("));
			assert_true(host_prints > 0);
		}
	}
	free(data);
}

static void test_not_an_object(void **state)
{
	struct btfpack_err err = { .msg = "" };
	struct btfpack_object *o;
	size_t size;
	void *data;

	(void)state;
	data = read_all(fixture("kernels/base.btf"), &size);
	assert_int_equal(btfpack_object__open_mem(data, size, "k-as-obj", &o, &err), -EINVAL);
	assert_null(o);
	assert_one_line_naming(&err, "k-as-obj");
	free(data);
}

struct open_pair {
	struct btfpack_kernel *k;
	struct btfpack_object *o;
};

static void open_pair(struct open_pair *p, const char *kernel, const char *probe)
{
	struct btfpack_err err = { .msg = "" };

	assert_int_equal(btfpack_kernel__open_file(fixture(kernel), &p->k, &err), 0);
	assert_int_equal(btfpack_object__open_file(fixture(probe), &p->o, &err), 0);
	assert_true(btfpack_object__relo_count(p->o) > 0);
}

static void close_pair(struct open_pair *p)
{
	btfpack_object__free(p->o);
	btfpack_kernel__free(p->k);
}

static void test_opts_sz(void **state)
{
	struct {
		struct btfpack_minimize_opts opts;
		char newer[8];
	} big = { .opts.sz = sizeof(big) };
	struct btfpack_minimize_opts small = { .sz = 1 };
	const struct btfpack_object *objs[1];
	struct btfpack_err err = { .msg = "" };
	struct open_pair p;
	void *buf;
	size_t size;

	(void)state;
	open_pair(&p, "kernels/base.btf", "probe_fields.bpf.o");
	objs[0] = p.o;
	assert_int_equal(btfpack_kernel__minimize(p.k, objs, 1, &small, &buf, &size, NULL,
						  &err), -EINVAL);
	assert_non_null(strstr(err.msg, "sz 1"));
	/* a newer caller's struct with its new fields zero is fine */
	assert_int_equal(btfpack_kernel__minimize(p.k, objs, 1, &big.opts, &buf, &size, NULL,
						  &err), 0);
	btfpack_free(buf);
	big.newer[3] = 1;
	assert_int_equal(btfpack_kernel__minimize(p.k, objs, 1, &big.opts, &buf, &size, NULL,
						  &err), -EINVAL);
	assert_null(buf);
	close_pair(&p);
}

/* opts.loader: the default (and a caller's struct from before the field)
 * serves every loader; libbpf alone keeps less on the loaders kernel; an
 * unknown value is refused.
 */
static void test_opts_loader(void **state)
{
	BTFPACK_OPTS(btfpack_minimize_opts, opts, .loader = BTFPACK_LOADER_LIBBPF);
	struct btfpack_minimize_opts old = { .sz = offsetof(struct btfpack_minimize_opts, loader),
					     .loader = BTFPACK_LOADER_LIBBPF };
	const struct btfpack_object *objs[1];
	struct btfpack_err err = { .msg = "" };
	size_t all_size, size;
	struct open_pair p;
	void *all, *buf;

	(void)state;
	open_pair(&p, "loaders/loaders.btf", "loaders/probe_loaders.bpf.o");
	objs[0] = p.o;
	assert_int_equal(btfpack_kernel__minimize(p.k, objs, 1, NULL, &all, &all_size, NULL,
						  &err), 0);
	assert_int_equal(btfpack_kernel__minimize(p.k, objs, 1, &old, &buf, &size, NULL, &err),
			 0);
	assert_int_equal(size, all_size);
	assert_memory_equal(buf, all, size);
	btfpack_free(buf);
	assert_int_equal(btfpack_kernel__minimize(p.k, objs, 1, &opts, &buf, &size, NULL, &err),
			 0);
	assert_true(size < all_size);
	btfpack_free(buf);
	opts.loader = BTFPACK_LOADER_CILIUM;
	assert_int_equal(btfpack_kernel__minimize(p.k, objs, 1, &opts, &buf, &size, NULL, &err),
			 0);
	assert_int_equal(size, all_size);
	btfpack_free(buf);
	opts.loader = (enum btfpack_loader)7;
	assert_int_equal(btfpack_kernel__minimize(p.k, objs, 1, &opts, &buf, &size, NULL, &err),
			 -EINVAL);
	assert_non_null(strstr(err.msg, "unknown loader 7"));
	assert_null(buf);
	btfpack_free(all);
	close_pair(&p);
}

struct log_rec {
	int warns;
	char first[1024];
};

static void log_cb(void *ctx, enum btfpack_log_level level, const char *msg)
{
	struct log_rec *r = ctx;

	assert_int_equal(level, BTFPACK_LOG_WARN);
	if (!r->warns++)
		snprintf(r->first, sizeof(r->first), "%s", msg);
}

/* probe_ambig on the dup kernel: relocations libbpf rejects, each one a
 * warning through the callback, naming kernel and object; stats count them.
 */
static void test_log_callback(void **state)
{
	struct log_rec rec = { 0 };
	BTFPACK_OPTS(btfpack_minimize_opts, opts, .log_fn = log_cb, .log_ctx = &rec);
	const struct btfpack_object *objs[1];
	struct btfpack_err err = { .msg = "" };
	struct btfpack_stats st;
	struct open_pair p;
	void *buf;
	size_t size;

	(void)state;
	open_pair(&p, "kernels/dup.btf", "probe_ambig.bpf.o");
	objs[0] = p.o;
	assert_int_equal(btfpack_kernel__minimize(p.k, objs, 1, &opts, &buf, &size, &st, &err),
			 0);
	assert_true(size > 0);
	assert_true(st.rejected > 0);
	assert_int_equal(rec.warns, (int)st.rejected);
	assert_non_null(strstr(rec.first, "dup.btf: "));
	assert_non_null(strstr(rec.first, "probe_ambig.bpf.o: sec '"));
	assert_non_null(strstr(rec.first, "libbpf rejects this object on this kernel"));
	btfpack_free(buf);
	close_pair(&p);
}

/* The host-lookup entry points at their edges: errors name the input in
 * one line, handles come back NULL, host options follow the sz rule
 * (test_lookup covers the lookups themselves).
 */
static void test_host_lookup_edges(void **state)
{
	struct btfpack_bundle *b = (void *)1;
	struct btfpack_err err = { .msg = "" };
	struct btfpack_host h;
	unsigned char big[sizeof(struct btfpack_host_opts) + 8] = { 0 };
	struct btfpack_host_opts *o = (void *)big;
	char *path = (void *)1;
	void *buf = (void *)1;
	size_t size = 1;

	(void)state;
	assert_int_equal(btfpack_bundle__open_file("/nonexistent/b.tar.xz", &b, &err), -EIO);
	assert_null(b);
	assert_one_line_naming(&err, "/nonexistent/b.tar.xz");
	assert_int_equal(btfpack_bundle__open_mem("junk", 4, "embedded", &b, &err), -EBADMSG);
	assert_null(b);
	assert_one_line_naming(&err, "embedded");
	assert_int_equal(btfpack_bundle__find(NULL, &h, &buf, &size, NULL, &err), -EINVAL);
	assert_null(buf);
	assert_int_equal(size, 0);
	assert_int_equal(btfpack_bundle__find_to_file(NULL, &h, &path, &err), -EINVAL);
	assert_null(path);
	btfpack_bundle__free(NULL);
	btfpack_tmpfile__remove(NULL);
	/* sz: fields past the caller's are zero; unknown bytes must be zero */
	o->sz = sizeof(big);
	o->release = "6.1.0";
	assert_int_equal(btfpack_host__detect(o, &h, &err), 0);
	assert_string_equal(h.release, "6.1.0");
	big[sizeof(big) - 1] = 1;
	assert_int_equal(btfpack_host__detect(o, &h, &err), -EINVAL);
	o->sz = 1;
	assert_int_equal(btfpack_host__detect(o, &h, &err), -EINVAL);
	assert_int_equal(btfpack_host__detect(NULL, NULL, &err), -EINVAL);
	/* no /sys under a root that has none */
	assert_false(btfpack_host__has_kernel_btf("/nonexistent"));
}

static void test_version(void **state)
{
	(void)state;
	assert_string_equal(btfpack_version(), BTFPACK_VERSION);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing_files),
		cmocka_unit_test(test_truncated_btf),
		cmocka_unit_test(test_not_an_object),
		cmocka_unit_test(test_opts_sz),
		cmocka_unit_test(test_opts_loader),
		cmocka_unit_test(test_log_callback),
		cmocka_unit_test(test_host_lookup_edges),
		cmocka_unit_test(test_version),
	};
	libbpf_print_fn_t prev;
	int ret;

	if (argc != 2) {
		fprintf(stderr, "usage: %s SYNTH_DIR\n", argv[0]);
		return 2;
	}
	synth_dir = argv[1];
	libbpf_set_print(host_print);
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	/* after every entry point ran: still the host's print function */
	prev = libbpf_set_print(NULL);
	if (prev != host_print) {
		fprintf(stderr, "libbtfpack replaced the host's libbpf print function\n");
		return 1;
	}
	return ret;
}
