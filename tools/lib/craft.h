/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Crafted Ethernet frames for the benchmarks and the traffic generator:
 * well-formed (lengths and checksums right) so that pktbpf's parser takes its
 * normal path through them, padded to a requested size.
 */
#ifndef PB_CRAFT_H
#define PB_CRAFT_H

#include <stdbool.h>
#include <stddef.h>

#include "pb_hdr.h"

/* A named kind of frame ("udp", "tcp6", "vlan", ...): see pb_craft_kinds. */
struct pb_craft_kind {
	const char *name;
	const char *label; /* for tables: "IPv4/UDP" */
	bool ipv6;
	__u8 l4;           /* PB_IPPROTO_UDP, _TCP, or _ICMP (ICMPv6 on IPv6) */
	__u8 vlans;        /* 802.1Q tags before the IP header */
};

extern const struct pb_craft_kind pb_craft_kinds[];
extern const size_t pb_craft_n_kinds;

/* The kind called name, or NULL. */
const struct pb_craft_kind *pb_craft_kind_find(const char *name);

struct pb_craft_spec {
	const struct pb_craft_kind *kind;
	size_t size;           /* bytes from the Ethernet header on, no FCS */
	__u8 dst_mac[PB_ETH_ALEN];
	__u8 src_mac[PB_ETH_ALEN];
	__u16 vlan_id;
	__be32 saddr4, daddr4;
	__u8 saddr6[16], daddr6[16];
	__u16 sport, dport;    /* host order; ICMP echo: sport is the identifier */
	__u8 tcp_flags;
};

/* Defaults for kind: documentation addresses, ports 1024 -> 9, size 64, ACK|PSH. */
void pb_craft_spec_init(struct pb_craft_spec *s, const struct pb_craft_kind *kind);

/* The smallest frame the kind's headers fit in. */
size_t pb_craft_min_size(const struct pb_craft_kind *kind);

/*
 * Write the frame into buf. Its length is max(s->size, pb_craft_min_size()).
 * Returns that length, or 0 when it exceeds cap or 65535 bytes of IP.
 */
size_t pb_craft_build(const struct pb_craft_spec *s, void *buf, size_t cap);

/* Offset of the L4 header in a frame built from kind. */
size_t pb_craft_l4_offset(const struct pb_craft_kind *kind);

/*
 * Offsets in a frame built from kind of the field that tells its flows apart
 * (sport: the L4 source port; ICMP: the echo identifier) and of the checksum
 * that covers it.
 */
void pb_craft_flow_field(const struct pb_craft_kind *kind, size_t *field, size_t *check);

/* The Internet checksum (RFC 1071) of len bytes, folded, not inverted, from sum. */
__u16 pb_craft_csum_fold(const void *data, size_t len, __u32 sum);

#endif /* PB_CRAFT_H */
