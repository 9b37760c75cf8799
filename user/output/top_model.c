// SPDX-License-Identifier: BSD-2-Clause
#include "top_model.h"
#include "flows_fmt.h"
#include "detect_cfg.h"
#include "detect_stats.h"
#include "state.h"
#include "units.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *pb_top_sort_name(enum pb_top_sort s)
{
	return s == PB_TOP_SORT_PACKETS ? "packets" : "bytes";
}

static double rate(__u64 a, __u64 b, double elapsed)
{
	return elapsed > 0 && b >= a ? (double)(b - a) / elapsed : 0.0;
}

static void dir_rates(const struct pb_top_input *in, int dir, double out[PB_RATE_MAX])
{
	const struct pb_count *a = &in->prev->dir[dir].proto[PB_PROTO_ALL];
	const struct pb_count *b = &in->cur->dir[dir].proto[PB_PROTO_ALL];

	out[PB_RATE_PACKETS] = rate(a->packets, b->packets, in->elapsed);
	out[PB_RATE_BITS] = 8 * rate(a->bytes, b->bytes, in->elapsed);
}

void pb_top_history_push(struct pb_top_history *h, const struct pb_top_input *in)
{
	double r[PB_RATE_MAX];
	int dir, k;

	if (!in->prev)
		return;
	for (dir = 0; dir < PB_DIR_MAX; dir++) {
		dir_rates(in, dir, r);
		for (k = 0; k < PB_RATE_MAX; k++)
			h->v[dir][k][h->head] = r[k];
	}
	h->head = (h->head + 1) % PB_TOP_HISTORY;
	if (h->n < PB_TOP_HISTORY)
		h->n++;
}

unsigned pb_top_spark(const struct pb_top_history *h, int dir, enum pb_top_rate what,
		      unsigned k, int *levels)
{
	double max = 0, v;
	unsigned i, at;

	if (k > h->n)
		k = h->n;
	at = (h->head + PB_TOP_HISTORY - k) % PB_TOP_HISTORY;
	for (i = 0; i < k; i++) {
		v = h->v[dir][what][(at + i) % PB_TOP_HISTORY];
		if (v > max)
			max = v;
	}
	for (i = 0; i < k; i++) {
		v = h->v[dir][what][(at + i) % PB_TOP_HISTORY];
		/* Anything above zero shows at least the lowest block: one
		 * packet in a busy minute is still a packet. */
		levels[i] = v <= 0 ? 0 : 1 + (int)((PB_SPARK_LEVELS - 1) * v / max + 0.5);
		if (levels[i] > PB_SPARK_LEVELS)
			levels[i] = PB_SPARK_LEVELS;
	}
	return k;
}

static void dir_row(struct pb_top_dir_row *row, const struct pb_top_input *in, int dir)
{
	const struct pb_count *c = &in->cur->dir[dir].proto[PB_PROTO_ALL];

	row->n_packets = c->packets;
	row->n_bytes = c->bytes;
	pb_fmt_count(row->packets, sizeof(row->packets), c->packets);
	pb_fmt_si(row->bytes, sizeof(row->bytes), (double)c->bytes, "B");
	if (!in->prev) {
		strcpy(row->pps, "-");
		strcpy(row->bps, "-");
		return;
	}
	dir_rates(in, dir, row->rate);
	pb_fmt_si(row->pps, sizeof(row->pps), row->rate[PB_RATE_PACKETS], "");
	pb_fmt_si(row->bps, sizeof(row->bps), row->rate[PB_RATE_BITS], "bit/s");
}

static void class_rows(struct pb_top_view *v, const struct pb_totals *t)
{
	struct pb_count cls[PB_CLASS_MAX] = { 0 };
	struct pb_top_class_row tmp;
	__u64 all = 0;
	int i, j;

	pb_classes_add(cls, t->dir);
	for (i = 0; i < PB_CLASS_MAX; i++)
		all += cls[i].packets;
	v->n_cls = 0;
	for (i = 0; i < PB_CLASS_MAX; i++) {
		struct pb_top_class_row *r = &v->cls[v->n_cls];
		unsigned tenths;

		if (!cls[i].packets)
			continue;
		r->id = i;
		r->name = pb_class_names[i];
		r->n_packets = cls[i].packets;
		r->share = (double)cls[i].packets / (double)all;
		tenths = (unsigned)(r->share * 1000 + 0.5);
		snprintf(r->pct, sizeof(r->pct), "%u.%u %%", tenths / 10, tenths % 10);
		pb_fmt_count(r->packets, sizeof(r->packets), cls[i].packets);
		pb_fmt_si(r->bytes, sizeof(r->bytes), (double)cls[i].bytes, "B");
		/* Largest first; a tie keeps the class order. */
		for (j = v->n_cls; j > 0 && v->cls[j - 1].n_packets < cls[i].packets; j--) {
			tmp = v->cls[j - 1];
			v->cls[j - 1] = v->cls[j];
			v->cls[j] = tmp;
		}
		v->n_cls++;
	}
}

static void title(struct pb_top_view *v, const struct pb_top_input *in)
{
	char since[32] = "?";

	if (in->info->attach_time_ns)
		pb_format_time(since, sizeof(since), in->info->attach_time_ns);
	snprintf(v->title, sizeof(v->title), "%s%s%s: xdp %s, %s, attached since %s%s%s",
		 in->ifname, in->netns && *in->netns ? " in netns " : "",
		 in->netns ? in->netns : "", pb_mode_str(in->info->xdp_mode),
		 in->info->flags & PB_ATTACH_EGRESS ? "egress tcx" : "no egress", since,
		 in->health == PB_HEALTH_OK ? "" : ", ", /* not counting any more: say so */
		 in->health == PB_HEALTH_OK ? "" : pb_health_str(in->health));
}

/* Append ", " (after the first) and what fmt says to buf. */
static void list_add(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void list_add(char *buf, size_t len, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n && n + 2 < len) {
		strcpy(buf + n, ", ");
		n += 2;
	}
	va_start(ap, fmt);
	vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
}

static void alerts(struct pb_top_view *v, const struct pb_top_input *in)
{
	const struct pb_det_totals *d = &in->cur->det;
	const struct pb_top_alerts *a = in->alerts;
	char msg[200], when[16];
	struct tm tm;
	time_t sec;
	unsigned i;

	v->have_alerts = d->present;
	if (!d->present)
		return;
	for (i = 0; i < PB_ALERT_MAX; i++)
		if (d->s.raised[i])
			list_add(v->alert_counts, sizeof(v->alert_counts), "%s %llu",
				 pb_alert_names[i], (unsigned long long)d->s.raised[i]);
	if (!v->alert_counts[0])
		strcpy(v->alert_counts, "none");
	for (i = 0; a && i < a->n; i++) {
		const struct pb_alert *x = pb_top_alert(a, i);

		sec = (time_t)((__s64)x->time_ns + a->origin.clock_offset_ns) / 1000000000;
		localtime_r(&sec, &tm);
		strftime(when, sizeof(when), "%H:%M:%S", &tm);
		pb_alert_message(msg, sizeof(msg), x, &a->origin);
		snprintf(v->alerts[i], sizeof(v->alerts[i]), "%s %s: %s", when,
			 x->type < PB_ALERT_MAX ? pb_alert_names[x->type] : "?", msg);
	}
	v->n_alerts = (int)i;
}

static int cmp_talker_packets(const void *a, const void *b)
{
	const struct pb_talker *x = a, *y = b;

	return x->packets < y->packets ? 1 : x->packets > y->packets ? -1 : 0;
}

static void talker_rows(struct pb_top_view *v, const struct pb_top_input *in)
{
	struct pb_talker *t;
	long n, i;

	n = pb_talkers(in->flows, false, &t);
	if (n < 0)
		return;
	/* pb_talkers gives them by bytes. */
	if (in->sort == PB_TOP_SORT_PACKETS)
		qsort(t, (size_t)n, sizeof(*t), cmp_talker_packets);
	for (i = 0; i < n && i < PB_TOP_ROWS; i++) {
		struct pb_top_talker_row *r = &v->talkers[i];

		pb_addr_str(t[i].family, t[i].addr, r->addr, sizeof(r->addr));
		r->n_packets = t[i].packets;
		r->n_bytes = t[i].bytes;
		pb_fmt_count(r->packets, sizeof(r->packets), t[i].packets);
		pb_fmt_si(r->bytes, sizeof(r->bytes), (double)t[i].bytes, "B");
		snprintf(r->flows, sizeof(r->flows), "%u", t[i].flows);
	}
	v->n_talkers = (int)i;
	free(t);
}

static void flow_rows(struct pb_top_view *v, const struct pb_top_input *in)
{
	struct pb_flow_list *l = in->flows;
	size_t i;

	v->have_flows = l || (in->flows_err && in->flows_err != -ENOENT);
	if (!l) {
		if (v->have_flows)
			snprintf(v->flows_note, sizeof(v->flows_note), "cannot read the flow table: %s",
				 strerror(-in->flows_err));
		return;
	}
	pb_flows_sort(l, in->sort == PB_TOP_SORT_PACKETS ? PB_SORT_PACKETS : PB_SORT_BYTES);
	for (i = 0; i < l->n && i < PB_TOP_ROWS; i++) {
		const struct pb_flow_entry *e = &l->e[i];
		struct pb_top_flow_row *r = &v->flows[i];
		int s = pb_flow_initiator(&e->val);

		char num[16];

		snprintf(r->proto, sizeof(r->proto), "%s",
			 pb_ipproto_name(e->key.l4_proto, num, sizeof(num)));
		pb_flow_endpoint_str(&e->key, s, r->from, sizeof(r->from));
		pb_flow_endpoint_str(&e->key, !s, r->to, sizeof(r->to));
		r->n_packets = e->val.packets[0] + e->val.packets[1];
		r->n_bytes = e->val.bytes[0] + e->val.bytes[1];
		pb_fmt_count(r->packets, sizeof(r->packets), r->n_packets);
		pb_fmt_si(r->bytes, sizeof(r->bytes), (double)r->n_bytes, "B");
	}
	v->n_flows = (int)i;
	snprintf(v->flows_note, sizeof(v->flows_note), "%zu of %zu flows, table of %u", i, l->n,
		 l->max_entries);
	talker_rows(v, in);
}

/* Every counter of data lost that is not zero. */
static void loss(struct pb_top_view *v, const struct pb_top_input *in)
{
	const struct pb_det_totals *d = &in->cur->det;
	__u64 n = 0;
	int i;

	for (i = 0; i < PB_ALERT_MAX; i++)
		n += d->s.ring_full[i];
	if (n)
		list_add(v->loss, sizeof(v->loss), "%llu alerts (ring buffer full)",
			 (unsigned long long)n);
	for (i = 0; d->present && i < PB_DET_TABLE_MAX; i++)
		if (pb_det_evicted(d, i))
			list_add(v->loss, sizeof(v->loss), "%llu detector state entries evicted (%s)",
				 (unsigned long long)pb_det_evicted(d, i), pb_det_table_names[i]);
	if (in->flows && in->flows->evicted)
		list_add(v->loss, sizeof(v->loss), "%llu flows evicted",
			 (unsigned long long)in->flows->evicted);
	if (in->flows && in->flows->insert_failed)
		list_add(v->loss, sizeof(v->loss), "%llu flows not inserted",
			 (unsigned long long)in->flows->insert_failed);
	if (in->samples && in->samples->lost_ring_full + in->samples->lost_copy)
		list_add(v->loss, sizeof(v->loss), "%llu sampled packets",
			 (unsigned long long)(in->samples->lost_ring_full + in->samples->lost_copy));
}

void pb_top_view_build(struct pb_top_view *v, const struct pb_top_input *in)
{
	struct tm tm;
	int dir;

	memset(v, 0, sizeof(*v));
	title(v, in);
	localtime_r(&in->now, &tm);
	strftime(v->clock, sizeof(v->clock), "%H:%M:%S", &tm);
	v->paused = in->paused;
	v->sort = in->sort;
	for (dir = 0; dir < PB_DIR_MAX; dir++)
		dir_row(&v->dir[dir], in, dir);
	class_rows(v, in->cur);
	flow_rows(v, in);
	alerts(v, in);
	loss(v, in);
}
