/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the traffic generator's userspace (tools/trafficgen) tells its
 * transmit program (bpf/trafficgen.bpf.c) about the frame being sent.
 */
#ifndef PB_TRAFFICGEN_H
#define PB_TRAFFICGEN_H

#define TG_HDR_MAX 96    /* QinQ + IPv6 + TCP headers take 82 bytes */
#define TG_MAX_CPUS 256  /* sending threads run on CPUs 0 .. TG_MAX_CPUS - 1 */

/*
 * The frame a CPU is sending: its first bytes (the headers), and where the
 * flow field (L4 source port, ICMP echo identifier) and the checksum that
 * covers it are, with their values as built (host order).
 */
struct tg_tmpl {
	__u8 hdr[TG_HDR_MAX];
	__u32 hdr_len;
	__u32 flow_off;
	__u32 check_off;
	__u16 flow_orig;
	__u16 check_orig;
	__u8 udp;   /* the checksum is UDP's: 0 means none, a computed 0 is sent as ffff */
	__u8 pad[3];
};

#endif /* PB_TRAFFICGEN_H */
