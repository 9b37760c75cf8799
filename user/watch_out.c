// SPDX-License-Identifier: BSD-2-Clause
#include "watch_out.h"
#include "flows.h"
#include "stats.h"

#include <time.h>

static void addr_port(char *buf, size_t len, const struct pb_pkt *p, int dst)
{
	char a[64];
	__u8 fam = p->l3_proto == PB_ETH_P_IPV6 ? 6 : 4;

	pb_addr_str(fam, dst ? p->daddr : p->saddr, a, sizeof(a));
	if ((p->flags & PB_PKT_L4) &&
	    (p->l4_proto == PB_IPPROTO_TCP || p->l4_proto == PB_IPPROTO_UDP))
		snprintf(buf, len, "%s.%u", a, dst ? p->dport : p->sport);
	else
		snprintf(buf, len, "%s", a);
}

static void time_of(char *buf, size_t len, __u64 ns)
{
	time_t sec = ns / 1000000000ull;
	struct tm tm;

	localtime_r(&sec, &tm);
	snprintf(buf, len, "%02d:%02d:%02d.%06u", tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (unsigned)(ns % 1000000000ull / 1000));
}

void pb_watch_line(FILE *f, const struct pb_shown *s)
{
	const struct pb_pkt *p = &s->pkt;
	char t[32], src[80], dst[80], proto[16];

	time_of(t, sizeof(t), s->ts_ns);
	fprintf(f, "%s %s %-3s ", t, s->ifname, s->dir ? "out" : "in");
	if (p->flags & PB_PKT_IP) {
		addr_port(src, sizeof(src), p, 0);
		addr_port(dst, sizeof(dst), p, 1);
		fprintf(f, "%s %s > %s: %s", p->l3_proto == PB_ETH_P_IPV6 ? "IP6" : "IP", src, dst,
			pb_ipproto_name(p->l4_proto, proto, sizeof(proto)));
		if (p->l4_proto == PB_IPPROTO_TCP && (p->flags & PB_PKT_L4_PRESENT)) {
			char fl[8] = "", *q = fl;

			if (p->tcp_flags & 0x02)
				*q++ = 'S';
			if (p->tcp_flags & 0x01)
				*q++ = 'F';
			if (p->tcp_flags & 0x04)
				*q++ = 'R';
			if (p->tcp_flags & 0x08)
				*q++ = 'P';
			if (p->tcp_flags & 0x10)
				*q++ = '.';
			*q = 0;
			fprintf(f, " [%s]", fl[0] ? fl : "none");
		}
	} else if (p->l3_proto == PB_ETH_P_ARP) {
		fprintf(f, "ARP");
	} else {
		fprintf(f, "ethertype 0x%04x", p->l3_proto);
	}
	fprintf(f, ", length %u\n", s->wire_len);
}

json_t *pb_watch_json(const struct pb_shown *s, json_t *decoded)
{
	const struct pb_pkt *p = &s->pkt;
	char when[48], a[64], proto[16];
	json_t *o;
	__u8 fam = p->l3_proto == PB_ETH_P_IPV6 ? 6 : 4;

	pb_format_time(when, sizeof(when), s->ts_ns);
	snprintf(when + 19, sizeof(when) - 19, ".%09uZ", (unsigned)(s->ts_ns % 1000000000ull));
	o = json_pack("{s:s,s:s,s:s,s:i,s:i,s:i}", "time", when, "interface", s->ifname,
		      "direction", pb_dir_names[s->dir & 1], "length", s->wire_len, "captured",
		      s->cap_len, "ethertype", p->l3_proto);
	if (p->flags & PB_PKT_IP) {
		json_object_set_new(o, "src", json_string(pb_addr_str(fam, p->saddr, a, sizeof(a))));
		json_object_set_new(o, "dst", json_string(pb_addr_str(fam, p->daddr, a, sizeof(a))));
		json_object_set_new(o, "protocol",
				    json_string(pb_ipproto_name(p->l4_proto, proto, sizeof(proto))));
		if ((p->flags & PB_PKT_L4) &&
		    (p->l4_proto == PB_IPPROTO_TCP || p->l4_proto == PB_IPPROTO_UDP)) {
			json_object_set_new(o, "src_port", json_integer(p->sport));
			json_object_set_new(o, "dst_port", json_integer(p->dport));
		}
	}
	if (decoded)
		json_object_set_new(o, "decoded", decoded);
	return o;
}
