/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef PB_ATTACH_H
#define PB_ATTACH_H

#include <stdbool.h>
#include "pb_abi.h"

struct pb_attach_opts {
	const char *ifname;
	const char *netns; /* NULL: the current namespace (already entered) */
	enum pb_xdp_mode mode;
	bool egress;
	bool replace; /* swap the programs of an existing attachment in place */
	bool force;   /* replace another tool's XDP program */
	const char *filter; /* capture filter (tcpdump's language), or NULL */
	__u32 flow_entries;      /* flow table size (0: PB_FLOWS_DEFAULT) */
	bool no_flows;           /* --flows 0: no flow table */
	__u32 sample_every;      /* 1 in N packets to the ring buffer; 0 none */
	__u32 snaplen;           /* bytes kept per sample (0: PB_SNAPLEN_DEFAULT) */
	__u32 sample_ring_bytes; /* ring buffer size (0: PB_SAMPLE_RING_DEFAULT) */
	const struct pb_det_info *detect; /* detector settings; NULL: defaults */
};

/* Load, attach and pin; returns a PB_EXIT_* code after printing any error. */
int pb_attach(const struct pb_attach_opts *o);

/* Remove an attachment (see pin.h); returns a PB_EXIT_* code. */
int pb_detach(const char *ifname, const char *netns);
/* Remove every attachment; returns a PB_EXIT_* code. */
int pb_detach_all(void);

#endif /* PB_ATTACH_H */
