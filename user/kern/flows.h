/* SPDX-License-Identifier: BSD-2-Clause */
/* An attachment's flow table, read from its pinned per-CPU map. */
#ifndef PB_FLOWS_H
#define PB_FLOWS_H

#include "flow_list.h"

/*
 * Read and merge the pinned flow table (flows_fd) and its counters (stats_fd,
 * may be -1) of an attachment. Returns 0 or -errno.
 */
int pb_flows_read(int flows_fd, int stats_fd, __u32 max_entries, struct pb_flow_list *out);
/* The counters and the number of flows only (l->e stays empty). */
int pb_flows_count(int flows_fd, int stats_fd, __u32 max_entries, struct pb_flow_list *out);

struct pb_state;
/* Read an attachment's flows, saying why on stderr if it cannot; 0 or -errno. */
int pb_flows_of(const struct pb_state *s, struct pb_flow_list *l);
/* The same without a word (top's screen): 0, -ENOENT without a flow table, or -errno. */
int pb_flows_read_pinned(const struct pb_state *s, struct pb_flow_list *l);
/* The same, counting the flows only (see pb_flows_count): a metrics scrape. */
int pb_flows_count_pinned(const struct pb_state *s, struct pb_flow_list *l);

/* CLOCK_REALTIME - CLOCK_MONOTONIC now, in ns: turns kernel stamps into wall time. */
__s64 pb_mono_to_realtime_ns(void);

#endif /* PB_FLOWS_H */
