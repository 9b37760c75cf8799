/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Names and text forms of the fields the parser found, shared by the packet
 * printer and the per-packet JSON so both say the same thing.
 */
#ifndef PB_PKT_FMT_H
#define PB_PKT_FMT_H

#include <stddef.h>

#include "frame.h"
#include "names.h"

/* Enough for an IPv6 address (INET6_ADDRSTRLEN) or a MAC. */
#define PB_ADDR_STRLEN 48

/* The TPID in front of VLAN tag i (0 = outermost) of an Ethernet frame, 0
 * if it was not captured. */
__u16 pb_vlan_tpid(const struct pb_frame *f, int i);

#define PB_TIME_STRLEN 40

/* UTC with nanoseconds: "2026-11-27T22:40:01.123456789Z". */
void pb_fmt_time_ns(char *buf, __u64 ns);

/* IP (or ARP) source or destination address of p, "" when there is none. */
void pb_fmt_ip(char *buf, const struct pb_pkt *p, int dst);
void pb_fmt_mac(char *buf, const __u8 *mac);

/* "IP", "IP6", "ARP" (names.h's ethertype table) or NULL for others. */
const char *pb_l3_label(const struct pb_pkt *p);

/* tcpdump's letters: "S", "S.", "F.", "R.", "P.", "U", "E", "W"; "none". */
void pb_fmt_tcp_flags(char *buf, __u8 flags);

/* True when the parser read p's TCP/UDP ports (and TCP flags): the fixed
 * header is captured, whether or not the rest of it is valid. */
int pb_pkt_has_ports(const struct pb_pkt *p);
/* True when the parser read p's ICMP/ICMPv6 type and code. */
int pb_pkt_has_icmp(const struct pb_pkt *p);

#endif /* PB_PKT_FMT_H */
