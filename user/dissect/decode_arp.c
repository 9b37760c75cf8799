// SPDX-License-Identifier: BSD-2-Clause
/*
 * ARP (RFC 826): operation, and for Ethernet/IPv4 the sender's and target's
 * hardware and protocol addresses. A request whose sender and target
 * protocol addresses are equal is a gratuitous ARP (RFC 5227 section 3).
 */
#include "bytes.h"
#include "decode.h"
#include "names.h"

#include <string.h>

json_t *pb_decode_arp(const uint8_t *data, size_t len)
{
	struct pb_bytes b = pb_bytes(data, len);
	uint16_t htype, ptype, op;
	uint8_t hlen, plen, sha[6], spa[4], tha[6], tpa[4];
	const char *name;
	json_t *o;

	if (!pb_b_u16(&b, &htype) || !pb_b_u16(&b, &ptype) || !pb_b_u8(&b, &hlen) ||
	    !pb_b_u8(&b, &plen) || !pb_b_u16(&b, &op))
		return NULL;
	name = pb_name_of(&pb_arp_op_names, op);
	o = json_pack("{s:s,s:i}", "operation", name ? name : "?", "opcode", op);
	if (htype != 1 || ptype != PB_ETH_P_IPV4 || hlen != 6 || plen != 4) {
		json_object_set_new(o, "hardware_type", json_integer(htype));
		json_object_set_new(o, "protocol_type", json_integer(ptype));
		return o;
	}
	if (pb_b_copy(&b, sha, 6) && pb_b_copy(&b, spa, 4) && pb_b_copy(&b, tha, 6) &&
	    pb_b_copy(&b, tpa, 4)) {
		json_object_set_new(o, "sender_mac", pb_json_mac(sha));
		json_object_set_new(o, "sender_ip", pb_json_ipv4(spa));
		json_object_set_new(o, "target_mac", pb_json_mac(tha));
		json_object_set_new(o, "target_ip", pb_json_ipv4(tpa));
		if (!memcmp(spa, tpa, 4))
			json_object_set_new(o, "gratuitous", json_true());
	} else {
		json_object_set_new(o, "truncated", json_true());
	}
	return o;
}
