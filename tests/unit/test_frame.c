// SPDX-License-Identifier: BSD-2-Clause
/*
 * Link-layer headers of capture files onto the shared parser (user/dissect/frame.c),
 * and the one-line form of a packet (user/dissect/print_pkt.c): crafted frames with
 * their expected outcome written out by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <pcap/dlt.h>

#include "frame.h"
#include "print_pkt.h"

/* IPv4/UDP 10.7.0.1:4000 > 10.7.0.2:53, 28 bytes (RFC 791, RFC 768). */
static const __u8 ip4_udp[] = {
	0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0, 10, 7, 0, 1, 10, 7, 0, 2,
	0x0f, 0xa0, 0x00, 0x35, 0, 8, 0, 0,
};

static struct pb_frame frame_of(int linktype, const __u8 *hdr, size_t hlen, __u8 *buf,
				size_t l3len)
{
	struct pb_frame f = { .data = buf, .linktype = linktype, .dir = PB_FRAME_NO_DIR };

	if (hlen)
		memcpy(buf, hdr, hlen);
	memcpy(buf + hlen, ip4_udp, l3len);
	f.caplen = f.len = hlen + l3len;
	return f;
}

static void expect_udp_at(const struct pb_pkt *p, __u16 l3_off)
{
	assert_int_equal(p->l3_proto, 0x0800);
	assert_int_equal(p->l3_off, l3_off);
	assert_int_equal(p->l4_proto, 17);
	assert_int_equal(p->sport, 4000);
	assert_int_equal(p->dport, 53);
	assert_int_equal(p->malformed, PB_MAL_NONE);
	assert_true(p->flags & PB_PKT_L4);
}

static void link_headers_lead_to_the_network_header(void **state)
{
	static const struct {
		int linktype;
		__u8 hdr[20];
		size_t hlen;
	} cases[] = {
		{ DLT_LINUX_SLL, { [14] = 0x08, 0x00 }, 16 },
		{ DLT_LINUX_SLL2, { 0x08, 0x00 }, 20 },
		{ DLT_NULL, { 2, 0, 0, 0 }, 4 }, /* AF_INET, little-endian writer */
		{ DLT_NULL, { 0, 0, 0, 2 }, 4 }, /* AF_INET, big-endian writer */
		{ DLT_LOOP, { 0, 0, 0, 2 }, 4 },
		{ DLT_RAW, { 0 }, 0 },
		{ DLT_IPV4, { 0 }, 0 },
	};
	__u8 buf[64];
	size_t i;

	(void)state;
	for (i = 0; i < PB_ARRAY_SIZE(cases); i++) {
		struct pb_frame f = frame_of(cases[i].linktype, cases[i].hdr, cases[i].hlen, buf,
					     sizeof(ip4_udp));
		struct pb_pkt p;

		pb_frame_parse(&f, &p);
		expect_udp_at(&p, cases[i].hlen);
	}
}

static void short_link_header_is_l2_truncated_or_cut(void **state)
{
	static const __u8 sll[16] = { [14] = 0x08, 0x00 };
	struct pb_frame f;
	struct pb_pkt p;
	__u8 buf[64];

	(void)state;
	f = frame_of(DLT_LINUX_SLL, sll, 16, buf, 0);
	f.caplen = f.len = 10; /* sent that short: the sender's fault */
	pb_frame_parse(&f, &p);
	assert_int_equal(p.malformed, PB_MAL_L2_TRUNCATED);
	f.len = 100; /* cut by the capture: not malformed */
	pb_frame_parse(&f, &p);
	assert_int_equal(p.malformed, PB_MAL_NONE);
	assert_true(p.flags & PB_PKT_CAPTURE_CUT);
}

static void loopback_unknown_family_has_no_network_layer(void **state)
{
	static const __u8 hdr[4] = { 7, 0, 0, 0 }; /* AF_UNIX: not IP */
	struct pb_frame f;
	struct pb_pkt p;
	__u8 buf[64];

	(void)state;
	f = frame_of(DLT_NULL, hdr, 4, buf, sizeof(ip4_udp));
	pb_frame_parse(&f, &p);
	assert_int_equal(p.l3_proto, 0);
	assert_false(p.flags & PB_PKT_IP);
}

static void raw_ip_bad_version_is_malformed_ipv4(void **state)
{
	__u8 buf[64];
	struct pb_frame f = frame_of(DLT_RAW, NULL, 0, buf, sizeof(ip4_udp));
	struct pb_pkt p;

	(void)state;
	buf[0] = 0x55; /* version 5 */
	pb_frame_parse(&f, &p);
	assert_int_equal(p.malformed, PB_MAL_IPV4_BAD_VERSION);
}

static void cooked_capture_knows_direction(void **state)
{
	__u8 out[16] = { 0, 4 }, in[16] = { 0, 0 };

	(void)state;
	assert_int_equal(pb_frame_link_dir(DLT_LINUX_SLL, out, 16), PB_DIR_EGRESS);
	assert_int_equal(pb_frame_link_dir(DLT_LINUX_SLL, in, 16), PB_DIR_INGRESS);
	assert_int_equal(pb_frame_link_dir(DLT_LINUX_SLL, out, 15), PB_FRAME_NO_DIR);
	assert_int_equal(pb_frame_link_dir(DLT_EN10MB, out, 16), PB_FRAME_NO_DIR);
}

/* Print frame f with the shared parser's view of it, as one line. */
static char *line_of(const struct pb_frame *f)
{
	char *text = NULL;
	size_t len = 0;
	struct pb_pkt p;
	FILE *out;

	pb_frame_parse(f, &p);
	out = open_memstream(&text, &len);
	assert_non_null(out);
	pb_print_pkt(out, f, &p, PB_PRINT_LINE);
	fclose(out);
	return text;
}

static void ports_past_the_ip_length_are_not_shown(void **state)
{
	/* IPv4 total length 20: the TCP header after it is junk past the packet,
	 * even though it was captured (RFC 791: total length bounds the packet). */
	__u8 buf[64] = { 0x45, 0, 0, 20, 0, 1, 0, 0, 64, 6, 0, 0, 10, 7, 0, 1, 10, 7, 0, 2,
			 0x0f, 0xa0, 0x00, 0x50, [32] = 0x50, 0x02 };
	struct pb_frame f = { .data = buf, .caplen = 40, .len = 40, .linktype = DLT_RAW,
			      .dir = PB_FRAME_NO_DIR };
	char *text;

	(void)state;
	setenv("TZ", "UTC", 1);
	text = line_of(&f);
	assert_string_equal(text, "00:00:00.000000 IP 10.7.0.1 > 10.7.0.2: ip-proto 6, length 40 "
				  "[malformed: tcp_truncated]\n");
	free(text);
}

static void one_line_per_packet(void **state)
{
	static const __u8 sll[16] = { 0, 4, [14] = 0x08, 0x00 };
	struct pb_frame f;
	__u8 buf[64];
	char *text;

	(void)state;
	setenv("TZ", "UTC", 1);
	f = frame_of(DLT_LINUX_SLL, sll, 16, buf, sizeof(ip4_udp));
	f.dir = pb_frame_link_dir(f.linktype, f.data, f.caplen);
	f.ts_ns = 1700000000123456789ull; /* 2023-11-14 22:13:20.123456789 UTC */
	text = line_of(&f);
	assert_string_equal(text, "22:13:20.123456 out IP 10.7.0.1.4000 > 10.7.0.2.53: UDP, length 44\n");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(link_headers_lead_to_the_network_header),
		cmocka_unit_test(short_link_header_is_l2_truncated_or_cut),
		cmocka_unit_test(loopback_unknown_family_has_no_network_layer),
		cmocka_unit_test(raw_ip_bad_version_is_malformed_ipv4),
		cmocka_unit_test(cooked_capture_knows_direction),
		cmocka_unit_test(one_line_per_packet),
		cmocka_unit_test(ports_past_the_ip_length_are_not_shown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
