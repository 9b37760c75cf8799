/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Prometheus text exposition format 0.0.4, written into a buffer that is
 * reused from one scrape to the next (it only grows, to the largest scrape).
 *
 *   # HELP <name> <help, with \ and newline escaped>
 *   # TYPE <name> counter|gauge
 *   <name>{<label>="<value, with \ " and newline escaped>",...} <value>
 *
 * Every sample of a family must follow its HELP and TYPE lines before the next
 * family starts; metrics.c keeps that order.
 */
#ifndef PB_PROM_H
#define PB_PROM_H

#include <stdbool.h>
#include <stddef.h>

#include "pb_types.h"

enum pb_prom_type {
	PB_PROM_COUNTER,
	PB_PROM_GAUGE,
};

struct pb_prom {
	char *buf;
	size_t len, cap;
	bool failed; /* out of memory or a label set too large: the output is incomplete */
};

#define PB_PROM_MAX_LABELS 12

/* A label set built up by pushing and popping around samples. */
struct pb_labels {
	const char *name[PB_PROM_MAX_LABELS];
	const char *value[PB_PROM_MAX_LABELS];
	int n;
};

static inline void pb_labels_push(struct pb_labels *ls, const char *name, const char *value)
{
	if (ls->n < PB_PROM_MAX_LABELS) {
		ls->name[ls->n] = name;
		ls->value[ls->n] = value;
	}
	ls->n++; /* past the maximum: samples with it are refused (failed) */
}

static inline void pb_labels_pop(struct pb_labels *ls)
{
	ls->n--;
}

/* Empty the buffer for a new exposition, keeping its memory. */
void pb_prom_reset(struct pb_prom *p);
void pb_prom_free(struct pb_prom *p);

/* The HELP and TYPE lines that open a family. */
void pb_prom_family(struct pb_prom *p, const char *name, enum pb_prom_type type, const char *help);

/* One sample line; NULL labels for none. */
void pb_prom_u64(struct pb_prom *p, const char *name, const struct pb_labels *ls, __u64 v);
void pb_prom_f64(struct pb_prom *p, const char *name, const struct pb_labels *ls, double v);

/* Is s a valid metric (or, without ':', label) name? */
bool pb_prom_valid_name(const char *s, bool metric);

#endif /* PB_PROM_H */
