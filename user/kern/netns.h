/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef PB_NETNS_H
#define PB_NETNS_H

/*
 * Move this process into the network namespace NAME (as named by `ip netns`),
 * network namespace only: the mount namespace, and with it the BPF filesystem
 * where pins live, stays the caller's. Returns 0, or a PB_EXIT_* code after
 * printing why.
 */
int pb_netns_enter(const char *name);

#endif /* PB_NETNS_H */
