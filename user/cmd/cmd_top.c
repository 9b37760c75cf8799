// SPDX-License-Identifier: BSD-2-Clause
/* pktbpf top: a live full-screen view of an attached interface. */
#include "cli.h"
#include "log.h"
#include "state_follow.h"
#include "stats_read.h"
#include "sample_stats.h"
#include "top_alerts.h"
#include "top_draw.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <ncursesw/curses.h>

static const char usage[] =
	"Usage: pktbpf top IFACE [--netns NAME]\n"
	"\n"
	"A live full-screen view of an attached interface, refreshed every second\n"
	"from its pinned maps: packets and bits per second each way with their\n"
	"recent history, the protocol distribution, the largest flows and top\n"
	"talkers (by bytes or packets: 's' switches), the alerts of the detectors\n"
	"(counts since attach and the latest ones), and what was lost, if anything.\n"
	"\n"
	"The latest alerts are taken from the attachment's alerts ring buffer: a\n"
	"'pktbpf alerts' running at the same time gets the ones top does not.\n"
	"\n"
	"Keys: q quit (or Ctrl-C), p pause, s change the sort, h help.\n"
	"Standard output must be a terminal; for lines of text use\n"
	"'pktbpf stats IFACE --interval 1'.\n"
	"\n"
	"  --netns NAME   IFACE is in network namespace NAME\n"
	"  -v, --verbose  say more\n"
	"  -h, --help     this text\n";

#define REFRESH_MS 1000

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* Without SA_RESTART, so that a signal ends the wait for a key at once. */
static void catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	size_t i;

	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct top {
	struct pb_state *s;
	struct pb_totals *buf; /* two readings: prev and cur */
	struct pb_top_input in;
	struct pb_top_history hist;
	struct pb_top_alerts alerts;
	struct pb_flow_list flows;
	struct pb_sample_stats samples;
	double read_at;
	bool help;
};

/*
 * `attach --replace` pinned new maps, counting from zero: read those from
 * now on, the next reading a first one (no rates across the two). The
 * alerts shown stay; new ones come from the new ring.
 */
static void follow(struct top *t)
{
	struct pb_top_alerts shown = t->alerts;
	int r = pb_state_follow(t->s);

	/* Detached under us: the maps held stay readable, nothing counts in them. */
	if (r == -ENOENT)
		t->in.health = PB_HEALTH_DETACHED;
	if (r != 1)
		return;
	t->in.health = t->s->health;
	t->in.prev = t->in.cur = NULL;
	pb_top_alerts_close(&t->alerts);
	t->in.alerts = pb_top_alerts_open(&t->alerts, t->s) ? NULL : &t->alerts;
	memcpy(t->alerts.last, shown.last, sizeof(shown.last));
	t->alerts.n = shown.n;
	t->alerts.head = shown.head;
}

static int reading(struct top *t)
{
	struct pb_totals *next;
	double at = now_s();
	int err;

	follow(t);
	next = t->in.cur == &t->buf[0] ? &t->buf[1] : &t->buf[0];
	err = pb_stats_read(t->s, next);

	if (err)
		return err;
	if (t->in.cur) {
		t->in.prev = t->in.cur;
		t->in.elapsed = at - t->read_at;
	}
	t->in.cur = next;
	t->in.now = time(NULL);
	pb_top_alerts_poll(&t->alerts);
	/* Flows and sampling are optional parts of an attachment: their
	 * absence (-ENOENT) or failure shows in the view, it does not end top. */
	pb_flow_list_free(&t->flows);
	t->in.flows_err = pb_flows_read_pinned(t->s, &t->flows);
	t->in.flows = t->in.flows_err ? NULL : &t->flows;
	t->in.samples = pb_sample_stats_of(t->s, &t->samples) ? NULL : &t->samples;
	t->read_at = at;
	pb_top_history_push(&t->hist, &t->in);
	return 0;
}

/* Act on a key; false to quit. */
static bool key(struct top *t, int ch)
{
	if (t->help && ch != KEY_RESIZE) {
		t->help = false;
		return ch != 'q' && ch != 'Q';
	}
	switch (ch) {
	case 'q':
	case 'Q':
		return false;
	case 'p':
	case 'P':
	case ' ':
		t->in.paused = !t->in.paused;
		break;
	case 's':
	case 'S':
		t->in.sort = (t->in.sort + 1) % PB_TOP_SORT_MAX;
		break;
	case 'h':
	case 'H':
	case '?':
		t->help = true;
		break;
	}
	return true;
}

/* Draw, wait for a key or the next refresh, repeat. 0 or -errno of a failed reading. */
static int loop(struct top *t)
{
	struct pb_top_view v;
	double wait;
	int ch, err;

	for (;;) {
		pb_top_view_build(&v, &t->in);
		pb_top_draw(&v, &t->hist, t->help);
		wait = t->read_at + REFRESH_MS / 1e3 - now_s();
		timeout(wait > 0 ? (int)(wait * 1e3) + 1 : 0);
		ch = getch();
		if (stop)
			return 0;
		if (ch != ERR && !key(t, ch))
			return 0;
		if (!t->in.paused && now_s() >= t->read_at + REFRESH_MS / 1e3) {
			err = reading(t);
			if (err)
				return err;
		}
	}
}

static int run(int argc, char **argv)
{
	static const struct option longopts[] = { PB_COMMON_LONGOPTS, { 0 } };
	struct pb_common c = { 0 };
	struct top t = { 0 };
	struct pb_state s;
	int opt, r, err;

	while ((opt = getopt_long(argc, argv, "hv", longopts, NULL)) != -1) {
		r = pb_common_opt(&pb_cmd_top, opt, &c);
		if (r < 0)
			return -r - 1;
	}
	if (optind + 1 != argc)
		return pb_usage_error(&pb_cmd_top, optind == argc ? "which interface?"
								  : "one interface at a time");
	if (!isatty(STDOUT_FILENO)) {
		pb_err("top", "standard output is not a terminal");
		pb_hint("for lines of text: 'pktbpf stats %s --interval 1'", argv[optind]);
		return PB_EXIT_USAGE;
	}
	r = pb_common_enter(&c);
	if (r)
		return r;
	r = pb_state_open_cli(&s, argv[optind], c.netns);
	if (r)
		return r;
	t.s = &s;
	t.in.ifname = s.t.ifname;
	t.in.netns = s.t.netns;
	t.in.info = &s.info;
	t.in.health = s.health;
	/* Without an alerts ring (detectors predate the attachment) there are
	 * no alerts to show, which the view says. */
	t.in.alerts = pb_top_alerts_open(&t.alerts, &s) ? NULL : &t.alerts;
	t.buf = calloc(2, sizeof(*t.buf));
	err = t.buf ? reading(&t) : -ENOMEM;
	if (!err) {
		catch_signals();
		if (!pb_top_screen_open()) {
			pb_err("top", "cannot drive this terminal (TERM=%s)",
			       getenv("TERM") ? getenv("TERM") : "unset");
			r = PB_EXIT_FAIL;
		} else {
			err = loop(&t);
			pb_top_screen_close();
		}
	}
	if (err) {
		pb_err(s.t.ifname, "cannot read counters: %s", strerror(-err));
		r = PB_EXIT_FAIL;
	}
	free(t.buf);
	pb_flow_list_free(&t.flows);
	pb_top_alerts_close(&t.alerts);
	pb_state_close(&s);
	return r;
}

const struct pb_cmd pb_cmd_top = { "top", run, usage, "live full-screen view of an interface" };
