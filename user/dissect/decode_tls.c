// SPDX-License-Identifier: BSD-2-Clause
/*
 * TLS handshake records (RFC 8446 sections 4.1.2-4.2; RFC 5246 for 1.2):
 * the ClientHello's versions, server name (RFC 6066 section 3), ALPN
 * protocols (RFC 7301) and offered versions (supported_versions, RFC 8446
 * 4.2.1); the ServerHello's version and cipher suite.
 *
 *   record:    type(1)=22 | version(2) | length(2)
 *   handshake: msg_type(1) | length(3) | body
 */
#include "bytes.h"
#include "decode.h"
#include "names.h"

#include <stdio.h>

#define TLS_HANDSHAKE 22
#define TLS_CLIENT_HELLO 1
#define TLS_SERVER_HELLO 2
#define EXT_SERVER_NAME 0
#define EXT_ALPN 16
#define EXT_SUPPORTED_VERSIONS 43
#define PB_TLS_MAX_LIST 32

static json_t *version_json(uint16_t v)
{
	const char *name = pb_name_of(&pb_tls_version_names, v);
	char buf[16];

	if (name)
		return json_string(name);
	/* GREASE (RFC 8701) and drafts (0x7fNN) by number. */
	snprintf(buf, sizeof(buf), "0x%04x", v);
	return json_string(buf);
}

static void server_name(json_t *o, struct pb_bytes e)
{
	uint16_t list_len, n;
	uint8_t type;
	struct pb_bytes l;

	if (!pb_b_u16(&e, &list_len))
		return;
	l = pb_b_sub(&e, list_len);
	while (pb_b_left(&l) && pb_b_u8(&l, &type) && pb_b_u16(&l, &n)) {
		const uint8_t *name = pb_b_take(&l, n);

		if (name && type == 0) { /* host_name */
			json_object_set_new(o, "sni", pb_json_text(name, n));
			return;
		}
	}
}

static void alpn(json_t *o, struct pb_bytes e)
{
	json_t *a = json_array();
	uint16_t list_len;
	uint8_t n;
	struct pb_bytes l;

	if (pb_b_u16(&e, &list_len)) {
		l = pb_b_sub(&e, list_len);
		while (json_array_size(a) < PB_TLS_MAX_LIST && pb_b_left(&l) && pb_b_u8(&l, &n)) {
			const uint8_t *p = pb_b_take(&l, n);

			if (!p)
				break;
			json_array_append_new(a, pb_json_text(p, n));
		}
	}
	json_object_set_new(o, "alpn", a);
}

static void supported_versions(json_t *o, struct pb_bytes e, bool client)
{
	json_t *a = json_array();
	uint16_t v;
	uint8_t n;
	struct pb_bytes l;

	if (!client) { /* ServerHello: the one chosen */
		if (pb_b_u16(&e, &v))
			json_object_set_new(o, "version", version_json(v));
		json_decref(a);
		return;
	}
	if (pb_b_u8(&e, &n)) {
		l = pb_b_sub(&e, n);
		while (json_array_size(a) < PB_TLS_MAX_LIST && pb_b_left(&l) && pb_b_u16(&l, &v))
			json_array_append_new(a, version_json(v));
	}
	json_object_set_new(o, "supported_versions", a);
}

static void extensions(json_t *o, struct pb_bytes *b, bool client)
{
	uint16_t total, type, n;
	struct pb_bytes all, e;

	if (!pb_b_u16(b, &total))
		return;
	all = pb_b_sub(b, total);
	while (pb_b_left(&all) && pb_b_u16(&all, &type) && pb_b_u16(&all, &n)) {
		e = pb_b_sub(&all, n);
		if (type == EXT_SERVER_NAME && client)
			server_name(o, e);
		else if (type == EXT_ALPN)
			alpn(o, e);
		else if (type == EXT_SUPPORTED_VERSIONS)
			supported_versions(o, e, client);
	}
	if (all.truncated)
		b->truncated = true;
}

static void hello(json_t *o, struct pb_bytes *b, bool client)
{
	uint16_t version, n16;
	uint8_t n8;

	if (!pb_b_u16(b, &version))
		return;
	json_object_set_new(o, client ? "client_version" : "version", version_json(version));
	if (!pb_b_skip(b, 32) || !pb_b_u8(b, &n8) || !pb_b_skip(b, n8)) /* random, session id */
		return;
	if (client) {
		if (!pb_b_u16(b, &n16) || !pb_b_skip(b, n16))
			return;
		json_object_set_new(o, "cipher_suites", json_integer(n16 / 2));
		if (!pb_b_u8(b, &n8) || !pb_b_skip(b, n8)) /* compression methods */
			return;
	} else {
		if (!pb_b_u16(b, &n16) || !pb_b_skip(b, 1))
			return;
		json_object_set_new(o, "cipher_suite", json_integer(n16));
	}
	extensions(o, b, client);
}

json_t *pb_decode_tls(const uint8_t *data, size_t len)
{
	struct pb_bytes b = pb_bytes(data, len), rec;
	uint16_t rversion, rlen;
	uint8_t type, hs;
	uint32_t hlen;
	json_t *o;

	if (!pb_b_u8(&b, &type) || type != TLS_HANDSHAKE || !pb_b_u16(&b, &rversion) ||
	    (rversion >> 8) != 3 || !pb_b_u16(&b, &rlen))
		return NULL;
	o = json_pack("{s:o}", "record_version", version_json(rversion));
	rec = pb_b_sub(&b, rlen);
	if (pb_b_u8(&rec, &hs) && pb_b_u24(&rec, &hlen)) {
		struct pb_bytes body = pb_b_sub(&rec, hlen);

		json_object_set_new(o, "handshake",
				    json_string(hs == TLS_CLIENT_HELLO	 ? "client_hello"
						: hs == TLS_SERVER_HELLO ? "server_hello"
									 : "other"));
		if (hs == TLS_CLIENT_HELLO || hs == TLS_SERVER_HELLO)
			hello(o, &body, hs == TLS_CLIENT_HELLO);
		if (body.truncated)
			rec.truncated = true;
	}
	if (rec.truncated)
		json_object_set_new(o, "truncated", json_true());
	return o;
}
