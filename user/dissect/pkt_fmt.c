// SPDX-License-Identifier: BSD-2-Clause
#include "pkt_fmt.h"
#include "stats.h"
#include "units.h"

#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

__u16 pb_vlan_tpid(const struct pb_frame *f, int i)
{
	/* The Ethernet type field, then each tag's inner type, name the next tag. */
	struct pb_bytes b = pb_frame_reader(f);

	return pb_b_get16(&b, 12 + 4 * i);
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
	return pb_name_of(&pb_ethertype_names, p->l3_proto);
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
