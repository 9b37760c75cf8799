// SPDX-License-Identifier: BSD-2-Clause
/* The report's model and its JSON form (--data-json). */
#include "report.h"
#include "detect_cfg.h"
#include "flows.h"
#include "flows_fmt.h"
#include "pkt_fmt.h"
#include "utf8.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pb_report_init(struct pb_report *r, const char *source, __u64 bin_ns)
{
	memset(r, 0, sizeof(*r));
	r->source = source;
	pb_series_init(&r->series, bin_ns);
}

void pb_report_free(struct pb_report *r)
{
	pb_series_free(&r->series);
}

int pb_report_add(struct pb_report *r, __u64 ts_ns, const struct pb_count cls[PB_CLASS_MAX])
{
	struct pb_bin *b = pb_series_at(&r->series, ts_ns);
	int i;

	if (!b)
		return -ENOMEM;
	for (i = 0; i < PB_CLASS_MAX; i++) {
		b->cls[i].packets += cls[i].packets;
		b->cls[i].bytes += cls[i].bytes;
		r->classes[i].packets += cls[i].packets;
		r->classes[i].bytes += cls[i].bytes;
		r->packets += cls[i].packets;
		r->bytes += cls[i].bytes;
	}
	return 0;
}

int pb_report_alerts(struct pb_report *r, __u64 ts_ns, int type, __u64 n)
{
	struct pb_bin *b;

	if (type < 0 || type >= PB_ALERT_MAX)
		return 0;
	b = pb_series_at(&r->series, ts_ns);
	if (!b)
		return -ENOMEM;
	b->alerts[type] += n;
	r->alert_types[type] += n;
	r->alerts += n;
	return 0;
}

int pb_report_flows(struct pb_report *r, struct pb_flow_list *l)
{
	char a[72], b[72], num[16];
	struct pb_talker *t;
	long n, i;

	pb_flows_sort(l, PB_SORT_BYTES);
	for (i = 0; i < (long)l->n && i < PB_REPORT_TOP; i++) {
		const struct pb_flow_entry *e = &l->e[i];
		struct pb_report_row *row = &r->flows[i];
		int s = pb_flow_initiator(&e->val);

		pb_flow_endpoint_str(&e->key, s, a, sizeof(a));
		pb_flow_endpoint_str(&e->key, !s, b, sizeof(b));
		/* The initiator first; the bytes are both ways. */
		snprintf(row->label, sizeof(row->label), "%s %s \u2194 %s",
			 pb_ipproto_name(e->key.l4_proto, num, sizeof(num)), a, b);
		if (e->key.vlan_id)
			snprintf(row->label + strlen(row->label), sizeof(row->label) - strlen(row->label),
				 " vlan %u", e->key.vlan_id);
		row->cls = pb_class_of_ip_proto(e->key.l4_proto);
		row->packets = e->val.packets[0] + e->val.packets[1];
		row->bytes = e->val.bytes[0] + e->val.bytes[1];
	}
	r->n_flows = (size_t)i;
	n = pb_talkers(l, false, &t);
	if (n < 0)
		return (int)n;
	for (i = 0; i < n && i < PB_REPORT_TOP; i++) {
		pb_addr_str(t[i].family, t[i].addr, r->talkers[i].label, sizeof(r->talkers[i].label));
		r->talkers[i].cls = -1;
		r->talkers[i].packets = t[i].packets;
		r->talkers[i].bytes = t[i].bytes;
	}
	r->n_talkers = (size_t)i;
	free(t);
	r->have_flows = true;
	return 0;
}

static json_t *rows_json(const struct pb_report_row *rows, size_t n, const char *what)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s,s:I,s:I}", what, rows[i].label, "packets",
						   (json_int_t)rows[i].packets, "bytes",
						   (json_int_t)rows[i].bytes));
	return a;
}

static json_t *ticks_json(const struct pb_axis *a)
{
	json_t *t = json_array();
	int i;

	for (i = 0; i < a->n_ticks; i++)
		json_array_append_new(t, json_string(a->ticks[i].label));
	return t;
}

static json_t *time_panel_json(const struct pb_report *r, const struct pb_panel *p)
{
	json_t *names = json_array(), *values = json_object();
	int s;
	size_t i;

	for (s = 0; s < p->n_series; s++) {
		const char *name = pb_panel_series_name(p, s);
		json_t *v = json_array();

		for (i = 0; i < r->series.n; i++)
			json_array_append_new(v, json_real(pb_panel_value(r, p, s, i)));
		json_array_append_new(names, json_string(name));
		json_object_set_new(values, name, v);
	}
	return json_pack("{s:s,s:s,s:s,s:o,s:o,s:s,s:o,s:s,s:f,s:o}", "title", p->title, "kind",
			 "time", "unit", p->unit, "series", names, "values", values, "x_title",
			 p->xaxis.title, "x_ticks", ticks_json(&p->xaxis), "y_title", p->yaxis.title,
			 "y_max", p->yaxis.max, "y_ticks", ticks_json(&p->yaxis));
}

static json_t *bars_panel_json(const struct pb_panel *p)
{
	json_t *bars = json_array();
	int i;

	for (i = 0; i < p->n_bars; i++)
		json_array_append_new(bars, json_pack("{s:s,s:s,s:f}", "label", p->bars[i].label,
						      "value", p->bars[i].value, "share",
						      p->bars[i].share));
	return json_pack("{s:s,s:s,s:o,s:s?}", "title", p->title, "kind", "bars", "bars", bars,
			 "empty", p->empty);
}

json_t *pb_report_json(const struct pb_report *r, const struct pb_report_layout *l)
{
	char first[PB_TIME_STRLEN] = "", last[PB_TIME_STRLEN] = "";
	json_t *classes = json_object(), *charts = json_array(), *alerts = json_object();
	int i;

	if (r->packets || r->live) {
		pb_fmt_time_ns(first, r->first_ns);
		pb_fmt_time_ns(last, r->last_ns);
	}
	for (i = 0; i < PB_CLASS_MAX; i++)
		json_object_set_new(classes, pb_class_names[i],
				    json_pack("{s:I,s:I}", "packets",
					      (json_int_t)r->classes[i].packets, "bytes",
					      (json_int_t)r->classes[i].bytes));
	for (i = 0; i < PB_ALERT_MAX; i++)
		if (r->alert_types[i])
			json_object_set_new(alerts, pb_alert_names[i],
					    json_integer((json_int_t)r->alert_types[i]));
	for (i = 0; i < l->n_panels; i++)
		json_array_append_new(charts, l->panels[i].kind == PB_PANEL_TIME
						      ? time_panel_json(r, &l->panels[i])
						      : bars_panel_json(&l->panels[i]));
	return json_pack("{s:o,s:s,s:o,s:s?,s:s?,s:f,s:I,s:I,s:f,s:I,s:o,s:o*,s:o*,s:I,"
			 "s:o,s:o,s:{s:f,s:f,s:o,s:o},s:o}",
			 "source", pb_json_str(r->source), "kind", r->live ? "interface" : "file",
			 "filter", pb_json_str(r->filter), "first", first[0] ? first : NULL, "last",
			 last[0] ? last : NULL, "duration_seconds",
			 (double)(r->last_ns - r->first_ns) / 1e9, "packets",
			 (json_int_t)r->packets, "bytes", (json_int_t)r->bytes, "bin_seconds",
			 (double)r->series.width_ns / 1e9, "bins", (json_int_t)r->series.n,
			 "classes", classes, "top_talkers",
			 r->have_flows ? rows_json(r->talkers, r->n_talkers, "address") : NULL,
			 "top_flows", r->have_flows ? rows_json(r->flows, r->n_flows, "flow") : NULL,
			 "alerts", (json_int_t)r->alerts, "alerts_by_type", alerts, "damaged",
			 pb_json_str(r->damage[0] ? r->damage : NULL), "image", "width", l->width, "height",
			 l->height, "title", pb_json_str(l->title), "subtitle", pb_json_str(l->subtitle),
			 "charts", charts);
}
