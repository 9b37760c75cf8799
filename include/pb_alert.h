/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the detectors (include/pb_detect.h) and the pktbpf command exchange:
 * alert types, the alert record of the alerts ring buffer, the detector
 * configuration, the deny policy, the keys and values of the detector state
 * maps and their counters. Fixed-width fields and explicit padding, as in
 * pb_abi.h.
 */
#ifndef PB_ALERT_H
#define PB_ALERT_H

#include "pb_types.h"

/*
 * Alert types. The second column is the name in the CLI, JSON, metrics and
 * the config file's section names; the third says whether the detector has a
 * threshold (1) or fires on every offending packet (0).
 */
#define PB_ALERT_LIST(X)                             \
	X(PORT_SCAN, "port_scan", 1)                 \
	X(HOST_SWEEP, "host_sweep", 1)               \
	X(SYN_FLOOD, "syn_flood", 1)                 \
	X(ICMP_FLOOD, "icmp_flood", 1)               \
	X(UDP_FLOOD, "udp_flood", 1)                 \
	X(TCP_BAD_FLAGS, "tcp_bad_flags", 0)         \
	X(ARP_SPOOF, "arp_spoof", 0)                 \
	X(DENIED_ACCESS, "denied_access", 0)         \
	X(MALFORMED_BURST, "malformed_burst", 1)

#define PB_ENUM_ALERT(id, name, thr) PB_ALERT_##id,
enum pb_alert_type { PB_ALERT_LIST(PB_ENUM_ALERT) PB_ALERT_MAX };
#undef PB_ENUM_ALERT

#define PB_ALERT_THR_BIT(id, name, thr) | ((thr) << PB_ALERT_##id)
#define PB_ALERT_THRESHOLD_MASK (0 PB_ALERT_LIST(PB_ALERT_THR_BIT))
#define PB_ALERT_HAS_THRESHOLD(t) ((PB_ALERT_THRESHOLD_MASK >> (t)) & 1)

/* Classes of impossible TCP flag combinations (struct pb_alert.detail). */
#define PB_BAD_FLAGS_LIST(X)          \
	X(NONE, "none")               \
	X(NULL_SCAN, "null")          \
	X(XMAS, "xmas")               \
	X(SYN_FIN, "syn_fin")         \
	X(SYN_RST, "syn_rst")         \
	X(FIN_NO_ACK, "fin_without_ack")

#define PB_ENUM_BADF(id, name) PB_BADF_##id,
enum pb_bad_flags { PB_BAD_FLAGS_LIST(PB_ENUM_BADF) PB_BADF_MAX };
#undef PB_ENUM_BADF

enum pb_alert_flags {
	PB_ALERT_HAS_MAC = 1u << 0,  /* src_mac is the sender's (Ethernet or ARP) */
	PB_ALERT_BY_DST = 1u << 1,   /* counted per destination (syn_flood on a victim) */
	PB_ALERT_HAS_PORT = 1u << 2, /* dport names the target port */
	PB_ALERT_HAS_TARGET = 1u << 3, /* daddr names the target host */
};

/*
 * One alert, as the alerts ring buffer carries it. Addresses in network
 * order, IPv4 in [0]; family 0 means the sender had no IP address the parser
 * could read (a malformed frame), and src_mac names it.
 */
struct pb_alert {
	__u64 time_ns;    /* kernel: CLOCK_MONOTONIC; read: the frame's time (CLOCK_REALTIME) */
	__u64 observed;   /* the count that crossed the threshold (1 for per-packet types) */
	__u64 suppressed; /* triggers of this (type, subject) not alerted since its previous alert */
	__u32 threshold;  /* 0 for per-packet types: any one is too many */
	__u32 window_ms;
	__be32 saddr[4];
	__be32 daddr[4];
	__u16 dport;      /* host order */
	__u8 type;        /* enum pb_alert_type */
	__u8 dir;         /* enum pb_dir */
	__u8 family;      /* 4, 6, or 0 */
	__u8 l4_proto;
	__u8 flags;       /* enum pb_alert_flags */
	/* tcp_bad_flags: enum pb_bad_flags; malformed_burst: enum pb_malformed;
	 * denied_access: the rule's index */
	__u8 detail;
	__u8 tcp_flags;   /* tcp_bad_flags: the flags byte as sent */
	__u8 src_mac[6];
	__u8 old_mac[6];  /* arp_spoof: the MAC the address was learned with */
	__u8 pad[6];
};

/* Per detector: on or off, threshold (count in a window), window. */
struct pb_det_type_cfg {
	__u64 window_ns;
	__u32 threshold; /* alert when the count in one window exceeds it */
	__u32 enabled;
};

/*
 * A denied_access rule: one "and" group of the policy expression. Every
 * constraint present must hold; the policy matches when any rule does.
 */
enum pb_deny_l4 {
	PB_DENY_TCP = 1u << 0,
	PB_DENY_UDP = 1u << 1,
	PB_DENY_ICMP = 1u << 2,
	PB_DENY_ICMP6 = 1u << 3,
};

enum pb_deny_has {
	PB_DENY_SPORT = 1u << 0,
	PB_DENY_DPORT = 1u << 1,
	PB_DENY_PORT = 1u << 2, /* either port */
	PB_DENY_SNET = 1u << 3,
	PB_DENY_DNET = 1u << 4,
	PB_DENY_NET = 1u << 5,  /* either address */
	PB_DENY_NONE = 1u << 6, /* a contradiction (e.g. "icmp and tcp"): never matches */
};

struct pb_deny_net {
	__be32 addr[4]; /* already masked */
	__be32 mask[4];
};

struct pb_deny_rule {
	struct pb_deny_net net[3]; /* src, dst, either: PB_DENY_SNET, _DNET, _NET */
	__u16 port[3];             /* src, dst, either: PB_DENY_SPORT, _DPORT, _PORT */
	__u8 has;                  /* enum pb_deny_has */
	__u8 family;               /* 0 any, 4 or 6 */
	__u8 l4;                   /* enum pb_deny_l4 mask, 0 any */
	__u8 pad[3];
};

#define PB_DENY_MAX_RULES 16
#define PB_DENY_TEXT_MAX 96

struct pb_det_config {
	struct pb_det_type_cfg type[PB_ALERT_MAX];
	__u32 n_rules;
	__u32 pad;
	struct pb_deny_rule rule[PB_DENY_MAX_RULES];
};

/*
 * What later commands learn about an attachment's detectors (the kernel
 * reads its own copy from read-only data): the configuration and each deny
 * rule as the user wrote it.
 */
struct pb_det_info {
	struct pb_det_config cfg;
	char rule_text[PB_DENY_MAX_RULES][PB_DENY_TEXT_MAX];
};

/* Detector state tables, each a bounded LRU map in the kernel. */
#define PB_DET_TABLE_LIST(X)                                    \
	X(HOSTS, "hosts", 16384)  /* per-host rate windows */    \
	X(SCANS, "scans", 8192)   /* per (source, host): ports */ \
	X(SWEEPS, "sweeps", 8192) /* per (source, port): hosts */ \
	X(ARP, "arp", 4096)       /* IPv4 address -> MAC learned */ \
	X(ALERTED, "alerted", 4096) /* per (type, subject): rate limit */

#define PB_ENUM_TABLE(id, name, size) PB_DET_##id,
enum pb_det_table { PB_DET_TABLE_LIST(PB_ENUM_TABLE) PB_DET_TABLE_MAX };
#undef PB_ENUM_TABLE

#define PB_DET_TABLE_SIZE(id, name, size) PB_DET_##id##_SIZE = size,
enum { PB_DET_TABLE_LIST(PB_DET_TABLE_SIZE) };
#undef PB_DET_TABLE_SIZE

/* A host: an IP address, or a MAC when there is no IP (family 0). */
struct pb_det_host {
	__be32 addr[4];
	__u8 family;
	__u8 pad[3];
};

/* A count in a tumbling window; offset counts what cancels it (syn_flood). */
struct pb_det_win {
	__u64 start_ns;
	__u32 count;
	__u32 offset;
};

/* A host's windows: three rates of what it sends, and SYNs each way. */
enum pb_det_win_id {
	PB_WIN_ICMP_OUT,
	PB_WIN_UDP_OUT,
	PB_WIN_MALFORMED_OUT,
	PB_WIN_SYN_OUT, /* SYNs sent; offset: ACKs sent */
	PB_WIN_SYN_IN,  /* SYNs received; offset: ACKs received */
	PB_WIN_MAX
};

struct pb_det_host_val {
	struct pb_det_win win[PB_WIN_MAX];
};

/*
 * Events that come with most packets of a busy link (a rate's packets, the
 * ACKs that cancel SYNs) wait in a small per-CPU cache, a slot per host and
 * window, and reach the shared host table a batch at a time
 * (include/pb_detect.h, pb_det_defer). A shared entry written by every CPU
 * on every packet costs more than all of pktbpf's counting.
 */
#define PB_DET_PEND_SLOTS 256

/* A host's slot for a window: Fibonacci hashing, the top 8 bits of a product. */
static __always_inline __u32 pb_det_pend_index(const struct pb_det_host *h, __u8 win)
{
	__u32 x = h->addr[0] ^ h->addr[1] ^ h->addr[2] ^ h->addr[3] ^ h->family ^ (win << 24);

	return (x * 2654435761u) >> 24;
}

struct pb_det_pend {
	struct pb_det_host host;
	__u32 n;        /* events waiting; 0: the slot is free */
	__u64 since_ns; /* when the first of them came */
	__u8 win;       /* enum pb_det_win_id */
	__u8 pad[7];
};

/*
 * Distinct values (ports or hosts) counted by bucket: PB_DET_BUCKETS bits,
 * one per hash bucket. Exact until two values share a bucket; thresholds are
 * capped at PB_DET_DISTINCT_MAX, where sharing stays rare enough.
 */
#define PB_DET_BUCKETS 1024
#define PB_DET_DISTINCT_MAX 256

struct pb_det_distinct {
	__u64 start_ns;
	__u32 count; /* buckets set */
	__u32 pad;
	__u64 bits[PB_DET_BUCKETS / 64];
};

struct pb_det_scan_key {
	struct pb_det_host src;
	struct pb_det_host dst;
};

struct pb_det_sweep_key {
	struct pb_det_host src;
	__u16 port; /* TCP destination port; 0 for ICMP echo */
	__u8 l4_proto;
	__u8 pad;
};

struct pb_det_mac {
	__u8 mac[6];
	__u8 pad[2];
};

struct pb_det_alerted_key {
	struct pb_det_host subject; /* the source, or the destination (PB_ALERT_BY_DST) */
	__u8 type;
	__u8 by_dst;
	__u8 pad[2];
};

struct pb_det_alerted {
	__u64 last_ns;
	__u64 suppressed;
};

/* Per-CPU counters of the detectors; userspace sums them. */
struct pb_det_stats {
	__u64 raised[PB_ALERT_MAX];
	__u64 suppressed[PB_ALERT_MAX];
	__u64 ring_full[PB_ALERT_MAX];       /* alerts lost: the ring buffer had no room */
	__u64 inserted[PB_DET_TABLE_MAX];    /* new entries: evicted = inserted - present */
	__u64 insert_failed[PB_DET_TABLE_MAX];
};

#define PB_ALERT_RING_BYTES (256u << 10)

#endif /* PB_ALERT_H */
