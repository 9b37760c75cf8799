/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Payload decoders for sampled and captured packets: DNS, HTTP/1.x, TLS
 * ClientHello, DHCP, ARP, ICMP/ICMPv6, one file each (decode_<proto>.c).
 * Payload bytes come from strangers: decoders read them only through
 * bytes.h, stop at the captured length and say "truncated" when a field
 * runs past it. Each fills a JSON object of the fields it found; the text
 * form is rendered from that object, so -v and --json always agree.
 */
#ifndef PB_DECODE_H
#define PB_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>

#include "pb_parse.h"

enum pb_decoder {
	PB_DEC_NONE,
	PB_DEC_DNS,
	PB_DEC_DNS_TCP,
	PB_DEC_HTTP,
	PB_DEC_TLS,
	PB_DEC_DHCP,
	PB_DEC_ARP,
	PB_DEC_ICMP,
	PB_DEC_ICMPV6,
	PB_DEC_MAX,
};

/* The key each decoder's fields go under: "dns", "http", ... */
extern const char *const pb_decoder_names[PB_DEC_MAX];

/*
 * Which decoder the payload of frame goes to (by protocol, port, content),
 * and where its bytes are: [*off, *off + *len) of frame.
 */
enum pb_decoder pb_decode_route(const uint8_t *frame, size_t cap_len, const struct pb_pkt *p,
				size_t *off, size_t *len);

/* Run decoder d on its bytes; NULL if they are not its protocol. */
json_t *pb_decode_as(enum pb_decoder d, const uint8_t *data, size_t len);

/*
 * Decode what frame (cap_len bytes, parsed into p) carries. Returns
 * {"<proto>": {...fields}} or NULL when no decoder applies.
 */
json_t *pb_decode(const uint8_t *frame, size_t cap_len, const struct pb_pkt *p);

/* Render a pb_decode() result as indented text lines. */
void pb_decoded_print(FILE *f, const json_t *decoded, const char *indent);

/* The decoders, on the bytes their protocol starts at; NULL if not theirs. */
json_t *pb_decode_dns(const uint8_t *data, size_t len, bool over_tcp);
json_t *pb_decode_http(const uint8_t *data, size_t len);
json_t *pb_decode_tls(const uint8_t *data, size_t len);
json_t *pb_decode_dhcp(const uint8_t *data, size_t len);
json_t *pb_decode_arp(const uint8_t *data, size_t len);
/* ICMP (ipv6 false) or ICMPv6 message from its type byte on. */
json_t *pb_decode_icmp(const uint8_t *data, size_t len, bool ipv6);

/* Shared by the decoders. */
/* Bytes as a JSON string, non-printable ones as \xNN (JSON needs UTF-8). */
json_t *pb_json_text(const uint8_t *s, size_t n);
json_t *pb_json_ipv4(const uint8_t *a);
json_t *pb_json_ipv6(const uint8_t *a);
json_t *pb_json_mac(const uint8_t *a);
/* Is this the start of an HTTP/1.x request or response line? */
bool pb_http_looks_like(const uint8_t *data, size_t len);

#endif /* PB_DECODE_H */
