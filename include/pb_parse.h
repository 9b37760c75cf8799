/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The header parser: one source for the XDP and TC programs and for the
 * userspace reader (docs/ARCHITECTURE.md, "One parser, two targets").
 *
 * It walks Ethernet, up to PB_MAX_VLAN 802.1Q/802.1ad tags, ARP, IPv4 (with
 * options), IPv6 (with up to PB_MAX_IPV6_EXT extension headers), then TCP, UDP,
 * ICMP or ICMPv6, and records what it found in struct pb_pkt. It never writes
 * to the packet.
 *
 * Verifier notes: every header is reached through a cursor that is compared
 * with data_end right before it is dereferenced, also after variable-length
 * steps (IHL, extension header length, TCP data offset), because the verifier
 * forgets earlier checks once a variable offset is added. Loops are bounded
 * by compile-time constants and unrolled, which older kernels require and
 * which keeps the hot path branch-only.
 */
#ifndef PB_PARSE_H
#define PB_PARSE_H

#include "pb_types.h"
#include "pb_hdr.h"
#include "pb_abi.h"

#define PB_MAX_VLAN 2
#define PB_MAX_IPV6_EXT 8

enum pb_pkt_flags {
	PB_PKT_IP = 1u << 0,          /* an IPv4 or IPv6 header was parsed */
	PB_PKT_L4 = 1u << 1,          /* the L4 header was parsed whole */
	PB_PKT_FRAG = 1u << 2,        /* IPv4/IPv6 fragment (first or later) */
	PB_PKT_FRAG_LATER = 1u << 3,  /* a non-first fragment: no L4 header */
	PB_PKT_CAPTURE_CUT = 1u << 4, /* parsing stopped at the captured length */
	PB_PKT_L4_PRESENT = 1u << 5,  /* the L4 header starts in this packet */
	PB_PKT_ARP_ADDRS = 1u << 6,   /* Ethernet/IPv4 ARP: addresses in saddr/daddr */
	PB_PKT_L4_FIELDS = 1u << 7,   /* ports and TCP flags, or ICMP type and code, read */
};

/* What the parser learned about one packet. Addresses stay in network order. */
struct pb_pkt {
	__u16 l3_proto;               /* ethertype after VLAN tags, host order */
	__u16 vlan_id[PB_MAX_VLAN];   /* outermost first */
	__u8 vlan_depth;
	__u8 l4_proto;                /* IP protocol after extension headers */
	__u8 flags;                   /* enum pb_pkt_flags */
	__u8 malformed;               /* enum pb_malformed */
	__u8 tcp_flags;
	__u8 ttl;                     /* IPv4 TTL or IPv6 hop limit */
	__u8 icmp_type;
	__u8 icmp_code;
	__u16 arp_op;
	__u16 sport;                  /* host order */
	__u16 dport;
	__u16 l3_off;                 /* offsets from the first byte of the frame */
	__u16 l4_off;
	__u16 payload_off;
	__u32 l3_end;                 /* where the IP packet ends by its length field, <= the
				       * wire length (PB_PKT_IP only); the rest is trailer */
	__be32 saddr[4];              /* IPv4 (and ARP sender/target) in [0] */
	__be32 daddr[4];
};

/* Nonzero when [pos, pos + len) does not lie inside the captured bytes. */
#define PB_OUT(pos, len, end) ((const __u8 *)(pos) + (len) > (const __u8 *)(end))

/*
 * A header did not fit in the captured bytes. If it would fit in the length
 * on the wire, the capture cut it (snaplen, non-linear skb) and the packet is
 * not malformed; otherwise the sender sent a short packet.
 */
static __always_inline void pb_stop_short(struct pb_pkt *p, __u64 off, __u64 len,
					  __u64 limit, __u8 reason)
{
	if (off + len <= limit)
		p->flags |= PB_PKT_CAPTURE_CUT;
	else
		p->malformed = reason;
}

/*
 * Inside an IP packet, limit (from the IPv4 total length or IPv6 payload
 * length) ends the packet even when the frame holds more bytes: those are
 * Ethernet padding or junk, and a header running into them is truncated, not
 * read from them. Check this before the captured bytes, so that a header
 * that is short of the captured bytes only is a capture cut.
 */
static __always_inline int pb_past_limit(struct pb_pkt *p, __u64 off, __u64 len, __u64 limit,
					 __u8 reason)
{
	if (off + len <= limit)
		return 0;
	p->malformed = reason;
	return 1;
}

static __always_inline void pb_copy_addr(__be32 *dst, const __u8 *src, int words)
{
	/* Byte copy: src has no alignment guarantee in either target. */
	__builtin_memcpy(dst, src, words * 4);
}

static __always_inline void pb_parse_l4(const __u8 *start, const __u8 *pos, const void *end,
					__u64 limit, struct pb_pkt *p)
{
	__u64 off = pos - start;

	p->l4_off = off;
	p->flags |= PB_PKT_L4_PRESENT;
	switch (p->l4_proto) {
	case PB_IPPROTO_TCP: {
		const struct pb_tcp *tcp = (const void *)pos;
		__u32 hlen;

		if (pb_past_limit(p, off, sizeof(*tcp), limit, PB_MAL_TCP_TRUNCATED))
			return;
		if (PB_OUT(tcp, sizeof(*tcp), end)) {
			p->flags |= PB_PKT_CAPTURE_CUT; /* inside limit: the capture cut it */
			return;
		}
		p->sport = bpf_ntohs(tcp->source);
		p->dport = bpf_ntohs(tcp->dest);
		p->tcp_flags = tcp->flags;
		p->flags |= PB_PKT_L4_FIELDS;
		hlen = (tcp->doff_res >> 4) * 4;
		if (hlen < sizeof(*tcp)) {
			p->malformed = PB_MAL_TCP_BAD_DATA_OFFSET;
			return;
		}
		if (off + hlen > limit) {
			p->malformed = PB_MAL_TCP_TRUNCATED;
			return;
		}
		p->flags |= PB_PKT_L4;
		p->payload_off = off + hlen;
		return;
	}
	case PB_IPPROTO_UDP: {
		const struct pb_udp *udp = (const void *)pos;
		__u32 ulen;

		if (pb_past_limit(p, off, sizeof(*udp), limit, PB_MAL_UDP_TRUNCATED))
			return;
		if (PB_OUT(udp, sizeof(*udp), end)) {
			p->flags |= PB_PKT_CAPTURE_CUT;
			return;
		}
		p->sport = bpf_ntohs(udp->source);
		p->dport = bpf_ntohs(udp->dest);
		p->flags |= PB_PKT_L4_FIELDS;
		ulen = bpf_ntohs(udp->len);
		/* A first fragment carries only part of the datagram ulen covers. */
		if (ulen < sizeof(*udp) ||
		    (!(p->flags & PB_PKT_FRAG) && off + ulen > limit)) {
			p->malformed = PB_MAL_UDP_BAD_LENGTH;
			return;
		}
		p->flags |= PB_PKT_L4;
		p->payload_off = off + sizeof(*udp);
		return;
	}
	case PB_IPPROTO_ICMP:
	case PB_IPPROTO_ICMPV6: {
		const struct pb_icmp *icmp = (const void *)pos;
		__u8 reason = p->l4_proto == PB_IPPROTO_ICMP ? PB_MAL_ICMP_TRUNCATED
							     : PB_MAL_ICMPV6_TRUNCATED;

		if (pb_past_limit(p, off, sizeof(*icmp), limit, reason))
			return;
		if (PB_OUT(icmp, sizeof(*icmp), end)) {
			p->flags |= PB_PKT_CAPTURE_CUT;
			return;
		}
		p->icmp_type = icmp->type;
		p->icmp_code = icmp->code;
		p->flags |= PB_PKT_L4 | PB_PKT_L4_FIELDS;
		p->payload_off = off + sizeof(*icmp);
		return;
	}
	default:
		p->payload_off = off;
		return;
	}
}

static __always_inline void pb_parse_ipv4(const __u8 *start, const __u8 *pos, const void *end,
					  __u64 wire_len, struct pb_pkt *p)
{
	const struct pb_ipv4 *ip = (const void *)pos;
	__u64 off = pos - start;
	__u32 hlen, tot_len;
	__u16 frag;

	if (PB_OUT(ip, sizeof(*ip), end)) {
		pb_stop_short(p, off, sizeof(*ip), wire_len, PB_MAL_IPV4_TRUNCATED);
		return;
	}
	if ((ip->ver_ihl >> 4) != 4) {
		p->malformed = PB_MAL_IPV4_BAD_VERSION;
		return;
	}
	hlen = (ip->ver_ihl & 0x0f) * 4;
	if (hlen < sizeof(*ip)) {
		p->malformed = PB_MAL_IPV4_BAD_IHL;
		return;
	}
	tot_len = bpf_ntohs(ip->tot_len);
	if (tot_len < hlen || off + tot_len > wire_len) {
		p->malformed = PB_MAL_IPV4_BAD_TOTAL_LENGTH;
		return;
	}
	p->flags |= PB_PKT_IP;
	p->l3_end = off + tot_len;
	p->ttl = ip->ttl;
	p->l4_proto = ip->protocol;
	p->saddr[0] = ip->saddr;
	p->daddr[0] = ip->daddr;

	frag = bpf_ntohs(ip->frag_off);
	if (frag & (PB_IP_MF | PB_IP_OFFMASK)) {
		p->flags |= PB_PKT_FRAG;
		if (frag & PB_IP_OFFMASK) {
			/* Only the first fragment carries the L4 header. */
			p->flags |= PB_PKT_FRAG_LATER;
			return;
		}
	}
	/* Options: IHL counts them; the L4 header starts after. */
	pb_parse_l4(start, pos + hlen, end, off + tot_len, p);
}

static __always_inline int pb_ipv6_is_ext(__u8 nexthdr)
{
	return nexthdr == PB_IPPROTO_HOPOPTS || nexthdr == PB_IPPROTO_ROUTING ||
	       nexthdr == PB_IPPROTO_FRAGMENT || nexthdr == PB_IPPROTO_DSTOPTS;
}

static __always_inline void pb_parse_ipv6(const __u8 *start, const __u8 *pos, const void *end,
					  __u64 wire_len, struct pb_pkt *p)
{
	const struct pb_ipv6 *ip6 = (const void *)pos;
	__u64 off = pos - start;
	__u64 limit;
	__u8 nexthdr;
	int i;

	if (PB_OUT(ip6, sizeof(*ip6), end)) {
		pb_stop_short(p, off, sizeof(*ip6), wire_len, PB_MAL_IPV6_TRUNCATED);
		return;
	}
	if ((bpf_ntohl(ip6->ver_tc_flow) >> 28) != 6) {
		p->malformed = PB_MAL_IPV6_BAD_VERSION;
		return;
	}
	/* Payload length 0 means a jumbogram (RFC 2675): the frame bounds it. */
	limit = bpf_ntohs(ip6->payload_len);
	limit = limit ? off + sizeof(*ip6) + limit : wire_len;
	if (limit > wire_len) {
		p->malformed = PB_MAL_IPV6_BAD_PAYLOAD_LENGTH;
		return;
	}
	p->flags |= PB_PKT_IP;
	p->l3_end = limit;
	p->ttl = ip6->hop_limit;
	pb_copy_addr(p->saddr, ip6->saddr, 4);
	pb_copy_addr(p->daddr, ip6->daddr, 4);
	nexthdr = ip6->nexthdr;
	pos += sizeof(*ip6);

	PB_UNROLL
	for (i = 0; i < PB_MAX_IPV6_EXT; i++) {
		if (!pb_ipv6_is_ext(nexthdr))
			break;
		off = pos - start;
		if (nexthdr == PB_IPPROTO_FRAGMENT) {
			const struct pb_ipv6_frag *fh = (const void *)pos;

			if (pb_past_limit(p, off, sizeof(*fh), limit, PB_MAL_IPV6_EXT_TRUNCATED))
				return;
			if (PB_OUT(fh, sizeof(*fh), end)) {
				p->flags |= PB_PKT_CAPTURE_CUT;
				return;
			}
			p->flags |= PB_PKT_FRAG;
			nexthdr = fh->nexthdr;
			if (bpf_ntohs(fh->frag_off) & 0xfff8) {
				p->l4_proto = nexthdr;
				p->flags |= PB_PKT_FRAG_LATER;
				return;
			}
			pos += sizeof(*fh);
		} else {
			const struct pb_ipv6_opt *oh = (const void *)pos;
			__u32 hlen;

			if (pb_past_limit(p, off, sizeof(*oh), limit, PB_MAL_IPV6_EXT_TRUNCATED))
				return;
			if (PB_OUT(oh, sizeof(*oh), end)) {
				p->flags |= PB_PKT_CAPTURE_CUT;
				return;
			}
			hlen = (oh->hdrlen + 1) * 8;
			if (off + hlen > limit) {
				p->malformed = PB_MAL_IPV6_EXT_TRUNCATED;
				return;
			}
			nexthdr = oh->nexthdr;
			pos += hlen;
		}
	}
	if (pb_ipv6_is_ext(nexthdr)) {
		p->malformed = PB_MAL_IPV6_TOO_MANY_EXT;
		return;
	}
	p->l4_proto = nexthdr;
	pb_parse_l4(start, pos, end, limit, p);
}

static __always_inline void pb_parse_arp(const __u8 *start, const __u8 *pos, const void *end,
					 __u64 wire_len, struct pb_pkt *p)
{
	const struct pb_arp *arp = (const void *)pos;
	const struct pb_arp_eth_ipv4 *body;
	__u64 off = pos - start;

	if (PB_OUT(arp, sizeof(*arp), end)) {
		pb_stop_short(p, off, sizeof(*arp), wire_len, PB_MAL_ARP_TRUNCATED);
		return;
	}
	p->arp_op = bpf_ntohs(arp->op);
	/* Only Ethernet/IPv4 ARP has addresses pktbpf names; others are counted. */
	if (arp->htype != bpf_htons(1) || arp->ptype != bpf_htons(PB_ETH_P_IPV4) ||
	    arp->hlen != PB_ETH_ALEN || arp->plen != 4)
		return;
	body = (const void *)(arp + 1);
	if (PB_OUT(body, sizeof(*body), end)) {
		pb_stop_short(p, off + sizeof(*arp), sizeof(*body), wire_len,
			      PB_MAL_ARP_TRUNCATED);
		return;
	}
	pb_copy_addr(p->saddr, body->spa, 1);
	pb_copy_addr(p->daddr, body->tpa, 1);
	p->flags |= PB_PKT_ARP_ADDRS;
}

/*
 * Parse from the network header at pos, of the given ethertype. Link types
 * without Ethernet (raw IP, Linux cooked capture) enter here.
 */
static __always_inline void pb_parse_l3(const __u8 *start, const __u8 *pos, const void *end,
					__u64 wire_len, __u16 proto, struct pb_pkt *p)
{
	p->l3_proto = proto;
	p->l3_off = pos - start;

	switch (proto) {
	case PB_ETH_P_IPV4:
		pb_parse_ipv4(start, pos, end, wire_len, p);
		break;
	case PB_ETH_P_IPV6:
		pb_parse_ipv6(start, pos, end, wire_len, p);
		break;
	case PB_ETH_P_ARP:
		pb_parse_arp(start, pos, end, wire_len, p);
		break;
	default:
		break;
	}
}

static __always_inline int pb_is_vlan_tpid(__u16 proto)
{
	return proto == PB_ETH_P_8021Q || proto == PB_ETH_P_8021AD || proto == PB_ETH_P_QINQ1;
}

/*
 * Parse the Ethernet frame in [data, data_end); wire_len is its length on the
 * wire (larger than data_end - data when the capture cut it).
 */
static __always_inline void pb_parse(const void *data, const void *data_end, __u64 wire_len,
				     struct pb_pkt *p)
{
	const __u8 *start = data;
	const __u8 *pos = data;
	const struct pb_eth *eth = data;
	__u16 proto;
	int i;

	__builtin_memset(p, 0, sizeof(*p));
	if (PB_OUT(eth, sizeof(*eth), data_end)) {
		pb_stop_short(p, 0, sizeof(*eth), wire_len, PB_MAL_L2_TRUNCATED);
		return;
	}
	proto = bpf_ntohs(eth->proto);
	pos += sizeof(*eth);

	PB_UNROLL
	for (i = 0; i < PB_MAX_VLAN; i++) {
		const struct pb_vlan *tag = (const void *)pos;

		if (!pb_is_vlan_tpid(proto))
			break;
		if (PB_OUT(tag, sizeof(*tag), data_end)) {
			pb_stop_short(p, pos - start, sizeof(*tag), wire_len,
				      PB_MAL_VLAN_TRUNCATED);
			return;
		}
		p->vlan_id[i] = bpf_ntohs(tag->tci) & 0x0fff;
		p->vlan_depth = i + 1;
		proto = bpf_ntohs(tag->proto);
		pos += sizeof(*tag);
	}
	if (pb_is_vlan_tpid(proto)) {
		p->malformed = PB_MAL_VLAN_TOO_DEEP;
		return;
	}
	pb_parse_l3(start, pos, data_end, wire_len, proto, p);
}

#endif /* PB_PARSE_H */
