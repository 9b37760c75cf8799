/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The flows of a span of time on an attachment: what its flow table gained
 * between the start and the end, also across `attach --replace` (a new, empty
 * table in place of the old one), for a report sampled live.
 */
#ifndef PB_FLOW_SPAN_H
#define PB_FLOW_SPAN_H

#include "flows.h"

struct pb_flow_span {
	int fd;                    /* the table being read, held: it outlives a replacement */
	__u32 max_entries;
	struct pb_flow_list start; /* that table when the span (or the table) began */
	struct pb_flow_list done;  /* what tables replaced in the span carried in it */
};

/* Begin with the attachment's table: 0, -ENOENT without one, or -errno. */
int pb_flow_span_begin(struct pb_flow_span *f, const struct pb_state *s);

/* The attachment was replaced: close the old table's part, go on with the new. */
int pb_flow_span_switch(struct pb_flow_span *f, const struct pb_state *s);

/* The flows of the span into out, one entry per flow (the caller frees it); 0 or -errno. */
int pb_flow_span_end(struct pb_flow_span *f, struct pb_flow_list *out);

void pb_flow_span_free(struct pb_flow_span *f);

/*
 * What each flow of now carried since then (both read from one table): its
 * counts less those it had then. Flows that sent nothing in between go; a
 * flow with fewer now than then was evicted and created again, and counts
 * from its new start. Sorts then.
 */
void pb_flows_since(struct pb_flow_list *now, struct pb_flow_list *then);

#endif /* PB_FLOW_SPAN_H */
