/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The flow table: one update per IP packet (include/pb_flow.h says what a
 * flow is). A per-CPU LRU hash, because a shared one serializes every CPU on
 * its bucket locks and atomics (measured in issue 4: ~9x the empty program,
 * no gain from a second CPU); per-CPU values need no atomics and userspace
 * sums them. Its size is set by `attach --flows N` before load.
 *
 * Time: now is the coarse monotonic clock (a tick, a few ms, of
 * resolution; bpf/clock.bpf.h), enough for first/last seen.
 *
 * Evictions: the LRU drops the least recently used flow without telling
 * anyone, so every successful insert of a new key is counted (per CPU) and
 * userspace reports evicted = created - entries present. That counts every
 * flow that left the table; nothing else removes entries.
 */
#ifndef PB_FLOW_BPF_H
#define PB_FLOW_BPF_H

#include "pb_flow.h"

/* attach --flows 0 turns the table off (set before load: a constant). */
const volatile __u32 pb_flows_on = 1;

struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, PB_FLOWS_DEFAULT);
	__type(key, struct pb_flow_key);
	__type(value, struct pb_flow_val);
} pktbpf_flows SEC(".maps");

/* Flow table counters (one element, per CPU). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pb_flow_stats);
} pktbpf_flow_stats SEC(".maps");

static __always_inline void pb_flow_update(const struct pb_pkt *pkt, __u64 len, __u64 now)
{
	struct pb_flow_stats *fs;
	struct pb_flow_val *v, init;
	struct pb_flow_key key;
	__u32 zero = 0;
	int sender;

	/* Before any helper call: with the table off the verifier drops it all. */
	if (!pb_flows_on)
		return;
	sender = pb_flow_key_of(pkt, &key);
	if (sender < 0)
		return;
	v = bpf_map_lookup_elem(&pktbpf_flows, &key);
	if (v) {
		pb_flow_add(v, pkt, sender, len, now);
		return;
	}
	pb_flow_init(&init, sender, now);
	pb_flow_add(&init, pkt, sender, len, now);
	fs = bpf_map_lookup_elem(&pktbpf_flow_stats, &zero);
	if (!bpf_map_update_elem(&pktbpf_flows, &key, &init, BPF_NOEXIST)) {
		if (fs)
			fs->created++;
		return;
	}
	/* Another CPU inserted the key between our lookup and update. */
	v = bpf_map_lookup_elem(&pktbpf_flows, &key);
	if (v)
		pb_flow_add(v, pkt, sender, len, now);
	else if (fs)
		fs->insert_failed++;
}

#endif /* PB_FLOW_BPF_H */
