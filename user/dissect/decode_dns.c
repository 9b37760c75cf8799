// SPDX-License-Identifier: BSD-2-Clause
/*
 * DNS messages (RFC 1035 section 4; over TCP with the 2-byte length prefix of
 * section 4.2.2), with EDNS0 OPT (RFC 6891).
 *
 *   0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15
 *  |                      ID                      |
 *  |QR| Opcode |AA|TC|RD|RA| Z|AD|CD|   RCODE     |
 *  |          QDCOUNT / ANCOUNT / NSCOUNT / ARCOUNT          |
 *
 * Hostile input: names follow compression pointers only backwards and at most
 * PB_DNS_MAX_JUMPS times (no loops), stop at 255 bytes (section 3.1), and
 * record counts are believed only as far as the bytes go, showing at most
 * PB_DNS_MAX_RECORDS per section.
 */
#include "bytes.h"
#include "decode.h"
#include "names.h"

#include <stdio.h>
#include <string.h>

#define PB_DNS_MAX_JUMPS 16
#define PB_DNS_MAX_NAME 255
#define PB_DNS_MAX_RECORDS 32
#define PB_DNS_NAME_BUF (4 * PB_DNS_MAX_NAME + 8) /* every byte may become \DDD */

enum dns_name_err { NAME_OK, NAME_TRUNCATED, NAME_LOOP, NAME_TOO_LONG, NAME_BAD_LABEL };

static const char *const name_errs[] = { "ok", "truncated", "pointer loop", "too long",
					 "bad label type" };

/*
 * Read a (possibly compressed) name at the cursor into out as dotted text.
 * The cursor ends after the name as it appears in place (after the first
 * pointer, if any).
 */
static enum dns_name_err read_name(struct pb_bytes *b, char *out, size_t out_len)
{
	struct pb_bytes c = *b;
	size_t o = 0, wire = 0, lowest = b->off;
	bool jumped = false;
	int jumps = 0, i;
	uint8_t len, lo;

	out[0] = 0;
	for (;;) {
		if (!pb_b_u8(&c, &len)) {
			b->truncated = true;
			return NAME_TRUNCATED;
		}
		if ((len & 0xc0) == 0xc0) {
			size_t target;

			if (!pb_b_u8(&c, &lo)) {
				b->truncated = true;
				return NAME_TRUNCATED;
			}
			if (!jumped)
				b->off = c.off;
			jumped = true;
			target = (size_t)(len & 0x3f) << 8 | lo;
			/* Backwards only: a pointer to itself or ahead could loop. */
			if (target >= lowest || ++jumps > PB_DNS_MAX_JUMPS)
				return NAME_LOOP;
			lowest = target;
			c = pb_b_at(&c, target);
			continue;
		}
		if (len & 0xc0)
			return NAME_BAD_LABEL; /* 0x40/0x80: extended label types (RFC 6891) */
		if (!len)
			break;
		wire += len + 1;
		if (wire > PB_DNS_MAX_NAME)
			return NAME_TOO_LONG;
		const uint8_t *lab = pb_b_take(&c, len);

		if (!lab) {
			b->truncated = true;
			return NAME_TRUNCATED;
		}
		if (o && o + 1 < out_len)
			out[o++] = '.';
		for (i = 0; i < len && o + 5 < out_len; i++) {
			if (lab[i] > 0x20 && lab[i] < 0x7f && lab[i] != '.' && lab[i] != '\\')
				out[o++] = lab[i];
			else
				o += snprintf(out + o, out_len - o, "\\%03u", lab[i]);
		}
		out[o] = 0;
	}
	if (!jumped)
		b->off = c.off;
	if (!o)
		snprintf(out, out_len, ".");
	return NAME_OK;
}

static json_t *type_json(uint16_t t)
{
	const char *name = pb_name_of(&pb_dns_type_names, t);
	char buf[16];

	if (name)
		return json_string(name);
	/* RFC 3597 section 5: an unknown type is TYPE and its number. */
	snprintf(buf, sizeof(buf), "TYPE%u", t);
	return json_string(buf);
}

/* A name from t, or fallback for a number t does not know. */
static const char *name_or(const struct pb_name_table *t, unsigned int n, const char *fallback)
{
	const char *name = pb_name_of(t, n);

	return name ? name : fallback;
}

/* A name inside rdata, as text, or the reason it could not be read. */
static json_t *rdata_name(struct pb_bytes *msg, size_t off)
{
	char name[PB_DNS_NAME_BUF];
	struct pb_bytes c = pb_b_at(msg, off);
	enum dns_name_err e = read_name(&c, name, sizeof(name));

	return json_string(e == NAME_OK ? name : name_errs[e]);
}

/* The data of a record of type t: rd spans its rdata, which starts at offset
 * start of msg (names in it may point anywhere before). */
static void rdata_json(json_t *rr, uint16_t t, struct pb_bytes *msg, struct pb_bytes rd,
		       size_t start)
{
	uint8_t a[16];
	uint16_t u16;
	uint32_t u32;

	switch (t) {
	case 1:
		if (pb_b_left(&rd) == 4 && pb_b_copy(&rd, a, 4))
			json_object_set_new(rr, "data", pb_json_ipv4(a));
		return;
	case 28:
		if (pb_b_left(&rd) == 16 && pb_b_copy(&rd, a, 16))
			json_object_set_new(rr, "data", pb_json_ipv6(a));
		return;
	case 2:
	case 5:
	case 12:
		json_object_set_new(rr, "data", rdata_name(msg, start));
		return;
	case 15:
		if (pb_b_u16(&rd, &u16)) {
			json_object_set_new(rr, "preference", json_integer(u16));
			json_object_set_new(rr, "data", rdata_name(msg, start + 2));
		}
		return;
	case 6: {
		struct pb_bytes c = pb_b_at(msg, start);
		char name[PB_DNS_NAME_BUF];

		if (read_name(&c, name, sizeof(name)) == NAME_OK)
			json_object_set_new(rr, "data", json_string(name));
		if (read_name(&c, name, sizeof(name)) == NAME_OK)
			json_object_set_new(rr, "mailbox", json_string(name));
		if (pb_b_u32(&c, &u32))
			json_object_set_new(rr, "serial", json_integer(u32));
		return;
	}
	case 16: {
		json_t *txt = json_array();
		uint8_t n;

		while (pb_b_left(&rd) && pb_b_u8(&rd, &n)) {
			const uint8_t *s = pb_b_take(&rd, n);

			if (!s)
				break;
			json_array_append_new(txt, pb_json_text(s, n));
		}
		json_object_set_new(rr, "data", txt);
		return;
	}
	case 33:
		if (pb_b_u16(&rd, &u16) && pb_b_skip(&rd, 2) && pb_b_u16(&rd, &u16)) {
			json_object_set_new(rr, "port", json_integer(u16));
			json_object_set_new(rr, "data", rdata_name(msg, start + 6));
		}
		return;
	default:
		json_object_set_new(rr, "rdlength", json_integer(pb_b_left(&rd)));
		return;
	}
}

/* One resource record (section 4.1.3); false when the message ends. */
static bool read_rr(struct pb_bytes *msg, json_t *list, bool question, json_t *dns)
{
	char name[PB_DNS_NAME_BUF];
	enum dns_name_err e = read_name(msg, name, sizeof(name));
	uint16_t type, klass, rdlen;
	uint32_t ttl;
	json_t *rr;

	if (e != NAME_OK) {
		json_object_set_new(dns, "error", json_string(name_errs[e]));
		return false;
	}
	if (!pb_b_u16(msg, &type) || !pb_b_u16(msg, &klass))
		return false;
	rr = json_pack("{s:s,s:o}", "name", name, "type", type_json(type));
	if (question) {
		json_object_set_new(rr, "class", json_integer(klass));
		json_array_append_new(list, rr);
		return true;
	}
	if (type == 41) {
		/* OPT (RFC 6891 6.1.3): class is the UDP size, TTL holds flags. */
		json_object_set_new(rr, "udp_size", json_integer(klass));
		if (pb_b_u32(msg, &ttl)) {
			json_object_set_new(rr, "version", json_integer(ttl >> 16 & 0xff));
			json_object_set_new(rr, "dnssec_ok", json_boolean(ttl & 0x8000));
		}
	} else {
		pb_b_u32(msg, &ttl);
		json_object_set_new(rr, "class", json_integer(klass));
		json_object_set_new(rr, "ttl", json_integer(ttl));
	}
	if (!pb_b_u16(msg, &rdlen)) {
		json_decref(rr);
		return false;
	}
	size_t start = msg->off;
	struct pb_bytes rd = pb_b_sub(msg, rdlen);

	if (!rd.truncated)
		rdata_json(rr, type, msg, rd, start);
	json_array_append_new(list, rr);
	return !rd.truncated;
}

json_t *pb_decode_dns(const uint8_t *data, size_t len, bool over_tcp)
{
	static const char *const sections[] = { "questions", "answers", "authority",
						"additional" };
	struct pb_bytes b = pb_bytes(data, len), msg;
	uint16_t id, flags, count[4], tcp_len = 0;
	json_t *dns, *flag_list;
	int s;
	unsigned i;

	if (over_tcp && !pb_b_u16(&b, &tcp_len))
		return NULL;
	msg = over_tcp ? pb_b_sub(&b, tcp_len) : b;
	if (!pb_b_u16(&msg, &id) || !pb_b_u16(&msg, &flags))
		return NULL;
	for (s = 0; s < 4; s++)
		if (!pb_b_u16(&msg, &count[s]))
			return NULL;
	flag_list = json_array();
	if (flags & 0x0400)
		json_array_append_new(flag_list, json_string("aa"));
	if (flags & 0x0200)
		json_array_append_new(flag_list, json_string("tc"));
	if (flags & 0x0100)
		json_array_append_new(flag_list, json_string("rd"));
	if (flags & 0x0080)
		json_array_append_new(flag_list, json_string("ra"));
	if (flags & 0x0020)
		json_array_append_new(flag_list, json_string("ad"));
	if (flags & 0x0010)
		json_array_append_new(flag_list, json_string("cd"));
	dns = json_pack("{s:i,s:b,s:s,s:o,s:s,s:i,s:i,s:i,s:i}", "id", id, "response",
			flags & 0x8000, "opcode",
			name_or(&pb_dns_opcode_names, flags >> 11 & 0xf, "OPCODE?"), "flags",
			flag_list, "rcode", name_or(&pb_dns_rcode_names, flags & 0xf, "RCODE?"),
			"qdcount", count[0], "ancount", count[1], "nscount", count[2], "arcount",
			count[3]);
	for (s = 0; s < 4; s++) {
		json_t *list = json_array();
		bool ok = true;

		for (i = 0; i < count[s] && ok; i++) {
			if (i == PB_DNS_MAX_RECORDS) {
				json_object_set_new(dns, "records_not_shown",
						    json_integer(count[s] - i));
				break;
			}
			ok = read_rr(&msg, list, s == 0, dns);
		}
		json_object_set_new(dns, sections[s], list);
		if (!ok)
			break;
	}
	if (msg.truncated)
		json_object_set_new(dns, "truncated", json_true());
	return dns;
}
