// SPDX-License-Identifier: BSD-2-Clause
/*
 * The name tables. Protocol names follow tcpdump's and the RFCs' spelling
 * (lower case words, as tcpdump prints them) so that the line, the detail
 * view, the JSON and the decoders say the same thing.
 */
#include "names.h"
#include "pb_hdr.h"

#define PB_NAME(id, name, ...) name,
const char *const pb_proto_names[PB_PROTO_MAX] = { PB_PROTO_LIST(PB_NAME) };
const char *const pb_tcp_flag_names[PB_TCPF_MAX] = { PB_TCP_FLAG_LIST(PB_NAME) };
const char *const pb_malformed_names[PB_MAL_MAX] = { PB_MALFORMED_LIST(PB_NAME) };
const char *const pb_alert_names[PB_ALERT_MAX] = { PB_ALERT_LIST(PB_NAME) };
const char *const pb_bad_flags_names[PB_BADF_MAX] = { PB_BAD_FLAGS_LIST(PB_NAME) };
const char *const pb_det_table_names[PB_DET_TABLE_MAX] = { PB_DET_TABLE_LIST(PB_NAME) };
#undef PB_NAME
const char *const pb_dir_names[PB_DIR_MAX] = { "ingress", "egress" };

const char *pb_name_of(const struct pb_name_table *t, unsigned int num)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].num == num)
			return t->v[i].name;
	return NULL;
}

#define PB_TABLE(var, ...)                                                          \
	static const struct pb_name var##_v[] = { __VA_ARGS__ };                   \
	const struct pb_name_table var = { var##_v, sizeof(var##_v) / sizeof(var##_v[0]) }

PB_TABLE(pb_ethertype_names, { 0x0800, "IP" }, { 0x0806, "ARP" }, { 0x86dd, "IP6" });

PB_TABLE(pb_ip_proto_names, { 1, "icmp" }, { 6, "tcp" }, { 17, "udp" }, { 58, "icmpv6" });

PB_TABLE(pb_icmp_type_names,
	 { 0, "echo reply" },
	 { 3, "destination unreachable" },
	 { 4, "source quench" },
	 { 5, "redirect" },
	 { 8, "echo request" },
	 { 9, "router advertisement" },
	 { 10, "router solicitation" },
	 { 11, "time exceeded" },
	 { 12, "parameter problem" },
	 { 13, "timestamp" },
	 { 14, "timestamp reply" });

PB_TABLE(pb_icmpv6_type_names,
	 { 1, "destination unreachable" },
	 { 2, "packet too big" },
	 { 3, "time exceeded" },
	 { 4, "parameter problem" },
	 { 128, "echo request" },
	 { 129, "echo reply" },
	 { 130, "multicast listener query" },
	 { 131, "multicast listener report" },
	 { 132, "multicast listener done" },
	 { 133, "router solicitation" },
	 { 134, "router advertisement" },
	 { 135, "neighbor solicitation" },
	 { 136, "neighbor advertisement" },
	 { 137, "redirect" },
	 { 143, "multicast listener report v2" });

const struct pb_name_table *pb_icmp_type_table(unsigned int ip_proto)
{
	return ip_proto == PB_IPPROTO_ICMPV6 ? &pb_icmpv6_type_names : &pb_icmp_type_names;
}

PB_TABLE(pb_arp_op_names,
	 { 1, "request" },
	 { 2, "reply" },
	 { 3, "reverse request" },
	 { 4, "reverse reply" });

PB_TABLE(pb_dns_type_names,
	 { 1, "A" },
	 { 2, "NS" },
	 { 5, "CNAME" },
	 { 6, "SOA" },
	 { 12, "PTR" },
	 { 15, "MX" },
	 { 16, "TXT" },
	 { 28, "AAAA" },
	 { 33, "SRV" },
	 { 41, "OPT" },
	 { 43, "DS" },
	 { 46, "RRSIG" },
	 { 48, "DNSKEY" },
	 { 64, "SVCB" },
	 { 65, "HTTPS" },
	 { 255, "ANY" });

PB_TABLE(pb_dns_opcode_names,
	 { 0, "QUERY" },
	 { 1, "IQUERY" },
	 { 2, "STATUS" },
	 { 4, "NOTIFY" },
	 { 5, "UPDATE" });

PB_TABLE(pb_dns_rcode_names,
	 { 0, "NOERROR" },
	 { 1, "FORMERR" },
	 { 2, "SERVFAIL" },
	 { 3, "NXDOMAIN" },
	 { 4, "NOTIMP" },
	 { 5, "REFUSED" },
	 { 6, "YXDOMAIN" },
	 { 7, "YXRRSET" },
	 { 8, "NXRRSET" },
	 { 9, "NOTAUTH" },
	 { 10, "NOTZONE" });

PB_TABLE(pb_dhcp_msg_type_names,
	 { 1, "DISCOVER" },
	 { 2, "OFFER" },
	 { 3, "REQUEST" },
	 { 4, "DECLINE" },
	 { 5, "ACK" },
	 { 6, "NAK" },
	 { 7, "RELEASE" },
	 { 8, "INFORM" });

PB_TABLE(pb_tls_version_names,
	 { 0x0300, "SSL 3.0" },
	 { 0x0301, "TLS 1.0" },
	 { 0x0302, "TLS 1.1" },
	 { 0x0303, "TLS 1.2" },
	 { 0x0304, "TLS 1.3" });
