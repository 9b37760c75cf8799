/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The time the flow table and the detectors stamp: the coarse monotonic
 * clock (CLOCK_MONOTONIC_COARSE, a tick of resolution), read once a tick
 * per CPU. bpf_ktime_get_coarse_ns is a helper call through the timekeeper's
 * seqcount and a timespec conversion, some 10-20 ns on this VM's kernel
 * (perf, make bench's xdp_cost); bpf_jiffies64 is inlined by the verifier
 * as a load. The coarse clock only moves when jiffies do (both advance in
 * the tick), so a value cached with the jiffies it was read at is what
 * bpf_ktime_get_coarse_ns would return, up to one tick late when this CPU
 * reads between the two updates of one tick.
 */
#ifndef PB_CLOCK_BPF_H
#define PB_CLOCK_BPF_H

struct pb_clock {
	__u64 jiffies;
	__u64 ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pb_clock);
} pktbpf_clock SEC(".maps");

static __always_inline __u64 pb_coarse_now(void)
{
	__u32 zero = 0;
	struct pb_clock *c = bpf_map_lookup_elem(&pktbpf_clock, &zero);
	__u64 j = bpf_jiffies64();

	if (!c)
		return bpf_ktime_get_coarse_ns();
	if (c->jiffies != j) {
		c->jiffies = j;
		c->ns = bpf_ktime_get_coarse_ns();
	}
	return c->ns;
}

#endif /* PB_CLOCK_BPF_H */
