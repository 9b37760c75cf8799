// SPDX-License-Identifier: BSD-2-Clause
#define _XOPEN_SOURCE_EXTENDED /* ncursesw */
#include "top_draw.h"

#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <ncursesw/curses.h>

/* Columns of the rates block beside its two sparklines. */
#define RATE_FIXED 64
#define MIN_SPARK 4

static bool utf8, open_;

/* One color pair per traffic class, then the title bar. */
static const short class_color[PB_CLASS_MAX] = {
	COLOR_BLUE, COLOR_YELLOW, COLOR_GREEN, COLOR_MAGENTA, COLOR_CYAN, COLOR_WHITE,
};
#define PAIR_TITLE (PB_CLASS_MAX + 1)

bool pb_top_screen_open(void)
{
	int i;

	setlocale(LC_ALL, "");
	utf8 = !strcmp(nl_langinfo(CODESET), "UTF-8");
	/* newterm, unlike initscr, returns an error instead of exiting. */
	if (!newterm(NULL, stdout, stdin))
		return false;
	open_ = true;
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	if (has_colors()) {
		start_color();
		use_default_colors();
		for (i = 0; i < PB_CLASS_MAX; i++)
			init_pair(i + 1, class_color[i], -1);
		init_pair(PAIR_TITLE, COLOR_BLACK, COLOR_CYAN);
	}
	return true;
}

void pb_top_screen_close(void)
{
	if (open_)
		endwin();
	open_ = false;
}

static void put(int y, int x, int width, const char *s)
{
	if (y < 0 || y >= LINES - 1 || x >= COLS || width <= 0)
		return;
	if (x + width > COLS)
		width = COLS - x;
	mvaddnstr(y, x, s, width);
}

/* s right-aligned in width columns (ASCII: numbers and units). */
static void put_right(int y, int x, int width, const char *s)
{
	int n = (int)strlen(s);

	put(y, n < width ? x + width - n : x, width, s);
}

static void spark(int y, int x, const struct pb_top_history *h, int dir, enum pb_top_rate what,
		  int width)
{
	static const char *const blocks[PB_SPARK_LEVELS + 1] = {
		" ", "\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587", "\u2588",
	};
	static const char ascii[] = " _.-:=+*#";
	int levels[PB_TOP_HISTORY];
	unsigned n = pb_top_spark(h, dir, what, (unsigned)width, levels), i;

	if (y >= LINES - 1)
		return;
	/* The newest sample at the right edge, as the eye reads time. */
	move(y, x + width - (int)n);
	for (i = 0; i < n; i++) {
		if (utf8)
			addstr(blocks[levels[i]]);
		else
			addch((chtype)ascii[levels[i]]);
	}
}

static int rates(const struct pb_top_view *v, const struct pb_top_history *h, int y)
{
	static const char *const label[PB_DIR_MAX] = { "in", "out" };
	int sw = (COLS - RATE_FIXED) / 2, dir, x;

	if (sw < MIN_SPARK)
		sw = 0;
	attron(A_BOLD);
	put_right(y, 4, 9, "pkt/s");
	put_right(y, 15 + sw, 14, "bit/s");
	put_right(y, 31 + 2 * sw, 16, "packets");
	put_right(y, 48 + 2 * sw, 11, "bytes");
	attroff(A_BOLD);
	for (dir = 0; dir < PB_DIR_MAX; dir++) {
		const struct pb_top_dir_row *r = &v->dir[dir];

		x = 0;
		put(y + 1 + dir, x, 4, label[dir]);
		put_right(y + 1 + dir, x + 4, 9, r->pps);
		if (sw)
			spark(y + 1 + dir, x + 14, h, dir, PB_RATE_PACKETS, sw);
		put_right(y + 1 + dir, x + 15 + sw, 14, r->bps);
		if (sw)
			spark(y + 1 + dir, x + 30 + sw, h, dir, PB_RATE_BITS, sw);
		put_right(y + 1 + dir, x + 31 + 2 * sw, 16, r->packets);
		put_right(y + 1 + dir, x + 48 + 2 * sw, 11, r->bytes);
	}
	return y + 1 + PB_DIR_MAX + 1;
}

static int classes(const struct pb_top_view *v, int y)
{
	int bw = COLS - 46, i, j, n;

	attron(A_BOLD);
	put(y++, 0, COLS, "Protocols (share of packets since attach)");
	attroff(A_BOLD);
	if (!v->n_cls)
		put(y++, 2, COLS, "no packets yet");
	for (i = 0; i < v->n_cls && y < LINES - 1; i++, y++) {
		const struct pb_top_class_row *r = &v->cls[i];
		int pair = r->id + 1;

		put(y, 0, 9, r->name);
		n = bw > 0 ? (int)(r->share * bw + 0.5) : 0;
		if (has_colors())
			attron(COLOR_PAIR(pair));
		move(y, 9);
		for (j = 0; j < n; j++)
			addstr(utf8 ? "\u2588" : "#");
		if (has_colors())
			attroff(COLOR_PAIR(pair));
		put_right(y, 9 + (bw > 0 ? bw : 0), 8, r->pct);
		put_right(y, 17 + (bw > 0 ? bw : 0), 17, r->packets);
		put_right(y, 35 + (bw > 0 ? bw : 0), 11, r->bytes);
	}
	return y + 1;
}

static void bold(int y, const char *s)
{
	attron(A_BOLD);
	put(y, 0, COLS, s);
	attroff(A_BOLD);
}

/* The largest flows, at most rows of them; returns the next free line. */
static int flows(const struct pb_top_view *v, int y, int rows)
{
	int w = (COLS - 6 - 15 - 12) / 2, i;
	char head[240];

	if (!v->have_flows)
		return y;
	if (w > 46)
		w = 46;
	snprintf(head, sizeof(head), "Top flows by %s (%s)", pb_top_sort_name(v->sort),
		 v->flows_note);
	bold(y++, head);
	if (!v->n_flows)
		return y + 1;
	put(y, 0, 6, "proto");
	put(y, 6, w, "initiator");
	put(y, 6 + w, w, "responder");
	put_right(y, 6 + 2 * w, 15, "packets");
	put_right(y, 6 + 2 * w + 15, 12, "bytes");
	y++;
	for (i = 0; i < v->n_flows && i < rows; i++, y++) {
		const struct pb_top_flow_row *r = &v->flows[i];

		put(y, 0, 6, r->proto);
		put(y, 6, w - 1, r->from);
		put(y, 6 + w, w - 1, r->to);
		put_right(y, 6 + 2 * w, 15, r->packets);
		put_right(y, 6 + 2 * w + 15, 12, r->bytes);
	}
	return y + 1;
}

static int talkers(const struct pb_top_view *v, int y, int rows)
{
	int w = COLS - 15 - 12 - 8 > 40 ? 40 : COLS - 15 - 12 - 8, i;
	char head[80];

	if (!v->n_talkers)
		return y;
	snprintf(head, sizeof(head), "Top talkers by %s sent", pb_top_sort_name(v->sort));
	bold(y++, head);
	put(y, 0, w, "address");
	put_right(y, w, 15, "packets");
	put_right(y, w + 15, 12, "bytes");
	put_right(y, w + 27, 8, "flows");
	y++;
	for (i = 0; i < v->n_talkers && i < rows; i++, y++) {
		const struct pb_top_talker_row *r = &v->talkers[i];

		put(y, 0, w - 1, r->addr);
		put_right(y, w, 15, r->packets);
		put_right(y, w + 15, 12, r->bytes);
		put_right(y, w + 27, 8, r->flows);
	}
	return y + 1;
}

/* The latest alerts, newest first, down to (not including) line end. */
static int alerts(const struct pb_top_view *v, int y, int end)
{
	char head[300];
	int i;

	if (!v->have_alerts || y >= end)
		return y;
	snprintf(head, sizeof(head), "Alerts (since attach: %s)", v->alert_counts);
	attron(A_BOLD);
	put(y++, 0, COLS, head);
	attroff(A_BOLD);
	if (!v->n_alerts && y < end)
		put(y++, 2, COLS - 2, "none since top started");
	for (i = 0; i < v->n_alerts && y < end; i++)
		put(y++, 0, COLS, v->alerts[i]);
	return y + 1;
}

static void help_box(void)
{
	static const char *const lines[] = {
		"pktbpf top: keys",
		"",
		"  q   quit (also Ctrl-C)",
		"  p   pause / resume the refresh",
		"  s   change the sort of flows and talkers",
		"  h   this help (any key closes it)",
		"",
		"Rates are per second between two readings of the",
		"pinned maps, one a second; counts are since attach.",
		"Alerts shown here are taken from the alerts ring:",
		"a 'pktbpf alerts' running meanwhile gets the others.",
	};
	int n = sizeof(lines) / sizeof(lines[0]), w = 56, i;
	int y0 = (LINES - n - 2) / 2, x0 = (COLS - w) / 2;
	WINDOW *win;

	if (y0 < 0)
		y0 = 0;
	if (x0 < 0)
		x0 = 0;
	win = newwin(n + 2, w < COLS ? w : COLS, y0, x0);
	if (!win)
		return;
	werase(win);
	box(win, 0, 0);
	for (i = 0; i < n; i++)
		mvwaddnstr(win, i + 1, 2, lines[i], w - 4);
	wnoutrefresh(win);
	delwin(win);
}

void pb_top_draw(const struct pb_top_view *v, const struct pb_top_history *h, bool help)
{
	char footer[300];
	int y = 0, x, end, rows;

	erase();
	attron(has_colors() ? COLOR_PAIR(PAIR_TITLE) : A_REVERSE);
	move(0, 0);
	hline(' ', COLS);
	put(0, 1, COLS - 1, v->title);
	x = COLS - (int)strlen(v->clock) - 1 - (v->paused ? 9 : 0);
	if (x > 0 && x > (int)strlen(v->title) + 2) {
		put(0, x, COLS - x, v->paused ? "[PAUSED] " : "");
		put(0, x + (v->paused ? 9 : 0), COLS, v->clock);
	}
	attroff(has_colors() ? COLOR_PAIR(PAIR_TITLE) : A_REVERSE);
	y = rates(v, h, 2);
	y = classes(v, y);
	/* What was lost stays in sight, just above the keys. */
	if (v->loss[0]) {
		snprintf(footer, sizeof(footer), "Lost: %s", v->loss);
		attron(A_BOLD);
		put(LINES - 2, 0, COLS, footer);
		attroff(A_BOLD);
	}
	end = LINES - (v->loss[0] ? 2 : 1);
	/* What is left is shared by the flows, the talkers and the alerts, each
	 * with two lines of headings and a blank line. */
	rows = (end - y - 9) / 3;
	if (rows < 1)
		rows = 1;
	y = flows(v, y, rows);
	y = talkers(v, y, rows);
	alerts(v, y, end);
	snprintf(footer, sizeof(footer), " q quit  p %s  s sort: %s  h help",
		 v->paused ? "resume" : "pause", pb_top_sort_name(v->sort));
	attron(A_REVERSE);
	mvaddnstr(LINES - 1, 0, footer, COLS);
	attroff(A_REVERSE);
	wnoutrefresh(stdscr);
	if (help)
		help_box();
	doupdate();
}
