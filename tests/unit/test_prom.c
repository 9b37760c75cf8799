// SPDX-License-Identifier: BSD-2-Clause
/* The exposition writer: line formats, escaping, numbers, buffer reuse. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "prom.h"

/* The buffer as a C string, for comparison. */
static const char *text(struct pb_prom *p)
{
	static char out[4096];

	assert_false(p->failed);
	assert_true(p->len < sizeof(out));
	memcpy(out, p->buf, p->len);
	out[p->len] = '\0';
	return out;
}

static void test_family_lines(void **state)
{
	struct pb_prom p = { 0 };

	(void)state;
	pb_prom_family(&p, "pktbpf_x_total", PB_PROM_COUNTER, "Things \"seen\".");
	pb_prom_family(&p, "pktbpf_y", PB_PROM_GAUGE, "A gauge.");
	assert_string_equal(text(&p), "# HELP pktbpf_x_total Things \"seen\".\n"
				      "# TYPE pktbpf_x_total counter\n"
				      "# HELP pktbpf_y A gauge.\n"
				      "# TYPE pktbpf_y gauge\n");
	pb_prom_free(&p);
}

/* HELP escapes backslash and line feed, but not the double quote. */
static void test_help_escaping(void **state)
{
	struct pb_prom p = { 0 };

	(void)state;
	pb_prom_family(&p, "m", PB_PROM_GAUGE, "a\\b\nc\"d");
	assert_string_equal(text(&p), "# HELP m a\\\\b\\nc\"d\n# TYPE m gauge\n");
	pb_prom_free(&p);
}

static void test_sample_without_labels(void **state)
{
	struct pb_prom p = { 0 };
	struct pb_labels none = { .n = 0 };

	(void)state;
	pb_prom_u64(&p, "m", NULL, 5);
	pb_prom_u64(&p, "m", &none, 6);
	assert_string_equal(text(&p), "m 5\nm 6\n");
	pb_prom_free(&p);
}

static void test_sample_labels(void **state)
{
	struct pb_prom p = { 0 };
	struct pb_labels ls = { .n = 0 };

	(void)state;
	pb_labels_push(&ls, "device", "eth0");
	pb_labels_push(&ls, "direction", "ingress");
	pb_prom_u64(&p, "pktbpf_packets_total", &ls, 42);
	pb_labels_pop(&ls);
	pb_prom_u64(&p, "pktbpf_packets_total", &ls, 7);
	assert_string_equal(text(&p),
			    "pktbpf_packets_total{device=\"eth0\",direction=\"ingress\"} 42\n"
			    "pktbpf_packets_total{device=\"eth0\"} 7\n");
	pb_prom_free(&p);
}

/* Label values escape backslash, double quote and line feed; UTF-8 passes. */
static void test_label_escaping(void **state)
{
	struct pb_prom p = { 0 };
	struct pb_labels ls = { .n = 0 };

	(void)state;
	pb_labels_push(&ls, "netns", "a\"b\\c\nd");
	pb_labels_push(&ls, "device", "\"");
	pb_labels_push(&ls, "x", "gr\xc3\xbc\xc3\x9f");
	pb_labels_push(&ls, "empty", "");
	pb_prom_u64(&p, "m", &ls, 1);
	assert_string_equal(text(&p), "m{netns=\"a\\\"b\\\\c\\nd\",device=\"\\\"\","
				      "x=\"gr\xc3\xbc\xc3\x9f\",empty=\"\"} 1\n");
	pb_prom_free(&p);
}

static void test_u64_values(void **state)
{
	struct pb_prom p = { 0 };

	(void)state;
	pb_prom_u64(&p, "a", NULL, 0);
	pb_prom_u64(&p, "b", NULL, 10);
	pb_prom_u64(&p, "c", NULL, UINT64_MAX);
	assert_string_equal(text(&p), "a 0\nb 10\nc 18446744073709551615\n");
	pb_prom_free(&p);
}

static void test_f64_values(void **state)
{
	struct pb_prom p = { 0 };

	(void)state;
	pb_prom_f64(&p, "a", NULL, 1.5);
	pb_prom_f64(&p, "b", NULL, NAN);
	pb_prom_f64(&p, "c", NULL, INFINITY);
	pb_prom_f64(&p, "d", NULL, -INFINITY);
	pb_prom_f64(&p, "e", NULL, 1700000000.25);
	assert_string_equal(text(&p), "a 1.5\nb NaN\nc +Inf\nd -Inf\ne 1700000000.25\n");
	pb_prom_free(&p);
}

/* More labels than fit: the sample is refused and the output marked failed. */
static void test_too_many_labels(void **state)
{
	struct pb_prom p = { 0 };
	struct pb_labels ls = { .n = 0 };
	int i;

	(void)state;
	for (i = 0; i <= PB_PROM_MAX_LABELS; i++)
		pb_labels_push(&ls, "l", "v");
	pb_prom_u64(&p, "m", &ls, 1);
	assert_true(p.failed);
	pb_prom_free(&p);
}

/* Reset empties the output and keeps the memory for the next scrape. */
static void test_reset_reuses_buffer(void **state)
{
	struct pb_prom p = { 0 };
	char *buf;
	size_t cap;
	int i;

	(void)state;
	for (i = 0; i < 5000; i++)
		pb_prom_u64(&p, "pktbpf_some_metric_total", NULL, i);
	assert_false(p.failed);
	buf = p.buf;
	cap = p.cap;
	assert_true(cap >= p.len);
	pb_prom_reset(&p);
	assert_int_equal(p.len, 0);
	for (i = 0; i < 5000; i++)
		pb_prom_u64(&p, "pktbpf_some_metric_total", NULL, i);
	assert_ptr_equal(p.buf, buf);
	assert_int_equal(p.cap, cap);
	pb_prom_free(&p);
	assert_null(p.buf);
}

static void test_valid_names(void **state)
{
	(void)state;
	assert_true(pb_prom_valid_name("pktbpf_packets_total", true));
	assert_true(pb_prom_valid_name("a:b", true));
	assert_false(pb_prom_valid_name("a:b", false));
	assert_true(pb_prom_valid_name("_x9", false));
	assert_false(pb_prom_valid_name("__reserved", false));
	assert_false(pb_prom_valid_name("9lives", true));
	assert_false(pb_prom_valid_name("a-b", true));
	assert_false(pb_prom_valid_name("", true));
	assert_false(pb_prom_valid_name(NULL, true));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_family_lines),
		cmocka_unit_test(test_help_escaping),
		cmocka_unit_test(test_sample_without_labels),
		cmocka_unit_test(test_sample_labels),
		cmocka_unit_test(test_label_escaping),
		cmocka_unit_test(test_u64_values),
		cmocka_unit_test(test_f64_values),
		cmocka_unit_test(test_too_many_labels),
		cmocka_unit_test(test_reset_reuses_buffer),
		cmocka_unit_test(test_valid_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
