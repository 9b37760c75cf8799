/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The capture filter of an attachment (bpf/filter.bpf.h): set, change or
 * clear it through the pinned chains, and read which one is in force.
 */
#ifndef PB_FILTER_LIVE_H
#define PB_FILTER_LIVE_H

#include "pb_abi.h"
#include "pin.h"

#define PB_MAP_XDP_CHAIN "pktbpf_xdp_chain"
#define PB_MAP_TC_CHAIN "pktbpf_tc_chain"
#define PB_MAP_FILTER "pktbpf_filter"

/* The maps a filter lives in: each hook's chain, and the record. */
struct pb_filter_maps {
	int chain_fd[2]; /* XDP, tc */
	int info_fd;
};

/* Open an attachment's pinned filter maps. 0, or PB_EXIT_* after a message. */
int pb_filter_maps_open(const struct pb_target *t, struct pb_filter_maps *m);
void pb_filter_maps_close(struct pb_filter_maps *m);

/*
 * Make expr the filter (NULL clears it). Both hooks' programs are built and
 * verified before either chain changes; then each chain changes with one map
 * update. netmask is the interface's (pb_iface_netmask), for "ip broadcast".
 * Returns a PB_EXIT_* code after saying what is wrong; old (may be NULL)
 * gets the filter it replaced.
 */
int pb_filter_apply(const struct pb_filter_maps *m, const char *expr, __u32 netmask,
		    struct pb_filter_info *old);

/* The filter in force (expr "" for none). 0 or -errno. */
int pb_filter_read(const struct pb_target *t, struct pb_filter_info *fi);

#endif /* PB_FILTER_LIVE_H */
