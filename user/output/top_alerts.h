/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The latest alerts for `pktbpf top`, taken from the attachment's alerts ring
 * buffer. A BPF ring buffer has one read position: alerts top takes are not
 * seen by a `pktbpf alerts` running at the same time (and the other way
 * round). The per-type counters that top also shows are not affected.
 */
#ifndef PB_TOP_ALERTS_H
#define PB_TOP_ALERTS_H

#include "alert_fmt.h"

#define PB_TOP_ALERTS 32

struct pb_state;
struct ring_buffer;

struct pb_top_alerts {
	struct ring_buffer *rb;
	int fd;
	struct pb_alert last[PB_TOP_ALERTS]; /* a ring: the newest before head */
	unsigned n, head;
	struct pb_det_info info;
	struct pb_alert_origin origin;
};

/* 0, or -errno (-ENOENT: an attachment without detectors). */
int pb_top_alerts_open(struct pb_top_alerts *a, const struct pb_state *s);
/* Take the alerts waiting in the ring, without waiting for more. */
void pb_top_alerts_poll(struct pb_top_alerts *a);
void pb_top_alerts_close(struct pb_top_alerts *a);

/* The i-th newest alert (0 = the newest); i < a->n. */
const struct pb_alert *pb_top_alert(const struct pb_top_alerts *a, unsigned i);

#endif /* PB_TOP_ALERTS_H */
