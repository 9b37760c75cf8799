// SPDX-License-Identifier: BSD-2-Clause
/*
 * DHCP (RFC 2131 section 2, options RFC 2132) over BOOTP (RFC 951):
 *
 *   op htype hlen hops | xid(4) | secs flags | ciaddr | yiaddr | siaddr |
 *   giaddr | chaddr(16) | sname(64) | file(128) | magic 99.130.83.99 | options
 *
 * Shown: message type, transaction id, client MAC, the client's own
 * (ciaddr), offered (yiaddr) and requested (option 50) addresses, server id,
 * host name and lease time.
 */
#include "bytes.h"
#include "decode.h"
#include "names.h"

#define DHCP_MAGIC 0x63825363u
#define OPT_PAD 0
#define OPT_HOSTNAME 12
#define OPT_REQUESTED_IP 50
#define OPT_LEASE_TIME 51
#define OPT_MSG_TYPE 53
#define OPT_SERVER_ID 54
#define OPT_END 255

static bool zero4(const uint8_t *a)
{
	return !(a[0] | a[1] | a[2] | a[3]);
}

static void option(json_t *o, uint8_t code, struct pb_bytes vb)
{
	const uint8_t *v = pb_b_ptr(&vb, 0, vb.len);
	size_t n = vb.len;
	const char *name;

	switch (code) {
	case OPT_MSG_TYPE:
		if (n == 1) {
			name = pb_name_of(&pb_dhcp_msg_type_names, pb_b_get8(&vb, 0));
			json_object_set_new(o, "message_type", json_string(name ? name : "?"));
		}
		break;
	case OPT_REQUESTED_IP:
		if (n == 4)
			json_object_set_new(o, "requested_address", pb_json_ipv4(v));
		break;
	case OPT_SERVER_ID:
		if (n == 4)
			json_object_set_new(o, "server_id", pb_json_ipv4(v));
		break;
	case OPT_LEASE_TIME:
		if (n == 4)
			json_object_set_new(o, "lease_seconds", json_integer(pb_b_get32(&vb, 0)));
		break;
	case OPT_HOSTNAME:
		json_object_set_new(o, "hostname", pb_json_text(v, n));
		break;
	}
}

json_t *pb_decode_dhcp(const uint8_t *data, size_t len)
{
	struct pb_bytes b = pb_bytes(data, len);
	uint8_t op, htype, hlen, chaddr[16], ciaddr[4], yiaddr[4], siaddr[4], code, n;
	uint32_t xid, magic;
	json_t *o;

	if (!pb_b_u8(&b, &op) || !pb_b_u8(&b, &htype) || !pb_b_u8(&b, &hlen) ||
	    !pb_b_skip(&b, 1) || !pb_b_u32(&b, &xid) || (op != 1 && op != 2))
		return NULL;
	o = json_pack("{s:s,s:I}", "op", op == 1 ? "request" : "reply", "xid", (json_int_t)xid);
	if (!pb_b_skip(&b, 4) || !pb_b_copy(&b, ciaddr, 4) || !pb_b_copy(&b, yiaddr, 4) ||
	    !pb_b_copy(&b, siaddr, 4) || !pb_b_skip(&b, 4) || !pb_b_copy(&b, chaddr, 16))
		goto out;
	if (htype == 1 && hlen == 6)
		json_object_set_new(o, "client_mac", pb_json_mac(chaddr));
	if (!zero4(ciaddr))
		json_object_set_new(o, "client_address", pb_json_ipv4(ciaddr));
	if (!zero4(yiaddr))
		json_object_set_new(o, "offered_address", pb_json_ipv4(yiaddr));
	if (!zero4(siaddr))
		json_object_set_new(o, "next_server", pb_json_ipv4(siaddr));
	if (!pb_b_skip(&b, 64 + 128) || !pb_b_u32(&b, &magic) || magic != DHCP_MAGIC)
		goto out; /* plain BOOTP, or cut */
	while (pb_b_u8(&b, &code) && code != OPT_END) {
		struct pb_bytes v;

		if (code == OPT_PAD)
			continue;
		if (!pb_b_u8(&b, &n))
			break;
		v = pb_b_sub(&b, n);
		if (v.truncated)
			break;
		option(o, code, v);
	}
out:
	if (b.truncated)
		json_object_set_new(o, "truncated", json_true());
	return o;
}
