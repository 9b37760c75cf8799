/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Wire formats of the headers pktbpf parses, defined here rather than taken
 * from vmlinux.h or the libc headers so the parser means the same bytes on
 * both targets. All multi-byte fields are network byte order.
 */
#ifndef PB_HDR_H
#define PB_HDR_H

#include "pb_types.h"

#define PB_ETH_ALEN 6

#define PB_ETH_P_IPV4 0x0800
#define PB_ETH_P_ARP 0x0806
#define PB_ETH_P_8021Q 0x8100
#define PB_ETH_P_8021AD 0x88a8
#define PB_ETH_P_QINQ1 0x9100 /* pre-standard QinQ TPID, still seen */
#define PB_ETH_P_IPV6 0x86dd

#define PB_IPPROTO_HOPOPTS 0
#define PB_IPPROTO_ICMP 1
#define PB_IPPROTO_TCP 6
#define PB_IPPROTO_UDP 17
#define PB_IPPROTO_ROUTING 43
#define PB_IPPROTO_FRAGMENT 44
#define PB_IPPROTO_ICMPV6 58
#define PB_IPPROTO_DSTOPTS 60

struct pb_eth {
	__u8 dst[PB_ETH_ALEN];
	__u8 src[PB_ETH_ALEN];
	__be16 proto;
} __attribute__((packed));

/* 802.1Q / 802.1ad tag as it follows the TPID: TCI then the inner type. */
struct pb_vlan {
	__be16 tci;
	__be16 proto;
} __attribute__((packed));

/* RFC 826, Ethernet/IPv4 form; other sizes are counted but not decoded. */
struct pb_arp {
	__be16 htype;
	__be16 ptype;
	__u8 hlen;
	__u8 plen;
	__be16 op;
} __attribute__((packed));

struct pb_arp_eth_ipv4 {
	__u8 sha[PB_ETH_ALEN];
	__u8 spa[4];
	__u8 tha[PB_ETH_ALEN];
	__u8 tpa[4];
} __attribute__((packed));

/* RFC 791 */
struct pb_ipv4 {
	__u8 ver_ihl; /* version << 4 | IHL in 32-bit words */
	__u8 tos;
	__be16 tot_len;
	__be16 id;
	__be16 frag_off; /* flags (3 bits) | offset in 8-byte units */
	__u8 ttl;
	__u8 protocol;
	__be16 check;
	__be32 saddr;
	__be32 daddr;
} __attribute__((packed));

#define PB_IP_MF 0x2000
#define PB_IP_OFFMASK 0x1fff

/* RFC 8200 */
struct pb_ipv6 {
	__be32 ver_tc_flow; /* version (4) | traffic class (8) | flow label (20) */
	__be16 payload_len;
	__u8 nexthdr;
	__u8 hop_limit;
	__u8 saddr[16];
	__u8 daddr[16];
} __attribute__((packed));

/* Common start of hop-by-hop, routing and destination options headers. */
struct pb_ipv6_opt {
	__u8 nexthdr;
	__u8 hdrlen; /* in 8-byte units, not counting the first 8 bytes */
} __attribute__((packed));

struct pb_ipv6_frag {
	__u8 nexthdr;
	__u8 reserved;
	__be16 frag_off; /* offset (13 bits) << 3 | res (2) | M (1) */
	__be32 id;
} __attribute__((packed));

/* RFC 9293 */
struct pb_tcp {
	__be16 source;
	__be16 dest;
	__be32 seq;
	__be32 ack_seq;
	__u8 doff_res; /* data offset (4 bits) in 32-bit words | reserved */
	__u8 flags;    /* CWR ECE URG ACK PSH RST SYN FIN */
	__be16 window;
	__be16 check;
	__be16 urg_ptr;
} __attribute__((packed));

/* RFC 768 */
struct pb_udp {
	__be16 source;
	__be16 dest;
	__be16 len;
	__be16 check;
} __attribute__((packed));

/* RFC 792 / RFC 4443: type and code lead both ICMP and ICMPv6. */
struct pb_icmp {
	__u8 type;
	__u8 code;
	__be16 checksum;
	__be32 rest; /* echo id/seq, pointer, MTU, ... by type */
} __attribute__((packed));

#endif /* PB_HDR_H */
