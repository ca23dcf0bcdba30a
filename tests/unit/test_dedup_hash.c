// SPDX-License-Identifier: MIT
/* xxh3-128 content hashes and their hex form. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "dedup/hash.h"

/* Expected values printed by `xxhsum -H2` (xxhash 0.8.1) for the same bytes. */
static void test_known_vectors(void **state)
{
	unsigned char pattern[1000];
	char hex[BP_HASH_HEX_LEN + 1];
	struct bp_hash h;
	size_t i;

	(void)state;
	/* printf 'btfpack' | xxhsum -H2 */
	bp_hash_bytes("btfpack", 7, &h);
	assert_true(h.high == 0x14d5141e8db59cd2ULL);
	assert_true(h.low == 0x33161a23130d8bbaULL);
	bp_hash_hex(&h, hex);
	assert_string_equal(hex, "14d5141e8db59cd233161a23130d8bba");

	/* printf '' | xxhsum -H2 */
	bp_hash_bytes("", 0, &h);
	bp_hash_hex(&h, hex);
	assert_string_equal(hex, "99aa06d3014798d86001c324468d497f");

	/* past 240 bytes xxh3 takes its long-input path:
	 * python3 -c '...bytes((i*31+7)%251 for i in range(1000))' | xxhsum -H2
	 */
	for (i = 0; i < sizeof(pattern); i++)
		pattern[i] = (unsigned char)((i * 31 + 7) % 251);
	bp_hash_bytes(pattern, sizeof(pattern), &h);
	bp_hash_hex(&h, hex);
	assert_string_equal(hex, "e719034ed2c87a3684b0c79e3e1ac40e");
}

static void test_equality(void **state)
{
	struct bp_hash a, b, c;

	(void)state;
	bp_hash_bytes("same bytes", 10, &a);
	bp_hash_bytes("same bytes", 10, &b);
	bp_hash_bytes("same bytez", 10, &c);
	assert_true(bp_hash_equal(&a, &b));
	assert_false(bp_hash_equal(&a, &c));

	/* either half differing is enough */
	c = a;
	c.low ^= 1;
	assert_false(bp_hash_equal(&a, &c));
	c = a;
	c.high ^= 1ULL << 63;
	assert_false(bp_hash_equal(&a, &c));
}

static void test_hex_round_trip(void **state)
{
	struct bp_hash h = { .high = 0x0123456789abcdefULL, .low = 0xfedcba9876543210ULL };
	char hex[BP_HASH_HEX_LEN + 1];
	struct bp_hash back;

	(void)state;
	bp_hash_hex(&h, hex);
	assert_string_equal(hex, "0123456789abcdeffedcba9876543210");
	assert_int_equal(bp_hash_parse_hex(hex, &back), 0);
	assert_true(bp_hash_equal(&h, &back));

	h.high = 0;
	h.low = 1;
	bp_hash_hex(&h, hex);
	assert_string_equal(hex, "00000000000000000000000000000001");
}

static void test_parse_rejects(void **state)
{
	struct bp_hash h;

	(void)state;
	assert_int_equal(bp_hash_parse_hex("", &h), -EINVAL);
	assert_int_equal(bp_hash_parse_hex("14d5141e8db59cd233161a23130d8bb", &h), -EINVAL);
	assert_int_equal(bp_hash_parse_hex("14d5141e8db59cd233161a23130d8bba0", &h), -EINVAL);
	assert_int_equal(bp_hash_parse_hex("14D5141E8DB59CD233161A23130D8BBA", &h), -EINVAL);
	assert_int_equal(bp_hash_parse_hex("14d5141e8db59cd2 33161a23130d8bb", &h), -EINVAL);
	assert_int_equal(bp_hash_parse_hex("g4d5141e8db59cd233161a23130d8bba", &h), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_vectors),
		cmocka_unit_test(test_equality),
		cmocka_unit_test(test_hex_round_trip),
		cmocka_unit_test(test_parse_rejects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
