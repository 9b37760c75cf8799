// SPDX-License-Identifier: BSD-2-Clause
/* pktbpf alerts: stream the detectors' alerts ring buffer of an attachment. */
#include "alert_fmt.h"
#include "cli.h"
#include "flows.h"
#include "detect_stats.h"
#include "log.h"
#include "outcheck.h"
#include "state.h"
#include "state_follow.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>

static const char usage[] =
	"Usage: pktbpf alerts IFACE [-c N] [--json] [--netns NAME]\n"
	"\n"
	"Stream the alerts the in-kernel detectors raise on IFACE, one line each,\n"
	"until Ctrl-C or N alerts. Detectors and their defaults (set them with\n"
	"'pktbpf attach --config FILE', --threshold, --window, --deny):\n"
	"\n"
	"  port_scan       one source tries more than 15 ports of one host in 5 min\n"
	"                  (TCP SYNs; UDP answered with port unreachable)\n"
	"  host_sweep      one source tries one port (or ping) on more than 25 hosts in 5 min\n"
	"  syn_flood       more than 256 SYNs a second without handshake completion,\n"
	"                  from one source or to one destination\n"
	"  icmp_flood      one source sends more than 20000 ICMP packets a second\n"
	"  udp_flood       one source sends more than 20000 UDP packets a second\n"
	"  tcp_bad_flags   TCP flags that never occur: NULL, Xmas, SYN+FIN, SYN+RST, FIN\n"
	"                  without ACK\n"
	"  arp_spoof       an IPv4 address claimed by another MAC than the one learned\n"
	"  denied_access   traffic that matches the deny policy (--deny EXPR)\n"
	"  malformed_burst one source sends more than 100 malformed packets a second\n"
	"\n"
	"One alert per source and type per window; repeats in between are counted\n"
	"as suppressed ('pktbpf stats' shows the counts).\n"
	"\n"
	"  -c, --count N  stop after N alerts\n"
	"  --json         one JSON object per alert per line (fields in README.md)\n"
	"  --netns NAME   IFACE is in network namespace NAME\n"
	"  -v, --verbose  say more\n"
	"  -h, --help     this text\n";

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

struct stream {
	struct pb_alert_origin origin;
	bool json;
	unsigned long count, seen;
};

static int on_alert(void *ctx, void *data, size_t size)
{
	struct stream *s = ctx;

	if (size < sizeof(struct pb_alert) || (s->count && s->seen >= s->count) || pb_out_failed())
		return 0;
	s->seen++;
	if (s->json) {
		pb_out_json(pb_alert_json(data, &s->origin), JSON_COMPACT | JSON_PRESERVE_ORDER);
	} else {
		pb_alert_print(stdout, data, &s->origin);
	}
	fflush(stdout);
	return 0;
}

/* The attachment's alerts ring buffer, read into s; NULL after saying why. */
static struct ring_buffer *open_ring(const struct pb_state *st, struct stream *s, int *fd)
{
	static struct pb_det_info info;
	struct ring_buffer *rb;

	*fd = pb_state_open_pin(st, PB_MAP_ALERTS);
	if (*fd < 0) {
		pb_err(st->t.ifname, "no alerts ring buffer: %s", strerror(-*fd));
		if (*fd == -ENOENT)
			pb_hint("attached by a pktbpf without detectors? 'pktbpf attach %s --replace'",
				st->t.ifname);
		return NULL;
	}
	s->origin.info = pb_det_info_read(st, &info) ? NULL : &info;
	rb = ring_buffer__new(*fd, on_alert, s, NULL);
	if (!rb) {
		pb_err(st->t.ifname, "cannot read the alerts ring buffer: %s", strerror(errno));
		close(*fd);
	}
	return rb;
}

static void close_ring(struct ring_buffer *rb, int fd)
{
	ring_buffer__free(rb);
	close(fd);
}

static int stream_alerts(struct pb_state *st, struct stream *s)
{
	enum pb_follow_state fs = PB_FOLLOW_SAME;
	struct ring_buffer *rb;
	struct pb_follow fw;
	int fd, err;

	rb = open_ring(st, s, &fd);
	if (!rb)
		return PB_EXIT_FAIL;
	pb_follow_init(&fw, st);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	err = 0;
	/* A failed standard output ends it too: main says why. */
	while (!stop && (!s->count || s->seen < s->count) && !pb_out_failed()) {
		/* A bounded wait, so a signal or the count ends the loop promptly. */
		err = ring_buffer__poll(rb, 200);
		if (err == -EINTR)
			err = 0;
		if (err < 0)
			break;
		fs = pb_follow_check(&fw);
		if (fs == PB_FOLLOW_GONE)
			break;
		if (fs != PB_FOLLOW_NEW)
			continue;
		/* What the old ring still holds, then the new one. */
		ring_buffer__consume(rb);
		close_ring(rb, fd);
		rb = open_ring(st, s, &fd);
		if (!rb)
			return PB_EXIT_FAIL;
	}
	if (fs == PB_FOLLOW_GONE)
		ring_buffer__consume(rb);
	close_ring(rb, fd);
	if (err < 0) {
		pb_err(st->t.ifname, "reading alerts: %s", strerror(-err));
		return PB_EXIT_FAIL;
	}
	return fs == PB_FOLLOW_GONE ? PB_EXIT_FAIL : PB_EXIT_OK;
}

static int run(int argc, char **argv)
{
	static const struct option longopts[] = {
		PB_COMMON_LONGOPTS,
		{ "json", no_argument, NULL, PB_OPT_JSON },
		{ "count", required_argument, NULL, 'c' },
		{ 0 },
	};
	struct pb_common c = { 0 };
	struct stream s = { 0 };
	struct pb_state st;
	int opt, r;

	while ((opt = getopt_long(argc, argv, "hvc:", longopts, NULL)) != -1) {
		r = pb_common_opt(&pb_cmd_alerts, opt, &c);
		if (r < 0)
			return -r - 1;
		if (opt == 'c' && !pb_parse_uint(&pb_cmd_alerts, "--count", optarg, &s.count))
			return PB_EXIT_USAGE;
	}
	if (optind + 1 != argc)
		return pb_usage_error(&pb_cmd_alerts, optind == argc ? "which interface?"
								     : "one interface at a time");
	r = pb_common_enter(&c);
	if (r)
		return r;
	r = pb_state_open_cli(&st, argv[optind], c.netns);
	if (r)
		return r;
	pb_state_warn(&st);
	s.json = c.json;
	s.origin.ifname = st.t.ifname;
	/* Kernel alerts carry CLOCK_MONOTONIC: the offset makes them wall-clock time. */
	s.origin.clock_offset_ns = pb_mono_to_realtime_ns();
	r = stream_alerts(&st, &s);
	pb_state_close(&st);
	return r;
}

const struct pb_cmd pb_cmd_alerts = { "alerts", run, usage,
				      "stream the detectors' alerts of an attached interface" };
