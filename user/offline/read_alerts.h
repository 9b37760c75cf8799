/* SPDX-License-Identifier: BSD-2-Clause */
/* `pktbpf read FILE --alerts`: the detectors over a capture, alerts on stdout. */
#ifndef PB_READ_ALERTS_H
#define PB_READ_ALERTS_H

#include <stdbool.h>

#include "alert_fmt.h"
#include "detect.h"
#include "detect_cfg.h"

struct pb_read_alerts {
	struct pb_detector *d;
	struct pb_det_info info;
	struct pb_alert_origin origin;
	bool json, print;
	__u64 n; /* alerts raised */
	/* Set after init to see each alert too (report charts them). */
	void (*each)(const struct pb_alert *a, void *ctx);
	void *each_ctx;
};

/*
 * Settings from the detector flags (as attach takes them); each alert is
 * printed as it is raised (a line, or a JSON object per line) when print.
 * cmd names the command for errors. 0, or a PB_EXIT_* code after an error.
 */
int pb_read_alerts_init(struct pb_read_alerts *r, const char *cmd,
			const struct pb_det_flags *f, bool json, bool print);

/* One parsed frame of the given libpcap link type; the frame's time is the clock. */
void pb_read_alerts_frame(struct pb_read_alerts *r, const __u8 *data, __u32 caplen,
			  int linktype, const struct pb_pkt *p, __u64 ts_ns, int dir);

/* The detectors' counters into out, then free. */
void pb_read_alerts_finish(struct pb_read_alerts *r, struct pb_det_totals *out);

#endif /* PB_READ_ALERTS_H */
