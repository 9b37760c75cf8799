// SPDX-License-Identifier: BSD-2-Clause
#include "craft.h"

#include <stddef.h>
#include <string.h>

const struct pb_craft_kind pb_craft_kinds[] = {
	{ "udp", "IPv4/UDP", false, PB_IPPROTO_UDP, 0 },
	{ "tcp", "IPv4/TCP", false, PB_IPPROTO_TCP, 0 },
	{ "icmp", "IPv4/ICMP", false, PB_IPPROTO_ICMP, 0 },
	{ "udp6", "IPv6/UDP", true, PB_IPPROTO_UDP, 0 },
	{ "tcp6", "IPv6/TCP", true, PB_IPPROTO_TCP, 0 },
	{ "icmp6", "IPv6/ICMPv6", true, PB_IPPROTO_ICMPV6, 0 },
	{ "vlan", "VLAN/IPv4/UDP", false, PB_IPPROTO_UDP, 1 },
	{ "qinq", "QinQ/IPv4/UDP", false, PB_IPPROTO_UDP, 2 },
};
const size_t pb_craft_n_kinds = PB_ARRAY_SIZE(pb_craft_kinds);

#define ICMP_ECHO_REQUEST 8    /* RFC 792 */
#define ICMPV6_ECHO_REQUEST 128 /* RFC 4443 */
#define TCP_ACK 0x10
#define TCP_PSH 0x08

const struct pb_craft_kind *pb_craft_kind_find(const char *name)
{
	size_t i;

	for (i = 0; i < pb_craft_n_kinds; i++)
		if (!strcmp(pb_craft_kinds[i].name, name))
			return &pb_craft_kinds[i];
	return NULL;
}

void pb_craft_spec_init(struct pb_craft_spec *s, const struct pb_craft_kind *kind)
{
	static const __u8 dst[PB_ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x02 };
	static const __u8 src[PB_ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x01 };

	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->size = 64;
	memcpy(s->dst_mac, dst, sizeof(dst));
	memcpy(s->src_mac, src, sizeof(src));
	s->vlan_id = 100;
	s->saddr4 = bpf_htonl(0x0a000001); /* 10.0.0.1 */
	s->daddr4 = bpf_htonl(0x0a000002);
	s->saddr6[0] = 0x20, s->saddr6[1] = 0x01, s->saddr6[2] = 0x0d, s->saddr6[3] = 0xb8;
	memcpy(s->daddr6, s->saddr6, 16);
	s->saddr6[15] = 1; /* 2001:db8::1 */
	s->daddr6[15] = 2;
	s->sport = 1024;
	s->dport = 9; /* discard (RFC 863) */
	s->tcp_flags = TCP_ACK | TCP_PSH;
}

static size_t l4_hdr_size(__u8 l4)
{
	switch (l4) {
	case PB_IPPROTO_TCP:
		return sizeof(struct pb_tcp);
	case PB_IPPROTO_UDP:
		return sizeof(struct pb_udp);
	default:
		return sizeof(struct pb_icmp);
	}
}

size_t pb_craft_l4_offset(const struct pb_craft_kind *kind)
{
	return sizeof(struct pb_eth) + kind->vlans * sizeof(struct pb_vlan) +
	       (kind->ipv6 ? sizeof(struct pb_ipv6) : sizeof(struct pb_ipv4));
}

void pb_craft_flow_field(const struct pb_craft_kind *kind, size_t *field, size_t *check)
{
	size_t l4 = pb_craft_l4_offset(kind);

	switch (kind->l4) {
	case PB_IPPROTO_TCP:
		*field = l4 + offsetof(struct pb_tcp, source);
		*check = l4 + offsetof(struct pb_tcp, check);
		break;
	case PB_IPPROTO_UDP:
		*field = l4 + offsetof(struct pb_udp, source);
		*check = l4 + offsetof(struct pb_udp, check);
		break;
	default:
		*field = l4 + offsetof(struct pb_icmp, rest);
		*check = l4 + offsetof(struct pb_icmp, checksum);
		break;
	}
}

size_t pb_craft_min_size(const struct pb_craft_kind *kind)
{
	return pb_craft_l4_offset(kind) + l4_hdr_size(kind->l4);
}

static __u32 csum_add(const void *data, size_t len, __u32 sum)
{
	const __u8 *p = data;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (__u32)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (__u32)p[len - 1] << 8;
	return sum;
}

__u16 pb_craft_csum_fold(const void *data, size_t len, __u32 sum)
{
	sum = csum_add(data, len, sum);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

/* Sum of the pseudo-header: RFC 768/9293 for IPv4, RFC 8200 section 8.1 for IPv6. */
static __u32 pseudo_sum(const struct pb_craft_spec *s, __u8 proto, __u32 l4_len)
{
	__u32 sum = proto + (l4_len & 0xffff) + (l4_len >> 16);

	if (s->kind->ipv6)
		return csum_add(s->daddr6, 16, csum_add(s->saddr6, 16, sum));
	return csum_add(&s->daddr4, 4, csum_add(&s->saddr4, 4, sum));
}

static void put_be16(__u8 *at, __u16 v)
{
	__be16 be = bpf_htons(v);

	memcpy(at, &be, sizeof(be));
}

static void write_l4(const struct pb_craft_spec *s, __u8 *l4, size_t l4_len)
{
	__u8 proto = s->kind->l4;
	__u32 sum = 0;
	size_t check;

	switch (proto) {
	case PB_IPPROTO_TCP: {
		struct pb_tcp *t = (void *)l4;

		t->source = bpf_htons(s->sport);
		t->dest = bpf_htons(s->dport);
		t->seq = bpf_htonl(1);
		t->ack_seq = bpf_htonl(1);
		t->doff_res = (sizeof(*t) / 4) << 4;
		t->flags = s->tcp_flags;
		t->window = bpf_htons(65535);
		check = offsetof(struct pb_tcp, check);
		sum = pseudo_sum(s, proto, l4_len);
		break;
	}
	case PB_IPPROTO_UDP: {
		struct pb_udp *u = (void *)l4;

		u->source = bpf_htons(s->sport);
		u->dest = bpf_htons(s->dport);
		u->len = bpf_htons(l4_len);
		check = offsetof(struct pb_udp, check);
		sum = pseudo_sum(s, proto, l4_len);
		break;
	}
	default: {
		struct pb_icmp *ic = (void *)l4;

		ic->type = s->kind->ipv6 ? ICMPV6_ECHO_REQUEST : ICMP_ECHO_REQUEST;
		ic->rest = bpf_htonl((__u32)s->sport << 16 | 1); /* identifier, sequence */
		check = offsetof(struct pb_icmp, checksum);
		/* ICMPv6 covers a pseudo-header (RFC 4443 2.3), ICMP does not. */
		if (s->kind->ipv6)
			sum = pseudo_sum(s, proto, l4_len);
		break;
	}
	}
	sum = ~pb_craft_csum_fold(l4, l4_len, sum) & 0xffff;
	/* UDP sends a computed 0 as all ones: 0 means "no checksum" (RFC 768). */
	if (proto == PB_IPPROTO_UDP && !sum)
		sum = 0xffff;
	put_be16(l4 + check, sum);
}

size_t pb_craft_build(const struct pb_craft_spec *s, void *buf, size_t cap)
{
	const struct pb_craft_kind *k = s->kind;
	size_t len = s->size > pb_craft_min_size(k) ? s->size : pb_craft_min_size(k);
	size_t l3_off = sizeof(struct pb_eth) + k->vlans * sizeof(struct pb_vlan);
	size_t l4_off = pb_craft_l4_offset(k);
	struct pb_eth *eth = buf;
	__u8 *p = buf;
	size_t type = offsetof(struct pb_eth, proto); /* where the next ethertype goes */
	int i;

	if (len > cap || len - l3_off > 65535)
		return 0;
	memset(buf, 0, len);
	memcpy(eth->dst, s->dst_mac, PB_ETH_ALEN);
	memcpy(eth->src, s->src_mac, PB_ETH_ALEN);
	for (i = 0; i < k->vlans; i++) {
		size_t off = sizeof(*eth) + i * sizeof(struct pb_vlan);
		struct pb_vlan *tag = (void *)(p + off);

		/* Outer tag of a pair is 802.1ad (S-tag), as QinQ puts it. */
		put_be16(p + type, i == 0 && k->vlans == 2 ? PB_ETH_P_8021AD : PB_ETH_P_8021Q);
		tag->tci = bpf_htons(s->vlan_id + i);
		type = off + offsetof(struct pb_vlan, proto);
	}
	if (k->ipv6) {
		struct pb_ipv6 *ip6 = (void *)(p + l3_off);

		put_be16(p + type, PB_ETH_P_IPV6);
		ip6->ver_tc_flow = bpf_htonl(6u << 28);
		ip6->payload_len = bpf_htons(len - l4_off);
		ip6->nexthdr = k->l4;
		ip6->hop_limit = 64;
		memcpy(ip6->saddr, s->saddr6, 16);
		memcpy(ip6->daddr, s->daddr6, 16);
	} else {
		struct pb_ipv4 *ip = (void *)(p + l3_off);

		put_be16(p + type, PB_ETH_P_IPV4);
		ip->ver_ihl = 4 << 4 | sizeof(*ip) / 4;
		ip->tot_len = bpf_htons(len - l3_off);
		ip->frag_off = bpf_htons(0x4000); /* DF */
		ip->ttl = 64;
		ip->protocol = k->l4;
		ip->saddr = s->saddr4;
		ip->daddr = s->daddr4;
		ip->check = bpf_htons(~pb_craft_csum_fold(ip, sizeof(*ip), 0) & 0xffff);
	}
	write_l4(s, p + l4_off, len - l4_off);
	return len;
}
