/* SPDX-License-Identifier: BSD-2-Clause */
/* Counters of an attachment, summed over CPUs, and their text/JSON forms. */
#ifndef PB_STATS_H
#define PB_STATS_H

#include <stdio.h>
#include <jansson.h>

#include "pb_abi.h"
#include "detect.h"

struct pb_state;

struct pb_ethertype_count {
	__u16 ethertype;
	struct pb_count c;
};

struct pb_totals {
	struct pb_dir_stats dir[PB_DIR_MAX];
	struct pb_ethertype_count ethertypes[PB_DIR_MAX][PB_MAX_OTHER_ETHERTYPES];
	int n_ethertypes[PB_DIR_MAX];
	struct pb_det_totals det; /* the detectors' counters */
};

extern const char *const pb_proto_names[PB_PROTO_MAX];
extern const char *const pb_tcp_flag_names[PB_TCPF_MAX];
extern const char *const pb_malformed_names[PB_MAL_MAX];
extern const char *const pb_dir_names[PB_DIR_MAX];

/* Add every u64 of src into dst (both struct pb_dir_stats). */
void pb_dir_stats_add(struct pb_dir_stats *dst, const struct pb_dir_stats *src);

/* Count an "other" ethertype into t (the userspace twin of the kernel map). */
void pb_totals_add_ethertype(struct pb_totals *t, int dir, __u16 ethertype,
			     const struct pb_count *c);

/* Read and sum the pinned per-CPU maps of an attachment. Returns 0 or -errno. */
int pb_stats_read(const struct pb_state *s, struct pb_totals *out);

__u64 pb_malformed_total(const struct pb_dir_stats *d);

/* Everything in t, as one JSON object {"ingress": {...}, "egress": {...}}. */
json_t *pb_totals_json(const struct pb_totals *t);
void pb_totals_print(FILE *f, const struct pb_totals *t);

/* UTC time of a CLOCK_REALTIME ns stamp: "2026-11-27T22:40:01Z". */
void pb_format_time(char *buf, size_t len, __u64 ns);

/* Per-second rates between two readings, elapsed seconds apart. */
json_t *pb_rates_json(const struct pb_totals *prev, const struct pb_totals *cur, double elapsed);
void pb_rates_print_header(FILE *f);
void pb_rates_print(FILE *f, const struct pb_totals *prev, const struct pb_totals *cur,
		    double elapsed);

#endif /* PB_STATS_H */
