/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Flow lists: read from an attachment's per-CPU flow table (kern/flows.h),
 * or built from a capture file (offline/flowtab.c) with the same rules as the
 * kernel (pb_flow.h); sorted, reduced to top talkers, printed as text or JSON
 * (output/flows_fmt.h).
 */
#ifndef PB_FLOW_LIST_H
#define PB_FLOW_LIST_H

#include <stdbool.h>
#include <stddef.h>

#include "pb_abi.h"

struct pb_flow_entry {
	struct pb_flow_key key;
	struct pb_flow_val val;
};

struct pb_flow_list {
	struct pb_flow_entry *e;
	size_t n, cap;
	__u64 created;       /* flows ever inserted (0 when unknown) */
	__u64 evicted;       /* created - n: dropped by the LRU */
	__u64 insert_failed;
	__u32 max_entries;   /* table size, 0 for a file (unbounded) */
	__s64 clock_to_realtime_ns; /* added to first_ns/last_ns for wall time */
};

enum pb_flow_sort { PB_SORT_BYTES, PB_SORT_PACKETS, PB_SORT_DURATION };

/* Parse "bytes", "packets" or "duration"; -1 if none of them. */
int pb_flow_sort_parse(const char *s);

/* Fold one CPU's value of a flow into dst (sums, earliest first, ORs). */
void pb_flow_val_merge(struct pb_flow_val *dst, const struct pb_flow_val *src);

/* Append a copy of (k, v); -ENOMEM on failure. */
int pb_flow_list_push(struct pb_flow_list *l, const struct pb_flow_key *k,
		      const struct pb_flow_val *v);
void pb_flow_list_free(struct pb_flow_list *l);

/* Sort, largest first. */
void pb_flows_sort(struct pb_flow_list *l, enum pb_flow_sort by);

/* End (0 or 1) of the key that sent the first packet seen: the initiator. */
static inline int pb_flow_initiator(const struct pb_flow_val *v)
{
	return v->state & PB_FLOW_END0_FIRST ? 0 : 1;
}

/* One address's share of the traffic in a flow list. */
struct pb_talker {
	__be32 addr[4];
	__u8 family;
	__u64 packets;
	__u64 bytes;
	__u32 flows;
};

/*
 * Addresses by bytes they sent (by_dst false) or received (true), largest
 * first; *out is malloc'd. Returns the count or -ENOMEM.
 */
long pb_talkers(const struct pb_flow_list *l, bool by_dst, struct pb_talker **out);

/* "10.0.0.1" or "2001:db8::1" */
const char *pb_addr_str(__u8 family, const __be32 *addr, char *buf, size_t len);
const char *pb_ipproto_name(__u8 proto, char *buf, size_t len);

#endif /* PB_FLOW_LIST_H */
