/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The capture filter in the kernel (tcpdump's language; user/policy/cbpf_to_ebpf.c
 * translates it). After counting, each hook's program tail-calls slot
 * PB_TAIL_FILTER of its chain, where attach --filter or `pktbpf filter` puts
 * the translated expression; with no filter there, the tail call falls
 * through. On a match the filter tail-calls slot PB_TAIL_MATCHED, the
 * *_matched program here, which counts filter_matched and samples the
 * packet (pb_sample: 1 in --sample N of the matching packets). Changing the filter is one update of one slot:
 * a packet runs the old filter or the new one, never a mix.
 *
 * The chains are pinned with the other maps: a prog array empties itself
 * when its last user reference (fd or pin) goes. Filter and *_matched
 * programs pass every packet (also in the benchmarks' drop build).
 */
#ifndef PB_FILTER_BPF_H
#define PB_FILTER_BPF_H

int pktbpf_xdp_matched(struct xdp_md *ctx);
int pktbpf_tc_matched(struct __sk_buff *skb);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, PB_TAIL_MAX);
	__uint(key_size, sizeof(__u32)); /* no BTF: the kernel takes none for prog arrays */
	__array(values, int(struct xdp_md *));
} pktbpf_xdp_chain SEC(".maps") = {
	.values = { [PB_TAIL_MATCHED] = (void *)&pktbpf_xdp_matched },
};

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, PB_TAIL_MAX);
	__uint(key_size, sizeof(__u32)); /* no BTF: the kernel takes none for prog arrays */
	__array(values, int(struct __sk_buff *));
} pktbpf_tc_chain SEC(".maps") = {
	.values = { [PB_TAIL_MATCHED] = (void *)&pktbpf_tc_matched },
};

/* The expression in force, for later commands; the programs never read it. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pb_filter_info);
} pktbpf_filter SEC(".maps");

static __always_inline void pb_filter_count(__u32 dir)
{
	struct pb_dir_stats *stats;
	__u32 key = dir;

	stats = bpf_map_lookup_elem(&pktbpf_stats, &key);
	if (stats)
		stats->filter_matched++;
}

SEC("xdp")
int pktbpf_xdp_matched(struct xdp_md *ctx)
{
	pb_filter_count(PB_DIR_INGRESS);
	pb_sample(ctx, ctx->data_end - ctx->data, PB_DIR_INGRESS);
	return XDP_PASS;
}

SEC("tc")
int pktbpf_tc_matched(struct __sk_buff *skb)
{
	pb_filter_count(PB_DIR_EGRESS);
	pb_sample(skb, skb->len, PB_DIR_EGRESS);
	return PB_TC_NEXT;
}

#endif /* PB_FILTER_BPF_H */
