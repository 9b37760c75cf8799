// SPDX-License-Identifier: BSD-2-Clause
/*
 * Metrics of the flow table and of sampling (families listed in
 * metrics_families.c): every sample lost and every flow evicted is counted.
 */
#include "capture_metrics.h"
#include "flows.h"
#include "sample_stats.h"
#include "state.h"

#include <unistd.h>
#include <bpf/bpf.h>

void pb_write_samples(struct pb_metrics_ctx *c, const struct pb_metrics_dev *d)
{
	struct pb_sample_stats st;

	if (pb_sample_stats_of(&d->st, &st))
		return; /* attached by a pktbpf without sampling */
	switch (c->f->arg) {
	case PB_SAMPLES_SELECTED:
		pb_metric_u64(c, st.selected);
		break;
	case PB_SAMPLES_DELIVERED:
		pb_metric_u64(c, st.delivered);
		break;
	default:
		pb_labels_push(&c->ls, "reason", "ring_full");
		pb_metric_u64(c, st.lost_ring_full);
		pb_labels_pop(&c->ls);
		pb_labels_push(&c->ls, "reason", "copy_failed");
		pb_metric_u64(c, st.lost_copy);
		pb_labels_pop(&c->ls);
	}
}

void pb_write_flows(struct pb_metrics_ctx *c, const struct pb_metrics_dev *d)
{
	const struct pb_flow_list *l = &d->flows;

	if (d->flows_err)
		return;
	switch (c->f->arg) {
	case PB_FLOWS_ENTRIES:
		pb_metric_u64(c, l->n);
		break;
	case PB_FLOWS_CREATED:
		pb_metric_u64(c, l->created);
		break;
	default:
		pb_metric_u64(c, l->evicted);
	}
}
