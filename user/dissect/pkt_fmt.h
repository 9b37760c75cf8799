/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Names and text forms of the fields the parser found, shared by the packet
 * printer and the per-packet JSON so both say the same thing.
 */
#ifndef PB_PKT_FMT_H
#define PB_PKT_FMT_H

#include <stddef.h>

#include "frame.h"

/* Enough for an IPv6 address (INET6_ADDRSTRLEN) or a MAC. */
#define PB_ADDR_STRLEN 48

/*
 * Bytes [off, off + len) of the frame, or NULL when the capture does not hold
 * them all: every header field a printer shows is read through this.
 */
const __u8 *pb_frame_bytes(const struct pb_frame *f, __u32 off, __u32 len);

/* The TPID in front of VLAN tag i (0 = outermost) of an Ethernet frame. */
__u16 pb_vlan_tpid(const struct pb_frame *f, int i);

#define PB_TIME_STRLEN 40

/* UTC with nanoseconds: "2026-11-27T22:40:01.123456789Z". */
void pb_fmt_time_ns(char *buf, __u64 ns);

/* IP (or ARP) source or destination address of p, "" when there is none. */
void pb_fmt_ip(char *buf, const struct pb_pkt *p, int dst);
void pb_fmt_mac(char *buf, const __u8 *mac);

/* "IP", "IP6", "ARP" or NULL for other ethertypes. */
const char *pb_l3_label(const struct pb_pkt *p);
/* "tcp", "udp", "icmp", "icmpv6" or NULL. */
const char *pb_l4_name(__u8 ip_proto);

/* tcpdump's letters: "S", "S.", "F.", "R.", "P.", "U", "E", "W"; "none". */
void pb_fmt_tcp_flags(char *buf, __u8 flags);

/* Known ICMP / ICMPv6 type names, NULL for others. */
const char *pb_icmp_type_name(__u8 ip_proto, __u8 type);
/* "request", "reply" (RFC 826) or NULL. */
const char *pb_arp_op_name(__u16 op);

/* True when the parser read p's TCP/UDP ports (and TCP flags): the fixed
 * header is captured, whether or not the rest of it is valid. */
int pb_pkt_has_ports(const struct pb_pkt *p);
/* True when the parser read p's ICMP/ICMPv6 type and code. */
int pb_pkt_has_icmp(const struct pb_pkt *p);

#endif /* PB_PKT_FMT_H */
