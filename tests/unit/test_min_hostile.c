// SPDX-License-Identifier: MIT
/* Hostile kernel BTF must never give a minimized BTF that a loader handles
 * worse than the source: each kernel here is built with libbpf's writer,
 * minimized for probe_hostile.bpf.o, and the output must re-parse in
 * libbpf, pass btfpack's structural checks and give every relocation the
 * same decision as the source -- or the kernel must fail with a clear
 * error. The pointer-bitfield case also runs libbpf's loader on the output
 * in a child process, where it used to die of SIGFPE.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <cmocka.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "core/objfile.h"
#include "core/btf_util.h"
#include "core/cand_index.h"
#include "core/core_init.h"
#include "base/fileio.h"
#include "core/minimize_run.h"
#include "core/source_btf.h"
#include "core/verify.h"

static const char *probe_path;

struct minimized {
	struct btf *src;
	struct cand_index *idx;
	struct objfile *obj;
	struct btf *min;
	struct bp_err err;
	int ret;
};

/* Serialize a BTF built with the writer and read it back the way a kernel
 * file is read (libbpf parse plus btf_validate).
 */
static struct btf *load_source(struct btf *built)
{
	struct bp_err err = { { 0 } };
	struct btf *src = NULL;
	const void *raw;
	__u32 size;

	raw = btf__raw_data(built, &size);
	assert_non_null(raw);
	if (source_btf_load_mem(raw, size, "hostile.btf", &src, &err))
		fail_msg("source does not load: %s", err.msg);
	btf__free(built);
	return src;
}

static void minimize(struct btf *built, struct minimized *m)
{
	struct minimize_stats stats;

	memset(m, 0, sizeof(*m));
	m->src = load_source(built);
	assert_int_equal(cand_index_build(m->src, &m->idx, &m->err), 0);
	if (objfile_load_file(probe_path, &m->obj, &m->err))
		fail_msg("%s", m->err.msg);
	m->ret = minimize_run(m->src, m->idx, &m->obj, 1, &stats, NULL, NULL, false, MIN_LOADER_ALL, &m->min, &m->err);
}

static void minimized_free(struct minimized *m)
{
	btf__free(m->min);
	objfile_free(m->obj);
	cand_index_free(m->idx);
	btf__free(m->src);
}

/* What every shipped output must pass: libbpf parses its bytes, btfpack's
 * structural checks accept it, and the engine decides alike on both.
 */
static void assert_sound(struct minimized *m)
{
	struct bp_err err = { { 0 } };
	struct btf *again;
	const void *raw;
	__u32 size;

	if (m->ret)
		fail_msg("minimizing failed: %s", m->err.msg);
	raw = btf__raw_data(m->min, &size);
	assert_non_null(raw);
	again = btf__new(raw, size);
	assert_non_null(again);
	assert_int_equal(libbpf_get_error(again), 0);
	if (btf_validate(again, "minimized", &err))
		fail_msg("%s", err.msg);
	btf__free(again);
	if (verify_min(m->src, m->idx, m->min, &m->obj, 1, &err))
		fail_msg("verify rejects the output: %s", err.msg);
}

/* Filler structs so the interesting types sit at ids the minimized BTF
 * does not reproduce.
 */
static void add_filler(struct btf *btf, int n)
{
	char name[32];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "hb_filler%d", i);
		assert_true(btf__add_struct(btf, name, 4) > 0);
	}
}

/* struct NAME { struct hb_target *p : 64; } with the pointee at id 13. */
static struct btf *ptr_bitfield_kernel(const char *name)
{
	struct btf *btf = btf__new_empty();
	int target, ptr, s;

	assert_non_null(btf);
	assert_int_equal(btf__add_int(btf, "int", 4, BTF_INT_SIGNED), 1);
	assert_int_equal(btf__add_int(btf, "long", 8, BTF_INT_SIGNED), 2);
	add_filler(btf, 10);
	target = btf__add_struct(btf, "hb_target", 16);
	assert_int_equal(target, 13);
	assert_int_equal(btf__add_field(btf, "a", 1, 0, 0), 0);
	ptr = btf__add_ptr(btf, target);
	s = btf__add_struct(btf, name, 8);
	assert_true(ptr > 0 && s > 0);
	/* a bitfield size makes the writer set the struct's kind flag */
	assert_int_equal(btf__add_field(btf, "p", ptr, 0, 64), 0);
	assert_true(btf_kflag(btf__type_by_id(btf, (__u32)s)));
	return btf;
}

static bool bpf_available(void)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 4, 1, NULL);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

/* libbpf's loader relocating the probe against btf_path, in a child: the
 * wait status (a crash must not take the test runner with it).
 */
static int load_in_child(const char *btf_path)
{
	int status;
	pid_t pid;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		LIBBPF_OPTS(bpf_object_open_opts, opts, .btf_custom_path = btf_path);
		static const int fatal[] = { SIGFPE, SIGSEGV, SIGBUS, SIGILL, SIGABRT };
		struct bpf_object *obj;
		size_t i;

		/* die of the signal, not in cmocka's handler of the parent's test */
		for (i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
			signal(fatal[i], SIG_DFL);
		libbpf_set_print(quiet);
		obj = bpf_object__open_file(probe_path, &opts);
		if (!obj)
			_exit(2);
		/* relocation runs inside; whether the kernel then takes the
		 * programs does not matter here
		 */
		bpf_object__load(obj);
		bpf_object__close(obj);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

static void write_btf(const struct btf *btf, const char *path)
{
	struct bp_err err;
	const void *raw;
	__u32 size;

	raw = btf__raw_data(btf, &size);
	assert_non_null(raw);
	if (bp_write_file_atomic(path, raw, size, &err))
		fail_msg("%s", err.msg);
}

static void assert_loader_survives(const struct btf *btf, const char *what)
{
	char path[] = "/tmp/btfpack-hostile-XXXXXX";
	int fd, status;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	write_btf(btf, path);
	status = load_in_child(path);
	unlink(path);
	if (WIFSIGNALED(status))
		fail_msg("libbpf died of signal %d relocating against the %s BTF",
			 WTERMSIG(status), what);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* libbpf's loader on the source and on the output, where bpf() works. */
static void assert_loaders_survive(const struct minimized *m)
{
	if (!bpf_available()) {
		print_message("bpf() unavailable: libbpf's loader not run\n");
		return;
	}
	assert_loader_survives(m->src, "source");
	assert_loader_survives(m->min, "minimized");
}

/* A field offset read through a pointer bitfield: libbpf takes the load
 * size from the pointer's size word, i.e. the pointee's type id. With the
 * pointee dropped (void) that is 0 and libbpf divides by it.
 */
static void test_ptr_bitfield_offset(void **state)
{
	struct minimized m;

	(void)state;
	minimize(ptr_bitfield_kernel("hb_ptrbf"), &m);
	if (m.ret)
		fail_msg("minimizing failed: %s", m.err.msg);
	/* the loader first: this is where libbpf used to die */
	assert_loaders_survive(&m);
	assert_sound(&m);
	minimized_free(&m);
}

/* FIELD_BYTE_SIZE of a pointer bitfield is the pointee's type id itself,
 * which no renumbered output keeps: the kernel must fail, clearly.
 */
static void test_ptr_bitfield_size_fails(void **state)
{
	struct minimized m;

	(void)state;
	minimize(ptr_bitfield_kernel("hb_ptrbf_sz"), &m);
	assert_int_not_equal(m.ret, 0);
	assert_null(m.min);
	if (!strstr(m.err.msg, "ptr_bitfield_size") || !strstr(m.err.msg, "pointer bitfield"))
		fail_msg("unclear message: %s", m.err.msg);
	minimized_free(&m);
}

/* struct hb_self { struct { <anon member of the same anonymous struct> }; }
 * reached from the member through the chain built by wrap (none, or
 * modifiers and typedefs): libbpf's search through anonymous members hits
 * its 64-step limit (-E2BIG) and the relocation fails; it must fail the
 * same way against the output.
 */
static struct btf *self_kernel(bool through_chain)
{
	struct btf *btf = btf__new_empty();
	int anon, ref;

	assert_non_null(btf);
	assert_int_equal(btf__add_int(btf, "int", 4, BTF_INT_SIGNED), 1);
	add_filler(btf, 3);
	assert_true(btf__add_struct(btf, "hb_self", 4) > 0);
	anon = (int)btf__type_cnt(btf);	/* the next id */
	assert_int_equal(btf__add_field(btf, NULL, anon, 0, 0), 0);
	assert_int_equal(btf__add_struct(btf, NULL, 4), anon);
	ref = anon;
	if (through_chain)
		ref = anon + 1;
	assert_int_equal(btf__add_field(btf, NULL, ref, 0, 0), 0);
	if (through_chain) {
		assert_int_equal(btf__add_const(btf, anon + 2), ref);
		assert_int_equal(btf__add_typedef(btf, "hb_loop_t", anon), anon + 2);
	}
	return btf;
}

static void test_self_containing_anon(void **state)
{
	struct minimized m;

	(void)state;
	minimize(self_kernel(false), &m);
	assert_sound(&m);
	assert_loaders_survive(&m);
	minimized_free(&m);
}

static void test_self_containing_anon_chain(void **state)
{
	struct minimized m;

	(void)state;
	minimize(self_kernel(true), &m);
	assert_sound(&m);
	assert_loaders_survive(&m);
	minimized_free(&m);
}

/* No cycle, just 70 nested anonymous structs: the same -E2BIG. */
static void test_deep_anon_nesting(void **state)
{
	struct btf *btf = btf__new_empty();
	struct minimized m;
	int i, id;

	(void)state;
	assert_non_null(btf);
	assert_int_equal(btf__add_int(btf, "int", 4, BTF_INT_SIGNED), 1);
	id = btf__add_struct(btf, "hb_self", 4);
	for (i = 0; i < 70; i++) {
		assert_int_equal(btf__add_field(btf, NULL, id + 1, 0, 0), 0);
		assert_int_equal(btf__add_struct(btf, NULL, 4), ++id);
	}
	assert_int_equal(btf__add_field(btf, "y", 1, 0, 0), 0);
	minimize(btf, &m);
	assert_sound(&m);
	assert_loaders_survive(&m);
	minimized_free(&m);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ptr_bitfield_offset),
		cmocka_unit_test(test_ptr_bitfield_size_fails),
		cmocka_unit_test(test_self_containing_anon),
		cmocka_unit_test(test_self_containing_anon_chain),
		cmocka_unit_test(test_deep_anon_nesting),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: %s PROBE_HOSTILE.bpf.o\n", argv[0]);
		return 2;
	}
	probe_path = argv[1];
	core_init(false);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
