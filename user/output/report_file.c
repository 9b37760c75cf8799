// SPDX-License-Identifier: BSD-2-Clause
/*
 * A report's model from a capture file: the read path (capture.c, the shared
 * parser and pb_count, read --flows's flow table, the detectors of read
 * --alerts) with the capture's own timestamps as the clock.
 */
#include "report_src.h"
#include "capture.h"
#include "filter_compile.h"
#include "flowtab.h"
#include "log.h"
#include "read_alerts.h"
#include "stats.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pb_count.h"

struct file_pass {
	struct pb_report *r;
	struct pb_totals t;
	struct pb_count seen[PB_DIR_MAX][PB_CLASS_MAX]; /* classes counted so far */
	struct pb_read_alerts ra;
	struct pb_flowtab *flows; /* read --flows's table */
	struct pb_cbpf filter;    /* --filter, compiled for the capture's link type */
	int err; /* -ENOMEM from a bin or the flow table */
};

/*
 * Count one frame as `read --stats` does and put what it added to the
 * classes in the bin of its time: the chart and the totals cannot disagree.
 */
static int count_frame(struct file_pass *fp, const struct pb_frame *f, const struct pb_pkt *p)
{
	int dir = f->dir == PB_FRAME_NO_DIR ? PB_DIR_INGRESS : f->dir;
	struct pb_count now[PB_CLASS_MAX], delta[PB_CLASS_MAX];
	struct pb_report *r = fp->r;
	int i;

	pb_count(&fp->t.dir[dir], p, f->len);
	pb_classes_of(&fp->t.dir[dir], now);
	for (i = 0; i < PB_CLASS_MAX; i++) {
		delta[i].packets = now[i].packets - fp->seen[dir][i].packets;
		delta[i].bytes = now[i].bytes - fp->seen[dir][i].bytes;
		fp->seen[dir][i] = now[i];
	}
	if (!r->packets || f->ts_ns < r->first_ns)
		r->first_ns = f->ts_ns;
	if (f->ts_ns > r->last_ns)
		r->last_ns = f->ts_ns;
	return pb_report_add(r, f->ts_ns, delta);
}

/* An alert of the detectors, at the time of the frame that raised it. */
static void on_alert(const struct pb_alert *a, void *ctx)
{
	struct file_pass *fp = ctx;

	if (pb_report_alerts(fp->r, a->time_ns, a->type, 1))
		fp->err = -1;
}

static int top_flows(struct pb_report *r, const struct pb_flowtab *t)
{
	struct pb_flow_list l;
	int err = pb_flowtab_list(t, &l);

	if (!err)
		err = pb_report_flows(r, &l);
	pb_flow_list_free(&l);
	return err;
}

int pb_report_from_file(struct pb_report *r, const char *path, const char *filter,
			const struct pb_det_flags *det)
{
	struct pb_capture *c;
	struct file_pass *fp;
	struct pb_frame f;
	struct pb_pkt p;
	int n = 0, ret;

	fp = calloc(1, sizeof(*fp));
	if (!fp) {
		pb_err("report", "out of memory");
		return PB_EXIT_FAIL;
	}
	fp->r = r;
	/* The detector settings first: a bad one is said before any reading. */
	ret = pb_read_alerts_init(&fp->ra, "report", det, false, false);
	if (!ret) {
		ret = pb_capture_open(&c, path);
		/* As tcpdump -r: for the file's link type, without a netmask. */
		if (!ret && filter) {
			ret = pb_filter_compile_cli(filter, pb_capture_linktype(c), 0, &fp->filter);
			if (ret)
				pb_capture_close(c);
		}
		if (ret)
			pb_read_alerts_finish(&fp->ra, NULL);
	}
	if (ret) {
		free(fp);
		return ret;
	}
	r->filter = filter;
	fp->ra.each = on_alert;
	fp->ra.each_ctx = fp;
	fp->flows = pb_flowtab_new();
	fp->err = fp->flows ? 0 : -ENOMEM;
	while (!fp->err && (n = pb_capture_next(c, &f)) > 0) {
		/* Only what the filter selects, as read --filter counts it. */
		if (filter && !pb_cbpf_offline_filter(&fp->filter, f.data, f.caplen, f.len))
			continue;
		pb_frame_parse(&f, &p);
		fp->err = count_frame(fp, &f, &p);
		if (!fp->err)
			fp->err = pb_flowtab_add(fp->flows, &p, f.len, f.ts_ns);
		pb_read_alerts_frame(&fp->ra, f.data, f.caplen, f.linktype, &p, f.ts_ns, f.dir);
	}
	if (!fp->err)
		fp->err = top_flows(r, fp->flows);
	if (fp->err) {
		pb_err("report", "out of memory");
		ret = PB_EXIT_FAIL;
	} else if (n < 0) {
		snprintf(r->damage, sizeof(r->damage), "damaged after %llu packets: %s",
			 (unsigned long long)r->packets, pb_capture_error(c));
	}
	pb_read_alerts_finish(&fp->ra, NULL);
	pb_flowtab_free(fp->flows);
	pb_cbpf_free(&fp->filter);
	pb_capture_close(c);
	free(fp);
	return ret;
}
