/* SPDX-License-Identifier: BSD-2-Clause */
/* An attachment as later commands find it: pinned maps, attach record, health. */
#ifndef PB_STATE_H
#define PB_STATE_H

#include "pb_abi.h"
#include "pin.h"

#define PB_MAP_STATS "pktbpf_stats"
#define PB_MAP_ETHTYPE "pktbpf_ethtype"
#define PB_MAP_INFO "pktbpf_info"
#define PB_MAP_FLOWS "pktbpf_flows"
#define PB_MAP_FLOW_STATS "pktbpf_flow_stats"
#define PB_MAP_SAMPLES "pktbpf_samples"
#define PB_MAP_SAMPLE_STATS "pktbpf_sample_stats"

enum pb_health {
	PB_HEALTH_OK = 0,
	PB_HEALTH_INCOMPLETE, /* attach did not finish (killed?): detach cleans it */
	PB_HEALTH_IFACE_GONE, /* the interface was deleted or replaced */
	PB_HEALTH_DETACHED,   /* pins remain but the program is no longer attached */
};

struct pb_state {
	struct pb_target t;
	struct pb_attach_info info;
	enum pb_health health;
	int stats_fd;
	int ethtype_fd;
};

/*
 * Open the pinned state of an attachment. Returns 0, -ENOENT when the
 * interface is not attached, or another -errno.
 */
int pb_state_open(struct pb_state *s, const struct pb_target *t);
void pb_state_close(struct pb_state *s);

const char *pb_health_str(enum pb_health h);
const char *pb_mode_str(__u32 mode);

/*
 * Open the state for the command-line target (ifname, netns), printing a clear
 * error when it is not attached. Returns 0 or a PB_EXIT_* code.
 */
int pb_state_open_cli(struct pb_state *s, const char *ifname, const char *netns);

/* Open one of the attachment's pinned objects by name: an fd or -errno. */
int pb_state_open_pin(const struct pb_state *s, const char *name);

/* The health of the attachment s holds, looked at again now. */
enum pb_health pb_state_recheck(const struct pb_state *s);

/* One warning on stderr if the attachment is not healthy. */
void pb_state_warn(const struct pb_state *s);

#endif /* PB_STATE_H */
