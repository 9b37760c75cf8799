/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A small pcapng writer (libpcap reads pcapng but cannot write it): one
 * Section Header Block, one Interface Description Block per interface,
 * Enhanced Packet Blocks with the direction in epb_flags, and at close an
 * Interface Statistics Block per interface carrying the packets pktbpf lost
 * as isb_ifdrop. Block layouts: the pcapng specification
 * (draft-ietf-opsawg-pcapng), sections 4.1-4.6.
 */
#ifndef PB_PCAPNG_H
#define PB_PCAPNG_H

#include <stdint.h>
#include <stdio.h>

struct pb_pcapng;

/* Open path for writing ("-" is stdout) and write the section header. */
struct pb_pcapng *pb_pcapng_open(const char *path);

/* Describe an interface (Ethernet, nanosecond stamps); returns its id or -1. */
int pb_pcapng_add_iface(struct pb_pcapng *w, const char *name, uint32_t snaplen);

/*
 * One packet: dir 0 inbound, 1 outbound; ts_ns wall clock; cap_len bytes of
 * a packet that was wire_len long. Returns 0 or -errno.
 */
int pb_pcapng_packet(struct pb_pcapng *w, int iface, int dir, uint64_t ts_ns,
		     const void *data, uint32_t cap_len, uint32_t wire_len);

/* Statistics for an interface: packets lost (isb_ifdrop) at ts_ns. */
int pb_pcapng_iface_stats(struct pb_pcapng *w, int iface, uint64_t ts_ns, uint64_t dropped);

/* Flush and close; returns 0 or -errno of the first failed write. */
int pb_pcapng_close(struct pb_pcapng *w);

#endif /* PB_PCAPNG_H */
