/* SPDX-License-Identifier: BSD-2-Clause */
/* Flow lists and top talkers as text tables and JSON. */
#ifndef PB_FLOWS_FMT_H
#define PB_FLOWS_FMT_H

#include <stdio.h>
#include <jansson.h>

#include "flow_list.h"

/* top = 0 means all. */
void pb_flows_print(FILE *f, const struct pb_flow_list *l, size_t top);
json_t *pb_flows_json(const struct pb_flow_list *l, size_t top);
void pb_talkers_print(FILE *f, const struct pb_flow_list *l, size_t top);
json_t *pb_talkers_json(const struct pb_flow_list *l, size_t top);
/* Flow table counters as JSON: entries, max_entries, created, evicted. */
json_t *pb_flow_table_json(const struct pb_flow_list *l);

/* End `end` of a flow: "addr:port", "[v6]:port", or the address alone without ports. */
void pb_flow_endpoint_str(const struct pb_flow_key *k, int end, char *buf, size_t len);

struct pb_flowtab;
/* Every flow of a capture file, largest first, as `pktbpf flows` shows them; file names it. */
void pb_flowtab_print(const struct pb_flowtab *t, bool json, const char *file);

#endif /* PB_FLOWS_FMT_H */
