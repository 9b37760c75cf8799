/* SPDX-License-Identifier: BSD-2-Clause */
/* Counters as text tables and JSON, and per-second rates between two readings. */
#ifndef PB_STATS_FMT_H
#define PB_STATS_FMT_H

#include <stdio.h>
#include <jansson.h>

#include "stats.h"

/* Everything in t, as one JSON object {"ingress": {...}, "egress": {...}}. */
json_t *pb_totals_json(const struct pb_totals *t);
void pb_totals_print(FILE *f, const struct pb_totals *t);

/* Per-second rates between two readings, elapsed seconds apart. */
json_t *pb_rates_json(const struct pb_totals *prev, const struct pb_totals *cur, double elapsed);
void pb_rates_print_header(FILE *f);
void pb_rates_print(FILE *f, const struct pb_totals *prev, const struct pb_totals *cur,
		    double elapsed);

struct pb_state;
/*
 * What `stats` adds for flows and samples: flow table counters, top talkers
 * (top N addresses each way) and sampling counters. Sections that cannot be
 * read (an attachment made by an older pktbpf) are left out.
 */
json_t *pb_capture_json(const struct pb_state *s, size_t top);
void pb_capture_print(FILE *f, const struct pb_state *s, size_t top);

#endif /* PB_STATS_FMT_H */
