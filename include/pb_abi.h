/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The one definition of everything the kernel programs and the pktbpf command
 * exchange: map keys and values, counter indices, malformed reasons and the
 * attach record. Fixed-width fields and explicit padding only, so both sides
 * agree on the layout byte for byte.
 *
 * Counter and reason lists are X-macros: the enum and the names printed by the
 * CLI, JSON and metrics come from the same line.
 */
#ifndef PB_ABI_H
#define PB_ABI_H

#include "pb_types.h"
#include "pb_alert.h" /* the detectors' part: alerts, their config and state */

#define PB_ABI_VERSION 1

/* Traffic direction, also the key of the per-direction stats map. */
enum pb_dir {
	PB_DIR_INGRESS = 0,
	PB_DIR_EGRESS = 1,
	PB_DIR_MAX = 2,
};

/*
 * Protocol counters (packets and bytes). A packet counts once per layer it
 * carries: an Ethernet/IPv4/TCP frame counts in "all", "ipv4" and "tcp".
 * "other_l3" and "other_l4" also count by number (ethertype, IP protocol).
 */
#define PB_PROTO_LIST(X)                 \
	X(ALL, "all")                    \
	X(VLAN, "vlan")                  \
	X(ARP, "arp")                    \
	X(IPV4, "ipv4")                  \
	X(IPV6, "ipv6")                  \
	X(OTHER_L3, "other_l3")          \
	X(TCP, "tcp")                    \
	X(UDP, "udp")                    \
	X(ICMP, "icmp")                  \
	X(ICMPV6, "icmpv6")              \
	X(OTHER_L4, "other_l4")          \
	X(IPV4_FRAG, "ipv4_fragment")    \
	X(IPV6_FRAG, "ipv6_fragment")

#define PB_ENUM_PROTO(id, name) PB_PROTO_##id,
enum pb_proto { PB_PROTO_LIST(PB_ENUM_PROTO) PB_PROTO_MAX };
#undef PB_ENUM_PROTO

/* TCP flag bits in header order (bit 0 = FIN ... bit 7 = CWR). */
#define PB_TCP_FLAG_LIST(X) \
	X(FIN, "fin")       \
	X(SYN, "syn")       \
	X(RST, "rst")       \
	X(PSH, "psh")       \
	X(ACK, "ack")       \
	X(URG, "urg")       \
	X(ECE, "ece")       \
	X(CWR, "cwr")

#define PB_ENUM_TCPF(id, name) PB_TCPF_##id,
enum pb_tcp_flag { PB_TCP_FLAG_LIST(PB_ENUM_TCPF) PB_TCPF_MAX };
#undef PB_ENUM_TCPF

/*
 * Why a packet was counted as malformed. A packet gets the first reason its
 * parse meets. "Truncated" means a header runs past the packet's length on the
 * wire; a header cut only by a capture's snaplen is not malformed and is
 * counted in pb_dir_stats.capture_truncated instead.
 */
#define PB_MALFORMED_LIST(X)                         \
	X(NONE, "none")                              \
	X(L2_TRUNCATED, "l2_truncated")              \
	X(VLAN_TRUNCATED, "vlan_truncated")          \
	X(VLAN_TOO_DEEP, "vlan_too_deep")            \
	X(ARP_TRUNCATED, "arp_truncated")            \
	X(IPV4_TRUNCATED, "ipv4_truncated")          \
	X(IPV4_BAD_VERSION, "ipv4_bad_version")      \
	X(IPV4_BAD_IHL, "ipv4_bad_ihl")              \
	X(IPV4_BAD_TOTAL_LENGTH, "ipv4_bad_total_length") \
	X(IPV6_TRUNCATED, "ipv6_truncated")          \
	X(IPV6_BAD_VERSION, "ipv6_bad_version")      \
	X(IPV6_BAD_PAYLOAD_LENGTH, "ipv6_bad_payload_length") \
	X(IPV6_EXT_TRUNCATED, "ipv6_ext_truncated")  \
	X(IPV6_TOO_MANY_EXT, "ipv6_too_many_ext")    \
	X(TCP_TRUNCATED, "tcp_truncated")            \
	X(TCP_BAD_DATA_OFFSET, "tcp_bad_data_offset") \
	X(UDP_TRUNCATED, "udp_truncated")            \
	X(UDP_BAD_LENGTH, "udp_bad_length")          \
	X(ICMP_TRUNCATED, "icmp_truncated")          \
	X(ICMPV6_TRUNCATED, "icmpv6_truncated")

#define PB_ENUM_MAL(id, name) PB_MAL_##id,
enum pb_malformed { PB_MALFORMED_LIST(PB_ENUM_MAL) PB_MAL_MAX };
#undef PB_ENUM_MAL

struct pb_count {
	__u64 packets;
	__u64 bytes;
};

/*
 * All counters of one direction: the value of the per-CPU stats map, one
 * lookup per packet. Userspace sums it over CPUs.
 */
struct pb_dir_stats {
	struct pb_count proto[PB_PROTO_MAX];
	__u64 tcp_flags[PB_TCPF_MAX];
	__u64 malformed[PB_MAL_MAX];
	/* Headers cut by the capture (snaplen, non-linear skb), not by the sender. */
	__u64 capture_truncated;
	/* Every IP protocol number seen after the last IPv6 extension header. */
	struct pb_count ip_proto[256];
	/* Packets the capture filter matched (all the other counters see every packet). */
	__u64 filter_matched;
	/* Packets of an unparsed ethertype that the full ethertype table could not
	 * add: counted in other_l3, not by number. */
	__u64 ethertype_table_full;
};

/* Key of the per-CPU hash that counts ethertypes pktbpf does not parse. */
struct pb_ethertype_key {
	__u16 ethertype; /* host byte order */
	__u8 dir;
	__u8 pad;
};

#define PB_MAX_OTHER_ETHERTYPES 256

/*
 * Flows (include/pb_flow.h builds them, bpf/flow.bpf.h keeps them in the
 * kernel). Both directions of a connection are one flow: the key names its
 * two endpoints in canonical order (the lower address, then port, is end 0)
 * and the value counts each way separately, indexed by the end that sent.
 */
struct pb_flow_key {
	__be32 addr[2][4];  /* IPv4 in [i][0], the rest zero */
	__u16 port[2];      /* host order; 0 for protocols without ports */
	__u16 vlan_id;      /* outermost VLAN id, 0 untagged */
	__u8 l4_proto;      /* IP protocol number */
	__u8 family;        /* 4 or 6 */
};

/* Flags of struct pb_flow_val.state. */
enum pb_flow_state {
	PB_FLOW_ENDED = 1u << 0,      /* a FIN or RST was seen */
	PB_FLOW_END0_FIRST = 1u << 1, /* end 0 sent the first packet seen */
	/* This CPU's value came with the packet that created the flow: only its
	 * END0_FIRST counts (stamps of other CPUs may tie with a coarse clock). */
	PB_FLOW_CREATOR = 1u << 2,
};

struct pb_flow_val {
	__u64 packets[2]; /* [i]: sent by end i of the key */
	__u64 bytes[2];   /* lengths on the wire */
	__u64 first_ns;   /* clock of the source: CLOCK_MONOTONIC_COARSE in the kernel */
	__u64 last_ns;
	__u8 tcp_flags[2]; /* every TCP flag end i sent, ORed */
	__u8 state;        /* enum pb_flow_state */
	__u8 pad[5];
};

#define PB_FLOWS_DEFAULT 16384

/* Per-CPU counters of the flow table; evictions = created - entries present. */
struct pb_flow_stats {
	__u64 created;       /* new keys inserted */
	__u64 insert_failed; /* insert refused (should stay 0 with an LRU) */
};

/*
 * One sampled packet in the samples ring buffer: this header, then cap_len
 * bytes of the frame from its first byte.
 */
struct pb_sample {
	__u64 ts_ns;    /* bpf_ktime_get_ns: CLOCK_MONOTONIC */
	__u32 ifindex;
	__u32 wire_len; /* the packet's length before snaplen cut it */
	__u32 cap_len;
	__u8 dir;       /* enum pb_dir */
	__u8 pad[3];
	__u8 data[];
};

#define PB_SNAPLEN_DEFAULT 256
#define PB_SNAPLEN_MAX 65535
#define PB_SAMPLE_RING_DEFAULT (4u << 20)

/* Per-CPU counters of sampling (every sample lost is one of them). */
struct pb_sample_stats {
	__u64 selected;       /* packets chosen by 1-in-N */
	__u64 delivered;      /* records put in the ring buffer */
	__u64 lost_ring_full; /* selected, but the ring buffer had no room */
	__u64 lost_copy;      /* selected, but copying the bytes failed */
	__u64 countdown;      /* packets to skip before the next selection */
};

/*
 * The capture filter's chain: each hook's program tail-calls slot FILTER of
 * its prog array after counting; the translated filter there tail-calls slot
 * MATCHED on a match. An empty FILTER slot means no filter.
 */
enum pb_tail_slot {
	PB_TAIL_FILTER = 0,
	PB_TAIL_MATCHED = 1,
	PB_TAIL_MAX = 2,
};

#define PB_FILTER_EXPR_MAX 16384

/* The capture filter in force, recorded for later commands (userspace only). */
struct pb_filter_info {
	char expr[PB_FILTER_EXPR_MAX]; /* "" when there is none */
	__u32 cbpf_insns;              /* libpcap's program */
	__u32 ebpf_insns;              /* its translation (XDP) */
	__u64 set_time_ns;             /* CLOCK_REALTIME */
};

enum pb_xdp_mode {
	PB_MODE_AUTO = 0,
	PB_MODE_NATIVE = 1,
	PB_MODE_GENERIC = 2,
};

enum pb_attach_flags {
	PB_ATTACH_EGRESS = 1u << 0,
};

/*
 * What `attach` did, stored in a one-element array map pinned next to the
 * links so that every later command (and `detach` after a crash) can find it.
 */
struct pb_attach_info {
	__u32 abi_version;
	__u32 ifindex;
	__u32 xdp_mode; /* enum pb_xdp_mode actually in use (never AUTO) */
	__u32 flags;    /* enum pb_attach_flags */
	__u32 xdp_prog_id;
	__u32 tc_prog_id;
	__u64 attach_time_ns; /* CLOCK_REALTIME */
	char ifname[16];
	char netns[64]; /* empty: the namespace pktbpf was started in */
	__u32 flow_entries; /* --flows */
	__u32 sample_every; /* --sample: 1 in N, 0 none */
	__u32 snaplen;
	__u32 sample_ring_bytes;
};

#endif /* PB_ABI_H */
