// SPDX-License-Identifier: BSD-2-Clause
/*
 * ICMP (RFC 792) and ICMPv6 (RFC 4443, neighbor discovery RFC 4861):
 * type and code by name, echo identifier and sequence, and for error
 * messages the header of the packet they quote, parsed by the same parser
 * as every other packet (include/pb_parse.h).
 *
 *   type(1) | code(1) | checksum(2) | rest of header(4) | data
 */
#include "bytes.h"
#include "decode.h"
#include "names.h"
#include "pb_icmp.h"

#include <string.h>

static bool is_echo(uint8_t t, bool v6)
{
	return v6 ? t == 128 || t == 129 : t == 0 || t == 8 || t == 13 || t == 14;
}

/* The IP header (and ports) of the packet an error message quotes. */
static json_t *quoted(const uint8_t *q, size_t n, bool v6)
{
	struct pb_bytes b = pb_bytes(q, n);
	struct pb_pkt p;
	const char *name;
	char buf[16];
	json_t *o;
	uint16_t sport = 0, dport = 0;

	memset(&p, 0, sizeof(p));
	/* The quote is cut by design (RFC 792: 64 bits of data); judge lengths
	 * against what the quoted header claims, not against the quote. */
	pb_parse_l3(q, q, q + n, 0xffff + 40, v6 ? PB_ETH_P_IPV6 : PB_ETH_P_IPV4, &p);
	if (!(p.flags & PB_PKT_IP))
		return json_pack("{s:b}", "truncated", 1);
	o = json_object();
	json_object_set_new(o, "src", v6 ? pb_json_ipv6((const uint8_t *)p.saddr)
					 : pb_json_ipv4((const uint8_t *)p.saddr));
	json_object_set_new(o, "dst", v6 ? pb_json_ipv6((const uint8_t *)p.daddr)
					 : pb_json_ipv4((const uint8_t *)p.daddr));
	name = pb_name_of(&pb_ip_proto_names, p.l4_proto);
	snprintf(buf, sizeof(buf), "%u", p.l4_proto);
	json_object_set_new(o, "protocol", json_string(name ? name : buf));
	json_object_set_new(o, "ttl", json_integer(p.ttl));
	if ((p.flags & PB_PKT_L4_PRESENT) &&
	    (p.l4_proto == PB_IPPROTO_TCP || p.l4_proto == PB_IPPROTO_UDP)) {
		b.off = p.l4_off;
		if (pb_b_u16(&b, &sport) && pb_b_u16(&b, &dport)) {
			json_object_set_new(o, "src_port", json_integer(sport));
			json_object_set_new(o, "dst_port", json_integer(dport));
		}
		/* Some routers quote the whole packet (RFC 1812 4.3.2.3): a DNS
		 * message in it says which query failed. */
		if (p.l4_proto == PB_IPPROTO_UDP && (sport == 53 || dport == 53) &&
		    pb_b_skip(&b, 4) && pb_b_left(&b)) {
			json_t *dns = pb_decode_dns(pb_b_ptr(&b, b.off, pb_b_left(&b)),
						    pb_b_left(&b), false);

			if (dns)
				json_object_set_new(o, "dns", dns);
		}
	}
	return o;
}

json_t *pb_decode_icmp(const uint8_t *data, size_t len, bool ipv6)
{
	struct pb_bytes b = pb_bytes(data, len);
	uint8_t type, code, addr[16];
	uint16_t id, seq;
	uint32_t rest;
	const char *name;
	json_t *o;

	if (!pb_b_u8(&b, &type) || !pb_b_u8(&b, &code) || !pb_b_skip(&b, 2))
		return NULL;
	name = pb_name_of(pb_icmp_type_table(ipv6 ? PB_IPPROTO_ICMPV6 : PB_IPPROTO_ICMP), type);
	o = json_pack("{s:i,s:i}", "type", type, "code", code);
	if (name)
		json_object_set_new(o, "name", json_string(name));
	if (is_echo(type, ipv6)) {
		if (pb_b_u16(&b, &id) && pb_b_u16(&b, &seq)) {
			json_object_set_new(o, "id", json_integer(id));
			json_object_set_new(o, "seq", json_integer(seq));
		}
	} else if (pb_icmp_is_error(ipv6 ? PB_IPPROTO_ICMPV6 : PB_IPPROTO_ICMP, type)) {
		if (pb_b_u32(&b, &rest)) {
			if (ipv6 && type == 2)
				json_object_set_new(o, "mtu", json_integer(rest));
			else if (!ipv6 && type == 3 && code == 4)
				json_object_set_new(o, "mtu", json_integer(rest & 0xffff));
			else if (!ipv6 && type == 5) {
				uint8_t gw[4] = { rest >> 24, rest >> 16, rest >> 8, rest };

				json_object_set_new(o, "gateway", pb_json_ipv4(gw));
			}
			else if (type == (ipv6 ? 4 : 12))
				json_object_set_new(o, "pointer",
						    json_integer(ipv6 ? rest : rest >> 24));
			json_object_set_new(o, "quoted",
					    quoted(pb_b_ptr(&b, b.off, pb_b_left(&b)),
						   pb_b_left(&b), ipv6));
		}
	} else if (ipv6 && (type == 135 || type == 136 || type == 137)) {
		if (pb_b_skip(&b, 4) && pb_b_copy(&b, addr, 16))
			json_object_set_new(o, "target", pb_json_ipv6(addr));
	}
	if (b.truncated)
		json_object_set_new(o, "truncated", json_true());
	return o;
}
