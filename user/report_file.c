// SPDX-License-Identifier: BSD-2-Clause
/*
 * A report's model from a capture file: the read path (capture.c, the shared
 * parser and pb_count) with the capture's own timestamps as the clock.
 */
#include "report_src.h"
#include "capture.h"
#include "log.h"
#include "stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pb_count.h"

/*
 * Count one frame as `read --stats` does and put what it added to the
 * classes in the bin of its time: the chart and the totals cannot disagree.
 */
static int count_frame(struct pb_report *r, struct pb_totals *t,
		       struct pb_count seen[PB_DIR_MAX][PB_CLASS_MAX], const struct pb_frame *f,
		       const struct pb_pkt *p)
{
	int dir = f->dir == PB_FRAME_NO_DIR ? PB_DIR_INGRESS : f->dir;
	struct pb_count now[PB_CLASS_MAX], delta[PB_CLASS_MAX];
	int i;

	pb_count(&t->dir[dir], p, f->len);
	pb_classes_of(&t->dir[dir], now);
	for (i = 0; i < PB_CLASS_MAX; i++) {
		delta[i].packets = now[i].packets - seen[dir][i].packets;
		delta[i].bytes = now[i].bytes - seen[dir][i].bytes;
		seen[dir][i] = now[i];
	}
	if (!r->packets || f->ts_ns < r->first_ns)
		r->first_ns = f->ts_ns;
	if (f->ts_ns > r->last_ns)
		r->last_ns = f->ts_ns;
	return pb_report_add(r, f->ts_ns, delta);
}

int pb_report_from_file(struct pb_report *r, const char *path)
{
	struct pb_count seen[PB_DIR_MAX][PB_CLASS_MAX] = { 0 };
	struct pb_capture *c;
	struct pb_totals *t;
	struct pb_frame f;
	struct pb_pkt p;
	int n, ret = PB_EXIT_OK;

	t = calloc(1, sizeof(*t));
	if (!t) {
		pb_err("report", "out of memory");
		return PB_EXIT_FAIL;
	}
	ret = pb_capture_open(&c, path);
	if (ret) {
		free(t);
		return ret;
	}
	while ((n = pb_capture_next(c, &f)) > 0) {
		pb_frame_parse(&f, &p);
		if (count_frame(r, t, seen, &f, &p)) {
			pb_err("report", "out of memory");
			ret = PB_EXIT_FAIL;
			break;
		}
	}
	if (n < 0)
		snprintf(r->damage, sizeof(r->damage), "damaged after %llu packets: %s",
			 (unsigned long long)r->packets, pb_capture_error(c));
	pb_capture_close(c);
	free(t);
	return ret;
}
