/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Writing packets to a capture file: pcapng through our writer (pcapng.c),
 * or classic pcap through libpcap's dumper (for FILE.pcap or --pcap).
 */
#ifndef PB_CAPWRITE_H
#define PB_CAPWRITE_H

#include <stdbool.h>
#include <stdint.h>

struct pb_capwrite;

/* Does this file name ask for classic pcap (ends in ".pcap")? */
bool pb_capwrite_wants_pcap(const char *path);

/* Open path; NULL (errno set, or a libpcap message printed) on failure. */
struct pb_capwrite *pb_capwrite_open(const char *path, bool classic_pcap, uint32_t snaplen);

/* Declare interface n (in order from 0); pcapng writes its IDB. */
int pb_capwrite_iface(struct pb_capwrite *w, const char *name, uint32_t snaplen);

int pb_capwrite_packet(struct pb_capwrite *w, int iface, int dir, uint64_t ts_ns,
		       const void *data, uint32_t cap_len, uint32_t wire_len);

/* Losses of interface n, recorded at close (pcapng only: pcap has no place). */
void pb_capwrite_drops(struct pb_capwrite *w, int iface, uint64_t ts_ns, uint64_t dropped);

/* Close; 0 or -errno of the first write that failed. */
int pb_capwrite_close(struct pb_capwrite *w);

#endif /* PB_CAPWRITE_H */
