// SPDX-License-Identifier: MIT
/* Bad input never crashes: corrupt a real BPF object and a real kernel BTF
 * in many ways and check every reader fails with one line naming the input,
 * or, when the damage still parses, that the engine and minimizer cope.
 * Run under ASan/UBSan in CI, this doubles as a small deterministic fuzzer.
 *
 * argv[1]: a BPF object with CO-RE relocations; argv[2]: a raw kernel BTF.
 */
#include <elf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <bpf/btf.h>

#include "core/objfile.h"
#include "core/btf_util.h"
#include "core/cand_index.h"
#include "core/core_init.h"
#include "base/fileio.h"
#include "core/minimize_run.h"
#include "core/source_btf.h"

static const char *obj_path, *btf_path;
static void *obj_data, *btf_data;
static size_t obj_size, btf_size;

/* xorshift: the same mutations on every run */
static uint32_t rng_state = 2463534242u;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static void *dup_bytes(const void *src, size_t size)
{
	void *p = malloc(size ? size : 1);

	assert_non_null(p);
	memcpy(p, src, size);
	return p;
}

static void expect_obj_error(const void *data, size_t size, const char *needle)
{
	struct bp_err err = { { 0 } };
	struct objfile *obj = NULL;

	assert_true(objfile_load_mem(data, size, "bad.bpf.o", &obj, &err) < 0);
	assert_null(obj);
	assert_non_null(strstr(err.msg, "bad.bpf.o"));
	assert_null(strchr(err.msg, '\n'));
	if (needle && !strstr(err.msg, needle))
		fail_msg("message '%s' lacks '%s'", err.msg, needle);
}

static Elf64_Shdr *find_shdr(unsigned char *img, const char *name)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)img;
	Elf64_Shdr *sh = (Elf64_Shdr *)(img + eh->e_shoff);
	const char *strtab = (const char *)img + sh[eh->e_shstrndx].sh_offset;
	int i;

	for (i = 0; i < eh->e_shnum; i++) {
		if (!strcmp(strtab + sh[i].sh_name, name))
			return &sh[i];
	}
	return NULL;
}

static void test_object_not_elf(void **state)
{
	(void)state;
	expect_obj_error("hello, world", 12, "not an ELF");
	expect_obj_error("", 0, "not an ELF");
}

static void test_object_truncated(void **state)
{
	size_t cut;

	(void)state;
	/* any prefix of an object is either an error or, never, a crash */
	for (cut = 0; cut < obj_size; cut += 1 + obj_size / 200) {
		struct bp_err err = { { 0 } };
		struct objfile *obj = NULL;
		void *copy = dup_bytes(obj_data, cut);

		if (objfile_load_mem(copy, cut, "cut.bpf.o", &obj, &err) == 0)
			objfile_free(obj);
		else
			assert_non_null(strstr(err.msg, "cut.bpf.o"));
		free(copy);
	}
}

static void test_object_section_sizes_lie(void **state)
{
	unsigned char *img = dup_bytes(obj_data, obj_size);
	Elf64_Shdr *sh;

	(void)state;
	sh = find_shdr(img, ".BTF.ext");
	assert_non_null(sh);
	sh->sh_size = 1ULL << 40;
	expect_obj_error(img, obj_size, NULL);
	memcpy(img, obj_data, obj_size);
	sh = find_shdr(img, ".BTF");
	sh->sh_offset = obj_size - 4;
	expect_obj_error(img, obj_size, NULL);
	free(img);
}

static void test_object_btf_corrupt(void **state)
{
	unsigned char *img = dup_bytes(obj_data, obj_size);
	Elf64_Shdr *sh;

	(void)state;
	sh = find_shdr(img, ".BTF");
	assert_non_null(sh);
	img[sh->sh_offset] ^= 0xff;	/* BTF magic */
	expect_obj_error(img, obj_size, "not valid BTF");
	free(img);
}

static void test_object_big_endian_refused(void **state)
{
	unsigned char *img = dup_bytes(obj_data, obj_size);

	(void)state;
	img[EI_DATA] = ELFDATA2MSB;
	expect_obj_error(img, obj_size, NULL);
	free(img);
}

static void expect_btf_error(const void *data, size_t size, const char *needle)
{
	struct bp_err err = { { 0 } };
	struct btf *btf = NULL;

	assert_true(source_btf_load_mem(data, size, "bad.btf", &btf, &err) < 0);
	assert_null(btf);
	assert_non_null(strstr(err.msg, "bad.btf"));
	if (needle && !strstr(err.msg, needle))
		fail_msg("message '%s' lacks '%s'", err.msg, needle);
}

static void test_btf_truncated(void **state)
{
	(void)state;
	expect_btf_error(btf_data, btf_size / 2, "not valid BTF");
	expect_btf_error(btf_data, 10, "not valid BTF");
	expect_btf_error(btf_data, 0, "not valid BTF");
}

static void test_btf_unknown_kind(void **state)
{
	unsigned char *img = dup_bytes(btf_data, btf_size);
	const struct btf_header *hdr = (const struct btf_header *)img;
	struct btf_type *t = (struct btf_type *)(img + hdr->hdr_len + hdr->type_off);

	(void)state;
	t->info = (t->info & ~(0x1fU << 24)) | (30U << 24);
	expect_btf_error(img, btf_size, NULL);
	free(img);
}

/* Minimize a (possibly damaged but parseable) kernel with the object. */
static void minimize_survives(struct btf *btf, struct objfile *obj)
{
	struct minimize_stats stats;
	struct cand_index *idx = NULL;
	struct btf *out = NULL;
	struct bp_err err;
	void *raw = NULL;
	size_t size;

	if (cand_index_build(btf, &idx, &err))
		return;
	if (minimize_run(btf, idx, &obj, 1, &stats, NULL, NULL, false, MIN_LOADER_ALL, &out, &err) == 0) {
		assert_int_equal(minimize_serialize(out, &raw, &size, &err), 0);
		free(raw);
		btf__free(out);
	}
	cand_index_free(idx);
}

static void test_btf_random_damage(void **state)
{
	const struct btf_header *hdr = btf_data;
	struct objfile *obj;
	struct bp_err err;
	int round, parsed = 0;

	(void)state;
	assert_int_equal(objfile_load_mem(obj_data, obj_size, obj_path, &obj, &err), 0);
	for (round = 0; round < 300; round++) {
		unsigned char *img = dup_bytes(btf_data, btf_size);
		size_t start = hdr->hdr_len, span = btf_size - start;
		struct btf *btf = NULL;
		int flips = 1 + (int)(rng() % 8), i;

		for (i = 0; i < flips; i++)
			img[start + rng() % span] ^= (unsigned char)(1u << (rng() % 8));
		if (source_btf_load_mem(img, btf_size, "damaged.btf", &btf, &err) == 0) {
			parsed++;
			minimize_survives(btf, obj);
			btf__free(btf);
		} else {
			assert_non_null(strstr(err.msg, "damaged.btf"));
		}
		free(img);
	}
	/* most single-bit damage still parses: the engine did run on it */
	assert_true(parsed > 0);
	objfile_free(obj);
}

static void test_object_random_damage(void **state)
{
	int round;

	(void)state;
	for (round = 0; round < 300; round++) {
		unsigned char *img = dup_bytes(obj_data, obj_size);
		struct objfile *obj = NULL;
		struct btf *btf = NULL;
		struct bp_err err;
		int flips = 1 + (int)(rng() % 4), i;

		for (i = 0; i < flips; i++)
			img[rng() % obj_size] ^= (unsigned char)(1u << (rng() % 8));
		if (objfile_load_mem(img, obj_size, "damaged.bpf.o", &obj, &err) == 0) {
			assert_int_equal(source_btf_load_mem(btf_data, btf_size, btf_path, &btf,
							     &err), 0);
			minimize_survives(btf, obj);
			btf__free(btf);
			objfile_free(obj);
		}
		free(img);
	}
}

static void load_or_die(const char *path, void **data, size_t *size)
{
	struct bp_err err;

	if (bp_read_file(path, BP_MAX_INPUT_FILE, data, size, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_object_not_elf),
		cmocka_unit_test(test_object_truncated),
		cmocka_unit_test(test_object_section_sizes_lie),
		cmocka_unit_test(test_object_btf_corrupt),
		cmocka_unit_test(test_object_big_endian_refused),
		cmocka_unit_test(test_btf_truncated),
		cmocka_unit_test(test_btf_unknown_kind),
		cmocka_unit_test(test_btf_random_damage),
		cmocka_unit_test(test_object_random_damage),
	};
	int ret;

	if (argc != 3) {
		fprintf(stderr, "usage: %s OBJ KERNEL.btf\n", argv[0]);
		return 2;
	}
	obj_path = argv[1];
	btf_path = argv[2];
	core_init(false);
	load_or_die(obj_path, &obj_data, &obj_size);
	load_or_die(btf_path, &btf_data, &btf_size);
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	free(obj_data);
	free(btf_data);
	return ret;
}
