/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * How one parsed packet is counted: shared by the kernel programs (into the
 * per-CPU stats map, so plain increments are safe) and the userspace reader.
 */
#ifndef PB_COUNT_H
#define PB_COUNT_H

#include "pb_parse.h"

static __always_inline void pb_add(struct pb_count *c, __u64 len)
{
	c->packets++;
	c->bytes += len;
}

/* The protocol counter for an L3 ethertype, PB_PROTO_MAX for none (no L3). */
static __always_inline int pb_l3_counter(const struct pb_pkt *p)
{
	switch (p->l3_proto) {
	case 0:
		return PB_PROTO_MAX;
	case PB_ETH_P_IPV4:
		return PB_PROTO_IPV4;
	case PB_ETH_P_IPV6:
		return PB_PROTO_IPV6;
	case PB_ETH_P_ARP:
		return PB_PROTO_ARP;
	default:
		return PB_PROTO_OTHER_L3;
	}
}

static __always_inline int pb_l4_counter(__u8 l4_proto)
{
	switch (l4_proto) {
	case PB_IPPROTO_TCP:
		return PB_PROTO_TCP;
	case PB_IPPROTO_UDP:
		return PB_PROTO_UDP;
	case PB_IPPROTO_ICMP:
		return PB_PROTO_ICMP;
	case PB_IPPROTO_ICMPV6:
		return PB_PROTO_ICMPV6;
	default:
		return PB_PROTO_OTHER_L4;
	}
}

/*
 * Count one packet of len bytes (length on the wire). Non-first fragments
 * count as fragments and by IP protocol number, not as TCP/UDP/...: their L4
 * header is in another packet.
 */
static __always_inline void pb_count(struct pb_dir_stats *s, const struct pb_pkt *p, __u64 len)
{
	int l3 = pb_l3_counter(p);
	int i;

	pb_add(&s->proto[PB_PROTO_ALL], len);
	if (p->vlan_depth)
		pb_add(&s->proto[PB_PROTO_VLAN], len);
	if (l3 < PB_PROTO_MAX)
		pb_add(&s->proto[l3], len);
	if (p->flags & PB_PKT_IP) {
		/* By number only once the number is known: an IPv6 parse can stop
		 * inside the extension chain (truncated, too many), where l4_proto
		 * is still 0 and ip_protocols."0" would be a lie. */
		if (p->flags & (PB_PKT_L4_PRESENT | PB_PKT_FRAG_LATER))
			pb_add(&s->ip_proto[p->l4_proto], len);
		if (p->flags & PB_PKT_L4_PRESENT)
			pb_add(&s->proto[pb_l4_counter(p->l4_proto)], len);
		if (p->flags & PB_PKT_FRAG)
			pb_add(&s->proto[l3 == PB_PROTO_IPV4 ? PB_PROTO_IPV4_FRAG
							      : PB_PROTO_IPV6_FRAG],
			       len);
	}
	if (p->l4_proto == PB_IPPROTO_TCP && p->flags & PB_PKT_L4_PRESENT) {
		PB_UNROLL
		for (i = 0; i < PB_TCPF_MAX; i++)
			if (p->tcp_flags & (1u << i))
				s->tcp_flags[i]++;
	}
	if (p->malformed && p->malformed < PB_MAL_MAX)
		s->malformed[p->malformed]++;
	if (p->flags & PB_PKT_CAPTURE_CUT)
		s->capture_truncated++;
}

#endif /* PB_COUNT_H */
