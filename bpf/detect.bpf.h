/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The detectors' kernel side: their state in bounded LRU maps, their alerts
 * in a ring buffer of their own, their counters in a per-CPU array, and the
 * store that include/pb_detect.h runs on. Included by pktbpf.bpf.c.
 *
 * The configuration is read-only data set by attach before load: the
 * verifier then knows every value and drops the code of disabled detectors,
 * so "detectors off" costs next to nothing.
 */
#ifndef PB_DETECT_BPF_H
#define PB_DETECT_BPF_H

#include "pb_alert.h"

const volatile struct pb_det_config pktbpf_det_cfg;

#define PB_DET_LRU(name, size, k, v)             \
	struct {                                 \
		__uint(type, BPF_MAP_TYPE_LRU_HASH); \
		__uint(max_entries, size);       \
		__type(key, k);                  \
		__type(value, v);                \
	} name SEC(".maps")

PB_DET_LRU(pktbpf_det_hosts, PB_DET_HOSTS_SIZE, struct pb_det_host, struct pb_det_host_val);
PB_DET_LRU(pktbpf_det_scans, PB_DET_SCANS_SIZE, struct pb_det_scan_key, struct pb_det_distinct);
PB_DET_LRU(pktbpf_det_sweeps, PB_DET_SWEEPS_SIZE, struct pb_det_sweep_key,
	   struct pb_det_distinct);
PB_DET_LRU(pktbpf_det_arp, PB_DET_ARP_SIZE, __be32, struct pb_det_mac);
PB_DET_LRU(pktbpf_det_alerted, PB_DET_ALERTED_SIZE, struct pb_det_alerted_key,
	   struct pb_det_alerted);

/* Events waiting to be counted in batches (pb_det_defer): per CPU, no atomics. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PB_DET_PEND_SLOTS);
	__type(key, __u32);
	__type(value, struct pb_det_pend);
} pktbpf_det_pend SEC(".maps");

/* Alerts for `pktbpf alerts`; apart from the samples ring so neither crowds out the other. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, PB_ALERT_RING_BYTES);
} pktbpf_alerts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pb_det_stats);
} pktbpf_det_stats SEC(".maps");

/* The configuration and deny rules' text, written by attach for later commands. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pb_det_info);
} pktbpf_det_info SEC(".maps");

/* New entries start zeroed: a value to copy from, as big as the biggest. */
static const struct pb_det_distinct pb_det_zero;

struct pb_det_env; /* the kernel store needs no context */

static __always_inline void *pb_det_map(enum pb_det_table t)
{
	switch (t) {
	case PB_DET_HOSTS:
		return &pktbpf_det_hosts;
	case PB_DET_SCANS:
		return &pktbpf_det_scans;
	case PB_DET_SWEEPS:
		return &pktbpf_det_sweeps;
	case PB_DET_ARP:
		return &pktbpf_det_arp;
	default:
		return &pktbpf_det_alerted;
	}
}

static __always_inline struct pb_det_stats *pb_det_counters(struct pb_det_env *e)
{
	__u32 zero = 0;

	(void)e;
	return bpf_map_lookup_elem(&pktbpf_det_stats, &zero);
}

static __always_inline struct pb_det_pend *pb_det_pend_slot(struct pb_det_env *e, __u32 i)
{
	(void)e;
	return bpf_map_lookup_elem(&pktbpf_det_pend, &i);
}

static __always_inline void *pb_det_get(struct pb_det_env *e, enum pb_det_table t,
					const void *key, int create)
{
	struct pb_det_stats *stats;
	void *v = bpf_map_lookup_elem(pb_det_map(t), key);
	long err;

	if (v || !create)
		return v;
	err = bpf_map_update_elem(pb_det_map(t), key, &pb_det_zero, BPF_NOEXIST);
	stats = pb_det_counters(e);
	if (stats && !err)
		stats->inserted[t]++;
	else if (stats && err != -17 /* EEXIST: another CPU was first */)
		stats->insert_failed[t]++;
	return bpf_map_lookup_elem(pb_det_map(t), key);
}

static __always_inline struct pb_alert *pb_det_alert_begin(struct pb_det_env *e)
{
	(void)e;
	return bpf_ringbuf_reserve(&pktbpf_alerts, sizeof(struct pb_alert), 0);
}

static __always_inline void pb_det_alert_end(struct pb_det_env *e, struct pb_alert *a)
{
	(void)e;
	bpf_ringbuf_submit(a, 0);
}

#include "pb_detect.h"

/*
 * Known at load time: the verifier sees the read-only configuration, so with
 * every detector off this is a constant and the whole call disappears.
 */
static __always_inline int pb_det_any_on(void)
{
	int t;

	PB_UNROLL
	for (t = 0; t < PB_ALERT_MAX; t++)
		if (pktbpf_det_cfg.type[t].enabled)
			return 1;
	return 0;
}

/*
 * Run the detectors over a packet of either direction (pb_detect.h). Windows
 * are seconds long, so now, the coarse clock (a jiffy's resolution), serves.
 */
static __always_inline void pb_detect_packet(void *data, void *data_end,
					     const struct pb_pkt *pkt, __u32 dir, __u64 now)
{
	const __u8 *mac = (const __u8 *)data + PB_ETH_ALEN;

	if (!pb_det_any_on())
		return;
	if (PB_OUT(data, sizeof(struct pb_eth), data_end))
		mac = 0;
	pb_detect(0, &pktbpf_det_cfg, data, data_end, mac, pkt, now, dir);
}

#endif /* PB_DETECT_BPF_H */
