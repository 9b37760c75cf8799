// SPDX-License-Identifier: BSD-2-Clause
#include "utf8.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static int cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

size_t pb_utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf; /* the second byte's range */
	size_t len, i;

	if (!n)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] < 0xc2) /* a continuation byte, or an overlong 2-byte lead */
		return 0;
	if (s[0] < 0xe0)
		len = 2;
	else if (s[0] < 0xf0)
		len = 3;
	else if (s[0] < 0xf5)
		len = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0; /* below: overlong */
	else if (s[0] == 0xed)
		hi = 0x9f; /* above: the surrogates U+D800..U+DFFF */
	else if (s[0] == 0xf0)
		lo = 0x90; /* below: overlong */
	else if (s[0] == 0xf4)
		hi = 0x8f; /* above: past U+10FFFF */
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (!cont(s[i]))
			return 0;
	return len;
}

void pb_utf8_repair(const char *s, size_t n, pb_utf8_sink *put, void *ctx)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run = 0, k;
	char esc[4] = { '\\', 'x' };

	while (i < n) {
		k = pb_utf8_seq(u + i, n - i);
		if (k) {
			i += k;
			continue;
		}
		esc[2] = hex[u[i] >> 4];
		esc[3] = hex[u[i] & 15];
		if (i > run)
			put(ctx, s + run, i - run);
		put(ctx, esc, sizeof(esc));
		run = ++i;
	}
	if (n > run)
		put(ctx, s + run, n - run);
}

struct fixed {
	char *p;
	size_t room, len; /* room: bytes that fit, the NUL aside */
};

static void fixed_put(void *ctx, const char *s, size_t n)
{
	struct fixed *f = ctx;

	if (n > f->room - f->len)
		n = f->room - f->len;
	memcpy(f->p + f->len, s, n);
	f->len += n;
}

void pb_utf8_fix(char *buf, size_t cap)
{
	struct fixed f = { buf, cap - 1, 0 };
	size_t n = strlen(buf), i, k;
	char *in;

	if (!cap || pb_utf8_valid(buf, n))
		return;
	in = strdup(buf);
	if (!in)
		return;
	pb_utf8_repair(in, n, fixed_put, &f);
	free(in);
	/* The end of what fitted may cut a character short: drop its bytes. */
	for (i = 0; i < f.len; i += k) {
		k = pb_utf8_seq((const unsigned char *)buf + i, f.len - i);
		if (!k)
			break;
	}
	buf[i] = '\0';
}

bool pb_utf8_valid(const char *s, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i += k) {
		k = pb_utf8_seq((const unsigned char *)s + i, n - i);
		if (!k)
			return false;
	}
	return true;
}

struct buf {
	char *p;
	size_t len;
	bool failed;
};

static void buf_put(void *ctx, const char *s, size_t n)
{
	struct buf *b = ctx;
	char *p;

	if (b->failed)
		return;
	p = realloc(b->p, b->len + n);
	if (!p) {
		b->failed = true;
		return;
	}
	memcpy(p + b->len, s, n);
	b->p = p;
	b->len += n;
}

json_t *pb_json_str(const char *s)
{
	struct buf b = { 0 };
	json_t *j;

	if (!s)
		return json_null();
	j = json_string(s); /* NULL if not valid UTF-8 (or out of memory) */
	if (j)
		return j;
	pb_utf8_repair(s, strlen(s), buf_put, &b);
	j = b.failed ? NULL : json_stringn(b.p ? b.p : "", b.len);
	free(b.p);
	return j;
}
