// SPDX-License-Identifier: BSD-2-Clause
/*
 * The byte reader of user/base/bytes.h: reads at the last byte and one past
 * it, big-endian 16/24/32/64-bit values, and a truncation mark that stays.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bytes.h"

static const uint8_t data[8] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08 };

static void big_endian_values(void **state)
{
	struct pb_bytes b = pb_bytes(data, sizeof(data));
	uint16_t v16;
	uint32_t v24, v32;
	uint64_t v64;

	(void)state;
	assert_int_equal(pb_b_get8(&b, 7), 0x08);
	assert_int_equal(pb_b_get16(&b, 0), 0x0102);
	assert_int_equal(pb_b_get24(&b, 1), 0x020304);
	assert_int_equal(pb_b_get32(&b, 4), 0x05060708);
	assert_true(pb_b_get64(&b, 0) == 0x0102030405060708ull);
	assert_false(b.truncated);
	assert_int_equal(b.off, 0); /* reads at an offset leave the cursor */

	assert_true(pb_b_u16(&b, &v16));
	assert_int_equal(v16, 0x0102);
	assert_true(pb_b_u24(&b, &v24));
	assert_int_equal(v24, 0x030405);
	assert_int_equal(b.off, 5);
	b.off = 0;
	assert_true(pb_b_u32(&b, &v32));
	assert_int_equal(v32, 0x01020304);
	b.off = 0;
	assert_true(pb_b_u64(&b, &v64));
	assert_true(v64 == 0x0102030405060708ull);
	assert_int_equal(pb_b_left(&b), 0);
	assert_false(b.truncated);
}

static void reads_at_the_edge_and_one_past(void **state)
{
	struct pb_bytes b = pb_bytes(data, sizeof(data));
	uint32_t v;

	(void)state;
	/* The last two bytes fit; one byte further does not, and reads nothing. */
	assert_int_equal(pb_b_get16(&b, 6), 0x0708);
	assert_false(b.truncated);
	assert_int_equal(pb_b_get16(&b, 7), 0);
	assert_true(b.truncated);

	b = pb_bytes(data, sizeof(data));
	assert_int_equal(pb_b_get8(&b, 8), 0);
	assert_true(b.truncated);
	b = pb_bytes(data, sizeof(data));
	assert_int_equal(pb_b_get32(&b, 5), 0);
	assert_int_equal(pb_b_get24(&b, 6), 0);
	assert_true(pb_b_get64(&b, 1) == 0);
	assert_null(pb_b_ptr(&b, 9, 0));
	assert_non_null(pb_b_ptr(&b, 8, 0)); /* an empty read at the end fits */
	assert_true(pb_b_has(&b, 0, 8));
	assert_false(pb_b_has(&b, 1, 8));
	assert_false(pb_b_has(&b, (size_t)-1, 2)); /* no wrap-around */

	/* Cursor: a read one past the end fails, zeroes and leaves the cursor. */
	b = pb_bytes(data, sizeof(data));
	b.off = 5;
	assert_false(pb_b_u32(&b, &v));
	assert_int_equal(v, 0);
	assert_int_equal(b.off, 5);
	assert_true(b.truncated);
	b = pb_bytes(data, sizeof(data));
	b.off = 4;
	assert_true(pb_b_u32(&b, &v));
	assert_int_equal(v, 0x05060708);
	assert_false(b.truncated);
}

static void truncation_is_sticky(void **state)
{
	struct pb_bytes b = pb_bytes(data, 4);
	uint8_t v;

	(void)state;
	assert_int_equal(pb_b_get16(&b, 3), 0);
	assert_true(b.truncated);
	/* Later reads that fit still read, and the mark stays. */
	assert_int_equal(pb_b_get16(&b, 0), 0x0102);
	assert_true(pb_b_u8(&b, &v));
	assert_int_equal(v, 0x01);
	assert_true(b.truncated);

	/* A sub-cursor longer than what is left gets the rest, both marked. */
	b = pb_bytes(data, sizeof(data));
	b.off = 6;
	struct pb_bytes s = pb_b_sub(&b, 4);

	assert_int_equal(s.len, 2);
	assert_true(s.truncated);
	assert_true(b.truncated);

	/* No bytes at all: every read is truncated. */
	b = pb_bytes(NULL, 10);
	assert_int_equal(b.len, 0);
	assert_int_equal(pb_b_get8(&b, 0), 0);
	assert_true(b.truncated);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(big_endian_values),
		cmocka_unit_test(reads_at_the_edge_and_one_past),
		cmocka_unit_test(truncation_is_sticky),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
