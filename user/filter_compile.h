/* SPDX-License-Identifier: BSD-2-Clause */
/* tcpdump's filter language compiled to classic BPF by libpcap. */
#ifndef PB_FILTER_COMPILE_H
#define PB_FILTER_COMPILE_H

#include <stddef.h>
#include <linux/filter.h>

/* As long as tcpdump's default snapshot length: a match returns this. */
#define PB_FILTER_SNAPLEN 262144

struct pb_cbpf {
	struct sock_filter *insns;
	size_t len;
};

/*
 * Compile expr, optimized, for a link type (DLT_EN10MB for Ethernet), as
 * tcpdump does for a capture of that type. Returns 0, or -EINVAL with
 * libpcap's message in err, or -ENOMEM.
 */
int pb_filter_compile(const char *expr, int linktype, struct pb_cbpf *out, char *err,
		      size_t errlen);
void pb_cbpf_free(struct pb_cbpf *c);

/*
 * libpcap's own verdict on one packet (pcap_offline_filter, as tcpdump -r
 * uses it): the program's return value, nonzero for a match. caplen bytes
 * are at pkt; wirelen is the packet's length on the wire.
 */
unsigned int pb_cbpf_offline_filter(const struct pb_cbpf *c, const void *pkt, __u32 caplen,
				    __u32 wirelen);

#endif /* PB_FILTER_COMPILE_H */
