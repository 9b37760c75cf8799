// SPDX-License-Identifier: BSD-2-Clause
/*
 * The userspace store under include/pb_detect.h: each state table a
 * pb_lru of the kernel map's size, so evictions happen where the kernel's
 * would (as far as an exact LRU and the kernel's approximate one agree).
 */
#include "detect.h"
#include "lru.h"

#include <stdlib.h>

struct pb_det_env {
	struct pb_lru *table[PB_DET_TABLE_MAX];
	struct pb_det_stats stats;
	struct pb_det_pend pend[PB_DET_PEND_SLOTS]; /* one CPU's: the kernel has one per CPU */
	struct pb_alert alert; /* the one being built */
	pb_alert_fn fn;
	void *ctx;
};

static const struct {
	size_t key, val, capacity;
} table_shape[PB_DET_TABLE_MAX] = {
	[PB_DET_HOSTS] = { sizeof(struct pb_det_host), sizeof(struct pb_det_host_val),
			   PB_DET_HOSTS_SIZE },
	[PB_DET_SCANS] = { sizeof(struct pb_det_scan_key), sizeof(struct pb_det_distinct),
			   PB_DET_SCANS_SIZE },
	[PB_DET_SWEEPS] = { sizeof(struct pb_det_sweep_key), sizeof(struct pb_det_distinct),
			    PB_DET_SWEEPS_SIZE },
	[PB_DET_ARP] = { sizeof(__be32), sizeof(struct pb_det_mac), PB_DET_ARP_SIZE },
	[PB_DET_ALERTED] = { sizeof(struct pb_det_alerted_key), sizeof(struct pb_det_alerted),
			     PB_DET_ALERTED_SIZE },
};

static __always_inline void *pb_det_get(struct pb_det_env *e, enum pb_det_table t,
					const void *key, int create)
{
	void *v = pb_lru_lookup(e->table[t], key);

	if (v || !create)
		return v;
	e->stats.inserted[t]++;
	return pb_lru_insert(e->table[t], key);
}

static __always_inline struct pb_det_stats *pb_det_counters(struct pb_det_env *e)
{
	return &e->stats;
}

static __always_inline struct pb_det_pend *pb_det_pend_slot(struct pb_det_env *e, __u32 i)
{
	return &e->pend[i % PB_DET_PEND_SLOTS];
}

static __always_inline struct pb_alert *pb_det_alert_begin(struct pb_det_env *e)
{
	return &e->alert;
}

static __always_inline void pb_det_alert_end(struct pb_det_env *e, struct pb_alert *a)
{
	e->fn(a, e->ctx);
}

#include "pb_detect.h"

struct pb_detector {
	struct pb_det_env env;
	struct pb_det_config cfg;
};

struct pb_detector *pb_detector_new(const struct pb_det_config *cfg, pb_alert_fn fn, void *ctx)
{
	struct pb_detector *d = calloc(1, sizeof(*d));
	int t;

	if (!d)
		return NULL;
	d->cfg = *cfg;
	d->env.fn = fn;
	d->env.ctx = ctx;
	for (t = 0; t < PB_DET_TABLE_MAX; t++) {
		d->env.table[t] = pb_lru_new(table_shape[t].key, table_shape[t].val,
					     table_shape[t].capacity);
		if (!d->env.table[t]) {
			pb_detector_free(d);
			return NULL;
		}
	}
	return d;
}

void pb_detector_free(struct pb_detector *d)
{
	int t;

	if (!d)
		return;
	for (t = 0; t < PB_DET_TABLE_MAX; t++)
		pb_lru_free(d->env.table[t]);
	free(d);
}

void pb_detector_packet(struct pb_detector *d, const __u8 *data, __u32 caplen, bool ethernet,
			const struct pb_pkt *p, __u64 ts_ns, int dir)
{
	const __u8 *mac = ethernet && caplen >= sizeof(struct pb_eth) ? data + PB_ETH_ALEN : NULL;

	pb_detect(&d->env, &d->cfg, data, data + caplen, mac, p, ts_ns,
		  dir >= 0 && dir < PB_DIR_MAX ? dir : 0xff);
}

void pb_detector_totals(const struct pb_detector *d, struct pb_det_totals *out)
{
	int t;

	out->present = true;
	out->s = d->env.stats;
	for (t = 0; t < PB_DET_TABLE_MAX; t++) {
		out->entries[t] = pb_lru_count(d->env.table[t]);
		out->capacity[t] = table_shape[t].capacity;
	}
}
