/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Traffic over time in bins of equal width, for charts. Bins are aligned to
 * multiples of their width since the epoch (a minute bin starts on the
 * minute). Widths come from a ladder (1 ms, 10 ms, 100 ms, 1 s, 10 s, 1 min,
 * 10 min, 1 h, 1 d, then x10), each a multiple of the one before, so when a
 * series grows past its bin limit, neighbouring bins merge exactly into
 * wider ones: memory stays bounded whatever the time span, and nothing needs
 * to know the span in advance (a capture on standard input is read once).
 */
#ifndef PB_SERIES_H
#define PB_SERIES_H

#include <stddef.h>

#include "traffic_class.h"

/* At most this many bins while filling; wider bins beyond. */
#define PB_SERIES_MAX_BINS 2000

struct pb_bin {
	struct pb_count cls[PB_CLASS_MAX];
	__u64 alerts[PB_ALERT_MAX]; /* raised in the bin, by type */
};

struct pb_series {
	__u64 width_ns;
	__u64 first; /* bins[0] starts at first * width_ns */
	size_t n, cap;
	struct pb_bin *bins;
};

/* An empty series with the narrowest ladder width >= width_ns. */
void pb_series_init(struct pb_series *s, __u64 width_ns);
void pb_series_free(struct pb_series *s);

/* The ladder width that follows w (w itself at the top). */
__u64 pb_series_next_width(__u64 w);

/*
 * The bin that holds time ts_ns (made, with the bins between, if needed;
 * older bins merge when the series would grow past PB_SERIES_MAX_BINS).
 * Valid until the next call; NULL when out of memory.
 */
struct pb_bin *pb_series_at(struct pb_series *s, __u64 ts_ns);

/* Merge bins into wider ones while at least min_bins would remain. */
void pb_series_coarsen(struct pb_series *s, size_t min_bins);

/* Start time of bin i, in ns since the epoch. */
static inline __u64 pb_series_start(const struct pb_series *s, size_t i)
{
	return (s->first + i) * s->width_ns;
}

#endif /* PB_SERIES_H */
