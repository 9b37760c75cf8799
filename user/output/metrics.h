/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The metrics of every attachment, as one Prometheus exposition: shared by
 * `pktbpf metrics` (once, to stdout) and `pktbpf serve` (per HTTP scrape).
 *
 * A scrape has three steps: collect (open each attachment's pins and sum its
 * per-CPU counters, once), write (every family of the table in
 * metrics_families.c, each over every device), release (close the pins).
 * The scrape and its output buffer are reused, so a steady scrape allocates
 * nothing new.
 *
 * Adding a feature's metrics: write a pb_metric_write_fn (in the feature's own
 * file if it reads the feature's maps) and add one line to the table.
 */
#ifndef PB_METRICS_H
#define PB_METRICS_H

#include "flows.h"
#include "prom.h"
#include "state.h"
#include "stats.h"

struct pb_metrics_dev {
	struct pb_state st; /* target, attach record, health and open map fds */
	struct pb_totals tot; /* summed over CPUs; valid when read_err is 0 */
	int read_err;         /* -errno of pb_stats_read */
	/* Flow table counters and size, read once a scrape (no entries). */
	struct pb_flow_list flows;
	int flows_err;
};

struct pb_scrape {
	struct pb_metrics_dev **dev; /* sorted by namespace, then interface */
	size_t n, cap;
	/* Devices whose counters could not be read, over the scraper's life. */
	__u64 read_errors;
};

/* Where a family's samples come from. */
enum pb_metric_scope {
	PB_SCOPE_HOST,       /* once per exposition */
	PB_SCOPE_ATTACHMENT, /* once per attachment found, readable or not */
	PB_SCOPE_DEVICE,     /* once per attachment whose counters were read */
};

struct pb_metric_family;

/* What a family writer gets: the device labels are in ls already. */
struct pb_metrics_ctx {
	struct pb_prom *p;
	const struct pb_metric_family *f;
	const struct pb_scrape *sc;
	struct pb_labels ls;
};

/* Write one family's samples for one device (NULL for PB_SCOPE_HOST). */
typedef void (*pb_metric_write_fn)(struct pb_metrics_ctx *c, const struct pb_metrics_dev *d);

struct pb_metric_family {
	const char *name;
	enum pb_prom_type type;
	enum pb_metric_scope scope;
	pb_metric_write_fn write;
	int arg; /* lets one writer serve twin families (e.g. packets and bytes) */
	const char *help;
};

extern const struct pb_metric_family pb_metric_families[];
extern const size_t pb_metric_families_n;

/* One sample of the current family with the labels in c->ls. */
static inline void pb_metric_u64(struct pb_metrics_ctx *c, __u64 v)
{
	pb_prom_u64(c->p, c->f->name, &c->ls, v);
}

static inline void pb_metric_f64(struct pb_metrics_ctx *c, double v)
{
	pb_prom_f64(c->p, c->f->name, &c->ls, v);
}

/* Collect one attachment; 0, -ENOENT when it is not attached, or -errno. */
int pb_scrape_add(struct pb_scrape *sc, const struct pb_target *t);
/* Collect every attachment (of one namespace when netns is not NULL). */
int pb_scrape_add_all(struct pb_scrape *sc, const char *netns);

/* The exposition of what was collected, appended to p. */
void pb_scrape_write(const struct pb_scrape *sc, struct pb_prom *p);

/* Close what collect opened; the scrape is empty and ready for the next. */
void pb_scrape_release(struct pb_scrape *sc);
void pb_scrape_free(struct pb_scrape *sc);

/* All three steps for every attachment, into p (reset first). 0 or -errno. */
int pb_scrape_render(struct pb_scrape *sc, struct pb_prom *p);

#endif /* PB_METRICS_H */
