/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `pktbpf top`: what the live view shows, as plain numbers and strings (the
 * view), built from successive readings of an attachment's maps. The
 * ncurses drawing (top_draw.c) only places the view on the screen, so
 * everything shown can be unit-tested without a terminal.
 */
#ifndef PB_TOP_MODEL_H
#define PB_TOP_MODEL_H

#include <stdbool.h>
#include <time.h>

#include "flows.h"
#include "stats.h"
#include "top_alerts.h"
#include "traffic_class.h"

/* Seconds of rate history kept for the sparklines (the widest screen shows less). */
#define PB_TOP_HISTORY 240
/* Sparkline levels: 0 for nothing, 1..8 for the eighths of a block. */
#define PB_SPARK_LEVELS 8

enum pb_top_rate { PB_RATE_PACKETS, PB_RATE_BITS, PB_RATE_MAX };

/* Rates per second, newest last, per direction and kind. */
struct pb_top_history {
	double v[PB_DIR_MAX][PB_RATE_MAX][PB_TOP_HISTORY];
	unsigned n;    /* samples so far (saturates at PB_TOP_HISTORY) */
	unsigned head; /* where the next sample goes */
};

enum pb_top_sort { PB_TOP_SORT_BYTES, PB_TOP_SORT_PACKETS, PB_TOP_SORT_MAX };

/* Rows of the flows and talkers tables (the screen shows what fits). */
#define PB_TOP_ROWS 10

struct pb_top_flow_row {
	char proto[12], from[64], to[64]; /* initiator, responder */
	char packets[32], bytes[24];      /* both ways */
	__u64 n_packets, n_bytes;
};

struct pb_top_talker_row {
	char addr[48], packets[32], bytes[24], flows[16]; /* what it sent, in how many flows */
	__u64 n_packets, n_bytes;
};

struct pb_top_dir_row {
	double rate[PB_RATE_MAX];
	char pps[24], bps[24];    /* "1.23 k", "12.3 Mbit/s"; "-" before two readings */
	char packets[32], bytes[24]; /* since attach: "1,234", "12.3 MB" */
	__u64 n_packets, n_bytes;
};

struct pb_top_class_row {
	enum pb_class id;
	const char *name;
	double share; /* of all packets, 0..1 */
	char pct[16], packets[32], bytes[24];
	__u64 n_packets;
};

struct pb_top_view {
	char title[200]; /* "eth0: xdp native, egress tcx, attached since ..." */
	char clock[16];  /* time of the reading, local "HH:MM:SS" */
	bool paused;
	enum pb_top_sort sort;
	struct pb_top_dir_row dir[PB_DIR_MAX];
	struct pb_top_class_row cls[PB_CLASS_MAX];
	int n_cls; /* rows with packets, largest first */
	bool have_flows;   /* the attachment has a flow table */
	char flows_note[160]; /* "3 of 345 flows, table of 16384" or why they cannot be read */
	struct pb_top_flow_row flows[PB_TOP_ROWS];
	struct pb_top_talker_row talkers[PB_TOP_ROWS];
	int n_flows, n_talkers;
	bool have_alerts;  /* the attachment has detectors */
	char alert_counts[256]; /* "port_scan 2, tcp_bad_flags 1" since attach, or "none" */
	char alerts[PB_TOP_ALERTS][240]; /* the latest, newest first: "12:01:02 type: what" */
	int n_alerts;
	char loss[256]; /* what was lost, "" when nothing */
};

/* What one refresh knows. */
struct pb_top_input {
	const char *ifname, *netns;
	const struct pb_attach_info *info;
	int health;                  /* enum pb_health of the attachment */
	const struct pb_totals *prev; /* NULL on the first reading */
	const struct pb_totals *cur;
	double elapsed;              /* seconds between prev and cur */
	time_t now;
	enum pb_top_sort sort;
	bool paused;
	const struct pb_top_alerts *alerts; /* NULL: no alerts ring */
	struct pb_flow_list *flows;  /* NULL: no flow table; sorted here by the sort key */
	int flows_err;               /* with flows NULL: -ENOENT (no table) or why it failed */
	const struct pb_sample_stats *samples; /* NULL: no sampling counters */
};

const char *pb_top_sort_name(enum pb_top_sort s);

/* Add the rates between in->prev and in->cur to the history. */
void pb_top_history_push(struct pb_top_history *h, const struct pb_top_input *in);

/*
 * The newest k samples of one series, oldest first, as sparkline levels
 * scaled to the largest of them; k is cut to what the history holds.
 * Returns the number of levels written.
 */
unsigned pb_top_spark(const struct pb_top_history *h, int dir, enum pb_top_rate what,
		      unsigned k, int *levels);

/* The view of a refresh; in->flows gets sorted by in->sort. */
void pb_top_view_build(struct pb_top_view *v, const struct pb_top_input *in);

#endif /* PB_TOP_MODEL_H */
