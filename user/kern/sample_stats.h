/* SPDX-License-Identifier: BSD-2-Clause */
/* Sampling counters of an attachment, summed over CPUs. */
#ifndef PB_SAMPLE_STATS_H
#define PB_SAMPLE_STATS_H

#include <stdio.h>
#include <jansson.h>

#include "pb_abi.h"

struct pb_state;

/* Sum the per-CPU sample counters in map fd; 0 or -errno. */
int pb_sample_stats_read(int fd, struct pb_sample_stats *out);
/* The same, by the attachment's pinned map; 0 or -errno. */
int pb_sample_stats_of(const struct pb_state *s, struct pb_sample_stats *out);

/* selected, delivered and losses (with the attach settings) */
json_t *pb_sample_stats_json(const struct pb_state *s, const struct pb_sample_stats *st);
void pb_sample_stats_print(FILE *f, const struct pb_state *s, const struct pb_sample_stats *st);

#endif /* PB_SAMPLE_STATS_H */
