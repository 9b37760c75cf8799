// SPDX-License-Identifier: BSD-2-Clause
#include "read_alerts.h"
#include "log.h"
#include "outcheck.h"

#include <stdio.h>
#include <pcap/dlt.h>

static void on_alert(const struct pb_alert *a, void *ctx)
{
	struct pb_read_alerts *r = ctx;

	r->n++;
	if (r->each)
		r->each(a, r->each_ctx);
	if (!r->print)
		return;
	if (r->json) {
		pb_out_json(pb_alert_json(a, &r->origin), JSON_COMPACT | JSON_PRESERVE_ORDER);
	} else {
		pb_alert_print(stdout, a, &r->origin);
	}
}

int pb_read_alerts_init(struct pb_read_alerts *r, const char *cmd,
			const struct pb_det_flags *f, bool json, bool print)
{
	int err;

	*r = (struct pb_read_alerts){ .json = json, .print = print };
	err = pb_det_build(cmd, f, &r->info);
	if (err)
		return err;
	r->origin.info = &r->info;
	r->d = pb_detector_new(&r->info.cfg, on_alert, r);
	if (!r->d) {
		pb_err(cmd, "out of memory for the detectors' tables");
		return PB_EXIT_FAIL;
	}
	return 0;
}

void pb_read_alerts_frame(struct pb_read_alerts *r, const __u8 *data, __u32 caplen,
			  int linktype, const struct pb_pkt *p, __u64 ts_ns, int dir)
{
	pb_detector_packet(r->d, data, caplen, linktype == DLT_EN10MB, p, ts_ns, dir);
}

void pb_read_alerts_finish(struct pb_read_alerts *r, struct pb_det_totals *out)
{
	if (out)
		pb_detector_totals(r->d, out);
	pb_detector_free(r->d);
	r->d = NULL;
}
