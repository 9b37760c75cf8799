/* SPDX-License-Identifier: BSD-2-Clause */
/* Metric writers for the flow table and sampling (see metrics.h). */
#ifndef PB_CAPTURE_METRICS_H
#define PB_CAPTURE_METRICS_H

#include "metrics.h"

enum { PB_SAMPLES_SELECTED, PB_SAMPLES_DELIVERED, PB_SAMPLES_LOST };
enum { PB_FLOWS_ENTRIES, PB_FLOWS_CREATED, PB_FLOWS_EVICTED };

void pb_write_samples(struct pb_metrics_ctx *c, const struct pb_metrics_dev *d);
void pb_write_flows(struct pb_metrics_ctx *c, const struct pb_metrics_dev *d);

#endif /* PB_CAPTURE_METRICS_H */
