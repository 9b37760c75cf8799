// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The traffic generator's transmit program (tools/trafficgen), not part of
 * the analyzer: userspace runs it with BPF_PROG_RUN in live-frames mode over
 * a crafted frame, and the XDP_TX it returns becomes a transmission out of
 * the given interface, so frames leave at kernel speed with no syscall per
 * packet.
 *
 * Live mode recycles a frame's page without writing the frame again, and the
 * receiver may have changed it meanwhile (taking a VLAN tag off moves the MAC
 * addresses), so every run first writes the frame's headers back from the
 * sending CPU's template. To make N flows it then sets the flow field to
 * base + (a per-CPU sequence mod N), fixing the checksum incrementally.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "trafficgen.h"

/* Set by userspace before load. */
const volatile __u32 flows = 1;
const volatile __u16 flow_base = 1024;

/* Written by each sending thread, for its own CPU, before each run. */
struct tg_tmpl tmpl[TG_MAX_CPUS];

/* The next flow, per CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} trafficgen_seq SEC(".maps");

/* RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'). */
static __always_inline __u16 csum_replace16(__u16 check, __u16 old, __u16 new)
{
	__u32 sum = (__u16)~check + (__u16)~old + new;

	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

static __always_inline void restore_headers(__u8 *data, void *end, const struct tg_tmpl *t)
{
	__u32 words = t->hdr_len / 8, rest = t->hdr_len % 8, i, off;

	/* Whole words, then the last bytes; each store checked against end.
	 * Bounded loops: the verifier walks them (kernel 5.3 and later). */
	for (i = 0; i < TG_HDR_MAX / 8; i++) {
		if (i >= words || data + i * 8 + 8 > (__u8 *)end)
			break;
		*(__u64 *)(data + i * 8) = *(const __u64 *)&t->hdr[i * 8];
	}
	for (i = 0; i < 8; i++) {
		off = words * 8 + i;
		if (i >= rest || off >= TG_HDR_MAX || data + off + 1 > (__u8 *)end)
			break;
		data[off] = t->hdr[off];
	}
}

static __always_inline void set_flow(__u8 *data, void *end, const struct tg_tmpl *t)
{
	__u32 key = 0, *seq, foff = t->flow_off, coff = t->check_off;
	__u16 new, check;

	seq = bpf_map_lookup_elem(&trafficgen_seq, &key);
	if (!seq || foff > TG_HDR_MAX || coff > TG_HDR_MAX)
		return;
	if (data + foff + 2 > (__u8 *)end || data + coff + 2 > (__u8 *)end)
		return;
	new = flow_base + *seq;
	if (++*seq >= flows)
		*seq = 0;
	*(__be16 *)(data + foff) = bpf_htons(new);
	if (t->udp && !t->check_orig)
		return; /* UDP over IPv4 without a checksum (RFC 768) */
	check = csum_replace16(t->check_orig, t->flow_orig, new);
	if (t->udp && !check)
		check = 0xffff;
	*(__be16 *)(data + coff) = bpf_htons(check);
}

SEC("xdp")
int pb_trafficgen(struct xdp_md *ctx)
{
	__u8 *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u32 cpu = bpf_get_smp_processor_id();
	const struct tg_tmpl *t;

	if (cpu >= TG_MAX_CPUS)
		return XDP_TX;
	t = &tmpl[cpu];
	restore_headers(data, end, t);
	if (flows > 1)
		set_flow(data, end, t);
	return XDP_TX;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
