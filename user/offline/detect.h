/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The detectors of include/pb_detect.h run in userspace, over packets from a
 * capture file, with the frames' timestamps as the clock (`read --alerts`).
 */
#ifndef PB_DETECT_USER_H
#define PB_DETECT_USER_H

#include <stdbool.h>

#include "pb_alert.h"
#include "pb_parse.h"
#include "stats.h"

struct pb_detector;

typedef void (*pb_alert_fn)(const struct pb_alert *a, void *ctx);

/* NULL when out of memory. Every alert goes to fn as it is raised. */
struct pb_detector *pb_detector_new(const struct pb_det_config *cfg, pb_alert_fn fn, void *ctx);
void pb_detector_free(struct pb_detector *d);

/*
 * One parsed packet: data holds its caplen captured bytes, ethernet says
 * whether they start with an Ethernet header, ts_ns is its time, dir its
 * direction (enum pb_dir, or any other value when unknown).
 */
void pb_detector_packet(struct pb_detector *d, const __u8 *data, __u32 caplen, bool ethernet,
			const struct pb_pkt *p, __u64 ts_ns, int dir);

void pb_detector_totals(const struct pb_detector *d, struct pb_det_totals *out);

#endif /* PB_DETECT_USER_H */
