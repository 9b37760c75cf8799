/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Packet samples: 1 in `attach --sample N` packets is copied, cut to
 * --snaplen bytes, into the samples ring buffer for `pktbpf watch`.
 *
 * pb_sample() is the one place that decides whether a packet is copied:
 * 1-in-N countdown -> selected++ -> reserve (full: lost_ring_full++) ->
 * copy (failed: lost_copy++) -> delivered++. So selected always equals
 * delivered + lost_ring_full + lost_copy. It needs only the context, the
 * length and the direction, so that a capture filter (issue 5) can call it
 * from the program that runs on a match: then only matching packets are
 * sampled.
 *
 * Wake-ups: waking the reader on every record costs about 3x in receive rate
 * (issue 4), so records are submitted with BPF_RB_NO_WAKEUP and the reader is
 * woken only every PB_WAKE_EVERY records of a CPU or once the unread data
 * passes pb_wake_bytes; the reader also polls with a short timeout, which
 * picks up the stragglers of a quiet link.
 */
#ifndef PB_SAMPLE_BPF_H
#define PB_SAMPLE_BPF_H

#include "pb_abi.h"

/* Set by attach before load; the verifier treats them as constants. */
const volatile __u32 pb_sample_every = 0;              /* 0: no sampling */
const volatile __u32 pb_snaplen = PB_SNAPLEN_DEFAULT;  /* 1..PB_SNAPLEN_MAX */
const volatile __u64 pb_wake_bytes = PB_SAMPLE_RING_DEFAULT / 4;

#define PB_WAKE_EVERY 64

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, PB_SAMPLE_RING_DEFAULT);
} pktbpf_samples SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pb_sample_stats);
} pktbpf_sample_stats SEC(".maps");

/* Copy cap bytes of the frame from offset 0; ingress is XDP, egress tc. */
static __always_inline long pb_sample_copy(void *ctx, __u32 dir, void *dst, __u64 cap)
{
	if (dir == PB_DIR_INGRESS)
		return bpf_xdp_load_bytes(ctx, 0, dst, cap);
	return bpf_skb_load_bytes(ctx, 0, dst, cap);
}

static __always_inline __u32 pb_sample_ifindex(void *ctx, __u32 dir)
{
	if (dir == PB_DIR_INGRESS)
		return ((struct xdp_md *)ctx)->ingress_ifindex;
	return ((struct __sk_buff *)ctx)->ifindex;
}

/* Copy the packet into the ring buffer; the stats say what became of it. */
static __always_inline void pb_sample_emit(void *ctx, __u32 dir, __u64 len,
					   struct pb_sample_stats *st)
{
	struct pb_sample *rec;
	__u64 cap = len < pb_snaplen ? len : pb_snaplen;
	__u64 flags = BPF_RB_NO_WAKEUP;

	/* The reservation size must be a constant: pb_snaplen is one (rodata). */
	rec = bpf_ringbuf_reserve(&pktbpf_samples, sizeof(*rec) + pb_snaplen, 0);
	if (!rec) {
		st->lost_ring_full++;
		return;
	}
	/* Bounds the verifier can see: 1 <= cap <= pb_snaplen, the reserved room.
	 * The barrier keeps clang from checking one copy of cap and passing
	 * another (the 64-bit len) to the helper. */
	asm volatile("" : "+r"(cap));
	if (cap < 1 || cap > pb_snaplen || cap > PB_SNAPLEN_MAX ||
	    pb_sample_copy(ctx, dir, rec->data, cap)) {
		bpf_ringbuf_discard(rec, BPF_RB_NO_WAKEUP);
		st->lost_copy++;
		return;
	}
	rec->ts_ns = bpf_ktime_get_ns();
	rec->ifindex = pb_sample_ifindex(ctx, dir);
	rec->wire_len = len;
	rec->cap_len = cap;
	rec->dir = dir;
	st->delivered++;
	if (st->delivered % PB_WAKE_EVERY == 0 ||
	    bpf_ringbuf_query(&pktbpf_samples, BPF_RB_AVAIL_DATA) >= pb_wake_bytes)
		flags = BPF_RB_FORCE_WAKEUP;
	bpf_ringbuf_submit(rec, flags);
}

/*
 * Decide whether this packet is sampled and do it. len is the length on the
 * wire (XDP: the frame; tc: skb->len).
 */
static __always_inline void pb_sample(void *ctx, __u64 len, __u32 dir)
{
	struct pb_sample_stats *st;
	__u32 zero = 0;

	if (!pb_sample_every)
		return;
	st = bpf_map_lookup_elem(&pktbpf_sample_stats, &zero);
	if (!st)
		return;
	if (st->countdown) {
		st->countdown--;
		return;
	}
	st->countdown = pb_sample_every - 1;
	st->selected++;
	pb_sample_emit(ctx, dir, len, st);
}

#endif /* PB_SAMPLE_BPF_H */
