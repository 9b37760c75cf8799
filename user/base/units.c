// SPDX-License-Identifier: BSD-2-Clause
#include "units.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void pb_fmt_si(char *buf, size_t len, double v, const char *unit)
{
	static const char prefix[] = { 0, 'k', 'M', 'G', 'T', 'P', 'E' };
	const char *sep = *unit ? " " : "";
	double a = fabs(v);
	int i = 0;

	/* Round first, so 999.96 becomes "1.00 k" and not "1000 ". */
	while (i + 1 < (int)sizeof(prefix) && a >= 999.5) {
		a /= 1000.0;
		v /= 1000.0;
		i++;
	}
	if (!i) {
		snprintf(buf, len, a == floor(a) ? "%.0f%s%s" : a < 10 ? "%.2f%s%s" : "%.1f%s%s", v,
			 sep, unit);
		return;
	}
	snprintf(buf, len, a < 9.995 ? "%.2f %c%s" : a < 99.95 ? "%.1f %c%s" : "%.0f %c%s", v,
		 prefix[i], unit);
}

void pb_fmt_count(char *buf, size_t len, unsigned long long n)
{
	char digits[32];
	size_t nd, i, o = 0;

	nd = (size_t)snprintf(digits, sizeof(digits), "%llu", n);
	for (i = 0; i < nd && o + 1 < len; i++) {
		if (i && (nd - i) % 3 == 0) {
			buf[o++] = ',';
			if (o + 1 >= len)
				break;
		}
		buf[o++] = digits[i];
	}
	if (len)
		buf[o] = '\0';
}

void pb_fmt_span(char *buf, size_t len, double s)
{
	static const struct {
		const char *name;
		double seconds;
	} units[] = { { "d", 86400 }, { "h", 3600 }, { "min", 60 } };
	size_t i;

	if (s < 1.0) {
		snprintf(buf, len, "%.0f ms", s * 1e3);
		return;
	}
	if (s < 60.0) {
		snprintf(buf, len, "%.3g s", s);
		return;
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		double big = floor(s / units[i].seconds);
		double rest = s - big * units[i].seconds;
		const char *next = i + 1 < sizeof(units) / sizeof(units[0]) ? units[i + 1].name : "s";
		double next_s = i + 1 < sizeof(units) / sizeof(units[0]) ? units[i + 1].seconds : 1;

		if (big >= 1) {
			double small = floor(rest / next_s);

			if (small > 0)
				snprintf(buf, len, "%.0f %s %.0f %s", big, units[i].name, small, next);
			else
				snprintf(buf, len, "%.0f %s", big, units[i].name);
			return;
		}
	}
}

void pb_format_time(char *buf, size_t len, __u64 ns)
{
	time_t sec = ns / 1000000000ull;
	struct tm tm;

	gmtime_r(&sec, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
