// SPDX-License-Identifier: BSD-2-Clause
/*
 * Grammar (a subset of pcap-filter(7); everything it accepts means the same
 * to libpcap):
 *
 *   expr  := group ("or" group)*
 *   group := "(" prims ")" | prims
 *   prims := prim ("and" prim)*
 *   prim  := [tcp|udp] [src|dst] port N
 *          | [ip|ip6] [src|dst] host ADDR
 *          | [ip|ip6] [src|dst] net ADDR/LEN
 *          | tcp | udp | icmp | icmp6 | ip | ip6
 *
 * "&&" and "||" spell "and" and "or". pcap-filter gives "and" and "or" the
 * same precedence, left to right, so "a or b and c" is "(a or b) and c"
 * there; this subset has no way to say that, so it refuses an unbracketed
 * "and" after an "or" rather than read it another way.
 */
#include "deny.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOKENS 256

struct parser {
	char *tok[MAX_TOKENS];
	int n, at;
	char *why;
	size_t why_len;
};

static int fail(struct parser *ps, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ps->why, ps->why_len, fmt, ap);
	va_end(ap);
	return -1;
}

/* Split into words, with "(" and ")" words of their own; buf is modified. */
static int tokenize(struct parser *ps, char *buf, char *store, size_t store_len)
{
	char *out = store;

	for (ps->n = 0; *buf;) {
		if (isspace((unsigned char)*buf)) {
			buf++;
			continue;
		}
		if (ps->n == MAX_TOKENS || (size_t)(out - store) + strlen(buf) + 2 > store_len)
			return fail(ps, "too long");
		ps->tok[ps->n++] = out;
		if (*buf == '(' || *buf == ')') {
			*out++ = *buf++;
		} else {
			while (*buf && !isspace((unsigned char)*buf) && *buf != '(' && *buf != ')')
				*out++ = *buf++;
		}
		*out++ = '\0';
	}
	return 0;
}

static const char *peek(const struct parser *ps)
{
	return ps->at < ps->n ? ps->tok[ps->at] : NULL;
}

static bool is(const char *t, const char *a, const char *b)
{
	return t && (!strcmp(t, a) || (b && !strcmp(t, b)));
}

static int parse_port(struct parser *ps, const char *s, __u16 *port)
{
	char *end;
	unsigned long v;

	if (!s)
		return fail(ps, "the expression ends where a port number should be");
	errno = 0;
	v = strtoul(s, &end, 10);
	if (!isdigit((unsigned char)*s) || *end || errno || v > 65535)
		return fail(ps, "'%s' is not a port number (0-65535; names are not supported)", s);
	*port = v;
	return 0;
}

/* ADDR or ADDR/LEN into a masked network; family 4 or 6. */
static int parse_net(struct parser *ps, const char *s, bool need_len, struct pb_deny_net *n,
		     __u8 *family)
{
	char addr[64];
	const char *slash = s ? strchr(s, '/') : NULL;
	unsigned long len, max;
	__u8 bytes[16];
	int i;

	if (!s || strlen(s) >= sizeof(addr))
		return fail(ps, "expected an address after 'host' or 'net'");
	if (need_len && !slash)
		return fail(ps, "'net %s': give the prefix length, as in 10.0.0.0/8", s);
	if (!need_len && slash)
		return fail(ps, "'host %s': a host has no prefix length; use 'net'", s);
	snprintf(addr, sizeof(addr), "%.*s", slash ? (int)(slash - s) : (int)strlen(s), s);
	memset(n, 0, sizeof(*n));
	if (inet_pton(AF_INET, addr, bytes) == 1) {
		*family = 4;
		max = 32;
	} else if (inet_pton(AF_INET6, addr, bytes) == 1) {
		*family = 6;
		max = 128;
	} else {
		return fail(ps, "'%s' is not a numeric IPv4 or IPv6 address", addr);
	}
	len = max;
	if (slash) {
		char *end;

		errno = 0;
		len = strtoul(slash + 1, &end, 10);
		if (!isdigit((unsigned char)slash[1]) || *end || errno || len > max)
			return fail(ps, "'%s': the prefix length must be 0 to %lu", s, max);
	}
	for (i = 0; i < (int)max / 8; i++) {
		__u8 m = len >= (unsigned long)(i + 1) * 8 ? 0xff
			 : len > (unsigned long)i * 8  ? (__u8)(0xff << (8 - (len - i * 8)))
						       : 0;

		/* libpcap refuses these too: "non-network bits set" */
		if (bytes[i] & ~m)
			return fail(ps, "'%s': non-network bits set", s);
		((__u8 *)n->addr)[i] = bytes[i];
		((__u8 *)n->mask)[i] = m;
	}
	return 0;
}

static int set_family(struct pb_deny_rule *r, __u8 family)
{
	if (r->family && r->family != family)
		r->has |= PB_DENY_NONE; /* "ip and ip6": matches nothing, as in libpcap */
	r->family = family;
	return 0;
}

static void set_l4(struct pb_deny_rule *r, __u8 mask)
{
	if (r->l4 && !(r->l4 & mask))
		r->has |= PB_DENY_NONE;
	r->l4 = r->l4 ? r->l4 & mask : mask;
}

/* One primitive, ANDed into r. */
static int parse_prim(struct parser *ps, struct pb_deny_rule *r)
{
	const char *proto = NULL, *dir = NULL, *kind, *t = peek(ps);
	int which; /* 0 src, 1 dst, 2 either */
	__u8 family = 0;

	if (is(t, "tcp", "udp") || is(t, "icmp", "icmp6") || is(t, "ip", "ip6")) {
		proto = t;
		ps->at++;
		t = peek(ps);
	}
	if (is(t, "src", "dst")) {
		dir = t;
		ps->at++;
		t = peek(ps);
	}
	which = !dir ? 2 : !strcmp(dir, "dst");
	if (!is(t, "port", "host") && !is(t, "net", NULL)) {
		if (dir)
			return fail(ps, "expected 'port', 'host' or 'net' after '%s'", dir);
		if (!proto)
			return fail(ps, t ? "'%s' is not in pktbpf's deny syntax (see README.md)"
					  : "the expression ends too soon", t);
		if (!strcmp(proto, "ip") || !strcmp(proto, "ip6"))
			return set_family(r, proto[2] ? 6 : 4);
		if (!strcmp(proto, "icmp") || !strcmp(proto, "icmp6"))
			set_family(r, proto[4] ? 6 : 4);
		set_l4(r, !strcmp(proto, "tcp")	   ? PB_DENY_TCP
			  : !strcmp(proto, "udp")  ? PB_DENY_UDP
			  : !strcmp(proto, "icmp") ? PB_DENY_ICMP
						   : PB_DENY_ICMP6);
		return 0;
	}
	kind = t;
	ps->at++;
	if (!strcmp(kind, "port")) {
		if (proto && strcmp(proto, "tcp") && strcmp(proto, "udp"))
			return fail(ps, "'%s port' is not valid: ports belong to tcp or udp", proto);
		if (r->has & (PB_DENY_SPORT << which))
			return fail(ps, "one '%sport' per 'and' group", dir ? (which ? "dst " : "src ") : "");
		if (parse_port(ps, peek(ps), &r->port[which]))
			return -1;
		ps->at++;
		r->has |= PB_DENY_SPORT << which;
		set_l4(r, !proto ? PB_DENY_TCP | PB_DENY_UDP
				 : !strcmp(proto, "tcp") ? PB_DENY_TCP : PB_DENY_UDP);
		return 0;
	}
	if (proto && strcmp(proto, "ip") && strcmp(proto, "ip6"))
		return fail(ps, "'%s %s' is not valid: only ip or ip6 qualify '%s'", proto, kind,
			    kind);
	if (r->has & (PB_DENY_SNET << which))
		return fail(ps, "one '%shost' or '%snet' per 'and' group",
			    dir ? (which ? "dst " : "src ") : "", dir ? (which ? "dst " : "src ") : "");
	if (parse_net(ps, peek(ps), !strcmp(kind, "net"), &r->net[which], &family))
		return -1;
	if (proto && (proto[2] ? 6 : 4) != family)
		return fail(ps, "'%s %s %s': the address is not %s", proto, kind, peek(ps),
			    proto[2] ? "IPv6" : "IPv4");
	ps->at++;
	r->has |= PB_DENY_SNET << which;
	return set_family(r, family);
}

static void append_text(char *text, size_t len, const char *word)
{
	size_t at = strlen(text);

	snprintf(text + at, len - at, "%s%s", at ? " " : "", word);
}

/* One "or" alternative: a bracketed group or a run of primitives joined by "and". */
static int parse_group(struct parser *ps, struct pb_deny_rule *r, char *text, size_t text_len,
		       bool after_or)
{
	bool bracket = is(peek(ps), "(", NULL);
	int first = ps->at + bracket, n_prims = 0;

	memset(r, 0, sizeof(*r));
	if (bracket)
		ps->at++;
	for (;;) {
		if (parse_prim(ps, r))
			return -1;
		n_prims++;
		if (!is(peek(ps), "and", "&&"))
			break;
		ps->at++;
	}
	if (bracket && !is(peek(ps), ")", NULL))
		return fail(ps, peek(ps) ? "expected ')' before '%s' (brackets hold 'and' groups only)"
					 : "missing ')'",
			    peek(ps));
	if (!bracket && after_or && n_prims > 1)
		return fail(ps, "pcap-filter reads 'A or B and C' as '(A or B) and C'; "
				"bracket the 'and' group: 'A or (B and C)'");
	text[0] = '\0';
	for (; first < ps->at; first++)
		append_text(text, text_len, ps->tok[first]);
	if (bracket)
		ps->at++;
	return 0;
}

int pb_deny_parse(struct pb_det_info *info, const char *expr, char *why, size_t why_len)
{
	struct parser ps = { .why = why, .why_len = why_len };
	char buf[1024], store[2048];
	struct pb_det_config *cfg = &info->cfg;
	__u32 n = cfg->n_rules;

	if (snprintf(buf, sizeof(buf), "%s", expr) >= (int)sizeof(buf))
		return fail(&ps, "longer than %zu characters", sizeof(buf) - 1);
	if (tokenize(&ps, buf, store, sizeof(store)))
		return -1;
	if (!ps.n)
		return fail(&ps, "empty expression");
	for (;;) {
		if (n == PB_DENY_MAX_RULES)
			return fail(&ps, "more than %d rules ('or' alternatives) in all",
				    PB_DENY_MAX_RULES);
		if (parse_group(&ps, &cfg->rule[n], info->rule_text[n], PB_DENY_TEXT_MAX,
				n > cfg->n_rules))
			return -1;
		n++;
		if (!peek(&ps))
			break;
		if (!is(peek(&ps), "or", "||"))
			return fail(&ps, "expected 'and' or 'or' before '%s'", peek(&ps));
		ps.at++;
	}
	cfg->n_rules = n;
	return 0;
}
