// SPDX-License-Identifier: BSD-2-Clause
#include "print_pkt.h"
#include "pkt_fmt.h"
#include "stats.h"

#include <stdarg.h>
#include <string.h>
#include <time.h>
#include <pcap/dlt.h>

#define MAX_LAYERS 10
#define HEX_PER_ROW 16

/* One header (or the payload) as the detailed views show it. */
struct layer {
	const char *name;
	__u32 off;
	__u32 len; /* as the header says; the hex dump shows what was captured */
	char text[320];
};

struct layers {
	struct layer l[MAX_LAYERS];
	int n;
};

static struct layer *add_layer(struct layers *ls, const char *name, __u32 off, __u32 len)
{
	struct layer *l = &ls->l[ls->n < MAX_LAYERS ? ls->n++ : MAX_LAYERS - 1];

	l->name = name;
	l->off = off;
	l->len = len;
	l->text[0] = '\0';
	return l;
}

static void say(struct layer *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct layer *l, const char *fmt, ...)
{
	size_t used = strlen(l->text);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(l->text + used, sizeof(l->text) - used, fmt, ap);
	va_end(ap);
}

/* A field the reader could not read shows as 0: say so once, at the end. */
static void truncated(struct layer *l, const struct pb_bytes *b)
{
	if (b->truncated)
		say(l, ", truncated");
}

/* Local time as tcpdump prints it; localtime() only when the second changes. */
static void print_time(FILE *o, __u64 ts_ns)
{
	static time_t last = -1;
	static char hms[16];
	time_t sec = ts_ns / 1000000000ull;

	if (sec != last) {
		struct tm tm;

		localtime_r(&sec, &tm);
		strftime(hms, sizeof(hms), "%H:%M:%S", &tm);
		last = sec;
	}
	fprintf(o, "%s.%06u ", hms, (unsigned int)(ts_ns % 1000000000ull / 1000));
}

static const char *link_label(int linktype)
{
	switch (linktype) {
	case DLT_EN10MB:
		return "ethernet";
	case DLT_LINUX_SLL:
	case DLT_LINUX_SLL2:
		return "linux cooked";
	case DLT_NULL:
	case DLT_LOOP:
		return "loopback";
	default:
		return "raw";
	}
}

static void print_l4(FILE *o, const struct pb_pkt *p)
{
	const char *name;
	char flags[16];

	if (p->flags & PB_PKT_FRAG_LATER) {
		fprintf(o, "fragment, ip-proto %u", p->l4_proto);
		return;
	}
	if (pb_pkt_has_ports(p) && p->l4_proto == PB_IPPROTO_TCP) {
		pb_fmt_tcp_flags(flags, p->tcp_flags);
		fprintf(o, "TCP [%s]", flags);
	} else if (pb_pkt_has_ports(p)) {
		fputs("UDP", o);
	} else if (pb_pkt_has_icmp(p)) {
		name = pb_name_of(pb_icmp_type_table(p->l4_proto), p->icmp_type);
		fputs(p->l4_proto == PB_IPPROTO_ICMP ? "ICMP " : "ICMP6 ", o);
		if (name)
			fputs(name, o);
		else
			fprintf(o, "type %u", p->icmp_type);
		if (p->icmp_code)
			fprintf(o, " code %u", p->icmp_code);
	} else {
		fprintf(o, "ip-proto %u", p->l4_proto);
	}
	if (p->flags & PB_PKT_FRAG)
		fputs(", first fragment", o);
}

static void print_ip(FILE *o, const struct pb_pkt *p)
{
	char src[PB_ADDR_STRLEN], dst[PB_ADDR_STRLEN];
	int ports = pb_pkt_has_ports(p) && !(p->flags & PB_PKT_FRAG_LATER);

	pb_fmt_ip(src, p, 0);
	pb_fmt_ip(dst, p, 1);
	if (ports)
		fprintf(o, "%s %s.%u > %s.%u: ", pb_l3_label(p), src, p->sport, dst, p->dport);
	else
		fprintf(o, "%s %s > %s: ", pb_l3_label(p), src, dst);
	print_l4(o, p);
}

static void print_arp(FILE *o, const struct pb_frame *f, const struct pb_pkt *p)
{
	char spa[PB_ADDR_STRLEN], tpa[PB_ADDR_STRLEN], sha[PB_ADDR_STRLEN];
	struct pb_bytes b = pb_frame_reader(f);
	const __u8 *body = pb_b_ptr(&b, p->l3_off + sizeof(struct pb_arp),
				    sizeof(struct pb_arp_eth_ipv4));

	if (!(p->flags & PB_PKT_ARP_ADDRS) || !body) {
		fprintf(o, "ARP op %u", p->arp_op);
		return;
	}
	pb_fmt_ip(spa, p, 0);
	pb_fmt_ip(tpa, p, 1);
	pb_fmt_mac(sha, body);
	if (p->arp_op == 1)
		fprintf(o, "ARP who-has %s tell %s", tpa, spa);
	else if (p->arp_op == 2)
		fprintf(o, "ARP reply %s is-at %s", spa, sha);
	else
		fprintf(o, "ARP op %u %s > %s", p->arp_op, spa, tpa);
}

static void print_line(FILE *o, const struct pb_frame *f, const struct pb_pkt *p)
{
	int i;

	print_time(o, f->ts_ns);
	if (f->dir != PB_FRAME_NO_DIR)
		fputs(f->dir == PB_DIR_EGRESS ? "out " : "in ", o);
	for (i = 0; i < p->vlan_depth; i++)
		fprintf(o, i ? ",%u" : "vlan %u", p->vlan_id[i]);
	if (p->vlan_depth)
		fputc(' ', o);
	if (p->l3_proto == PB_ETH_P_ARP && !p->malformed)
		print_arp(o, f, p);
	else if (p->flags & PB_PKT_IP)
		print_ip(o, p);
	else if (pb_l3_label(p))
		fputs(pb_l3_label(p), o);
	else if (p->l3_proto)
		fprintf(o, "ethertype 0x%04x", p->l3_proto);
	else
		fputs(link_label(f->linktype), o);
	fprintf(o, ", length %u", f->len);
	if (p->malformed && p->malformed < PB_MAL_MAX)
		fprintf(o, " [malformed: %s]", pb_malformed_names[p->malformed]);
	if (p->flags & PB_PKT_CAPTURE_CUT)
		fputs(" [cut by capture]", o);
	fputc('\n', o);
}

/* The link-layer header, if the link type has one. */
static void link_layer(struct layers *ls, const struct pb_frame *f)
{
	char a[PB_ADDR_STRLEN], b[PB_ADDR_STRLEN];
	unsigned int hlen = pb_linktype_hdr_len(f->linktype);
	struct pb_bytes r = pb_frame_reader(f);
	const __u8 *h = pb_b_ptr(&r, 0, hlen);
	struct layer *l;

	if (!h || !hlen)
		return;
	l = add_layer(ls, link_label(f->linktype), 0, hlen);
	switch (f->linktype) {
	case DLT_EN10MB:
		pb_fmt_mac(a, h);
		pb_fmt_mac(b, h + 6);
		say(l, "dst %s, src %s, type 0x%04x", a, b, pb_b_get16(&r, 12));
		break;
	case DLT_LINUX_SLL:
		say(l, "packet type %u, link type %u, address length %u, protocol 0x%04x",
		    pb_b_get16(&r, 0), pb_b_get16(&r, 2), pb_b_get16(&r, 4), pb_b_get16(&r, 14));
		break;
	case DLT_LINUX_SLL2:
		say(l, "protocol 0x%04x, interface %u, link type %u, packet type %u, "
		       "address length %u",
		    pb_b_get16(&r, 0), pb_b_get32(&r, 4), pb_b_get16(&r, 8), pb_b_get8(&r, 10),
		    pb_b_get8(&r, 11));
		break;
	default:
		say(l, "address family %u", pb_loopback_family(f->linktype, &r));
		break;
	}
	truncated(l, &r);
}

static void vlan_layers(struct layers *ls, const struct pb_frame *f, const struct pb_pkt *p)
{
	struct pb_bytes b = pb_frame_reader(f);
	int i;

	for (i = 0; i < p->vlan_depth; i++) {
		__u32 t = 14 + 4 * i;
		struct layer *l;
		__u8 tci0;

		if (!pb_b_has(&b, t, 4))
			return;
		/* IEEE 802.1Q: TCI = priority (3) | drop eligible (1) | VLAN id (12) */
		tci0 = pb_b_get8(&b, t);
		l = add_layer(ls, "vlan", t, 4);
		say(l, "tpid 0x%04x, priority %u, dei %u, id %u, type 0x%04x",
		    pb_vlan_tpid(f, i), tci0 >> 5, (tci0 >> 4) & 1, p->vlan_id[i],
		    pb_b_get16(&b, t + 2));
	}
}

static void ipv4_layer(struct layers *ls, const struct pb_frame *f, const struct pb_pkt *p)
{
	struct pb_bytes b = pb_frame_reader(f);
	char s[PB_ADDR_STRLEN], d[PB_ADDR_STRLEN], flags[24] = "";
	unsigned int ihl, frag, h = p->l3_off, vihl;
	struct layer *l;

	if (!pb_b_has(&b, h, sizeof(struct pb_ipv4)))
		return;
	/* RFC 791 */
	vihl = pb_b_get8(&b, h);
	ihl = (vihl & 0x0f) * 4;
	frag = pb_b_get16(&b, h + 6);
	if (frag & 0x8000)
		strcat(flags, " reserved");
	if (frag & 0x4000)
		strcat(flags, " DF");
	if (frag & PB_IP_MF)
		strcat(flags, " MF");
	pb_fmt_ip(s, p, 0);
	pb_fmt_ip(d, p, 1);
	l = add_layer(ls, "ipv4", p->l3_off, ihl);
	say(l, "version %u, ihl %u (%u bytes), tos 0x%02x, total length %u, id 0x%04x, "
	       "flags%s, fragment offset %u, ttl %u, protocol %u, checksum 0x%04x, %s > %s",
	    vihl >> 4, vihl & 0x0f, ihl, pb_b_get8(&b, h + 1), pb_b_get16(&b, h + 2),
	    pb_b_get16(&b, h + 4), flags[0] ? flags : " none", (frag & PB_IP_OFFMASK) * 8,
	    pb_b_get8(&b, h + 8), pb_b_get8(&b, h + 9), pb_b_get16(&b, h + 10), s, d);
	if (ihl > sizeof(struct pb_ipv4))
		say(l, ", options %u bytes", ihl - (unsigned int)sizeof(struct pb_ipv4));
}

static void ipv6_layer(struct layers *ls, const struct pb_frame *f, const struct pb_pkt *p)
{
	struct pb_bytes b = pb_frame_reader(f);
	char s[PB_ADDR_STRLEN], d[PB_ADDR_STRLEN];
	__u32 vtf, h = p->l3_off, ext_off = p->l3_off + sizeof(struct pb_ipv6);
	struct layer *l;

	if (!pb_b_has(&b, h, sizeof(struct pb_ipv6)))
		return;
	/* RFC 8200 */
	vtf = pb_b_get32(&b, h);
	pb_fmt_ip(s, p, 0);
	pb_fmt_ip(d, p, 1);
	l = add_layer(ls, "ipv6", p->l3_off, sizeof(struct pb_ipv6));
	say(l, "version %u, traffic class 0x%02x, flow label 0x%05x, payload length %u, "
	       "next header %u, hop limit %u, %s > %s",
	    vtf >> 28, (vtf >> 20) & 0xff, vtf & 0xfffff, pb_b_get16(&b, h + 4),
	    pb_b_get8(&b, h + 6), pb_b_get8(&b, h + 7), s, d);
	if (p->flags & PB_PKT_L4_PRESENT && p->l4_off > ext_off) {
		l = add_layer(ls, "ipv6 ext", ext_off, p->l4_off - ext_off);
		say(l, "extension headers, %u bytes, then protocol %u", p->l4_off - ext_off,
		    p->l4_proto);
	}
}

static void arp_layer(struct layers *ls, const struct pb_frame *f, const struct pb_pkt *p)
{
	struct pb_bytes r = pb_frame_reader(f);
	__u32 h = p->l3_off;
	const __u8 *b = pb_b_ptr(&r, h + sizeof(struct pb_arp), sizeof(struct pb_arp_eth_ipv4));
	char sha[PB_ADDR_STRLEN], tha[PB_ADDR_STRLEN], spa[PB_ADDR_STRLEN], tpa[PB_ADDR_STRLEN];
	const char *op = pb_name_of(&pb_arp_op_names, p->arp_op);
	int addrs = p->flags & PB_PKT_ARP_ADDRS && b;
	struct layer *l;

	if (!pb_b_has(&r, h, sizeof(struct pb_arp)))
		return;
	/* RFC 826 */
	l = add_layer(ls, "arp", p->l3_off,
		      sizeof(struct pb_arp) + (addrs ? sizeof(struct pb_arp_eth_ipv4) : 0));
	say(l, "hardware type %u, protocol type 0x%04x, hardware size %u, protocol size %u, "
	       "opcode %u%s%s%s",
	    pb_b_get16(&r, h), pb_b_get16(&r, h + 2), pb_b_get8(&r, h + 4), pb_b_get8(&r, h + 5),
	    p->arp_op, op ? " (" : "", op ? op : "", op ? ")" : "");
	if (!addrs)
		return;
	pb_fmt_mac(sha, b);
	pb_fmt_mac(tha, b + 10);
	pb_fmt_ip(spa, p, 0);
	pb_fmt_ip(tpa, p, 1);
	say(l, ", sender %s %s, target %s %s", sha, spa, tha, tpa);
}

static void l4_layer(struct layers *ls, const struct pb_frame *f, const struct pb_pkt *p)
{
	struct pb_bytes b = pb_frame_reader(f);
	__u32 h = p->l4_off;
	const char *name;
	struct layer *l;
	char flags[16];
	unsigned int hlen;
	__u8 doff, fl;

	if (p->flags & PB_PKT_FRAG_LATER)
		return;
	if (pb_pkt_has_ports(p) && p->l4_proto == PB_IPPROTO_TCP) {
		/* RFC 9293 */
		doff = pb_b_get8(&b, h + 12);
		fl = pb_b_get8(&b, h + 13);
		hlen = (doff >> 4) * 4;
		pb_fmt_tcp_flags(flags, fl);
		l = add_layer(ls, "tcp", h, hlen);
		say(l, "ports %u > %u, seq %u, ack %u, data offset %u (%u bytes), flags 0x%03x [%s], "
		       "window %u, checksum 0x%04x, urgent %u",
		    p->sport, p->dport, pb_b_get32(&b, h + 4), pb_b_get32(&b, h + 8), doff >> 4,
		    hlen, (doff & 0x0f) << 8 | fl, flags, pb_b_get16(&b, h + 14),
		    pb_b_get16(&b, h + 16), pb_b_get16(&b, h + 18));
		if (hlen > sizeof(struct pb_tcp))
			say(l, ", options %u bytes", hlen - (unsigned int)sizeof(struct pb_tcp));
	} else if (pb_pkt_has_ports(p)) {
		/* RFC 768 */
		l = add_layer(ls, "udp", h, sizeof(struct pb_udp));
		say(l, "ports %u > %u, length %u, checksum 0x%04x", p->sport, p->dport,
		    pb_b_get16(&b, h + 4), pb_b_get16(&b, h + 6));
	} else if (pb_pkt_has_icmp(p)) {
		name = pb_name_of(pb_icmp_type_table(p->l4_proto), p->icmp_type);
		l = add_layer(ls, p->l4_proto == PB_IPPROTO_ICMP ? "icmp" : "icmpv6", h,
			      sizeof(struct pb_icmp));
		say(l, "type %u%s%s%s, code %u, checksum 0x%04x, rest 0x%08x", p->icmp_type,
		    name ? " (" : "", name ? name : "", name ? ")" : "", p->icmp_code,
		    pb_b_get16(&b, h + 2), pb_b_get32(&b, h + 4));
	} else {
		return;
	}
	truncated(l, &b);
}

static void build_layers(struct layers *ls, const struct pb_frame *f, const struct pb_pkt *p)
{
	const char *rest = "data";
	__u32 end = 0, stop;
	struct layer *l;
	int i;

	ls->n = 0;
	link_layer(ls, f);
	vlan_layers(ls, f, p);
	if (p->flags & PB_PKT_IP && p->l3_proto == PB_ETH_P_IPV4)
		ipv4_layer(ls, f, p);
	else if (p->flags & PB_PKT_IP)
		ipv6_layer(ls, f, p);
	else if (p->l3_proto == PB_ETH_P_ARP)
		arp_layer(ls, f, p);
	if (p->flags & PB_PKT_IP)
		l4_layer(ls, f, p);
	for (i = 0; i < ls->n; i++)
		if (ls->l[i].off + ls->l[i].len > end)
			end = ls->l[i].off + ls->l[i].len;
	if (p->flags & PB_PKT_IP && !p->malformed) {
		/* The parser checked the IP length against the frame: what is past
		 * it is the link's trailer (Ethernet pads to 60 bytes). */
		stop = p->l3_end;
		if (stop > end) {
			l = add_layer(ls, "payload", end, stop - end);
			say(l, "%u bytes", stop - end);
			end = stop;
		}
		rest = "trailer";
	} else if (p->flags & PB_PKT_ARP_ADDRS) {
		rest = "trailer";
	}
	if (end < f->caplen) {
		l = add_layer(ls, rest, end, f->caplen - end);
		say(l, "%u bytes", f->caplen - end);
	}
	if (f->len > f->caplen) {
		l = add_layer(ls, "not captured", f->caplen, 0);
		say(l, "%u more bytes on the wire", f->len - f->caplen);
	}
}

static void print_hex_layer(FILE *o, const struct pb_frame *f, const struct layer *l)
{
	struct pb_bytes b = pb_frame_reader(f);
	__u32 have = l->off < f->caplen ? f->caplen - l->off : 0;
	__u32 n = l->len < have ? l->len : have;
	__u32 row, i;

	if (!n) {
		fprintf(o, "    %04x  %-*s  %s: %s\n", l->off, HEX_PER_ROW * 3 - 1, "", l->name,
			l->text);
		return;
	}
	for (row = 0; row < n; row += HEX_PER_ROW) {
		int col = 0;

		fprintf(o, "    %04x  ", l->off + row);
		for (i = row; i < n && i < row + HEX_PER_ROW; i++)
			col += fprintf(o, i > row ? " %02x" : "%02x", pb_b_get8(&b, l->off + i));
		if (row)
			fputc('\n', o);
		else
			fprintf(o, "%*s  %s: %s\n", HEX_PER_ROW * 3 - 1 - col, "", l->name, l->text);
	}
}

void pb_print_pkt(FILE *out, const struct pb_frame *f, const struct pb_pkt *p,
		  enum pb_print_detail detail)
{
	struct layers ls;
	int i;

	print_line(out, f, p);
	if (detail == PB_PRINT_LINE)
		return;
	build_layers(&ls, f, p);
	for (i = 0; i < ls.n; i++) {
		if (detail == PB_PRINT_HEX)
			print_hex_layer(out, f, &ls.l[i]);
		else
			fprintf(out, "    %-12s %s\n", ls.l[i].name, ls.l[i].text);
	}
}
