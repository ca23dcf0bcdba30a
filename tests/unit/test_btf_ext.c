// SPDX-License-Identifier: MIT
/* .BTF.ext CO-RE record parsing: valid layouts and every way the section can
 * lie about its sizes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <bpf/btf.h>

#include "core/objfile.h"
#include "core/btf_ext.h"

struct fixture {
	struct objfile obj;
	__u32 sec_a;		/* string offsets of two section names */
	__u32 sec_b;
	unsigned char buf[512];
	size_t len;
};

static void put32(struct fixture *f, __u32 v)
{
	memcpy(f->buf + f->len, &v, 4);
	f->len += 4;
}

/* Header with CO-RE data right after it: rec_size, then sections. */
static void put_header(struct fixture *f, __u32 core_len)
{
	__u16 magic = 0xeB9F;

	f->len = 0;
	memcpy(f->buf, &magic, 2);
	f->buf[2] = 1;
	f->buf[3] = 0;
	f->len = 4;
	put32(f, 32);		/* hdr_len */
	put32(f, 0);		/* func_info_off */
	put32(f, 0);		/* func_info_len */
	put32(f, 0);		/* line_info_off */
	put32(f, 0);		/* line_info_len */
	put32(f, 0);		/* core_relo_off */
	put32(f, core_len);	/* core_relo_len */
}

static void put_relo(struct fixture *f, __u32 insn_off, __u32 type_id, __u32 kind)
{
	put32(f, insn_off);
	put32(f, type_id);
	put32(f, 0);
	put32(f, kind);
}

/* A well-formed image: two sections with 2 and 1 records. */
static void put_valid(struct fixture *f)
{
	put_header(f, 4 + 8 + 32 + 8 + 16);
	put32(f, 16);
	put32(f, f->sec_a);
	put32(f, 2);
	put_relo(f, 8, 1, 0);
	put_relo(f, 16, 2, 2);
	put32(f, f->sec_b);
	put32(f, 1);
	put_relo(f, 24, 3, 8);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->obj.name = "obj.bpf.o";
	f->obj.btf = btf__new_empty();
	f->sec_a = (__u32)btf__add_str(f->obj.btf, "kprobe/a");
	f->sec_b = (__u32)btf__add_str(f->obj.btf, "tracepoint/b");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	btf__free(f->obj.btf);
	free(f->obj.secs);
	free(f->obj.relos);
	free(f);
	return 0;
}

static int parse(struct fixture *f, struct bp_err *err)
{
	return btf_ext_read_core_relos(f->buf, f->len, &f->obj, err);
}

static void test_valid_sections_and_records(void **state)
{
	struct fixture *f = *state;
	struct bp_err err;

	put_valid(f);
	assert_int_equal(parse(f, &err), 0);
	assert_int_equal(f->obj.sec_cnt, 2);
	assert_string_equal(f->obj.secs[0].name, "kprobe/a");
	assert_int_equal(f->obj.secs[0].first, 0);
	assert_int_equal(f->obj.secs[0].count, 2);
	assert_string_equal(f->obj.secs[1].name, "tracepoint/b");
	assert_int_equal(f->obj.secs[1].first, 2);
	assert_int_equal(f->obj.relo_cnt, 3);
	assert_int_equal(f->obj.relos[1].insn_off, 16);
	assert_int_equal(f->obj.relos[1].type_id, 2);
	assert_int_equal(f->obj.relos[1].kind, 2);
	assert_int_equal(f->obj.relos[2].kind, 8);
}

static void test_larger_records_are_skipped_over(void **state)
{
	struct fixture *f = *state;
	struct bp_err err;

	/* a future record format with 8 extra bytes per record */
	put_header(f, 4 + 8 + 2 * 24);
	put32(f, 24);
	put32(f, f->sec_a);
	put32(f, 2);
	put_relo(f, 8, 1, 0);
	put32(f, 0xdead);
	put32(f, 0xbeef);
	put_relo(f, 16, 5, 9);
	put32(f, 0);
	put32(f, 0);
	assert_int_equal(parse(f, &err), 0);
	assert_int_equal(f->obj.relo_cnt, 2);
	assert_int_equal(f->obj.relos[1].type_id, 5);
	assert_int_equal(f->obj.relos[1].kind, 9);
}

static void test_no_core_part_is_empty(void **state)
{
	struct fixture *f = *state;
	struct bp_err err;

	put_header(f, 0);
	assert_int_equal(parse(f, &err), 0);
	assert_int_equal(f->obj.relo_cnt, 0);

	/* header from before CO-RE existed (24 bytes) */
	put_header(f, 0);
	f->buf[4] = 24;
	f->len = 24;
	assert_int_equal(parse(f, &err), 0);
	assert_int_equal(f->obj.relo_cnt, 0);
}

static void expect_error(struct fixture *f, const char *needle)
{
	struct bp_err err = { { 0 } };

	assert_true(parse(f, &err) < 0);
	assert_non_null(strstr(err.msg, "obj.bpf.o"));
	if (!strstr(err.msg, needle))
		fail_msg("message '%s' lacks '%s'", err.msg, needle);
}

static void test_truncated_header(void **state)
{
	struct fixture *f = *state;

	put_valid(f);
	f->len = 10;
	expect_error(f, "truncated");
}

static void test_bad_magic_and_version(void **state)
{
	struct fixture *f = *state;

	put_valid(f);
	f->buf[0] = 0x12;
	expect_error(f, "bad magic");
	put_valid(f);
	f->buf[0] = 0xeB;
	f->buf[1] = 0x9F;
	expect_error(f, "big-endian");
	put_valid(f);
	f->buf[2] = 7;
	expect_error(f, "version 7");
}

static void test_header_length_lies(void **state)
{
	struct fixture *f = *state;
	__u32 big = 4096;

	put_valid(f);
	memcpy(f->buf + 4, &big, 4);
	expect_error(f, "header length");
}

static void test_core_data_outside_section(void **state)
{
	struct fixture *f = *state;
	__u32 off = 1000, len = 0xfffffff0;

	put_valid(f);
	memcpy(f->buf + 24, &off, 4);
	expect_error(f, "outside");
	put_valid(f);
	memcpy(f->buf + 28, &len, 4);
	expect_error(f, "outside");
}

static void test_bad_record_size(void **state)
{
	struct fixture *f = *state;
	__u32 rec = 12;

	put_valid(f);
	memcpy(f->buf + 32, &rec, 4);
	expect_error(f, "record size 12");
	rec = 18;
	memcpy(f->buf + 32, &rec, 4);
	expect_error(f, "record size 18");
}

static void test_record_count_lies(void **state)
{
	struct fixture *f = *state;
	__u32 num = 1000000;

	put_valid(f);
	memcpy(f->buf + 40, &num, 4);
	expect_error(f, "claims 1000000 records");
	num = 0;
	memcpy(f->buf + 40, &num, 4);
	expect_error(f, "no records");
}

static void test_section_name_not_a_string(void **state)
{
	struct fixture *f = *state;
	__u32 off = 99999;

	put_valid(f);
	memcpy(f->buf + 36, &off, 4);
	expect_error(f, "name offset 99999");
}

static void test_truncated_section_header(void **state)
{
	struct fixture *f = *state;

	/* CO-RE data: rec_size and 4 stray bytes */
	put_header(f, 8);
	put32(f, 16);
	put32(f, f->sec_a);
	expect_error(f, "section header truncated");
}

/* The test binary is linked with --wrap=realloc: every realloc of the
 * parser comes through here and is counted.
 */
void *__real_realloc(void *p, size_t n);
void *__wrap_realloc(void *p, size_t n);
static size_t realloc_calls;

void *__wrap_realloc(void *p, size_t n)
{
	realloc_calls++;
	return __real_realloc(p, n);
}

/* 20,000 one-record sections: the arrays must grow geometrically (one
 * realloc per section made 100k sections take minutes under ASan).
 */
static void test_many_sections_grow_geometrically(void **state)
{
	enum { NSEC = 20000 };
	struct fixture *f = *state;
	size_t core_len = 4 + (size_t)NSEC * (8 + 16), i, len = 32 + core_len;
	unsigned char *img = malloc(len), *p;
	struct bp_err err;
	__u32 v;

	assert_non_null(img);
	put_header(f, (__u32)core_len);
	memcpy(img, f->buf, 32);
	p = img + 32;
	v = 16;
	memcpy(p, &v, 4);
	p += 4;
	for (i = 0; i < NSEC; i++) {
		__u32 rec[6] = { i % 2 ? f->sec_a : f->sec_b, 1, (__u32)i * 8, 1, 0, 0 };

		memcpy(p, rec, sizeof(rec));
		p += sizeof(rec);
	}
	realloc_calls = 0;
	assert_int_equal(btf_ext_read_core_relos(img, len, &f->obj, &err), 0);
	assert_int_equal(f->obj.sec_cnt, NSEC);
	assert_int_equal(f->obj.relo_cnt, NSEC);
	assert_int_equal(f->obj.relos[NSEC - 1].insn_off, (NSEC - 1) * 8);
	/* two arrays, each doubling from 16: about 2 * log2(NSEC / 16) */
	assert_true(realloc_calls <= 32);
	free(img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_valid_sections_and_records, setup, teardown),
		cmocka_unit_test_setup_teardown(test_larger_records_are_skipped_over, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_core_part_is_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated_header, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_magic_and_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_header_length_lies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_core_data_outside_section, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_record_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_record_count_lies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_section_name_not_a_string, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated_section_header, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_sections_grow_geometrically, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
