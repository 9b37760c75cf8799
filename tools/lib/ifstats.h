/* SPDX-License-Identifier: BSD-2-Clause */
/* Driver statistics of an interface (what `ethtool -S` shows), summed by name. */
#ifndef PB_IFSTATS_H
#define PB_IFSTATS_H

#include <linux/types.h>

/*
 * Sum the driver statistics of ifname whose names end with suffix (e.g.
 * "_xdp_xmit" adds up tx_queue_0_xdp_xmit, tx_queue_1_xdp_xmit, ...).
 * Returns 0, or -errno (-EOPNOTSUPP: the driver has no statistics).
 */
int pb_ifstats_sum(const char *ifname, const char *suffix, __u64 *out);

#endif /* PB_IFSTATS_H */
