// SPDX-License-Identifier: BSD-2-Clause
/* Which decoder a packet's payload goes to, and the decoded text form. */
#include "decode.h"
#include "bytes.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#define PORT_DNS 53
#define PORT_MDNS 5353
#define PORT_DHCP_SERVER 67
#define PORT_DHCP_CLIENT 68
#define PORT_DHCPV6_CLIENT 546 /* not decoded: here so it is not taken for BOOTP */

json_t *pb_json_text(const uint8_t *s, size_t n)
{
	char buf[1024];
	size_t i, o = 0;

	for (i = 0; i < n && o + 5 < sizeof(buf); i++) {
		if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '\\')
			buf[o++] = s[i];
		else
			o += snprintf(buf + o, sizeof(buf) - o, "\\x%02x", s[i]);
	}
	buf[o] = 0;
	return json_string(buf);
}

json_t *pb_json_ipv4(const uint8_t *a)
{
	char s[INET_ADDRSTRLEN];

	return json_string(inet_ntop(AF_INET, a, s, sizeof(s)));
}

json_t *pb_json_ipv6(const uint8_t *a)
{
	char s[INET6_ADDRSTRLEN];

	return json_string(inet_ntop(AF_INET6, a, s, sizeof(s)));
}

json_t *pb_json_mac(const uint8_t *a)
{
	char s[18];

	snprintf(s, sizeof(s), "%02x:%02x:%02x:%02x:%02x:%02x", a[0], a[1], a[2], a[3], a[4],
		 a[5]);
	return json_string(s);
}

static bool port_is(const struct pb_pkt *p, uint16_t port)
{
	return p->sport == port || p->dport == port;
}

const char *const pb_decoder_names[PB_DEC_MAX] = { "none", "dns", "dns", "http", "tls",
						   "dhcp", "arp", "icmp", "icmpv6" };

enum pb_decoder pb_decode_route(const uint8_t *frame, size_t cap_len, const struct pb_pkt *p,
				size_t *off, size_t *len)
{
	struct pb_bytes fb = pb_bytes(frame, cap_len), pl;
	size_t end;

	if (p->l3_proto == PB_ETH_P_ARP) {
		if (p->l3_off >= cap_len)
			return PB_DEC_NONE;
		*off = p->l3_off;
		*len = cap_len - p->l3_off;
		return PB_DEC_ARP;
	}
	if (!(p->flags & PB_PKT_IP) || !(p->flags & PB_PKT_L4_PRESENT) ||
	    (p->flags & PB_PKT_FRAG_LATER))
		return PB_DEC_NONE;
	/* The parser knows where the IP packet ends; the capture may end sooner. */
	end = p->l3_end < cap_len ? p->l3_end : cap_len;
	if (p->l4_proto == PB_IPPROTO_ICMP || p->l4_proto == PB_IPPROTO_ICMPV6) {
		if (p->l4_off >= end)
			return PB_DEC_NONE;
		*off = p->l4_off;
		*len = end - p->l4_off;
		return p->l4_proto == PB_IPPROTO_ICMP ? PB_DEC_ICMP : PB_DEC_ICMPV6;
	}
	if (!(p->flags & PB_PKT_L4) || p->payload_off >= end)
		return PB_DEC_NONE;
	*off = p->payload_off;
	*len = end - p->payload_off;
	pl = pb_bytes(pb_b_ptr(&fb, *off, *len), *len);
	if (p->l4_proto == PB_IPPROTO_UDP) {
		if (port_is(p, PORT_DNS) || port_is(p, PORT_MDNS))
			return PB_DEC_DNS;
		if ((port_is(p, PORT_DHCP_SERVER) || port_is(p, PORT_DHCP_CLIENT)) &&
		    !port_is(p, PORT_DHCPV6_CLIENT))
			return PB_DEC_DHCP;
		return PB_DEC_NONE;
	}
	if (p->l4_proto != PB_IPPROTO_TCP)
		return PB_DEC_NONE;
	if (port_is(p, PORT_DNS))
		return PB_DEC_DNS_TCP;
	/* TLS and HTTP by content: servers listen on any port. */
	if (*len >= 3 && pb_b_get8(&pl, 0) == 0x16 && pb_b_get8(&pl, 1) == 0x03)
		return PB_DEC_TLS;
	if (pb_http_looks_like(pl.p, pl.len))
		return PB_DEC_HTTP;
	return PB_DEC_NONE;
}

json_t *pb_decode_as(enum pb_decoder d, const uint8_t *data, size_t len)
{
	switch (d) {
	case PB_DEC_DNS:
		return pb_decode_dns(data, len, false);
	case PB_DEC_DNS_TCP:
		return pb_decode_dns(data, len, true);
	case PB_DEC_HTTP:
		return pb_decode_http(data, len);
	case PB_DEC_TLS:
		return pb_decode_tls(data, len);
	case PB_DEC_DHCP:
		return pb_decode_dhcp(data, len);
	case PB_DEC_ARP:
		return pb_decode_arp(data, len);
	case PB_DEC_ICMP:
		return pb_decode_icmp(data, len, false);
	case PB_DEC_ICMPV6:
		return pb_decode_icmp(data, len, true);
	default:
		return NULL;
	}
}

json_t *pb_decode(const uint8_t *frame, size_t cap_len, const struct pb_pkt *p)
{
	struct pb_bytes fb = pb_bytes(frame, cap_len);
	size_t off = 0, len = 0;
	enum pb_decoder d = pb_decode_route(frame, cap_len, p, &off, &len);
	json_t *fields = d == PB_DEC_NONE ? NULL : pb_decode_as(d, pb_b_ptr(&fb, off, len), len);

	return fields ? json_pack("{s:o}", pb_decoder_names[d], fields) : NULL;
}

static void print_scalar(FILE *f, const json_t *v)
{
	if (json_is_string(v))
		fputs(json_string_value(v), f);
	else if (json_is_integer(v))
		fprintf(f, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else if (json_is_true(v))
		fputs("yes", f);
	else if (json_is_false(v))
		fputs("no", f);
	else if (json_is_array(v)) {
		size_t i;
		json_t *e;

		json_array_foreach(v, i, e) {
			if (i)
				fputc(',', f);
			print_scalar(f, e);
		}
	} else if (json_is_object(v)) {
		const char *k;
		json_t *e;
		int first = 1;

		json_object_foreach((json_t *)v, k, e) {
			fprintf(f, "%s%s=", first ? "" : " ", k);
			print_scalar(f, e);
			first = 0;
		}
	}
}

static bool is_record_list(const json_t *v)
{
	return json_is_array(v) && json_array_size(v) && json_is_object(json_array_get(v, 0));
}

/* "name: k=v k=v" then one line per record of each list of records. */
static void print_object(FILE *f, const char *name, const json_t *o, const char *indent)
{
	const char *k;
	json_t *v;
	size_t i;

	fprintf(f, "%s%s:", indent, name);
	json_object_foreach((json_t *)o, k, v) {
		if (is_record_list(v) || (json_is_array(v) && !json_array_size(v)))
			continue;
		if (json_is_object(v)) {
			fprintf(f, " %s={", k);
			print_scalar(f, v);
			fputc('}', f);
			continue;
		}
		fprintf(f, " %s=", k);
		print_scalar(f, v);
	}
	fputc('\n', f);
	json_object_foreach((json_t *)o, k, v) {
		json_t *e;

		if (!is_record_list(v))
			continue;
		json_array_foreach(v, i, e) {
			fprintf(f, "%s  %s: ", indent, k);
			print_scalar(f, e);
			fputc('\n', f);
		}
	}
}

void pb_decoded_print(FILE *f, const json_t *decoded, const char *indent)
{
	const char *k;
	json_t *v;

	if (!decoded)
		return;
	json_object_foreach((json_t *)decoded, k, v)
		print_object(f, k, v, indent);
}
