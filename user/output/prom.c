// SPDX-License-Identifier: BSD-2-Clause
#include "prom.h"
#include "utf8.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool reserve(struct pb_prom *p, size_t n)
{
	size_t cap;
	char *b;

	if (p->failed)
		return false;
	if (p->len + n <= p->cap)
		return true;
	cap = p->cap ? p->cap : 16384;
	while (cap < p->len + n)
		cap *= 2;
	b = realloc(p->buf, cap);
	if (!b) {
		p->failed = true;
		return false;
	}
	p->buf = b;
	p->cap = cap;
	return true;
}

static void put(struct pb_prom *p, const char *s, size_t n)
{
	if (!reserve(p, n))
		return;
	memcpy(p->buf + p->len, s, n);
	p->len += n;
}

static void puts_(struct pb_prom *p, const char *s)
{
	put(p, s, strlen(s));
}

struct escape {
	struct pb_prom *p;
	bool label;
};

/* The format's escapes: in HELP text backslash and line feed; in label values
 * also the double quote. UTF-8 goes through as is. */
static void put_escaped_run(void *ctx, const char *s, size_t n)
{
	struct escape *e = ctx;
	const char *run = s, *end = s + n;

	for (; s < end; s++) {
		const char *esc = *s == '\\'		? "\\\\"
				  : *s == '\n'		? "\\n"
				  : *s == '"' && e->label ? "\\\""
							: NULL;

		if (!esc)
			continue;
		put(e->p, run, s - run);
		put(e->p, esc, 2);
		run = s + 1;
	}
	put(e->p, run, s - run);
}

/* Bytes that are not UTF-8 (an interface may be named with any) become the
 * text \xNN first, as in pktbpf's JSON (utf8.h), then escaped as above. */
static void put_escaped(struct pb_prom *p, const char *s, bool label)
{
	struct escape e = { p, label };

	pb_utf8_repair(s, strlen(s), put_escaped_run, &e);
}

void pb_prom_reset(struct pb_prom *p)
{
	p->len = 0;
	p->failed = false;
}

void pb_prom_free(struct pb_prom *p)
{
	free(p->buf);
	memset(p, 0, sizeof(*p));
}

void pb_prom_family(struct pb_prom *p, const char *name, enum pb_prom_type type, const char *help)
{
	puts_(p, "# HELP ");
	puts_(p, name);
	put(p, " ", 1);
	put_escaped(p, help, false);
	puts_(p, "\n# TYPE ");
	puts_(p, name);
	puts_(p, type == PB_PROM_COUNTER ? " counter\n" : " gauge\n");
}

static void put_series(struct pb_prom *p, const char *name, const struct pb_labels *ls)
{
	int i;

	if (ls && ls->n > PB_PROM_MAX_LABELS) {
		p->failed = true;
		return;
	}
	puts_(p, name);
	if (!ls || !ls->n) {
		put(p, " ", 1);
		return;
	}
	for (i = 0; i < ls->n; i++) {
		put(p, i ? "," : "{", 1);
		puts_(p, ls->name[i]);
		put(p, "=\"", 2);
		put_escaped(p, ls->value[i], true);
		put(p, "\"", 1);
	}
	put(p, "} ", 2);
}

void pb_prom_u64(struct pb_prom *p, const char *name, const struct pb_labels *ls, __u64 v)
{
	char num[24], *at = num + sizeof(num);

	*--at = '\n';
	do
		*--at = '0' + v % 10;
	while (v /= 10);
	put_series(p, name, ls);
	put(p, at, num + sizeof(num) - at);
}

void pb_prom_f64(struct pb_prom *p, const char *name, const struct pb_labels *ls, double v)
{
	char num[40];

	/* Go's ParseFloat spellings, which Prometheus reads. */
	if (isnan(v))
		strcpy(num, "NaN\n");
	else if (isinf(v))
		strcpy(num, v > 0 ? "+Inf\n" : "-Inf\n");
	else
		snprintf(num, sizeof(num), "%.17g\n", v);
	put_series(p, name, ls);
	puts_(p, num);
}

bool pb_prom_valid_name(const char *s, bool metric)
{
	const char *c;

	if (!s || !*s || (*s >= '0' && *s <= '9'))
		return false;
	for (c = s; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '_' || (metric && *c == ':')))
			return false;
	/* Names beginning with __ are reserved for Prometheus' own use. */
	return metric || strncmp(s, "__", 2);
}
