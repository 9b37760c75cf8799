/* SPDX-License-Identifier: BSD-2-Clause */
/* Where a report's model comes from: a capture file, or an attachment sampled live. */
#ifndef PB_REPORT_SRC_H
#define PB_REPORT_SRC_H

#include <signal.h>

#include "detect_cfg.h"
#include "report.h"

/*
 * Read a capture file into r (initialised by the caller): the packets filter
 * (tcpdump's language, or NULL for all) selects, alerts from the detectors
 * set by det as `read --alerts` runs them. 0, or a PB_EXIT_*
 * code after saying why. A file damaged part-way fills r up to the damage
 * and says so in r->damage.
 */
int pb_report_from_file(struct pb_report *r, const char *path, const char *filter,
			const struct pb_det_flags *det);

struct pb_state;

/*
 * Sample an attachment's counters for duration seconds (less if *stop turns
 * true: Ctrl-C ends the sampling early, not the report) into r, following
 * it across `attach --replace` (s is reopened then). 0, or a PB_EXIT_* code
 * after saying why.
 */
int pb_report_from_iface(struct pb_report *r, struct pb_state *s, double duration,
			 volatile sig_atomic_t *stop);

#endif /* PB_REPORT_SRC_H */
