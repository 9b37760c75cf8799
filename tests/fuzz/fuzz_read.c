// SPDX-License-Identifier: BSD-2-Clause
/*
 * libFuzzer harness for what `pktbpf read` does with a file: open it as a
 * capture (gzip or not, pcap or pcapng, any link type), then parse, count,
 * print at the most detailed level and render as JSON every frame, and run
 * the detectors over them (low thresholds and a deny rule, so that alerts of
 * every kind are raised and formatted).
 * Built with clang -fsanitize=fuzzer,address,undefined (make fuzz-build);
 * tests/fuzz/run.sh runs it.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>
#include <pcap/dlt.h>

#include "alert_fmt.h"
#include "capture.h"
#include "deny.h"
#include "detect.h"
#include "detect_cfg.h"
#include "pb_count.h"
#include "pkt_json.h"
#include "print_pkt.h"

/* A gzip bomb of empty records must not make one input run for minutes. */
#define MAX_FRAMES 5000

static FILE *sink;
static struct pb_det_info det_info;

static void on_alert(const struct pb_alert *a, void *ctx)
{
	struct pb_alert_origin o = { .info = &det_info };
	json_t *j = pb_alert_json(a, &o);
	char *s = json_dumps(j, JSON_COMPACT);

	(void)ctx;
	pb_alert_print(sink, a, &o);
	free(s);
	json_decref(j);
}

static void det_setup(void)
{
	char why[128];
	int t;

	pb_det_defaults(&det_info);
	for (t = 0; t < PB_ALERT_MAX; t++)
		if (PB_ALERT_HAS_THRESHOLD(t))
			det_info.cfg.type[t].threshold = 2;
	pb_deny_parse(&det_info, "tcp port 80 or udp or (ip6 and src net 2001:db8::/32)", why,
		      sizeof(why));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pb_dir_stats stats = { 0 };
	struct pb_detector *det;
	struct pb_capture *c;
	struct pb_frame f;
	struct pb_pkt p;
	int fd, n = 0;

	if (!sink) {
		sink = fopen("/dev/null", "w");
		det_setup();
	}
	fd = memfd_create("pktbpf-fuzz", MFD_CLOEXEC);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size || lseek(fd, 0, SEEK_SET)) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	if (pb_capture_open_fd(&c, fd, "fuzz"))
		return 0;
	det = pb_detector_new(&det_info.cfg, on_alert, NULL);
	while (n++ < MAX_FRAMES && pb_capture_next(c, &f) == 1) {
		json_t *j;
		char *s;

		pb_frame_parse(&f, &p);
		pb_count(&stats, &p, f.len);
		if (det)
			pb_detector_packet(det, f.data, f.caplen, f.linktype == DLT_EN10MB, &p,
					   f.ts_ns, f.dir);
		pb_print_pkt(sink, &f, &p, PB_PRINT_HEX);
		j = pb_pkt_json(&f, &p, n);
		s = json_dumps(j, JSON_COMPACT);
		free(s);
		json_decref(j);
	}
	pb_capture_close(c);
	pb_detector_free(det);
	return 0;
}
