/* SPDX-License-Identifier: BSD-2-Clause */
/* The detectors' counters of an attachment, read and shown with `pktbpf stats`. */
#ifndef PB_DETECT_STATS_H
#define PB_DETECT_STATS_H

#include <stdio.h>
#include <jansson.h>

#include "stats.h"

struct pb_state;

#define PB_MAP_ALERTS "pktbpf_alerts"
#define PB_MAP_DET_STATS "pktbpf_det_stats"
#define PB_MAP_DET_INFO "pktbpf_det_info"

/* Sum the per-CPU counters and count the state tables' entries; 0 or -errno. */
int pb_det_totals_read(const struct pb_state *s, struct pb_det_totals *out);

/* Add up the per-CPU counters of the map fd (pktbpf_det_stats) into out; 0 or -errno. */
int pb_det_stats_sum(int fd, struct pb_det_stats *out);

/* Read the settings recorded at attach; 0 or -errno. */
int pb_det_info_read(const struct pb_state *s, struct pb_det_info *out);

/* Entries a state table lost to LRU eviction: inserted and no longer present. */
__u64 pb_det_evicted(const struct pb_det_totals *t, int table);

/* {"alerts": {...}, "detector_state": {...}} members, added to o. */
void pb_det_totals_json(json_t *o, const struct pb_det_totals *t);
void pb_det_totals_print(FILE *f, const struct pb_det_totals *t);

#endif /* PB_DETECT_STATS_H */
