/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Every name table of pktbpf: the counters and alerts, indexed by their
 * enums (include/pb_abi.h, pb_alert.h), and one table of {number, name} per
 * protocol field, looked up by pb_name_of(). What text, JSON, the decoders,
 * metrics and the alerts call a thing comes from here and nowhere else.
 */
#ifndef PB_NAMES_H
#define PB_NAMES_H

#include <stddef.h>

#include "pb_abi.h"
#include "pb_alert.h"

extern const char *const pb_proto_names[PB_PROTO_MAX];
extern const char *const pb_tcp_flag_names[PB_TCPF_MAX];
extern const char *const pb_malformed_names[PB_MAL_MAX];
extern const char *const pb_dir_names[PB_DIR_MAX];

extern const char *const pb_alert_names[PB_ALERT_MAX];
extern const char *const pb_bad_flags_names[PB_BADF_MAX];
extern const char *const pb_det_table_names[PB_DET_TABLE_MAX];

struct pb_name {
	unsigned int num;
	const char *name;
};

struct pb_name_table {
	const struct pb_name *v;
	size_t n;
};

/* The name of num in t, or NULL when t has none: each caller shows the
 * number instead, in its own way ("type 42", "TYPE42", "0x88cc"). */
const char *pb_name_of(const struct pb_name_table *t, unsigned int num);

/* Ethertypes as tcpdump labels them ("IP", "IP6", "ARP"). */
extern const struct pb_name_table pb_ethertype_names;
/* IP protocol numbers (IANA): "tcp", "udp", "icmp", "icmpv6". */
extern const struct pb_name_table pb_ip_proto_names;
/* ICMP types (RFC 792, RFC 1256) and ICMPv6 types (RFC 4443, 4861, 2710, 3810). */
extern const struct pb_name_table pb_icmp_type_names;
extern const struct pb_name_table pb_icmpv6_type_names;
/* Which of the two an IP protocol number's messages take (ICMPv6 for 58). */
const struct pb_name_table *pb_icmp_type_table(unsigned int ip_proto);
/* ARP operations (RFC 826, RFC 903). */
extern const struct pb_name_table pb_arp_op_names;
/* DNS (RFC 1035 and successors): record types, opcodes, response codes. */
extern const struct pb_name_table pb_dns_type_names;
extern const struct pb_name_table pb_dns_opcode_names;
extern const struct pb_name_table pb_dns_rcode_names;
/* DHCP message types (RFC 2132 section 9.6). */
extern const struct pb_name_table pb_dhcp_msg_type_names;
/* TLS / SSL protocol versions (RFC 8446, 5246, 6101). */
extern const struct pb_name_table pb_tls_version_names;

#endif /* PB_NAMES_H */
