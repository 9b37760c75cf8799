/* SPDX-License-Identifier: BSD-2-Clause */
/* The detectors' part of loading pktbpf's programs (attach, tests, benchmarks). */
#ifndef PB_DETECT_LOAD_H
#define PB_DETECT_LOAD_H

#include "pb_alert.h"

struct pktbpf;

/* Between open and load: the configuration into read-only data (NULL: defaults). */
void pb_detect_configure(struct pktbpf *skel, const struct pb_det_info *info);

/* After load: the same into pktbpf_det_info, for later commands. 0 or -errno. */
int pb_detect_record(struct pktbpf *skel, const struct pb_det_info *info);

#endif /* PB_DETECT_LOAD_H */
