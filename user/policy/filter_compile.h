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

/* No netmask: libpcap refuses "ip broadcast" then (PCAP_NETMASK_UNKNOWN). */
#define PB_NETMASK_UNKNOWN 0xffffffffu

/*
 * Compile expr, optimized, for a link type (DLT_EN10MB for Ethernet), as
 * tcpdump does for a capture of that type. netmask (network byte order) is
 * what "ip broadcast" needs: tcpdump gives its interface's, or 0 for a
 * file. Returns 0, or -EINVAL with libpcap's message in err, or -ENOMEM.
 */
int pb_filter_compile(const char *expr, int linktype, __u32 netmask, struct pb_cbpf *out,
		      char *err, size_t errlen);

/* The IPv4 netmask of an interface, as tcpdump takes it for a live
 * capture; 0 (tcpdump's fallback) when it has no IPv4 address. */
__u32 pb_iface_netmask(const char *ifname);
void pb_cbpf_free(struct pb_cbpf *c);

/* Messages quote an expression up to PB_FILTER_QUOTE_MAX characters. */
#define PB_FILTER_QUOTE_MAX 120
#define PB_FILTER_QUOTE_LEN (PB_FILTER_QUOTE_MAX + 16)

/* "filter 'EXPR'" for messages, a long expression cut to its start. */
void pb_filter_quote(char *buf, size_t len, const char *expr);

/*
 * pb_filter_compile for a command: an empty, too long or wrong expression is
 * said ("pktbpf: filter 'EXPR': why" and a hint). PB_EXIT_OK, PB_EXIT_USAGE
 * (the expression's fault) or PB_EXIT_FAIL.
 */
int pb_filter_compile_cli(const char *expr, int linktype, __u32 netmask, struct pb_cbpf *c);

/*
 * libpcap's own verdict on one packet (pcap_offline_filter, as tcpdump -r
 * uses it): the program's return value, nonzero for a match. caplen bytes
 * are at pkt; wirelen is the packet's length on the wire.
 */
unsigned int pb_cbpf_offline_filter(const struct pb_cbpf *c, const void *pkt, __u32 caplen,
				    __u32 wirelen);

#endif /* PB_FILTER_COMPILE_H */
