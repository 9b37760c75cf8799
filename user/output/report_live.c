// SPDX-License-Identifier: BSD-2-Clause
/*
 * A report's model from an attachment: its pinned counters sampled at every
 * bin boundary for the duration, each bin holding what arrived in it. Bins
 * start at 100 ms and widen as the series grows (series.h), and the readings
 * slow down with them: the span need not be known, so a report stopped early
 * has fine bins too. An `attach --replace` meanwhile (new maps, counting from
 * zero) is followed.
 */
#include "report_src.h"
#include "flow_span.h"
#include "log.h"
#include "state_follow.h"
#include "stats_read.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The first bins: ten readings a second (a reading opens and reads a dozen
 * maps; with full detector tables it takes tens of ms, README says). */
#define LIVE_BIN_NS 100000000ull

struct live {
	struct pb_report *r;
	struct pb_state *s;
	struct pb_totals t;
	struct pb_count seen[PB_CLASS_MAX]; /* the classes at the last reading */
	struct pb_det_stats det;            /* the detectors' counters then */
	struct pb_flow_span flows;
	bool have_flows;
};

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

static __u64 since(__u64 now, __u64 then)
{
	/* Per-CPU values are copied while packets are counted: a class derived
	 * by subtraction can dip by a packet between readings. */
	return now > then ? now - then : 0;
}

/*
 * Read the counters; with at, put what was counted since the last reading
 * (and the alerts raised, from the detectors' counters) in the bin that
 * starts then. The first reading, without, is the baseline.
 */
static int reading(struct live *l, const __u64 *at)
{
	struct pb_count cls[PB_CLASS_MAX] = { 0 }, delta[PB_CLASS_MAX];
	int i, err;

	err = pb_stats_read(l->s, &l->t);
	if (err) {
		pb_err(l->s->t.ifname, "cannot read counters: %s", strerror(-err));
		return PB_EXIT_FAIL;
	}
	pb_classes_add(cls, l->t.dir);
	for (i = 0; i < PB_CLASS_MAX; i++) {
		delta[i].packets = since(cls[i].packets, l->seen[i].packets);
		delta[i].bytes = since(cls[i].bytes, l->seen[i].bytes);
		l->seen[i] = cls[i];
	}
	err = at ? pb_report_add(l->r, *at, delta) : 0;
	for (i = 0; !err && i < PB_ALERT_MAX; i++) {
		if (at)
			err = pb_report_alerts(l->r, *at, i,
					       since(l->t.det.s.raised[i], l->det.raised[i]));
		l->det.raised[i] = l->t.det.s.raised[i];
	}
	if (err) {
		pb_err("report", "out of memory");
		return PB_EXIT_FAIL;
	}
	return 0;
}

static int flows_failed(struct live *l, int err)
{
	if (!err || err == -ENOENT)
		return 0;
	pb_err(l->s->t.ifname, "cannot read the flow table: %s", strerror(-err));
	return PB_EXIT_FAIL;
}

/* New maps since the last reading: their counters start from zero. */
static int follow(struct live *l)
{
	int err = pb_state_follow(l->s);

	if (err <= 0)
		return 0; /* the same maps; or detached, which the reading will say */
	pb_info("%s: replaced (attach --replace): following the new maps", l->s->t.ifname);
	memset(l->seen, 0, sizeof(l->seen));
	memset(&l->det, 0, sizeof(l->det));
	if (l->have_flows)
		return flows_failed(l, pb_flow_span_switch(&l->flows, l->s));
	err = pb_flow_span_begin(&l->flows, l->s);
	l->have_flows = !err;
	/* A table that came with the replacement holds only the span's flows. */
	if (!err)
		pb_flow_list_free(&l->flows.start);
	return flows_failed(l, err);
}

static int span_flows(struct live *l)
{
	struct pb_flow_list fl;
	int err;

	if (!l->have_flows)
		return 0;
	err = pb_flow_span_end(&l->flows, &fl);
	if (!err)
		err = pb_report_flows(l->r, &fl);
	pb_flow_list_free(&fl);
	return flows_failed(l, err);
}

int pb_report_from_iface(struct pb_report *r, struct pb_state *s, double duration,
			 volatile sig_atomic_t *stop)
{
	__u64 w, start, end, at, next;
	struct live *l;
	int ret, err;

	l = calloc(1, sizeof(*l));
	if (!l) {
		pb_err("report", "out of memory");
		return PB_EXIT_FAIL;
	}
	l->r = r;
	l->s = s;
	r->live = true;
	pb_series_init(&r->series, LIVE_BIN_NS);
	r->first_ns = start = now_ns();
	end = start + (__u64)(duration * 1e9);
	err = pb_flow_span_begin(&l->flows, s);
	l->have_flows = !err;
	ret = flows_failed(l, err);
	if (!ret)
		ret = reading(l, NULL);
	for (at = start; !ret && at < end; at = next) {
		/* The next bin boundary: each reading closes exactly one bin. */
		w = r->series.width_ns;
		next = (at / w + 1) * w;
		if (next > end)
			next = end;
		/* Stopped early: what came until now still goes in. */
		if (!sleep_until(next) && *stop)
			next = now_ns();
		ret = follow(l);
		if (!ret)
			ret = reading(l, &at);
		r->last_ns = next;
		if (*stop)
			break;
	}
	if (!ret)
		ret = span_flows(l);
	pb_flow_span_free(&l->flows);
	free(l);
	return ret;
}
