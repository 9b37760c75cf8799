// SPDX-License-Identifier: BSD-2-Clause
/*
 * user/output/series.c: bins aligned to their width, times out of order, merging
 * into wider bins when the span grows, and nothing counted twice or lost.
 * Expected bins are recomputed here from the times alone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "series.h"

#define MS 1000000ull
#define S 1000000000ull

static void add(struct pb_series *s, __u64 ts, __u64 bytes)
{
	struct pb_bin *b = pb_series_at(s, ts);

	assert_non_null(b);
	b->cls[PB_CLASS_UDP].packets++;
	b->cls[PB_CLASS_UDP].bytes += bytes;
}

/* Each bin holds exactly the times that fall in [start, start + width). */
static void check_bins(const struct pb_series *s, const __u64 *ts, size_t n)
{
	__u64 *want = calloc(s->n, sizeof(*want));
	size_t i;

	assert_non_null(want);
	assert_true(s->n <= PB_SERIES_MAX_BINS);
	for (i = 0; i < n; i++) {
		__u64 idx = ts[i] / s->width_ns;

		assert_true(idx >= s->first && idx < s->first + s->n);
		want[idx - s->first]++;
	}
	for (i = 0; i < s->n; i++)
		if (s->bins[i].cls[PB_CLASS_UDP].packets != want[i])
			fail_msg("bin %zu (width %llu ns): %llu packets, want %llu", i,
				 (unsigned long long)s->width_ns,
				 (unsigned long long)s->bins[i].cls[PB_CLASS_UDP].packets,
				 (unsigned long long)want[i]);
	free(want);
}

static void test_aligned_to_width(void **state)
{
	struct pb_series s;

	(void)state;
	pb_series_init(&s, 0);
	assert_int_equal(s.width_ns, 1 * MS);
	add(&s, 5 * S + 1500000, 10);
	assert_int_equal(s.n, 1);
	assert_int_equal(pb_series_start(&s, 0), 5 * S + 1 * MS);
	pb_series_free(&s);

	/* A width between rungs takes the next one up. */
	pb_series_init(&s, 2 * S);
	assert_int_equal(s.width_ns, 10 * S);
	pb_series_free(&s);
}

static void test_ladder(void **state)
{
	static const __u64 want[] = { 1 * MS, 10 * MS, 100 * MS, 1 * S, 10 * S, 60 * S, 600 * S,
				      3600 * S, 86400 * S, 864000 * S };
	__u64 w = want[0], prev;
	size_t i;

	(void)state;
	for (i = 1; i < sizeof(want) / sizeof(want[0]); i++) {
		w = pb_series_next_width(w);
		assert_int_equal(w, want[i]);
	}
	/* Each width is a multiple of the one before, up to the top, which stays. */
	do {
		prev = w;
		w = pb_series_next_width(w);
		assert_int_equal(w % prev, 0);
	} while (w != prev);
	assert_true(w > UINT64_MAX / 10);
}

static void test_out_of_order_prepends(void **state)
{
	__u64 ts[] = { 10 * S, 10 * S + 5 * MS, 10 * S - 7 * MS, 10 * S + 2 * MS, 9 * S };
	struct pb_series s;
	size_t i;

	(void)state;
	pb_series_init(&s, 1 * MS);
	for (i = 0; i < 5; i++)
		add(&s, ts[i], 1);
	assert_int_equal(s.width_ns, 1 * MS);
	assert_int_equal(s.first, 9000);
	assert_int_equal(s.n, 1006);
	check_bins(&s, ts, 5);
	pb_series_free(&s);
}

static void test_grows_wider_not_longer(void **state)
{
	__u64 ts[] = { 0, 1999 * MS, 2000 * MS, 2 * S + 1, 59 * S, 3601 * S };
	struct pb_series s;
	size_t i;

	(void)state;
	pb_series_init(&s, 1 * MS);
	for (i = 0; i < 2; i++)
		add(&s, ts[i], 1);
	assert_int_equal(s.width_ns, 1 * MS); /* 2000 bins: still fits */
	add(&s, ts[2], 1);
	assert_int_equal(s.width_ns, 10 * MS);
	check_bins(&s, ts, 3);
	for (i = 3; i < 6; i++)
		add(&s, ts[i], 1);
	assert_int_equal(s.width_ns, 10 * S);
	check_bins(&s, ts, 6);
	pb_series_free(&s);
}

/* Random times over spans from a millisecond to 17 years. */
static void test_random_spans(void **state)
{
	static __u64 ts[3000];
	struct pb_series s;
	unsigned seed = 1234;
	int round;
	size_t i;

	(void)state;
	for (round = 0; round < 40; round++) {
		__u64 base = (__u64)rand_r(&seed) * S;
		__u64 span = 1 * MS << (round % 40);
		size_t n = 1 + (size_t)rand_r(&seed) % 3000;

		if (span > UINT64_MAX - base)
			span = UINT64_MAX - base;
		pb_series_init(&s, 0);
		for (i = 0; i < n; i++) {
			ts[i] = base + (__u64)(((double)rand_r(&seed) / RAND_MAX) * (double)span);
			if (ts[i] < base) /* rounding near UINT64_MAX */
				ts[i] = base;
			add(&s, ts[i], 1);
		}
		check_bins(&s, ts, n);
		pb_series_free(&s);
	}
}

static void test_coarsen_keeps_min_bins(void **state)
{
	__u64 ts[200];
	struct pb_series s;
	size_t i;

	(void)state;
	pb_series_init(&s, 0);
	/* 12.3 s of packets every 61.5 ms: 1 ms bins become 10 ms on the way. */
	for (i = 0; i < 200; i++) {
		ts[i] = 100 * S + i * 61500000ull;
		add(&s, ts[i], 100);
	}
	assert_int_equal(s.width_ns, 10 * MS);
	pb_series_coarsen(&s, 100);
	/* 100 ms bins make 123; 1 s bins would make 13 < 100. */
	assert_int_equal(s.width_ns, 100 * MS);
	assert_int_equal(s.n, 123);
	check_bins(&s, ts, 200);
	pb_series_coarsen(&s, 1);
	assert_int_equal(s.n, 1);
	check_bins(&s, ts, 200);
	assert_int_equal(s.bins[0].cls[PB_CLASS_UDP].bytes, 20000);
	pb_series_free(&s);

	pb_series_init(&s, 0);
	pb_series_coarsen(&s, 100); /* empty: nothing to do */
	assert_int_equal(s.n, 0);
	pb_series_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_aligned_to_width),
		cmocka_unit_test(test_ladder),
		cmocka_unit_test(test_out_of_order_prepends),
		cmocka_unit_test(test_grows_wider_not_longer),
		cmocka_unit_test(test_random_spans),
		cmocka_unit_test(test_coarsen_keeps_min_bins),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
