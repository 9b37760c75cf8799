// SPDX-License-Identifier: BSD-2-Clause
#include "cli.h"
#include "filter_live.h"
#include "log.h"
#include "state.h"
#include "stats_fmt.h"
#include "stats_read.h"
#include "units.h"
#include "state_follow.h"
#include "sample_stats.h"
#include "outcheck.h"
#include "utf8.h"

#include <errno.h>
#include <stdlib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char usage[] =
	"Usage: pktbpf stats IFACE [--json] [--interval S [--count N]] [--netns NAME]\n"
	"\n"
	"Counters of an attached interface, per direction: packets and bytes per\n"
	"protocol (and by IP protocol number and ethertype where pktbpf does not\n"
	"parse further), TCP flags, fragments, malformed packets by reason.\n"
	"\n"
	"  --json         one JSON document (field names in README.md)\n"
	"  --interval S   print rates per second every S seconds (one JSON object\n"
	"                 per line with --json) until Ctrl-C or --count\n"
	"  --count N      stop after N intervals\n"
	"  --netns NAME   IFACE is in network namespace NAME\n"
	"  -v, --verbose  say more\n"
	"  -h, --help     this text\n";

enum { OPT_INTERVAL = PB_OPT_FIRST_PRIVATE, OPT_COUNT };

/* Addresses listed each way in the top talkers section. */
#define PB_TOP_TALKERS 10

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int read_or_fail(const struct pb_state *s, struct pb_totals *t)
{
	int err = pb_stats_read(s, t);

	if (err) {
		pb_err(s->t.ifname, "cannot read counters: %s", strerror(-err));
		if (pb_errno_hint(err))
			pb_hint("%s", pb_errno_hint(err));
	}
	return err;
}

static void print_once(const struct pb_state *s, const struct pb_totals *t, bool json)
{
	struct pb_filter_info fi;
	char since[32] = "";

	if (s->info.attach_time_ns)
		pb_format_time(since, sizeof(since), s->info.attach_time_ns);
	if (pb_filter_read(&s->t, &fi))
		fi.expr[0] = '\0'; /* an attachment from before filters: none */
	if (json) {
		json_t *doc = json_pack("{s:o,s:o,s:s,s:s,s:o}", "interface",
					pb_json_str(s->t.ifname), "netns",
					pb_json_str(s->t.netns[0] ? s->t.netns : NULL), "state",
					pb_health_str(s->health), "attached_since", since,
					"filter", pb_json_str(fi.expr[0] ? fi.expr : NULL));

		json_t *totals = pb_totals_json(t);

		json_object_update(doc, totals);
		json_decref(totals);
		totals = pb_capture_json(s, PB_TOP_TALKERS);
		json_object_update(doc, totals);
		json_decref(totals);
		pb_out_json(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		return;
	}
	printf("%s%s%s: xdp %s%s, attached since %s (%s)\n\n", s->t.ifname,
	       s->t.netns[0] ? " in netns " : "", s->t.netns, pb_mode_str(s->info.xdp_mode),
	       s->info.flags & PB_ATTACH_EGRESS ? ", egress tcx" : ", no egress", since,
	       pb_health_str(s->health));
	if (fi.expr[0])
		printf("filter '%s': matched %llu in, %llu out\n\n", fi.expr,
		       (unsigned long long)t->dir[PB_DIR_INGRESS].filter_matched,
		       (unsigned long long)t->dir[PB_DIR_EGRESS].filter_matched);
	pb_totals_print(stdout, t);
	pb_capture_print(stdout, s, PB_TOP_TALKERS);
}

/*
 * Sleep for interval seconds, looking at the attachment meanwhile: back at
 * once when it changed (NEW) or is gone (GONE), or on a signal; else, at the
 * end, SAME or AWAY (missing for now).
 */
static enum pb_follow_state pause_for(struct pb_follow *fw, double interval)
{
	double end = now_s() + interval, left;
	enum pb_follow_state st = PB_FOLLOW_SAME;
	struct timespec ts;

	while (!stop && (left = end - now_s()) > 0) {
		if (left > PB_FOLLOW_CHECK_MS / 1e3)
			left = PB_FOLLOW_CHECK_MS / 1e3;
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - ts.tv_sec) * 1e9);
		nanosleep(&ts, NULL);
		st = pb_follow_check(fw);
		if (st == PB_FOLLOW_NEW || st == PB_FOLLOW_GONE)
			break;
	}
	return st;
}

static int watch_rates(struct pb_state *s, double interval, unsigned long count, bool json)
{
	struct pb_totals *buf, *prev, *cur, *tmp;
	enum pb_follow_state st;
	struct pb_follow fw;
	double t0, t1;
	unsigned long n;
	int ret = PB_EXIT_FAIL;

	buf = calloc(2, sizeof(*buf));
	if (!buf)
		return PB_EXIT_FAIL;
	prev = &buf[0];
	cur = &buf[1];
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	pb_follow_init(&fw, s);
	if (read_or_fail(s, prev))
		goto out;
	t0 = now_s();
	if (!json)
		pb_rates_print_header(stdout);
	for (n = 0; !stop && (!count || n < count);) {
		st = pause_for(&fw, interval);
		if (stop)
			break;
		if (st == PB_FOLLOW_GONE)
			goto out;
		if (st == PB_FOLLOW_NEW) {
			/* The new maps count from zero: a new baseline, no rate
			 * across the two. */
			if (read_or_fail(s, prev))
				goto out;
			t0 = now_s();
			continue;
		}
		/* Missing for now: nothing counts; the next line spans the gap. */
		if (st == PB_FOLLOW_AWAY)
			continue;
		if (read_or_fail(s, cur))
			goto out;
		t1 = now_s();
		if (json) {
			json_t *o = pb_rates_json(prev, cur, t1 - t0);

			json_object_set_new(o, "interface", pb_json_str(s->t.ifname));
			pb_out_json(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		} else {
			pb_rates_print(stdout, prev, cur, t1 - t0);
		}
		fflush(stdout);
		if (pb_out_failed())
			break; /* main says why */
		tmp = prev, prev = cur, cur = tmp;
		t0 = t1;
		n++;
	}
	ret = PB_EXIT_OK;
out:
	free(buf);
	return ret;
}

static int run(int argc, char **argv)
{
	static const struct option longopts[] = {
		PB_COMMON_LONGOPTS,
		{ "json", no_argument, NULL, PB_OPT_JSON },
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ "count", required_argument, NULL, OPT_COUNT },
		{ 0 },
	};
	struct pb_common c = { 0 };
	struct pb_totals *t;
	struct pb_state s;
	unsigned long count = 0;
	double interval = 0;
	int opt, r;

	while ((opt = getopt_long(argc, argv, "hv", longopts, NULL)) != -1) {
		r = pb_common_opt(&pb_cmd_stats, opt, &c);
		if (r < 0)
			return -r - 1;
		if (opt == OPT_INTERVAL && !pb_parse_double(&pb_cmd_stats, "--interval", optarg,
							      &interval))
			return PB_EXIT_USAGE;
		if (opt == OPT_COUNT && !pb_parse_uint(&pb_cmd_stats, "--count", optarg, &count))
			return PB_EXIT_USAGE;
	}
	if (optind + 1 != argc)
		return pb_usage_error(&pb_cmd_stats, optind == argc ? "which interface?"
								    : "one interface at a time");
	if (count && !interval)
		return pb_usage_error(&pb_cmd_stats, "--count needs --interval");
	r = pb_common_enter(&c);
	if (r)
		return r;
	r = pb_state_open_cli(&s, argv[optind], c.netns);
	if (r)
		return r;
	pb_state_warn(&s);
	if (interval) {
		r = s.health == PB_HEALTH_OK ? watch_rates(&s, interval, count, c.json)
					     : PB_EXIT_FAIL;
		pb_state_close(&s);
		return r;
	}
	t = malloc(sizeof(*t));
	r = !t || read_or_fail(&s, t) ? PB_EXIT_FAIL : PB_EXIT_OK;
	if (!r)
		print_once(&s, t, c.json);
	if (!r && s.health != PB_HEALTH_OK)
		r = PB_EXIT_FAIL;
	free(t);
	pb_state_close(&s);
	return r;
}

const struct pb_cmd pb_cmd_stats = { "stats", run, usage, "counters of an attached interface" };
