/* SPDX-License-Identifier: BSD-2-Clause */
/* An attachment's counters, read from its pinned per-CPU maps. */
#ifndef PB_STATS_READ_H
#define PB_STATS_READ_H

#include "stats.h"

struct pb_state;

/* Read and sum the pinned per-CPU maps of an attachment. Returns 0 or -errno. */
int pb_stats_read(const struct pb_state *s, struct pb_totals *out);

#endif /* PB_STATS_READ_H */
