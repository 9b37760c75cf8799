// SPDX-License-Identifier: BSD-2-Clause
#include "pkt_fmt.h"
#include "stats.h"
#include "units.h"

#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

const __u8 *pb_frame_bytes(const struct pb_frame *f, __u32 off, __u32 len)
{
	if (off > f->caplen || len > f->caplen - off)
		return NULL;
	return f->data + off;
}

__u16 pb_vlan_tpid(const struct pb_frame *f, int i)
{
	/* The Ethernet type field, then each tag's inner type, name the next tag. */
	const __u8 *b = pb_frame_bytes(f, 12 + 4 * i, 2);

	return b ? pb_get_be16(b) : 0;
}

void pb_fmt_ip(char *buf, const struct pb_pkt *p, int dst)
{
	const __be32 *a = dst ? p->daddr : p->saddr;

	buf[0] = '\0';
	if (p->l3_proto == PB_ETH_P_IPV6 && p->flags & PB_PKT_IP)
		inet_ntop(AF_INET6, a, buf, PB_ADDR_STRLEN);
	else if ((p->l3_proto == PB_ETH_P_IPV4 && p->flags & PB_PKT_IP) ||
		 p->flags & PB_PKT_ARP_ADDRS)
		inet_ntop(AF_INET, a, buf, PB_ADDR_STRLEN);
}

void pb_fmt_mac(char *buf, const __u8 *m)
{
	snprintf(buf, PB_ADDR_STRLEN, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3],
		 m[4], m[5]);
}

const char *pb_l3_label(const struct pb_pkt *p)
{
	switch (p->l3_proto) {
	case PB_ETH_P_IPV4:
		return "IP";
	case PB_ETH_P_IPV6:
		return "IP6";
	case PB_ETH_P_ARP:
		return "ARP";
	default:
		return NULL;
	}
}

const char *pb_l4_name(__u8 ip_proto)
{
	switch (ip_proto) {
	case PB_IPPROTO_TCP:
		return "tcp";
	case PB_IPPROTO_UDP:
		return "udp";
	case PB_IPPROTO_ICMP:
		return "icmp";
	case PB_IPPROTO_ICMPV6:
		return "icmpv6";
	default:
		return NULL;
	}
}

void pb_fmt_tcp_flags(char *buf, __u8 flags)
{
	/* Bit order of pb_abi.h's PB_TCP_FLAG_LIST; ACK is tcpdump's '.'. */
	static const char letters[PB_TCPF_MAX] = { 'F', 'S', 'R', 'P', '.', 'U', 'E', 'W' };
	static const int order[PB_TCPF_MAX] = { PB_TCPF_SYN, PB_TCPF_FIN, PB_TCPF_RST,
						PB_TCPF_PSH, PB_TCPF_URG, PB_TCPF_ECE,
						PB_TCPF_CWR, PB_TCPF_ACK };
	char *o = buf;
	int i;

	for (i = 0; i < PB_TCPF_MAX; i++)
		if (flags & (1u << order[i]))
			*o++ = letters[order[i]];
	if (o == buf)
		o += sprintf(o, "none");
	*o = '\0';
}

const char *pb_icmp_type_name(__u8 ip_proto, __u8 type)
{
	if (ip_proto == PB_IPPROTO_ICMP) {
		/* RFC 792, RFC 1256 */
		switch (type) {
		case 0: return "echo reply";
		case 3: return "destination unreachable";
		case 4: return "source quench";
		case 5: return "redirect";
		case 8: return "echo request";
		case 9: return "router advertisement";
		case 10: return "router solicitation";
		case 11: return "time exceeded";
		case 12: return "parameter problem";
		case 13: return "timestamp request";
		case 14: return "timestamp reply";
		default: return NULL;
		}
	}
	/* RFC 4443, RFC 4861, RFC 2710, RFC 3810 */
	switch (type) {
	case 1: return "destination unreachable";
	case 2: return "packet too big";
	case 3: return "time exceeded";
	case 4: return "parameter problem";
	case 128: return "echo request";
	case 129: return "echo reply";
	case 130: return "multicast listener query";
	case 131: return "multicast listener report";
	case 132: return "multicast listener done";
	case 133: return "router solicitation";
	case 134: return "router advertisement";
	case 135: return "neighbor solicitation";
	case 136: return "neighbor advertisement";
	case 137: return "redirect";
	case 143: return "multicast listener report v2";
	default: return NULL;
	}
}

const char *pb_arp_op_name(__u16 op)
{
	return op == 1 ? "request" : op == 2 ? "reply" : NULL;
}

int pb_pkt_has_ports(const struct pb_pkt *p)
{
	return p->flags & PB_PKT_L4_FIELDS &&
	       (p->l4_proto == PB_IPPROTO_TCP || p->l4_proto == PB_IPPROTO_UDP);
}

int pb_pkt_has_icmp(const struct pb_pkt *p)
{
	return p->flags & PB_PKT_L4_FIELDS &&
	       (p->l4_proto == PB_IPPROTO_ICMP || p->l4_proto == PB_IPPROTO_ICMPV6);
}

void pb_fmt_time_ns(char *buf, __u64 ns)
{
	size_t z;

	/* pb_format_time's "...:SSZ", the fraction put before the Z. */
	pb_format_time(buf, PB_TIME_STRLEN, ns);
	z = strlen(buf) - 1;
	snprintf(buf + z, PB_TIME_STRLEN - z, ".%09uZ", (unsigned int)(ns % 1000000000ull));
}
