/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `pktbpf report`: what the charts show (the model, filled from a capture
 * file or by sampling an attachment), where everything goes on the page (the
 * layout, plain numbers and strings, also dumped as JSON by --data-json), and
 * the drawing of that layout with cairo.
 */
#ifndef PB_REPORT_H
#define PB_REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include <jansson.h>

#include "series.h"

#define PB_REPORT_TOP 10
/* Bins merge into wider ones (series.h) while at least this many remain. */
#define PB_REPORT_MIN_BINS 100
#define PB_REPORT_LABEL 176

/* A bar of a "top" chart: a talker or a flow. */
struct pb_report_row {
	char label[PB_REPORT_LABEL];
	__u64 packets, bytes;
	int cls; /* a flow's traffic class (its bar's color); -1 for a talker */
};

struct pb_report {
	const char *source;  /* the interface or the capture file */
	const char *filter;  /* the filter expression, or NULL */
	bool live;           /* sampled from an attachment, not read from a file */
	__u64 first_ns, last_ns; /* first and last packet (file) or sample (live), UTC ns */
	__u64 packets, bytes;
	struct pb_series series;
	struct pb_count classes[PB_CLASS_MAX]; /* totals over the whole span */
	bool have_flows;     /* false: the source had no flow table */
	struct pb_report_row talkers[PB_REPORT_TOP], flows[PB_REPORT_TOP];
	size_t n_talkers, n_flows;
	__u64 alerts;        /* raised in the span, all types */
	__u64 alert_types[PB_ALERT_MAX];
	char damage[160];    /* a capture damaged part-way: where and why; else "" */
};

void pb_report_init(struct pb_report *r, const char *source, __u64 bin_ns);
void pb_report_free(struct pb_report *r);

/* Count a delta of class counts at time ts_ns; 0 or -ENOMEM. */
int pb_report_add(struct pb_report *r, __u64 ts_ns, const struct pb_count cls[PB_CLASS_MAX]);

/* Count n alerts of a type (enum pb_alert_type) at time ts_ns; 0 or -ENOMEM. */
int pb_report_alerts(struct pb_report *r, __u64 ts_ns, int type, __u64 n);

struct pb_flow_list;
/* The top flows and talkers (by bytes) of l, which gets sorted; 0 or -ENOMEM. */
int pb_report_flows(struct pb_report *r, struct pb_flow_list *l);

/* ---- layout ---- */

#define PB_MAX_TICKS 12
#define PB_MAX_PANELS 6

struct pb_tick {
	double v; /* in the axis's own unit (seconds since the origin, or the y unit) */
	char label[24];
};

struct pb_axis {
	char title[80];
	double max;
	struct pb_tick ticks[PB_MAX_TICKS];
	int n_ticks;
};

enum pb_panel_kind {
	PB_PANEL_TIME, /* stacked series over time */
	PB_PANEL_BARS, /* horizontal bars, one per row */
};

struct pb_bar {
	char label[PB_REPORT_LABEL];
	char value[96]; /* printed after the bar */
	double share;   /* of the largest row: the bar's length, 0..1 */
	int color;      /* index into the palette: a class, or -1 for the default */
};

struct pb_panel {
	enum pb_panel_kind kind;
	char title[96];
	double x, y, w, h;      /* the panel on the page */
	double px, py, pw, ph;  /* its plot area */
	/* PB_PANEL_TIME: stacked series, bin values in unit/s (packets, bits) or
	 * per bin (alerts). A series is a traffic class (enum pb_class), or in
	 * the alerts panel an alert type (enum pb_alert_type). */
	const char *unit;       /* "packets/s", "bit/s", "alerts" */
	int series[(int)PB_CLASS_MAX > (int)PB_ALERT_MAX ? (int)PB_CLASS_MAX : (int)PB_ALERT_MAX];
	int n_series;           /* the classes or types seen */
	bool alerts;
	struct pb_axis xaxis, yaxis;
	/* PB_PANEL_BARS */
	struct pb_bar bars[PB_REPORT_TOP];
	int n_bars;
	const char *empty;      /* why there are no bars, or NULL */
};

struct pb_report_layout {
	double width, height;
	char title[160];
	char subtitle[320];
	struct pb_panel panels[PB_MAX_PANELS];
	int n_panels;
};

/* Where everything goes; the data of every chart as the drawing shows it. */
void pb_report_layout(const struct pb_report *r, struct pb_report_layout *l);

/* The value of series s of a time panel in bin i (what its band's height is). */
double pb_panel_value(const struct pb_report *r, const struct pb_panel *p, int s, size_t i);

/* The name of series s of a time panel: a class or an alert type. */
const char *pb_panel_series_name(const struct pb_panel *p, int s);

/* The report and its layout as one JSON document (--data-json). */
json_t *pb_report_json(const struct pb_report *r, const struct pb_report_layout *l);

/* ---- drawing ---- */

enum pb_report_format { PB_FMT_PNG, PB_FMT_SVG, PB_FMT_PDF };

/* The format an output path asks for by its extension; -1 for none of them. */
int pb_report_format_of(const char *path);

/*
 * Draw the layout into out (opened by the caller, so that it can refuse an
 * unwritable path before the work). 0, or -1 with the reason in *why.
 */
int pb_report_draw(const struct pb_report *r, const struct pb_report_layout *l,
		   enum pb_report_format fmt, FILE *out, const char **why);

#endif /* PB_REPORT_H */
