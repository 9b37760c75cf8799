// SPDX-License-Identifier: BSD-2-Clause
#include "pkt_json.h"
#include "pkt_fmt.h"
#include "stats.h"

#include <stdio.h>
#include <pcap/dlt.h>

static void set_str(json_t *o, const char *key, const char *s)
{
	json_object_set_new(o, key, json_string(s));
}

static void set_int(json_t *o, const char *key, json_int_t v)
{
	json_object_set_new(o, key, json_integer(v));
}

static void set_hex16(json_t *o, const char *key, __u16 v)
{
	char buf[8];

	snprintf(buf, sizeof(buf), "0x%04x", v);
	set_str(o, key, buf);
}

static void link_fields(json_t *o, const struct pb_frame *f, const struct pb_pkt *p)
{
	struct pb_bytes b = pb_frame_reader(f);
	const __u8 *eth = pb_b_ptr(&b, 0, sizeof(struct pb_eth));
	char mac[PB_ADDR_STRLEN];
	json_t *tags;
	int i;

	if (f->dir != PB_FRAME_NO_DIR)
		set_str(o, "direction", pb_dir_names[f->dir]);
	if (f->linktype != DLT_EN10MB || !eth)
		return;
	pb_fmt_mac(mac, eth + 6);
	set_str(o, "eth_src", mac);
	pb_fmt_mac(mac, eth);
	set_str(o, "eth_dst", mac);
	set_hex16(o, "ethertype", pb_b_get16(&b, 12));
	if (!p->vlan_depth)
		return;
	tags = json_array();
	for (i = 0; i < p->vlan_depth; i++) {
		char tpid[8];

		snprintf(tpid, sizeof(tpid), "0x%04x", pb_vlan_tpid(f, i));
		json_array_append_new(tags, json_pack("{s:s,s:i}", "tpid", tpid, "id",
						      (int)p->vlan_id[i]));
	}
	json_object_set_new(o, "vlan", tags);
}

static void l3_fields(json_t *o, const struct pb_frame *f, const struct pb_pkt *p)
{
	struct pb_bytes b = pb_frame_reader(f);
	char a[PB_ADDR_STRLEN];
	const __u8 *h;

	if (p->l3_proto)
		set_hex16(o, "l3_proto", p->l3_proto);
	if (p->l3_proto == PB_ETH_P_ARP && !p->malformed) {
		set_int(o, "arp_op", p->arp_op);
		h = pb_b_ptr(&b, p->l3_off + sizeof(struct pb_arp), sizeof(struct pb_arp_eth_ipv4));
		if (!(p->flags & PB_PKT_ARP_ADDRS) || !h)
			return;
		pb_fmt_ip(a, p, 0);
		set_str(o, "arp_sender_ip", a);
		pb_fmt_ip(a, p, 1);
		set_str(o, "arp_target_ip", a);
		pb_fmt_mac(a, h);
		set_str(o, "arp_sender_mac", a);
		pb_fmt_mac(a, h + 10);
		set_str(o, "arp_target_mac", a);
		return;
	}
	if (!(p->flags & PB_PKT_IP))
		return;
	pb_fmt_ip(a, p, 0);
	set_str(o, "src", a);
	pb_fmt_ip(a, p, 1);
	set_str(o, "dst", a);
	set_int(o, "ttl", p->ttl);
	set_int(o, "ip_proto", p->l4_proto);
	if (p->l3_proto == PB_ETH_P_IPV6) {
		if (pb_b_has(&b, p->l3_off, sizeof(struct pb_ipv6)))
			set_int(o, "ipv6_next_header", pb_b_get8(&b, p->l3_off + 6));
	}
	if (p->flags & PB_PKT_FRAG)
		set_str(o, "fragment", p->flags & PB_PKT_FRAG_LATER ? "later" : "first");
}

static void l4_fields(json_t *o, const struct pb_pkt *p)
{
	const char *l4 = pb_name_of(&pb_ip_proto_names, p->l4_proto);
	json_t *names;
	char buf[8];
	int i;

	if (!(p->flags & PB_PKT_IP) || p->flags & PB_PKT_FRAG_LATER)
		return;
	if (l4 && p->flags & PB_PKT_L4_PRESENT)
		set_str(o, "l4", l4);
	if (pb_pkt_has_ports(p)) {
		set_int(o, "sport", p->sport);
		set_int(o, "dport", p->dport);
	}
	if (pb_pkt_has_ports(p) && p->l4_proto == PB_IPPROTO_TCP) {
		snprintf(buf, sizeof(buf), "0x%02x", p->tcp_flags);
		set_str(o, "tcp_flags", buf);
		names = json_array();
		for (i = 0; i < PB_TCPF_MAX; i++)
			if (p->tcp_flags & (1u << i))
				json_array_append_new(names, json_string(pb_tcp_flag_names[i]));
		json_object_set_new(o, "tcp_flag_names", names);
	}
	if (pb_pkt_has_icmp(p)) {
		set_int(o, "icmp_type", p->icmp_type);
		set_int(o, "icmp_code", p->icmp_code);
	}
}

json_t *pb_pkt_json(const struct pb_frame *f, const struct pb_pkt *p, __u64 number)
{
	json_t *o = json_object();
	char when[PB_TIME_STRLEN];

	if (number)
		set_int(o, "frame", (json_int_t)number);
	pb_fmt_time_ns(when, f->ts_ns);
	set_str(o, "time", when);
	set_int(o, "len", f->len);
	set_int(o, "caplen", f->caplen);
	link_fields(o, f, p);
	l3_fields(o, f, p);
	l4_fields(o, p);
	if (p->malformed && p->malformed < PB_MAL_MAX)
		set_str(o, "malformed", pb_malformed_names[p->malformed]);
	if (p->flags & PB_PKT_CAPTURE_CUT)
		json_object_set_new(o, "capture_truncated", json_true());
	return o;
}
