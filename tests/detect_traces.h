/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Crafted traces for the detectors, shared by the userspace test (frames'
 * timestamps drive the windows) and the BPF program test (the kernel's clock
 * does; traces whose outcome depends on time are userspace-only there).
 *
 * Each trace: a configuration (low thresholds keep traces short), the frames,
 * and exactly the alerts they must raise, written by hand. Addresses are in
 * 10.0.0.0/8 and 2001:db8::/32.
 */
#ifndef DETECT_TRACES_H
#define DETECT_TRACES_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "detect_cfg.h"
#include "pb_alert.h"
#include "pb_abi.h"
#include "pb_hdr.h"

#define TR_MAX_FRAMES 64
#define TR_FRAME_LEN 128
#define TR_MAX_EXPECT 6

struct tr_frame {
	__u64 t_ms;
	__u32 len;
	__u8 data[TR_FRAME_LEN];
};

struct tr_expect {
	int type;
	const char *src;      /* source IP, or NULL when the alert has none */
	const char *src_mac;  /* checked when set */
	__u64 observed;
	__u64 suppressed;
	bool by_dst;
	bool check_detail;
	int detail;
	int l4; /* the alert's protocol, checked when set */
};

#define DETAIL(x) .check_detail = true, .detail = (x)

struct trace {
	const char *name;
	bool needs_clock; /* the outcome depends on the frames' timestamps */
	const char *settings[8]; /* "type.key=value" over the defaults */
	int n;
	struct tr_frame f[TR_MAX_FRAMES];
	int n_expect;
	struct tr_expect expect[TR_MAX_EXPECT];
};

#define TF_FIN 0x01
#define TF_SYN 0x02
#define TF_RST 0x04
#define TF_PSH 0x08
#define TF_ACK 0x10
#define TF_URG 0x20

static const __u8 tr_mac_a[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const __u8 tr_mac_b[6] = { 0x02, 0, 0, 0, 0, 0x0b };
static const __u8 tr_mac_c[6] = { 0x02, 0, 0, 0, 0, 0x0c };

static __u8 *tr_eth(__u8 *p, const __u8 *src, __u16 type)
{
	static const __u8 dst[6] = { 0x02, 0, 0, 0, 0, 0xff };

	memcpy(p, dst, 6);
	memcpy(p + 6, src, 6);
	p[12] = type >> 8;
	p[13] = type & 0xff;
	return p + 14;
}

static __u8 *tr_ipv4(__u8 *p, const char *src, const char *dst, __u8 proto, __u16 l4_len)
{
	struct pb_ipv4 ip = { .ver_ihl = 0x45, .tot_len = htons(20 + l4_len), .ttl = 64,
			      .protocol = proto };

	inet_pton(AF_INET, src, &ip.saddr);
	inet_pton(AF_INET, dst, &ip.daddr);
	memcpy(p, &ip, sizeof(ip));
	return p + sizeof(ip);
}

static __u8 *tr_ipv6(__u8 *p, const char *src, const char *dst, __u8 proto, __u16 l4_len)
{
	struct pb_ipv6 ip = { .ver_tc_flow = htonl(6u << 28), .payload_len = htons(l4_len),
			      .nexthdr = proto, .hop_limit = 64 };

	inet_pton(AF_INET6, src, ip.saddr);
	inet_pton(AF_INET6, dst, ip.daddr);
	memcpy(p, &ip, sizeof(ip));
	return p + sizeof(ip);
}

static struct tr_frame *tr_next(struct trace *t, __u64 t_ms)
{
	struct tr_frame *f = &t->f[t->n++];

	memset(f, 0, sizeof(*f));
	f->t_ms = t_ms;
	f->len = 60; /* the Ethernet minimum; the rest is padding */
	return f;
}

static void tr_tcp(struct trace *t, __u64 t_ms, const char *src, const char *dst, __u16 sport,
		   __u16 dport, __u8 flags)
{
	struct tr_frame *f = tr_next(t, t_ms);
	bool v6 = strchr(src, ':');
	__u8 *p = tr_eth(f->data, tr_mac_a, v6 ? PB_ETH_P_IPV6 : PB_ETH_P_IPV4);
	struct pb_tcp tcp = { .source = htons(sport), .dest = htons(dport), .doff_res = 5 << 4,
			      .flags = flags, .window = htons(1024) };

	p = v6 ? tr_ipv6(p, src, dst, PB_IPPROTO_TCP, 20) : tr_ipv4(p, src, dst, PB_IPPROTO_TCP, 20);
	memcpy(p, &tcp, sizeof(tcp));
	p += sizeof(tcp);
	if (p - f->data > 60)
		f->len = p - f->data;
}

static void tr_udp(struct trace *t, __u64 t_ms, const char *src, const char *dst, __u16 dport)
{
	struct tr_frame *f = tr_next(t, t_ms);
	__u8 *p = tr_eth(f->data, tr_mac_a, PB_ETH_P_IPV4);
	struct pb_udp udp = { .source = htons(40000), .dest = htons(dport), .len = htons(8) };

	p = tr_ipv4(p, src, dst, PB_IPPROTO_UDP, 8);
	memcpy(p, &udp, sizeof(udp));
}

static void tr_icmp(struct trace *t, __u64 t_ms, const char *src, const char *dst, __u8 type)
{
	struct tr_frame *f = tr_next(t, t_ms);
	__u8 *p = tr_eth(f->data, tr_mac_a, PB_ETH_P_IPV4);
	struct pb_icmp icmp = { .type = type };

	p = tr_ipv4(p, src, dst, PB_IPPROTO_ICMP, 8);
	memcpy(p, &icmp, sizeof(icmp));
}

/*
 * An ICMP error from `from` to `to` (type, code) quoting the UDP datagram
 * `to` sent to `from`'s port dport: ICMPv6 when the addresses are IPv6.
 */
static void tr_icmp_error(struct trace *t, __u64 t_ms, const char *from, const char *to,
			  __u8 type, __u8 code, __u16 dport)
{
	struct tr_frame *f = tr_next(t, t_ms);
	bool v6 = strchr(from, ':');
	__u16 quoted = (v6 ? 40 : 20) + 8;
	__u8 *p = tr_eth(f->data, tr_mac_b, v6 ? PB_ETH_P_IPV6 : PB_ETH_P_IPV4);
	struct pb_icmp icmp = { .type = type, .code = code };
	__u16 udp[4] = { htons(40000), htons(dport), htons(8), 0 };

	p = v6 ? tr_ipv6(p, from, to, PB_IPPROTO_ICMPV6, 8 + quoted) :
		 tr_ipv4(p, from, to, PB_IPPROTO_ICMP, 8 + quoted);
	memcpy(p, &icmp, sizeof(icmp));
	p += sizeof(icmp);
	p = v6 ? tr_ipv6(p, to, from, PB_IPPROTO_UDP, 8) : tr_ipv4(p, to, from, PB_IPPROTO_UDP, 8);
	memcpy(p, udp, sizeof(udp));
	p += sizeof(udp);
	if (p - f->data > f->len)
		f->len = p - f->data;
}

/* RFC 826 Ethernet/IPv4: op 1 request, 2 reply. */
static void tr_arp(struct trace *t, __u64 t_ms, __u16 op, const __u8 *sha, const char *spa,
		   const char *tpa)
{
	struct tr_frame *f = tr_next(t, t_ms);
	__u8 *p = tr_eth(f->data, sha, PB_ETH_P_ARP);
	struct pb_arp arp = { .htype = htons(1), .ptype = htons(PB_ETH_P_IPV4), .hlen = 6,
			      .plen = 4, .op = htons(op) };
	struct pb_arp_eth_ipv4 body = { 0 };

	memcpy(body.sha, sha, 6);
	inet_pton(AF_INET, spa, body.spa);
	inet_pton(AF_INET, tpa, body.tpa);
	memcpy(p, &arp, sizeof(arp));
	memcpy(p + sizeof(arp), &body, sizeof(body));
}

/* IPv4 header with IHL 3 (RFC 791: at least 5): no address can be trusted. */
static void tr_bad_ihl(struct trace *t, __u64 t_ms, const __u8 *mac)
{
	struct tr_frame *f = tr_next(t, t_ms);
	__u8 *p = tr_eth(f->data, mac, PB_ETH_P_IPV4);

	tr_ipv4(p, "10.66.0.1", "10.66.0.2", PB_IPPROTO_UDP, 8);
	p[0] = 0x43;
}

/* TCP with data offset 2 (RFC 9293: at least 5) behind a sound IPv4 header. */
static void tr_bad_doff(struct trace *t, __u64 t_ms, const char *src)
{
	struct tr_frame *f = tr_next(t, t_ms);
	__u8 *p = tr_eth(f->data, tr_mac_a, PB_ETH_P_IPV4);
	struct pb_tcp tcp = { .source = htons(1), .dest = htons(2), .doff_res = 2 << 4,
			      .flags = TF_SYN };

	p = tr_ipv4(p, src, "10.1.0.1", PB_IPPROTO_TCP, 20);
	memcpy(p, &tcp, sizeof(tcp));
}

#define EXPECT(t, ...) ((t)->expect[(t)->n_expect++] = (struct tr_expect){ __VA_ARGS__ })

/* A port scan of 6 ports raises one port_scan; a slower neighbour none. */
static void trace_port_scan(struct trace *t)
{
	int i;

	*t = (struct trace){ .name = "port_scan", .settings = { "port_scan.threshold=5" } };
	for (i = 1; i <= 8; i++)
		tr_tcp(t, i, "10.1.0.2", "10.1.0.1", 50000 + i, i, TF_SYN);
	for (i = 1; i <= 5; i++)
		tr_tcp(t, 10 + i, "10.1.0.3", "10.1.0.1", 50000 + i, 100 + i, TF_SYN);
	/* the 7th and 8th ports are repeats of the same trigger: suppressed */
	EXPECT(t, .type = PB_ALERT_PORT_SCAN, .src = "10.1.0.2", .observed = 6);
}

/* The same over IPv6. */
static void trace_port_scan6(struct trace *t)
{
	int i;

	*t = (struct trace){ .name = "port_scan_ipv6", .settings = { "port_scan.threshold=5" } };
	for (i = 1; i <= 6; i++)
		tr_tcp(t, i, "2001:db8::2", "2001:db8::1", 50000 + i, 1000 + i, TF_SYN);
	EXPECT(t, .type = PB_ALERT_PORT_SCAN, .src = "2001:db8::2", .observed = 6);
}

/* Ports that answer (SYN+ACK) are not scanned: a client's many connections. */
static void trace_port_scan_answered(struct trace *t)
{
	int i;

	*t = (struct trace){ .name = "port_scan_answered", .settings = { "port_scan.threshold=5" } };
	for (i = 1; i <= 12; i++) {
		tr_tcp(t, 2 * i, "10.1.0.2", "10.1.0.1", 50000 + i, 2000 + i, TF_SYN);
		tr_tcp(t, 2 * i + 1, "10.1.0.1", "10.1.0.2", 2000 + i, 50000 + i, TF_SYN | TF_ACK);
	}
}

/* 3 ports, the window ends, 3 more: never 6 in one window. */
static void trace_port_scan_window(struct trace *t)
{
	int i;

	*t = (struct trace){ .name = "port_scan_window", .needs_clock = true,
			     .settings = { "port_scan.threshold=5", "port_scan.window=10s" } };
	for (i = 1; i <= 3; i++)
		tr_tcp(t, i, "10.1.0.2", "10.1.0.1", 50000 + i, i, TF_SYN);
	for (i = 4; i <= 6; i++)
		tr_tcp(t, 10000 + i, "10.1.0.2", "10.1.0.1", 50000 + i, i, TF_SYN);
}

static void trace_host_sweep(struct trace *t)
{
	char dst[32];
	int i;

	*t = (struct trace){ .name = "host_sweep", .settings = { "host_sweep.threshold=5" } };
	for (i = 1; i <= 6; i++) {
		snprintf(dst, sizeof(dst), "10.2.0.%d", i);
		tr_tcp(t, i, "10.1.0.2", dst, 50000 + i, 22, TF_SYN);
	}
	for (i = 1; i <= 6; i++) {
		snprintf(dst, sizeof(dst), "10.3.0.%d", i);
		tr_icmp(t, 10 + i, "10.1.0.4", dst, 8);
	}
	EXPECT(t, .type = PB_ALERT_HOST_SWEEP, .src = "10.1.0.2", .observed = 6);
	EXPECT(t, .type = PB_ALERT_HOST_SWEEP, .src = "10.1.0.4", .observed = 6);
}

/* One source's SYNs, never completed: both the source and the victim cross. */
static void trace_syn_flood(struct trace *t)
{
	int i;

	*t = (struct trace){ .name = "syn_flood", .settings = { "syn_flood.threshold=10" } };
	for (i = 1; i <= 11; i++)
		tr_tcp(t, i, "10.1.0.2", "10.1.0.1", 40000 + i, 80, TF_SYN);
	EXPECT(t, .type = PB_ALERT_SYN_FLOOD, .src = "10.1.0.2", .observed = 11);
	EXPECT(t, .type = PB_ALERT_SYN_FLOOD, .src = "10.1.0.2", .observed = 11, .by_dst = true);
}

/* Spoofed sources: only the victim's count crosses. */
static void trace_syn_flood_spoofed(struct trace *t)
{
	char src[32];
	int i;

	*t = (struct trace){ .name = "syn_flood_spoofed", .settings = { "syn_flood.threshold=10" } };
	for (i = 1; i <= 11; i++) {
		snprintf(src, sizeof(src), "10.4.0.%d", i);
		tr_tcp(t, i, src, "10.1.0.1", 40000 + i, 80, TF_SYN);
	}
	EXPECT(t, .type = PB_ALERT_SYN_FLOOD, .src = "10.4.0.11", .observed = 11, .by_dst = true);
}

/* Completed handshakes cancel their SYNs. */
static void trace_syn_completed(struct trace *t)
{
	int i;

	*t = (struct trace){ .name = "syn_completed", .settings = { "syn_flood.threshold=10" } };
	for (i = 1; i <= 15; i++) {
		tr_tcp(t, 3 * i, "10.1.0.2", "10.1.0.1", 40000 + i, 80, TF_SYN);
		tr_tcp(t, 3 * i + 1, "10.1.0.1", "10.1.0.2", 80, 40000 + i, TF_SYN | TF_ACK);
		tr_tcp(t, 3 * i + 2, "10.1.0.2", "10.1.0.1", 40000 + i, 80, TF_ACK);
	}
}

static void trace_icmp_flood(struct trace *t)
{
	int i;

	*t = (struct trace){ .name = "icmp_flood", .settings = { "icmp_flood.threshold=10" } };
	for (i = 1; i <= 12; i++)
		tr_icmp(t, i, "10.1.0.2", "10.1.0.1", 8);
	/* the victim's replies and errors are answers, however many */
	for (i = 1; i <= 12; i++)
		tr_icmp(t, 20 + i, "10.1.0.1", "10.1.0.2", i % 2 ? 0 : 3);
	EXPECT(t, .type = PB_ALERT_ICMP_FLOOD, .src = "10.1.0.2", .observed = 11);
}

static void trace_udp_flood(struct trace *t)
{
	int i;

	*t = (struct trace){ .name = "udp_flood", .settings = { "udp_flood.threshold=10" } };
	for (i = 1; i <= 11; i++)
		tr_udp(t, i, "10.1.0.2", "10.1.0.1", 53);
	EXPECT(t, .type = PB_ALERT_UDP_FLOOD, .src = "10.1.0.2", .observed = 11);
}

/* Threshold 48: batches of 3 (pb_det_defer), so the count goes 3, 6, ... 48, 51. */
static void trace_udp_flood_batched(struct trace *t)
{
	int i;

	*t = (struct trace){ .name = "udp_flood_batched", .settings = { "udp_flood.threshold=48" } };
	for (i = 1; i <= 51; i++)
		tr_udp(t, i, "10.1.0.2", "10.1.0.1", 53);
	EXPECT(t, .type = PB_ALERT_UDP_FLOOD, .src = "10.1.0.2", .observed = 51);
}

/* A batch waits at most window/16 (100 ms here): the 50th packet, 151 ms
 * after the 49th, brings both, though a batch would hold 3. */
static void trace_udp_flood_batch_age(struct trace *t)
{
	int i;

	*t = (struct trace){ .name = "udp_flood_batch_age",
			     .needs_clock = true,
			     .settings = { "udp_flood.threshold=48", "udp_flood.window=1600ms" } };
	for (i = 1; i <= 49; i++)
		tr_udp(t, i, "10.1.0.2", "10.1.0.1", 53);
	tr_udp(t, 200, "10.1.0.2", "10.1.0.1", 53);
	EXPECT(t, .type = PB_ALERT_UDP_FLOOD, .src = "10.1.0.2", .observed = 50);
}

/* A source with the same cache slot (pb_det_pend_index) as `of`, in out. */
static void tr_slot_rival(const char *of, char *out, size_t len)
{
	struct pb_det_host a = { .family = 4 }, b = { .family = 4 };
	int i;

	inet_pton(AF_INET, of, &a.addr[0]);
	for (i = 1; i < 65536; i++) {
		snprintf(out, len, "10.7.%d.%d", i >> 8, i & 0xff);
		inet_pton(AF_INET, out, &b.addr[0]);
		if (pb_det_pend_index(&a, PB_WIN_UDP_OUT) == pb_det_pend_index(&b, PB_WIN_UDP_OUT))
			return;
	}
	snprintf(out, len, "none");
}

/* Another source taking the slot counts the waiting packets: 2 + 16 batches of 3. */
static void trace_udp_flood_slot_taken(struct trace *t)
{
	static char rival[32];
	int i;

	*t = (struct trace){ .name = "udp_flood_slot_taken",
			     .settings = { "udp_flood.threshold=48" } };
	tr_slot_rival("10.1.0.2", rival, sizeof(rival));
	tr_udp(t, 1, "10.1.0.2", "10.1.0.1", 53);
	tr_udp(t, 2, "10.1.0.2", "10.1.0.1", 53);
	tr_udp(t, 3, rival, "10.1.0.1", 53);
	for (i = 1; i <= 48; i++)
		tr_udp(t, 3 + i, "10.1.0.2", "10.1.0.1", 53);
	EXPECT(t, .type = PB_ALERT_UDP_FLOOD, .src = "10.1.0.2", .observed = 50);
}

/* A UDP scan of 10.1.0.1's closed ports by 10.1.0.2, seen in the port
 * unreachable answers; a repeat of a port does not count again. */
static void trace_udp_port_scan(struct trace *t)
{
	int i;

	*t = (struct trace){ .name = "udp_port_scan", .settings = { "port_scan.threshold=5" } };
	for (i = 1; i <= 6; i++) {
		tr_icmp_error(t, i, "10.1.0.1", "10.1.0.2", 3, 3, 1000 + i);
		tr_icmp_error(t, i, "10.1.0.1", "10.1.0.2", 3, 3, 1000 + i);
	}
	EXPECT(t, .type = PB_ALERT_PORT_SCAN, .src = "10.1.0.2", .observed = 6,
	       .l4 = PB_IPPROTO_UDP);
}

static void trace_udp_port_scan6(struct trace *t)
{
	int i;

	*t = (struct trace){ .name = "udp_port_scan_ipv6", .settings = { "port_scan.threshold=5" } };
	for (i = 1; i <= 6; i++)
		tr_icmp_error(t, i, "2001:db8::1", "2001:db8::2", 1, 4, 1000 + i);
	EXPECT(t, .type = PB_ALERT_PORT_SCAN, .src = "2001:db8::2", .observed = 6,
	       .l4 = PB_IPPROTO_UDP);
}

/* traceroute: time exceeded from routers on the way, port unreachable from
 * the destination for its last probes: a few ports, no scan. Other
 * unreachable codes (host, protocol) quote ports too but do not count. */
static void trace_traceroute(struct trace *t)
{
	int i;

	*t = (struct trace){ .name = "traceroute", .settings = { "port_scan.threshold=5" } };
	for (i = 0; i < 12; i++)
		tr_icmp_error(t, i, i < 6 ? "10.2.0.1" : "10.3.0.1", "10.1.0.2", 11, 0, 33434 + i);
	for (i = 12; i < 15; i++)
		tr_icmp_error(t, i, "10.1.0.1", "10.1.0.2", 3, 3, 33434 + i);
	for (i = 15; i < 24; i++)
		tr_icmp_error(t, i, "10.1.0.1", "10.1.0.2", 3, i % 2 ? 1 : 2, 33434 + i);
}

/* One source per impossible combination, and one with only ordinary ones. */
static void trace_bad_flags(struct trace *t)
{
	static const __u8 ordinary[] = { TF_SYN, TF_SYN | TF_ACK, TF_ACK, TF_FIN | TF_ACK,
					 TF_RST, TF_RST | TF_ACK, TF_PSH | TF_ACK,
					 TF_SYN | 0x40 | 0x80 /* ECN setup */ };
	size_t i;

	*t = (struct trace){ .name = "tcp_bad_flags" };
	tr_tcp(t, 1, "10.5.0.1", "10.1.0.1", 1, 80, 0);
	tr_tcp(t, 2, "10.5.0.2", "10.1.0.1", 1, 80, TF_FIN | TF_PSH | TF_URG);
	tr_tcp(t, 3, "10.5.0.3", "10.1.0.1", 1, 80, TF_SYN | TF_FIN);
	tr_tcp(t, 4, "10.5.0.4", "10.1.0.1", 1, 80, TF_SYN | TF_RST);
	tr_tcp(t, 5, "10.5.0.5", "10.1.0.1", 1, 80, TF_FIN);
	tr_tcp(t, 6, "10.5.0.5", "10.1.0.1", 1, 80, TF_FIN); /* a repeat: suppressed */
	for (i = 0; i < sizeof(ordinary); i++)
		tr_tcp(t, 10 + i, "10.5.0.9", "10.1.0.1", 2, 80, ordinary[i]);
	EXPECT(t, .type = PB_ALERT_TCP_BAD_FLAGS, .src = "10.5.0.1", .observed = 1,
	       DETAIL(PB_BADF_NULL_SCAN));
	EXPECT(t, .type = PB_ALERT_TCP_BAD_FLAGS, .src = "10.5.0.2", .observed = 1,
	       DETAIL(PB_BADF_XMAS));
	EXPECT(t, .type = PB_ALERT_TCP_BAD_FLAGS, .src = "10.5.0.3", .observed = 1,
	       DETAIL(PB_BADF_SYN_FIN));
	EXPECT(t, .type = PB_ALERT_TCP_BAD_FLAGS, .src = "10.5.0.4", .observed = 1,
	       DETAIL(PB_BADF_SYN_RST));
	EXPECT(t, .type = PB_ALERT_TCP_BAD_FLAGS, .src = "10.5.0.5", .observed = 1,
	       DETAIL(PB_BADF_FIN_NO_ACK));
}

/* After the window the same source alerts again, with the repeats it had. */
static void trace_rate_limit(struct trace *t)
{
	*t = (struct trace){ .name = "rate_limit", .needs_clock = true,
			     .settings = { "tcp_bad_flags.window=10s" } };
	tr_tcp(t, 0, "10.5.0.1", "10.1.0.1", 1, 80, 0);
	tr_tcp(t, 5000, "10.5.0.1", "10.1.0.1", 1, 80, 0);
	tr_tcp(t, 9999, "10.5.0.1", "10.1.0.1", 1, 80, 0);
	tr_tcp(t, 10000, "10.5.0.1", "10.1.0.1", 1, 80, 0);
	EXPECT(t, .type = PB_ALERT_TCP_BAD_FLAGS, .src = "10.5.0.1", .observed = 1);
	EXPECT(t, .type = PB_ALERT_TCP_BAD_FLAGS, .src = "10.5.0.1", .observed = 1,
	       .suppressed = 2);
}

/* Learned from a reply, confirmed by a request, then claimed by another MAC. */
static void trace_arp_spoof(struct trace *t)
{
	*t = (struct trace){ .name = "arp_spoof" };
	tr_arp(t, 1, 2, tr_mac_a, "10.1.0.1", "10.1.0.2");
	tr_arp(t, 2, 1, tr_mac_a, "10.1.0.1", "10.1.0.3");
	tr_arp(t, 3, 1, tr_mac_c, "0.0.0.0", "10.1.0.1"); /* RFC 5227 probe: binds nothing */
	tr_arp(t, 4, 2, tr_mac_b, "10.1.0.1", "10.1.0.1"); /* gratuitous, other MAC */
	EXPECT(t, .type = PB_ALERT_ARP_SPOOF, .src = "10.1.0.1", .src_mac = "02:00:00:00:00:0b",
	       .observed = 1);
}

static void trace_denied(struct trace *t)
{
	*t = (struct trace){ .name = "denied_access",
			     .settings = { "denied_access.deny=tcp dst port 23 or "
					   "(udp port 161 and src net 10.9.0.0/16)" } };
	tr_tcp(t, 1, "10.1.0.2", "10.1.0.1", 40000, 23, TF_SYN);
	tr_tcp(t, 2, "10.1.0.1", "10.1.0.2", 23, 40000, TF_SYN | TF_ACK); /* src port 23 */
	tr_tcp(t, 3, "10.1.0.2", "10.1.0.1", 40001, 22, TF_SYN);
	tr_udp(t, 4, "10.9.1.1", "10.1.0.1", 161);
	tr_udp(t, 5, "10.8.1.1", "10.1.0.1", 161);
	EXPECT(t, .type = PB_ALERT_DENIED_ACCESS, .src = "10.1.0.2", .observed = 1, DETAIL(0));
	EXPECT(t, .type = PB_ALERT_DENIED_ACCESS, .src = "10.9.1.1", .observed = 1, DETAIL(1));
}

/* Malformed frames: by MAC when no address was read, by address when one was. */
static void trace_malformed(struct trace *t)
{
	int i;

	*t = (struct trace){ .name = "malformed_burst", .settings = { "malformed_burst.threshold=5" } };
	for (i = 1; i <= 6; i++)
		tr_bad_ihl(t, i, tr_mac_b);
	for (i = 1; i <= 6; i++)
		tr_bad_doff(t, 10 + i, "10.6.0.1");
	for (i = 1; i <= 5; i++)
		tr_bad_doff(t, 20 + i, "10.6.0.2");
	EXPECT(t, .type = PB_ALERT_MALFORMED_BURST, .src = NULL, .src_mac = "02:00:00:00:00:0b",
	       .observed = 6, DETAIL(PB_MAL_IPV4_BAD_IHL));
	EXPECT(t, .type = PB_ALERT_MALFORMED_BURST, .src = "10.6.0.1", .observed = 6,
	       DETAIL(PB_MAL_TCP_BAD_DATA_OFFSET));
}

static void (*const tr_all[])(struct trace *t) = {
	trace_port_scan,     trace_port_scan6, trace_port_scan_answered, trace_port_scan_window,
	trace_host_sweep,    trace_syn_flood,  trace_syn_flood_spoofed,  trace_syn_completed,
	trace_icmp_flood,    trace_udp_flood,  trace_udp_flood_batched,  trace_udp_flood_batch_age,
	trace_udp_flood_slot_taken,            trace_bad_flags,          trace_rate_limit,
	trace_udp_port_scan, trace_udp_port_scan6, trace_traceroute,
	trace_arp_spoof,     trace_denied,     trace_malformed,
};

#define TR_COUNT (sizeof(tr_all) / sizeof(tr_all[0]))

/* The trace's configuration: defaults, then its settings. 0 or -1. */
static int tr_config(const struct trace *t, struct pb_det_info *info)
{
	char type[32], key[32], why[256];
	int i;

	pb_det_defaults(info);
	for (i = 0; i < 8 && t->settings[i]; i++) {
		const char *s = t->settings[i], *dot = strchr(s, '.'), *eq = strchr(s, '=');

		snprintf(type, sizeof(type), "%.*s", (int)(dot - s), s);
		snprintf(key, sizeof(key), "%.*s", (int)(eq - dot - 1), dot + 1);
		if (pb_det_set(info, type, key, eq + 1, why, sizeof(why)))
			return -1;
	}
	return 0;
}

/* Does alert a match e? why says what differs. */
static bool tr_match(const struct pb_alert *a, const struct tr_expect *e, char *why, size_t len)
{
	char src[64] = "", mac[24] = "";

	if (a->family)
		inet_ntop(a->family == 6 ? AF_INET6 : AF_INET, a->saddr, src, sizeof(src));
	if (a->flags & PB_ALERT_HAS_MAC)
		snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", a->src_mac[0],
			 a->src_mac[1], a->src_mac[2], a->src_mac[3], a->src_mac[4], a->src_mac[5]);
	snprintf(why, len, "got %s from '%s' (%s) observed %llu suppressed %llu %s detail %u proto %u",
		 pb_alert_names[a->type], src, mac, (unsigned long long)a->observed,
		 (unsigned long long)a->suppressed, a->flags & PB_ALERT_BY_DST ? "by dst" : "by src",
		 a->detail, a->l4_proto);
	return a->type == e->type && !strcmp(src, e->src ? e->src : "") &&
	       (!e->src_mac || !strcmp(mac, e->src_mac)) && a->observed == e->observed &&
	       a->suppressed == e->suppressed && !!(a->flags & PB_ALERT_BY_DST) == e->by_dst &&
	       (!e->check_detail || a->detail == e->detail) && (!e->l4 || a->l4_proto == e->l4);
}

#endif /* DETECT_TRACES_H */
