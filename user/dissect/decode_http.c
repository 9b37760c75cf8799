// SPDX-License-Identifier: BSD-2-Clause
/*
 * HTTP/1.x message heads (RFC 9112 sections 3-5): the request line
 * (method, target, version) or status line (version, code, reason), then
 * the Host, User-Agent, Server, Content-Type and Content-Length fields.
 * Only what this one packet holds is decoded; a head cut by the snaplen or
 * the segment end is marked truncated.
 */
#include "bytes.h"
#include "decode.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#define PB_HTTP_MAX_FIELDS 64

static const char *const methods[] = { "GET",	  "POST",    "HEAD",  "PUT",  "DELETE",
				       "OPTIONS", "CONNECT", "TRACE", "PATCH" };

bool pb_http_looks_like(const uint8_t *data, size_t len)
{
	struct pb_bytes b = pb_bytes(data, len);
	const uint8_t *q;
	size_t i, n;

	if ((q = pb_b_ptr(&b, 0, 7)) && !memcmp(q, "HTTP/1.", 7))
		return true;
	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		n = strlen(methods[i]);
		if (pb_b_has(&b, 0, n + 1) && !memcmp(data, methods[i], n) &&
		    pb_b_get8(&b, n) == ' ')
			return true;
	}
	return false;
}

/* The next line without its CR LF; false when no line end is in the bytes. */
static bool next_line(struct pb_bytes *b, const uint8_t **line, size_t *n)
{
	const uint8_t *start = pb_b_ptr(b, b->off, pb_b_left(b)), *nl;

	nl = start && pb_b_left(b) ? memchr(start, '\n', pb_b_left(b)) : NULL;
	if (!nl) {
		b->truncated = true;
		return false;
	}
	*line = start;
	*n = nl - start;
	if (*n && start[*n - 1] == '\r')
		(*n)--;
	pb_b_skip(b, nl - start + 1);
	return true;
}

/* Split s at the first space: the word and what follows it. */
static size_t word(const uint8_t *s, size_t n)
{
	const uint8_t *sp = memchr(s, ' ', n);

	return sp ? (size_t)(sp - s) : n;
}

static void start_line(json_t *o, const uint8_t *l, size_t n)
{
	size_t a = word(l, n), b;

	if (n >= 5 && !memcmp(l, "HTTP/", 5)) {
		json_object_set_new(o, "version", pb_json_text(l, a));
		if (a < n) {
			l += a + 1, n -= a + 1;
			b = word(l, n);
			json_object_set_new(o, "status", pb_json_text(l, b));
			if (b < n)
				json_object_set_new(o, "reason", pb_json_text(l + b + 1, n - b - 1));
		}
		return;
	}
	json_object_set_new(o, "method", pb_json_text(l, a));
	if (a < n) {
		l += a + 1, n -= a + 1;
		b = word(l, n);
		json_object_set_new(o, "uri", pb_json_text(l, b));
		if (b < n)
			json_object_set_new(o, "version", pb_json_text(l + b + 1, n - b - 1));
	}
}

/* "Name: value" fields worth showing, by their JSON names. */
static const char *field_key(const uint8_t *name, size_t n)
{
	static const char *const fields[][2] = { { "Host", "host" },
						 { "User-Agent", "user_agent" },
						 { "Server", "server" },
						 { "Content-Type", "content_type" },
						 { "Content-Length", "content_length" } };
	size_t i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (strlen(fields[i][0]) == n && !strncasecmp((const char *)name, fields[i][0], n))
			return fields[i][1];
	return NULL;
}

json_t *pb_decode_http(const uint8_t *data, size_t len)
{
	struct pb_bytes b = pb_bytes(data, len);
	const uint8_t *l;
	size_t n, c, i;
	json_t *o;

	if (!pb_http_looks_like(data, len))
		return NULL;
	o = json_object();
	if (!next_line(&b, &l, &n)) {
		/* A start line cut short: show what there is. */
		start_line(o, data, len > 256 ? 256 : len);
		json_object_set_new(o, "truncated", json_true());
		return o;
	}
	start_line(o, l, n);
	for (i = 0; i < PB_HTTP_MAX_FIELDS && next_line(&b, &l, &n) && n; i++) {
		const uint8_t *colon = memchr(l, ':', n);
		const char *key;

		if (!colon)
			continue;
		c = colon - l;
		key = field_key(l, c);
		if (!key)
			continue;
		for (c++; c < n && (l[c] == ' ' || l[c] == '\t'); c++)
			;
		json_object_set_new(o, key, pb_json_text(l + c, n - c));
	}
	if (b.truncated)
		json_object_set_new(o, "truncated", json_true());
	return o;
}
