/* SPDX-License-Identifier: BSD-2-Clause */
/* Numbers for people: SI prefixes for rates and sizes, short durations, UTC times. */
#ifndef PB_UNITS_H
#define PB_UNITS_H

#include <stddef.h>
#include <linux/types.h>

/*
 * v with an SI prefix and at most 3 significant digits before it, then unit:
 * 0 -> "0 bit/s", 1234 -> "1.23 kbit/s", 5.5e9 -> "5.50 Gbit/s". Decimal
 * prefixes (k = 1000) for rates and bytes alike, as network tools count.
 */
void pb_fmt_si(char *buf, size_t len, double v, const char *unit);

/* A whole count with thin grouping: 1234567 -> "1,234,567". */
void pb_fmt_count(char *buf, size_t len, unsigned long long n);

/* A span of seconds, most significant units: "850 ms", "12.3 s", "4 min 10 s", "2 d 3 h", "1 d". */
void pb_fmt_span(char *buf, size_t len, double seconds);

/* UTC time of a CLOCK_REALTIME ns stamp: "2026-11-27T22:40:01Z". */
void pb_format_time(char *buf, size_t len, __u64 ns);

#endif /* PB_UNITS_H */
