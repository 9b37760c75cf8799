// SPDX-License-Identifier: BSD-2-Clause
#include "series.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MS 1000000ull

/* The ladder up to a day; x10 after that. */
static const __u64 ladder[] = {
	1 * MS, 10 * MS, 100 * MS, 1000 * MS, 10000 * MS, 60000 * MS, 600000 * MS,
	3600000 * MS, 86400000 * MS,
};
#define LADDER_N (sizeof(ladder) / sizeof(ladder[0]))

/* Bins hold nothing but u64 counters, so they merge as arrays of them. */
_Static_assert(sizeof(struct pb_bin) % sizeof(__u64) == 0, "u64 counters only");
#define BIN_WORDS (sizeof(struct pb_bin) / sizeof(__u64))

static void bin_add(struct pb_bin *dst, const struct pb_bin *src)
{
	__u64 *d = (__u64 *)dst;
	const __u64 *s = (const __u64 *)src;
	size_t i;

	for (i = 0; i < BIN_WORDS; i++)
		d[i] += s[i];
}

__u64 pb_series_next_width(__u64 w)
{
	size_t i;

	for (i = 0; i < LADDER_N; i++)
		if (ladder[i] > w)
			return ladder[i];
	/* Past ~5.8e17 ns (6,700 days) x10 would overflow; by then any u64
	 * time fits in a few bins anyway. */
	return w <= UINT64_MAX / 10 ? w * 10 : w;
}

void pb_series_init(struct pb_series *s, __u64 width_ns)
{
	__u64 w = ladder[0];

	memset(s, 0, sizeof(*s));
	while (w < width_ns && pb_series_next_width(w) != w)
		w = pb_series_next_width(w);
	s->width_ns = w;
}

void pb_series_free(struct pb_series *s)
{
	free(s->bins);
	memset(s, 0, sizeof(*s));
}

/* One step up the ladder: neighbouring bins merge. */
static void widen(struct pb_series *s)
{
	__u64 w = pb_series_next_width(s->width_ns);
	__u64 first = s->first * s->width_ns / w;
	size_t i, j;

	if (w == s->width_ns)
		return;
	for (i = 0; i < s->n; i++) {
		j = (size_t)((s->first + i) * s->width_ns / w - first);
		if (j != i) {
			bin_add(&s->bins[j], &s->bins[i]);
			memset(&s->bins[i], 0, sizeof(s->bins[i]));
		}
	}
	s->n = s->n ? (size_t)((s->first + s->n - 1) * s->width_ns / w - first + 1) : 0;
	s->first = first;
	s->width_ns = w;
}

static int reserve(struct pb_series *s, size_t n)
{
	struct pb_bin *b;
	size_t cap;

	if (n <= s->cap)
		return 0;
	cap = s->cap ? s->cap : 64;
	while (cap < n)
		cap *= 2;
	b = realloc(s->bins, cap * sizeof(*b));
	if (!b)
		return -1;
	memset(b + s->cap, 0, (cap - s->cap) * sizeof(*b));
	s->bins = b;
	s->cap = cap;
	return 0;
}

struct pb_bin *pb_series_at(struct pb_series *s, __u64 ts_ns)
{
	__u64 idx, lo, hi;
	size_t n, shift;

	for (;;) {
		idx = ts_ns / s->width_ns;
		if (!s->n) {
			lo = hi = idx;
		} else {
			lo = idx < s->first ? idx : s->first;
			hi = idx > s->first + s->n - 1 ? idx : s->first + s->n - 1;
		}
		if (hi - lo < PB_SERIES_MAX_BINS || pb_series_next_width(s->width_ns) == s->width_ns)
			break;
		widen(s);
	}
	n = (size_t)(hi - lo + 1);
	if (reserve(s, n))
		return NULL;
	if (s->n && lo < s->first) {
		/* A time before the first bin (captures are not always in order). */
		shift = (size_t)(s->first - lo);
		memmove(s->bins + shift, s->bins, s->n * sizeof(*s->bins));
		memset(s->bins, 0, shift * sizeof(*s->bins));
	}
	s->first = lo;
	s->n = n;
	return &s->bins[idx - lo];
}

void pb_series_coarsen(struct pb_series *s, size_t min_bins)
{
	__u64 w, first, last;

	while (s->n) {
		w = pb_series_next_width(s->width_ns);
		if (w == s->width_ns)
			return;
		first = s->first * s->width_ns / w;
		last = (s->first + s->n - 1) * s->width_ns / w;
		if (last - first + 1 < min_bins)
			return;
		widen(s);
	}
}
