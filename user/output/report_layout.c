// SPDX-License-Identifier: BSD-2-Clause
/*
 * Where the report's charts go and what their axes say: plain numbers and
 * strings, so the data behind every chart can be checked (and dumped) without
 * looking at pixels. report_draw.c only paints what this decides.
 */
#include "report.h"
#include "detect_cfg.h"
#include "units.h"
#include "utf8.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define PAGE_W 1200.0
#define MARGIN 30.0
#define TITLE_H 80.0
#define GAP 24.0
#define TIME_H 300.0
#define ALERTS_H 220.0
#define BARS_H (40.0 + PB_REPORT_TOP * 24.0 + 10.0)
/* Inside a time panel: the title and legend above, tick labels to the left
 * and below. */
#define HEAD_H 36.0
#define YLABEL_W 84.0
#define XLABEL_H 46.0

double pb_panel_value(const struct pb_report *r, const struct pb_panel *p, int s, size_t i)
{
	const struct pb_bin *b = &r->series.bins[i];
	double width_s = (double)r->series.width_ns / 1e9;

	if (p->alerts)
		return (double)b->alerts[p->series[s]];
	if (!strcmp(p->unit, "bit/s"))
		return 8.0 * (double)b->cls[p->series[s]].bytes / width_s;
	return (double)b->cls[p->series[s]].packets / width_s;
}

const char *pb_panel_series_name(const struct pb_panel *p, int s)
{
	return p->alerts ? pb_alert_names[p->series[s]] : pb_class_names[p->series[s]];
}

/* 1, 2 or 5 times a power of ten, so that about `want` steps reach max. */
static double nice_step(double max, int want)
{
	double raw = max / want, mag = pow(10, floor(log10(raw))), n = raw / mag;

	return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * mag;
}

/* A tick's label: "50 k" rather than "50.0 k", round numbers as written. */
static void tick_label(char *buf, size_t len, double v)
{
	char *dot, *end;

	pb_fmt_si(buf, len, v, "");
	dot = strchr(buf, '.');
	if (!dot)
		return;
	for (end = dot + strcspn(dot, " "); end[-1] == '0'; end--)
		;
	if (end[-1] == '.')
		end--;
	memmove(end, dot + strcspn(dot, " "), strlen(dot + strcspn(dot, " ")) + 1);
}

static void value_axis(struct pb_axis *a, double max, const char *title, bool whole)
{
	double step;
	int i;

	snprintf(a->title, sizeof(a->title), "%s", title);
	if (!(max > 0))
		max = 1;
	step = nice_step(max, 5);
	/* Counts of alerts are whole: no tick at 0.5 alerts. */
	if (whole && step < 1)
		step = 1;
	a->n_ticks = (int)ceil(max / step - 1e-9) + 1;
	if (a->n_ticks > PB_MAX_TICKS)
		a->n_ticks = PB_MAX_TICKS;
	a->max = step * (a->n_ticks - 1);
	for (i = 0; i < a->n_ticks; i++) {
		a->ticks[i].v = step * i;
		tick_label(a->ticks[i].label, sizeof(a->ticks[i].label), a->ticks[i].v);
	}
}

/* Steps of a time axis in seconds: round numbers of each unit. */
static const double time_steps[] = {
	0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30,
	60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200,
	86400, 172800, 604800, 1209600, 2592000, 7776000, 15552000, 31536000,
};

static void time_label(char *buf, size_t len, double v, double step)
{
	static const struct {
		double s;
		const char *name;
	} units[] = { { 86400, "d" }, { 3600, "h" }, { 60, "min" }, { 1, "s" }, { 0.001, "ms" } };
	size_t i;

	/* The largest unit a step is at least half of: "0.5 s" rather than "500 ms". */
	for (i = 0; i < sizeof(units) / sizeof(units[0]) - 1 && 2 * step < units[i].s; i++)
		;
	snprintf(buf, len, "%.10g %s", v / units[i].s, units[i].name);
}

static void fmt_utc(char *buf, size_t len, __u64 ns, bool ms)
{
	time_t sec = (time_t)(ns / 1000000000ull);
	struct tm tm;
	size_t n;

	gmtime_r(&sec, &tm);
	n = strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
	if (ms && n < len)
		snprintf(buf + n, len - n, ".%03u", (unsigned)(ns / 1000000ull % 1000));
}

/* Seconds since the start of the first bin; the title says when that was. */
static void time_axis(struct pb_axis *a, const struct pb_series *s)
{
	double span = (double)s->n * (double)s->width_ns / 1e9, step = time_steps[0];
	char when[48];
	size_t i;
	int k;

	fmt_utc(when, sizeof(when), pb_series_start(s, 0), s->width_ns < 1000000000ull);
	snprintf(a->title, sizeof(a->title), "time since %s UTC", when);
	for (i = 0; i < sizeof(time_steps) / sizeof(time_steps[0]); i++) {
		step = time_steps[i];
		if (span / step <= 8)
			break;
	}
	while (span / step > 8) /* beyond the table: years */
		step *= 2;
	a->max = span;
	a->n_ticks = 0;
	for (k = 0; k * step <= span + 1e-9 && a->n_ticks < PB_MAX_TICKS; k++) {
		a->ticks[a->n_ticks].v = k * step;
		time_label(a->ticks[a->n_ticks].label, sizeof(a->ticks[0].label), k * step, step);
		a->n_ticks++;
	}
}

static double stacked_max(const struct pb_report *r, const struct pb_panel *p)
{
	double max = 0, sum;
	size_t i;
	int s;

	for (i = 0; i < r->series.n; i++) {
		for (sum = 0, s = 0; s < p->n_series; s++)
			sum += pb_panel_value(r, p, s, i);
		if (sum > max)
			max = sum;
	}
	return max;
}

static struct pb_panel *add_panel(struct pb_report_layout *l, enum pb_panel_kind kind, double x,
				  double y, double w, double h, const char *title)
{
	struct pb_panel *p = &l->panels[l->n_panels++];

	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->x = x, p->y = y, p->w = w, p->h = h;
	snprintf(p->title, sizeof(p->title), "%s", title);
	if (kind == PB_PANEL_TIME) {
		p->px = x + YLABEL_W, p->py = y + HEAD_H;
		p->pw = w - YLABEL_W - 12, p->ph = h - HEAD_H - XLABEL_H;
	} else {
		p->px = x, p->py = y + HEAD_H, p->pw = w, p->ph = h - HEAD_H;
	}
	return p;
}

static void time_panel(struct pb_report_layout *l, const struct pb_report *r, double y, double h,
		       const char *title, const char *unit)
{
	struct pb_panel *p = add_panel(l, PB_PANEL_TIME, MARGIN, y, PAGE_W - 2 * MARGIN, h, title);
	char ytitle[48], bin[32];
	int c;

	p->unit = unit;
	p->alerts = !strcmp(unit, "alerts");
	if (p->alerts) {
		for (c = 0; c < PB_ALERT_MAX; c++)
			if (r->alert_types[c])
				p->series[p->n_series++] = c;
	} else {
		for (c = 0; c < PB_CLASS_MAX; c++)
			if (r->classes[c].packets)
				p->series[p->n_series++] = c;
	}
	time_axis(&p->xaxis, &r->series);
	pb_fmt_span(bin, sizeof(bin), (double)r->series.width_ns / 1e9);
	if (p->alerts)
		snprintf(ytitle, sizeof(ytitle), "alerts per %s", bin);
	else
		snprintf(ytitle, sizeof(ytitle), "%s", unit);
	value_axis(&p->yaxis, stacked_max(r, p), ytitle, p->alerts);
}

/* part of whole as "12.5 %". */
static const char *pct(char buf[16], __u64 part, __u64 whole)
{
	unsigned tenths = whole ? (unsigned)(1000.0 * (double)part / (double)whole + 0.5) : 0;

	snprintf(buf, 16, "%u.%u %%", tenths / 10 % 10000, tenths % 10);
	return buf;
}

static void class_bars(struct pb_panel *p, const struct pb_report *r)
{
	int order[PB_CLASS_MAX], n = 0, i, j, t;
	char pk[32], by[32], pc[16];
	__u64 max = 0;

	for (i = 0; i < PB_CLASS_MAX; i++)
		if (r->classes[i].packets)
			order[n++] = i;
	/* Largest first; equal ones keep the class order. */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && r->classes[order[j]].packets > r->classes[order[j - 1]].packets;
		     j--)
			t = order[j], order[j] = order[j - 1], order[j - 1] = t;
	if (n)
		max = r->classes[order[0]].packets;
	for (i = 0; i < n; i++) {
		const struct pb_count *c = &r->classes[order[i]];
		struct pb_bar *b = &p->bars[p->n_bars++];

		snprintf(b->label, sizeof(b->label), "%s", pb_class_names[order[i]]);
		pb_fmt_count(pk, sizeof(pk), c->packets);
		pb_fmt_si(by, sizeof(by), (double)c->bytes, "B");
		snprintf(b->value, sizeof(b->value), "%s  %s pkts  %s",
			 pct(pc, c->packets, r->packets), pk, by);
		b->share = (double)c->packets / (double)max;
		b->color = order[i];
	}
	if (!n)
		p->empty = "no packets";
}

static void row_bars(struct pb_panel *p, const struct pb_report *r,
		     const struct pb_report_row *rows, size_t n)
{
	char pk[32], by[32], pc[16];
	size_t i;

	for (i = 0; i < n && i < PB_REPORT_TOP; i++) {
		struct pb_bar *b = &p->bars[p->n_bars++];

		snprintf(b->label, sizeof(b->label), "%s", rows[i].label);
		pb_fmt_count(pk, sizeof(pk), rows[i].packets);
		pb_fmt_si(by, sizeof(by), (double)rows[i].bytes, "B");
		snprintf(b->value, sizeof(b->value), "%s  %s  %s pkts", by,
			 pct(pc, rows[i].bytes, r->bytes), pk);
		b->share = rows[0].bytes ? (double)rows[i].bytes / (double)rows[0].bytes : 0;
		b->color = rows[i].cls;
	}
	if (!r->have_flows)
		p->empty = r->live ? "no flow table on this attachment" : "no flow data";
	else if (!n)
		p->empty = "no IP traffic";
}

static void titles(struct pb_report_layout *l, const struct pb_report *r)
{
	char first[48], last[48], span[32], bin[32], pk[32], by[32], filter[200] = "";
	double secs = (double)(r->last_ns - r->first_ns) / 1e9;

	const char *slash = strrchr(r->source, '/');

	/* A file by its name: the directory is in the JSON's "source". */
	snprintf(l->title, sizeof(l->title), "pktbpf report: %s%s", r->live ? "interface " : "",
		 !r->live && slash && slash[1] ? slash + 1 : r->source);
	fmt_utc(first, sizeof(first), r->first_ns, true);
	fmt_utc(last, sizeof(last), r->last_ns, true);
	/* The same date twice says nothing: the second time shows the clock only. */
	if (!strncmp(first, last, 11))
		memmove(last, last + 11, strlen(last + 11) + 1);
	pb_fmt_span(span, sizeof(span), secs);
	pb_fmt_span(bin, sizeof(bin), (double)r->series.width_ns / 1e9);
	pb_fmt_count(pk, sizeof(pk), r->packets);
	pb_fmt_si(by, sizeof(by), (double)r->bytes, "B");
	if (r->filter)
		snprintf(filter, sizeof(filter), "   filter: %.80s", r->filter);
	if (r->damage[0])
		snprintf(filter + strlen(filter), sizeof(filter) - strlen(filter), "   %s",
			 r->damage);
	if (!r->packets && !r->live)
		snprintf(l->subtitle, sizeof(l->subtitle), "no packets%s", filter);
	else
		snprintf(l->subtitle, sizeof(l->subtitle),
			 "%s to %s UTC (%s)   %s packets, %s   bins of %s%s", first, last, span, pk,
			 by, bin, filter);
	/* Cairo draws UTF-8 only: names with other bytes show them as \xNN. */
	pb_utf8_fix(l->title, sizeof(l->title));
	pb_utf8_fix(l->subtitle, sizeof(l->subtitle));
}

void pb_report_layout(const struct pb_report *r, struct pb_report_layout *l)
{
	double y = MARGIN + TITLE_H, half = (PAGE_W - 2 * MARGIN - GAP) / 2;
	struct pb_panel *p;

	memset(l, 0, sizeof(*l));
	l->width = PAGE_W;
	titles(l, r);
	time_panel(l, r, y, TIME_H, "Packets per second, by protocol", "packets/s");
	y += TIME_H + GAP;
	time_panel(l, r, y, TIME_H, "Bits per second, by protocol", "bit/s");
	y += TIME_H + GAP;
	if (r->alerts) {
		time_panel(l, r, y, ALERTS_H, "Alerts", "alerts");
		y += ALERTS_H + GAP;
	}
	p = add_panel(l, PB_PANEL_BARS, MARGIN, y, half, BARS_H, "Protocols (share of packets)");
	class_bars(p, r);
	p = add_panel(l, PB_PANEL_BARS, MARGIN + half + GAP, y, half, BARS_H,
		      "Top talkers (bytes sent)");
	row_bars(p, r, r->talkers, r->n_talkers);
	y += BARS_H + GAP;
	p = add_panel(l, PB_PANEL_BARS, MARGIN, y, PAGE_W - 2 * MARGIN, BARS_H,
		      "Top flows (bytes, both ways)");
	row_bars(p, r, r->flows, r->n_flows);
	y += BARS_H;
	l->height = y + MARGIN;
}
