/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Counters of an attachment or a capture file, summed over CPUs: the kernel
 * side reads them (kern/stats_read.h), `pktbpf read` counts them itself,
 * output/stats_fmt.h shows them.
 */
#ifndef PB_STATS_H
#define PB_STATS_H

#include <stdbool.h>

#include "names.h"
#include "pb_abi.h"
#include "pb_alert.h"

struct pb_ethertype_count {
	__u16 ethertype;
	struct pb_count c;
};

/* The detectors' counters and the state tables' fill, as the kernel's are read. */
struct pb_det_totals {
	bool present; /* false: no detectors here (an attachment from before them) */
	struct pb_det_stats s;
	__u64 entries[PB_DET_TABLE_MAX];
	__u64 capacity[PB_DET_TABLE_MAX];
};

struct pb_totals {
	struct pb_dir_stats dir[PB_DIR_MAX];
	struct pb_ethertype_count ethertypes[PB_DIR_MAX][PB_MAX_OTHER_ETHERTYPES];
	int n_ethertypes[PB_DIR_MAX];
	struct pb_det_totals det; /* the detectors' counters */
};

/* Add every u64 of src into dst (both struct pb_dir_stats). */
void pb_dir_stats_add(struct pb_dir_stats *dst, const struct pb_dir_stats *src);

/* Count an "other" ethertype into t (the userspace twin of the kernel map). */
void pb_totals_add_ethertype(struct pb_totals *t, int dir, __u16 ethertype,
			     const struct pb_count *c);

__u64 pb_malformed_total(const struct pb_dir_stats *d);

#endif /* PB_STATS_H */
