// SPDX-License-Identifier: BSD-2-Clause
/*
 * A report's model from an attachment: its pinned counters sampled at every
 * bin boundary for the duration, each bin holding what arrived in it. Bins
 * start at 100 ms and widen as the series grows (series.h), and the readings
 * slow down with them: the span need not be known, so a report stopped early
 * has fine bins too.
 */
#include "report_src.h"
#include "flows.h"
#include "log.h"
#include "state.h"
#include "stats.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The first bins: ten readings a second (a reading opens and reads a dozen
 * maps; with full detector tables it takes tens of ms, README says). */
#define LIVE_BIN_NS 100000000ull

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + (__u64)ts.tv_nsec;
}

/* Sleep until CLOCK_REALTIME reaches ns; false when a signal cut it short. */
static bool sleep_until(__u64 ns)
{
	struct timespec ts = { .tv_sec = (time_t)(ns / 1000000000ull),
			       .tv_nsec = (long)(ns % 1000000000ull) };

	return clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &ts, NULL) == 0;
}

static int sample(const struct pb_state *s, struct pb_totals *t, struct pb_count cls[PB_CLASS_MAX])
{
	int err = pb_stats_read(s, t);

	if (err) {
		pb_err(s->t.ifname, "cannot read counters: %s", strerror(-err));
		return PB_EXIT_FAIL;
	}
	memset(cls, 0, PB_CLASS_MAX * sizeof(*cls));
	pb_classes_add(cls, t->dir);
	return 0;
}

/* The alerts raised since the last reading, by type, from the detectors' counters. */
static int add_alerts(struct pb_report *r, __u64 at, struct pb_det_stats *seen,
		      const struct pb_totals *t)
{
	int i;

	for (i = 0; i < PB_ALERT_MAX; i++) {
		if (t->det.s.raised[i] > seen->raised[i] &&
		    pb_report_alerts(r, at, i, t->det.s.raised[i] - seen->raised[i]))
			return -1;
		seen->raised[i] = t->det.s.raised[i];
	}
	return 0;
}

static int cmp_key(const void *a, const void *b)
{
	return memcmp(&((const struct pb_flow_entry *)a)->key,
		      &((const struct pb_flow_entry *)b)->key, sizeof(struct pb_flow_key));
}

/*
 * What each flow of after carried since before (both read from the same
 * table): its counts less those it had then. Flows that sent nothing in
 * between go; a flow evicted and created again counts from its new start.
 */
static void flows_since(struct pb_flow_list *after, struct pb_flow_list *before)
{
	struct pb_flow_entry *e, *was;
	size_t i, n = 0;
	int k;

	qsort(before->e, before->n, sizeof(*before->e), cmp_key);
	for (i = 0; i < after->n; i++) {
		e = &after->e[i];
		was = bsearch(e, before->e, before->n, sizeof(*e), cmp_key);
		/* Fewer now than then: evicted and created again in between. */
		for (k = 0; was && k < 2; k++)
			if (e->val.packets[k] < was->val.packets[k] || e->val.bytes[k] < was->val.bytes[k])
				was = NULL;
		for (k = 0; was && k < 2; k++) {
			e->val.packets[k] -= was->val.packets[k];
			e->val.bytes[k] -= was->val.bytes[k];
		}
		if (e->val.packets[0] + e->val.packets[1])
			after->e[n++] = *e;
	}
	after->n = n;
}

/* The flows of the sampled span into r; an attachment without a flow table has none. */
static int live_flows(struct pb_report *r, const struct pb_state *s, struct pb_flow_list *before)
{
	struct pb_flow_list after;
	int err = pb_flows_read_pinned(s, &after);

	if (!err) {
		flows_since(&after, before);
		err = pb_report_flows(r, &after);
	}
	pb_flow_list_free(&after);
	if (err == -ENOENT)
		return 0;
	if (err)
		pb_err(s->t.ifname, "cannot read the flow table: %s", strerror(-err));
	return err ? PB_EXIT_FAIL : 0;
}

int pb_report_from_iface(struct pb_report *r, const struct pb_state *s, double duration,
			 volatile sig_atomic_t *stop)
{
	struct pb_count prev[PB_CLASS_MAX], cur[PB_CLASS_MAX], delta[PB_CLASS_MAX];
	struct pb_det_stats seen;
	struct pb_flow_list before = { 0 };
	__u64 w, start, end, at, next;
	struct pb_totals *t;
	int i, ret;

	t = malloc(sizeof(*t));
	if (!t) {
		pb_err("report", "out of memory");
		return PB_EXIT_FAIL;
	}
	r->live = true;
	pb_series_init(&r->series, LIVE_BIN_NS);
	r->first_ns = start = now_ns();
	end = start + (__u64)(duration * 1e9);
	ret = sample(s, t, prev);
	seen = t->det.s;
	if (!ret) {
		int err = pb_flows_read_pinned(s, &before);

		if (err && err != -ENOENT) {
			pb_err(s->t.ifname, "cannot read the flow table: %s", strerror(-err));
			ret = PB_EXIT_FAIL;
		}
	}
	for (at = start; !ret && at < end; at = next) {
		/* The next bin boundary: each sample closes exactly one bin. */
		w = r->series.width_ns;
		next = (at / w + 1) * w;
		if (next > end)
			next = end;
		/* Stopped early: what came until now still goes in. */
		if (!sleep_until(next) && *stop)
			next = now_ns();
		ret = sample(s, t, cur);
		/* Per-CPU values are copied while packets are counted: a class
		 * derived by subtraction can dip by a packet between reads. */
		for (i = 0; !ret && i < PB_CLASS_MAX; i++) {
			delta[i].packets = cur[i].packets > prev[i].packets
						   ? cur[i].packets - prev[i].packets : 0;
			delta[i].bytes = cur[i].bytes > prev[i].bytes ? cur[i].bytes - prev[i].bytes
								      : 0;
		}
		if (!ret && (pb_report_add(r, at, delta) || add_alerts(r, at, &seen, t))) {
			pb_err("report", "out of memory");
			ret = PB_EXIT_FAIL;
		}
		memcpy(prev, cur, sizeof(prev));
		r->last_ns = next;
		if (*stop)
			break;
	}
	if (!ret)
		ret = live_flows(r, s, &before);
	pb_flow_list_free(&before);
	free(t);
	return ret;
}
