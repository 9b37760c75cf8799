// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * pktbpf's kernel side: XDP on ingress, TC (tcx) on egress. Both run the
 * shared parser from include/ and count into per-CPU maps. They never drop,
 * alter or delay a packet.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "pb_count.h"
#include "clock.bpf.h"
#include "flow.bpf.h"
#include "sample.bpf.h"
#include "detect.bpf.h"

#ifndef EEXIST
#define EEXIST 17
#endif

/* TC verdict that hands the packet on unchanged: TC_ACT_UNSPEC, TCX_NEXT. */
#define PB_TC_NEXT (-1)

/*
 * Benchmarks only (make bench builds build/bench-drop/pktbpf with it): drop
 * every packet after counting it, to measure the analyzer rather than the
 * stack behind it. Never the shipped default, which passes everything.
 */
#ifdef PB_BENCH_VERDICT_DROP
#define PB_XDP_VERDICT XDP_DROP
#else
#define PB_XDP_VERDICT XDP_PASS
#endif

/* Counters per direction: one lookup per packet. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PB_DIR_MAX);
	__type(key, __u32);
	__type(value, struct pb_dir_stats);
} pktbpf_stats SEC(".maps");

/* Ethertypes the parser does not know, counted by number (rare path). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, PB_MAX_OTHER_ETHERTYPES);
	__type(key, struct pb_ethertype_key);
	__type(value, struct pb_count);
} pktbpf_ethtype SEC(".maps");

/* What attach did (written by userspace, read by later commands). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pb_attach_info);
} pktbpf_info SEC(".maps");

#include "filter.bpf.h"

static __always_inline void count_other_ethertype(struct pb_dir_stats *stats, __u16 ethertype,
						  __u32 dir, __u64 len)
{
	struct pb_ethertype_key key = { .ethertype = ethertype, .dir = dir };
	struct pb_count *c, one = { .packets = 1, .bytes = len };
	long err;

	c = bpf_map_lookup_elem(&pktbpf_ethtype, &key);
	if (c) {
		pb_add(c, len);
		return;
	}
	err = bpf_map_update_elem(&pktbpf_ethtype, &key, &one, BPF_NOEXIST);
	if (err == -EEXIST) {
		/* another CPU added it meanwhile: count into this CPU's copy */
		c = bpf_map_lookup_elem(&pktbpf_ethtype, &key);
		if (c)
			pb_add(c, len);
	} else if (err) {
		/* A full table (-E2BIG) refuses new ethertypes: other_l3 still
		 * counts them, and this says the table could not. */
		stats->ethertype_table_full++;
	}
}

/* Everything every packet gets; sampling comes after the capture filter. */
static __always_inline void handle_packet(void *data, void *data_end, __u64 len, __u32 dir)
{
	struct pb_dir_stats *stats;
	struct pb_pkt pkt;
	__u32 key = dir; /* a copy: a helper given &dir would make dir unknown to clang */
	__u64 now;

	stats = bpf_map_lookup_elem(&pktbpf_stats, &key);
	if (!stats)
		return;
	pb_parse(data, data_end, len, &pkt);
	pb_count(stats, &pkt, len);
	if (pb_l3_counter(&pkt) == PB_PROTO_OTHER_L3)
		count_other_ethertype(stats, pkt.l3_proto, dir, len);
	/* One clock for both, none when both are off (known at load). */
	now = pb_flows_on || pb_det_any_on() ? pb_coarse_now() : 0;
	pb_flow_update(&pkt, len, now);
	pb_detect_packet(data, data_end, &pkt, dir, now);
}

SEC("xdp")
int pktbpf_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;

	handle_packet(data, data_end, data_end - data, PB_DIR_INGRESS);
	/* Last: a capture filter, when there is one, takes over from here and
	 * samples only what it matches (bpf/filter.bpf.h); without one, the
	 * tail call falls through and every packet is a sampling candidate. */
	bpf_tail_call(ctx, &pktbpf_xdp_chain, PB_TAIL_FILTER);
	pb_sample(ctx, data_end - data, PB_DIR_INGRESS);
	return PB_XDP_VERDICT;
}

SEC("tc")
int pktbpf_tc(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;

	/* Bytes past data_end sit in fragments the parser cannot see; it counts
	 * a header cut there as capture-truncated, not malformed. */
	handle_packet(data, data_end, skb->len, PB_DIR_EGRESS);
	bpf_tail_call(skb, &pktbpf_tc_chain, PB_TAIL_FILTER);
	pb_sample(skb, skb->len, PB_DIR_EGRESS);
	return PB_TC_NEXT;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
