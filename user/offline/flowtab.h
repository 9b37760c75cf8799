/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Flows built in userspace from parsed packets (`pktbpf read --flows`), by
 * the same rules as the kernel's table (include/pb_flow.h), but unbounded:
 * a capture file's flows are all kept.
 */
#ifndef PB_FLOWTAB_H
#define PB_FLOWTAB_H

#include "flow_list.h"
#include "pb_parse.h"

struct pb_flowtab;

struct pb_flowtab *pb_flowtab_new(void);
void pb_flowtab_free(struct pb_flowtab *t);

/* Count packet p (len bytes on the wire, at ts_ns wall time); 0 or -ENOMEM. */
int pb_flowtab_add(struct pb_flowtab *t, const struct pb_pkt *p, __u64 len, __u64 ts_ns);

/* The flows so far, as a list the caller frees (pb_flow_list_free). */
int pb_flowtab_list(const struct pb_flowtab *t, struct pb_flow_list *out);

#endif /* PB_FLOWTAB_H */
