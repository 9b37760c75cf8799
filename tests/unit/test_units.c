// SPDX-License-Identifier: BSD-2-Clause
/* user/base/units.c: the numbers top and report show people. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "units.h"

static void test_si(void **state)
{
	static const struct {
		double v;
		const char *unit, *want;
	} cases[] = {
		{ 0, "bit/s", "0 bit/s" },
		{ 7, "", "7" },
		{ 2.5, "", "2.50" },
		{ 12.25, "", "12.2" },
		{ 999, "B", "999 B" },
		{ 999.6, "B", "1.00 kB" }, /* rounds up across the prefix */
		{ 1234, "bit/s", "1.23 kbit/s" },
		{ 12345, "", "12.3 k" },
		{ 123456, "B", "123 kB" },
		{ 999999, "B", "1.00 MB" },
		{ 5.5e9, "bit/s", "5.50 Gbit/s" },
		{ 1.8e19, "B", "18.0 EB" },
	};
	char buf[32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pb_fmt_si(buf, sizeof(buf), cases[i].v, cases[i].unit);
		assert_string_equal(buf, cases[i].want);
	}
}

static void test_count(void **state)
{
	char buf[32], small[6];

	(void)state;
	pb_fmt_count(buf, sizeof(buf), 0);
	assert_string_equal(buf, "0");
	pb_fmt_count(buf, sizeof(buf), 999);
	assert_string_equal(buf, "999");
	pb_fmt_count(buf, sizeof(buf), 1000);
	assert_string_equal(buf, "1,000");
	pb_fmt_count(buf, sizeof(buf), 1234567);
	assert_string_equal(buf, "1,234,567");
	pb_fmt_count(buf, sizeof(buf), UINT64_MAX);
	assert_string_equal(buf, "18,446,744,073,709,551,615");
	/* Cut to fit, still terminated. */
	pb_fmt_count(small, sizeof(small), 1234567);
	assert_string_equal(small, "1,234");
}

static void test_span(void **state)
{
	char buf[32];

	(void)state;
	pb_fmt_span(buf, sizeof(buf), 0.85);
	assert_string_equal(buf, "850 ms");
	pb_fmt_span(buf, sizeof(buf), 2.5);
	assert_string_equal(buf, "2.5 s");
	pb_fmt_span(buf, sizeof(buf), 1);
	assert_string_equal(buf, "1 s");
	pb_fmt_span(buf, sizeof(buf), 12.34);
	assert_string_equal(buf, "12.3 s");
	pb_fmt_span(buf, sizeof(buf), 250);
	assert_string_equal(buf, "4 min 10 s");
	pb_fmt_span(buf, sizeof(buf), 3 * 3600 + 59);
	assert_string_equal(buf, "3 h");
	pb_fmt_span(buf, sizeof(buf), 600);
	assert_string_equal(buf, "10 min");
	pb_fmt_span(buf, sizeof(buf), 2 * 86400 + 3 * 3600 + 5);
	assert_string_equal(buf, "2 d 3 h");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_si),
		cmocka_unit_test(test_count),
		cmocka_unit_test(test_span),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
