// SPDX-License-Identifier: BSD-2-Clause
/*
 * Payload decoders on crafted messages: the fields each one reports, and
 * hostile input (DNS pointer loops, forward pointers, absurd counts, names
 * over 255 bytes; every prefix of every message, i.e. truncation at each
 * byte). Run under ASan/UBSan too (make sanitize-tests).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "decode.h"

static const char *str(const json_t *o, const char *path)
{
	json_t *v = json_object_get(o, path);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static json_int_t num(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_integer(v) ? json_integer_value(v) : -1;
}

/* Every prefix of msg decodes without crashing; shorter ones never claim more. */
typedef json_t *(*decoder)(const uint8_t *, size_t);

static void all_prefixes(decoder d, const uint8_t *msg, size_t len)
{
	size_t n;

	for (n = 0; n < len; n++) {
		/* a heap copy of exactly n bytes, so ASan sees any overread */
		uint8_t *p = malloc(n ? n : 1);
		json_t *o;

		memcpy(p, msg, n);
		o = d(p, n);
		if (o && n > 0)
			assert_true(json_is_object(o));
		json_decref(o);
		free(p);
	}
}

/* RFC 1035 query for www.example.com A, id 0x1234, rd. */
static const uint8_t dns_query[] = {
	0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0,
	0x00, 0x01, 0x00, 0x01,
};

/* Response: CNAME www -> web (compressed), A and AAAA, MX, TXT. */
static const uint8_t dns_response[] = {
	0x12, 0x34, 0x81, 0x80, 0x00, 0x01, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00,
	/* 12: question */
	3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0,
	0x00, 0x01, 0x00, 0x01,
	/* CNAME: name -> ptr 12, rdata "web" + ptr 16 (example.com) */
	0xc0, 12, 0x00, 0x05, 0x00, 0x01, 0, 0, 0x0e, 0x10, 0x00, 0x06,
	3, 'w', 'e', 'b', 0xc0, 16,
	/* A for example.com */
	0xc0, 16, 0x00, 0x01, 0x00, 0x01, 0, 0, 0, 60, 0x00, 0x04, 192, 0, 2, 7,
	/* AAAA */
	0xc0, 16, 0x00, 0x1c, 0x00, 0x01, 0, 0, 0, 60, 0x00, 0x10,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	/* MX 10 mail.example.com */
	0xc0, 16, 0x00, 0x0f, 0x00, 0x01, 0, 0, 0, 60, 0x00, 0x09,
	0x00, 0x0a, 4, 'm', 'a', 'i', 'l', 0xc0, 16,
	/* TXT "hi" "there" */
	0xc0, 16, 0x00, 0x10, 0x00, 0x01, 0, 0, 0, 60, 0x00, 0x09,
	2, 'h', 'i', 5, 't', 'h', 'e', 'r', 'e',
};

static json_t *dns_udp(const uint8_t *p, size_t n)
{
	return pb_decode_dns(p, n, false);
}

static json_t *dns_tcp(const uint8_t *p, size_t n)
{
	return pb_decode_dns(p, n, true);
}

static void test_dns_query(void **state)
{
	json_t *d = pb_decode_dns(dns_query, sizeof(dns_query), false), *q;

	(void)state;
	assert_non_null(d);
	assert_int_equal(num(d, "id"), 0x1234);
	assert_true(json_is_false(json_object_get(d, "response")));
	assert_string_equal(str(d, "rcode"), "NOERROR");
	assert_int_equal(json_array_size(json_object_get(d, "questions")), 1);
	q = json_array_get(json_object_get(d, "questions"), 0);
	assert_string_equal(str(q, "name"), "www.example.com");
	assert_string_equal(str(q, "type"), "A");
	assert_null(json_object_get(d, "truncated"));
	json_decref(d);
	all_prefixes(dns_udp, dns_query, sizeof(dns_query));
}

static void test_dns_answers(void **state)
{
	json_t *d = pb_decode_dns(dns_response, sizeof(dns_response), false), *an, *r;

	(void)state;
	assert_non_null(d);
	assert_true(json_is_true(json_object_get(d, "response")));
	an = json_object_get(d, "answers");
	assert_int_equal(json_array_size(an), 5);
	r = json_array_get(an, 0);
	assert_string_equal(str(r, "name"), "www.example.com");
	assert_string_equal(str(r, "type"), "CNAME");
	assert_string_equal(str(r, "data"), "web.example.com");
	assert_int_equal(num(r, "ttl"), 3600);
	assert_string_equal(str(json_array_get(an, 1), "data"), "192.0.2.7");
	assert_string_equal(str(json_array_get(an, 2), "data"), "2001:db8::1");
	r = json_array_get(an, 3);
	assert_string_equal(str(r, "type"), "MX");
	assert_int_equal(num(r, "preference"), 10);
	assert_string_equal(str(r, "data"), "mail.example.com");
	r = json_object_get(json_array_get(an, 4), "data");
	assert_string_equal(json_string_value(json_array_get(r, 1)), "there");
	json_decref(d);
	all_prefixes(dns_udp, dns_response, sizeof(dns_response));
}

static void test_dns_over_tcp(void **state)
{
	uint8_t m[2 + sizeof(dns_query)];
	json_t *d;

	(void)state;
	m[0] = 0;
	m[1] = sizeof(dns_query);
	memcpy(m + 2, dns_query, sizeof(dns_query));
	d = pb_decode_dns(m, sizeof(m), true);
	assert_non_null(d);
	assert_string_equal(str(json_array_get(json_object_get(d, "questions"), 0), "name"),
			    "www.example.com");
	json_decref(d);
	all_prefixes(dns_tcp, m, sizeof(m));
}

static void test_dns_pointer_loops(void **state)
{
	/* question name is a pointer to itself; then one to the next byte */
	uint8_t self[] = { 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1 };
	uint8_t ahead[] = { 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 14, 1, 'a', 0, 0, 1, 0, 1 };
	/* two labels pointing at each other: 12 -> 16 is forward, refused */
	uint8_t pair[] = { 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 'a', 0xc0, 16, 1, 'b', 0xc0, 12,
			   0, 1, 0, 1 };
	json_t *d;

	(void)state;
	d = pb_decode_dns(self, sizeof(self), false);
	assert_string_equal(str(d, "error"), "pointer loop");
	json_decref(d);
	d = pb_decode_dns(ahead, sizeof(ahead), false);
	assert_string_equal(str(d, "error"), "pointer loop");
	json_decref(d);
	d = pb_decode_dns(pair, sizeof(pair), false);
	assert_string_equal(str(d, "error"), "pointer loop");
	json_decref(d);
}

static void test_dns_absurd(void **state)
{
	/* 65535 questions claimed, one present; then 40 real questions */
	uint8_t m[12 + 40 * 7] = { 0, 1, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	uint8_t longname[12 + 5 * 64 + 5] = { 0, 1, 0, 0, 0, 1 };
	json_t *d;
	size_t i;

	(void)state;
	for (i = 0; i < 40; i++)
		memcpy(m + 12 + i * 7, "\x01x\x00\x00\x01\x00\x01", 7);
	d = pb_decode_dns(m, sizeof(m), false);
	assert_non_null(d);
	/* at most 32 shown, the rest said, and no reading past the end */
	assert_int_equal(json_array_size(json_object_get(d, "questions")), 32);
	assert_int_equal(num(d, "records_not_shown"), 65535 - 32);
	json_decref(d);
	/* labels of 63 'a's until past 255 bytes */
	for (i = 0; i < 5; i++) {
		longname[12 + i * 64] = 63;
		memset(longname + 13 + i * 64, 'a', 63);
	}
	d = pb_decode_dns(longname, sizeof(longname), false);
	assert_string_equal(str(d, "error"), "too long");
	json_decref(d);
}

static const char http_req[] = "GET /index.html?q=1 HTTP/1.1\r\nHost: example.test:8080\r\n"
			       "user-agent: curl/7.88.1\r\nAccept: */*\r\n\r\n";
static const char http_resp[] = "HTTP/1.0 404 File not found\r\nServer: SimpleHTTP/0.6\r\n"
				"Content-Length: 469\r\n\r\n<html>";

static void test_http(void **state)
{
	json_t *h;

	(void)state;
	assert_false(pb_http_looks_like((const uint8_t *)"GETX / HTTP/1.1", 15));
	h = pb_decode_http((const uint8_t *)http_req, strlen(http_req));
	assert_string_equal(str(h, "method"), "GET");
	assert_string_equal(str(h, "uri"), "/index.html?q=1");
	assert_string_equal(str(h, "version"), "HTTP/1.1");
	assert_string_equal(str(h, "host"), "example.test:8080");
	assert_string_equal(str(h, "user_agent"), "curl/7.88.1");
	assert_null(json_object_get(h, "truncated"));
	json_decref(h);
	h = pb_decode_http((const uint8_t *)http_resp, strlen(http_resp));
	assert_string_equal(str(h, "status"), "404");
	assert_string_equal(str(h, "reason"), "File not found");
	assert_string_equal(str(h, "server"), "SimpleHTTP/0.6");
	json_decref(h);
	/* cut inside the headers */
	h = pb_decode_http((const uint8_t *)http_req, 40);
	assert_string_equal(str(h, "method"), "GET");
	assert_true(json_is_true(json_object_get(h, "truncated")));
	json_decref(h);
	all_prefixes(pb_decode_http, (const uint8_t *)http_req, strlen(http_req));
	all_prefixes(pb_decode_http, (const uint8_t *)http_resp, strlen(http_resp));
}

/* ClientHello: TLS 1.2 legacy version, SNI example.test, ALPN h2 + http/1.1,
 * supported_versions 1.3 and 1.2. */
static const uint8_t client_hello[] = {
	0x16, 0x03, 0x01, 0x00, 0x65,			/* record: 101 bytes */
	0x01, 0x00, 0x00, 0x61,				/* ClientHello, 97 */
	0x03, 0x03,					/* legacy version */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* random */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0x00,						/* session id */
	0x00, 0x04, 0x13, 0x01, 0x13, 0x02,		/* 2 cipher suites */
	0x01, 0x00,					/* compression */
	0x00, 0x34,					/* extensions: 52 */
	0x00, 0x00, 0x00, 0x11, 0x00, 0x0f, 0x00, 0x00, 0x0c, /* SNI, 12 chars */
	'e', 'x', 'a', 'm', 'p', 'l', 'e', '.', 't', 'e', 's', 't',
	0x00, 0x10, 0x00, 0x0e, 0x00, 0x0c,		/* ALPN */
	2, 'h', '2', 8, 'h', 't', 't', 'p', '/', '1', '.', '1',
	0x00, 0x2b, 0x00, 0x05, 0x04, 0x03, 0x04, 0x03, 0x03, /* supported_versions */
	0x00, 0x17, 0x00, 0x00,				/* extended master secret */
};

static void test_tls_client_hello(void **state)
{
	json_t *t = pb_decode_tls(client_hello, sizeof(client_hello)), *a;

	(void)state;
	assert_non_null(t);
	assert_string_equal(str(t, "handshake"), "client_hello");
	assert_string_equal(str(t, "record_version"), "TLS 1.0");
	assert_string_equal(str(t, "client_version"), "TLS 1.2");
	assert_string_equal(str(t, "sni"), "example.test");
	assert_int_equal(num(t, "cipher_suites"), 2);
	a = json_object_get(t, "alpn");
	assert_int_equal(json_array_size(a), 2);
	assert_string_equal(json_string_value(json_array_get(a, 1)), "http/1.1");
	a = json_object_get(t, "supported_versions");
	assert_string_equal(json_string_value(json_array_get(a, 0)), "TLS 1.3");
	assert_null(json_object_get(t, "truncated"));
	json_decref(t);
	t = pb_decode_tls(client_hello, 60);
	assert_true(json_is_true(json_object_get(t, "truncated")));
	json_decref(t);
	all_prefixes(pb_decode_tls, client_hello, sizeof(client_hello));
}

static void dhcp_msg(uint8_t *m, size_t *len, uint8_t op, uint8_t type)
{
	static const uint8_t mac[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	size_t o = 240;

	memset(m, 0, 300);
	m[0] = op;
	m[1] = 1;
	m[2] = 6;
	memcpy(m + 4, "\xde\xad\xbe\xef", 4);
	if (op == 2)
		memcpy(m + 16, "\x0a\x00\x00\x32", 4); /* yiaddr 10.0.0.50 */
	memcpy(m + 28, mac, 6);
	memcpy(m + 236, "\x63\x82\x53\x63", 4);
	m[o++] = 53, m[o++] = 1, m[o++] = type;
	if (op == 1)
		m[o++] = 50, m[o++] = 4, memcpy(m + o, "\x0a\x00\x00\x32", 4), o += 4;
	else
		m[o++] = 54, m[o++] = 4, memcpy(m + o, "\x0a\x00\x00\x01", 4), o += 4;
	m[o++] = 255;
	*len = o;
}

static void test_dhcp(void **state)
{
	uint8_t m[300];
	size_t n;
	json_t *d;

	(void)state;
	dhcp_msg(m, &n, 1, 3);
	d = pb_decode_dhcp(m, n);
	assert_string_equal(str(d, "message_type"), "REQUEST");
	assert_string_equal(str(d, "client_mac"), "02:11:22:33:44:55");
	assert_string_equal(str(d, "requested_address"), "10.0.0.50");
	assert_int_equal(num(d, "xid"), 0xdeadbeef);
	json_decref(d);
	all_prefixes(pb_decode_dhcp, m, n);
	dhcp_msg(m, &n, 2, 2);
	d = pb_decode_dhcp(m, n);
	assert_string_equal(str(d, "message_type"), "OFFER");
	assert_string_equal(str(d, "offered_address"), "10.0.0.50");
	assert_string_equal(str(d, "server_id"), "10.0.0.1");
	json_decref(d);
	all_prefixes(pb_decode_dhcp, m, n);
}

static void test_arp(void **state)
{
	static const uint8_t req[] = { 0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 1, 10, 0, 0, 1,
				       0, 0, 0, 0, 0, 0, 10, 0, 0, 1 };
	json_t *a = pb_decode_arp(req, sizeof(req));

	(void)state;
	assert_string_equal(str(a, "operation"), "request");
	assert_string_equal(str(a, "sender_mac"), "02:00:00:00:00:01");
	assert_string_equal(str(a, "sender_ip"), "10.0.0.1");
	assert_string_equal(str(a, "target_ip"), "10.0.0.1");
	assert_true(json_is_true(json_object_get(a, "gratuitous")));
	json_decref(a);
	all_prefixes(pb_decode_arp, req, sizeof(req));
}

static json_t *icmp4(const uint8_t *p, size_t n)
{
	return pb_decode_icmp(p, n, false);
}

static void test_icmp(void **state)
{
	static const uint8_t echo[] = { 8, 0, 0, 0, 0x12, 0x34, 0x00, 0x07, 'x' };
	/* port unreachable quoting IPv4/UDP 10.0.0.1:5353 -> 10.0.0.2:53 */
	static const uint8_t unreach[] = { 3, 3, 0, 0, 0, 0, 0, 0,
					   0x45, 0, 0, 60, 0, 0, 0, 0, 64, 17, 0, 0,
					   10, 0, 0, 1, 10, 0, 0, 2,
					   0x14, 0xe9, 0x00, 0x35, 0, 40, 0, 0 };
	static const uint8_t too_big6[] = { 2, 0, 0, 0, 0, 0, 0x05, 0x00 };
	json_t *o, *q;

	(void)state;
	o = pb_decode_icmp(echo, sizeof(echo), false);
	assert_string_equal(str(o, "name"), "echo request");
	assert_int_equal(num(o, "id"), 0x1234);
	assert_int_equal(num(o, "seq"), 7);
	json_decref(o);
	o = pb_decode_icmp(unreach, sizeof(unreach), false);
	assert_string_equal(str(o, "name"), "destination unreachable");
	assert_int_equal(num(o, "code"), 3);
	q = json_object_get(o, "quoted");
	assert_string_equal(str(q, "src"), "10.0.0.1");
	assert_string_equal(str(q, "dst"), "10.0.0.2");
	assert_string_equal(str(q, "protocol"), "udp");
	assert_int_equal(num(q, "src_port"), 5353);
	assert_int_equal(num(q, "dst_port"), 53);
	json_decref(o);
	o = pb_decode_icmp(too_big6, sizeof(too_big6), true);
	assert_string_equal(str(o, "name"), "packet too big");
	assert_int_equal(num(o, "mtu"), 1280);
	json_decref(o);
	all_prefixes(icmp4, unreach, sizeof(unreach));
	all_prefixes(icmp4, echo, sizeof(echo));
}

static void test_text_form(void **state)
{
	json_t *d = json_pack("{s:o}", "dns", pb_decode_dns(dns_query, sizeof(dns_query), false));
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	pb_decoded_print(f, d, "  ");
	fclose(f);
	assert_non_null(strstr(buf, "  dns: id=4660"));
	assert_non_null(strstr(buf, "questions: name=www.example.com type=A"));
	free(buf);
	json_decref(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dns_query),	  cmocka_unit_test(test_dns_answers),
		cmocka_unit_test(test_dns_over_tcp),	  cmocka_unit_test(test_dns_pointer_loops),
		cmocka_unit_test(test_dns_absurd),	  cmocka_unit_test(test_http),
		cmocka_unit_test(test_tls_client_hello), cmocka_unit_test(test_dhcp),
		cmocka_unit_test(test_arp),		  cmocka_unit_test(test_icmp),
		cmocka_unit_test(test_text_form),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
