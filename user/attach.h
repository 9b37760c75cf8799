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
	const struct pb_det_info *detect; /* detector settings; NULL: defaults */
};

/* Load, attach and pin; returns a PB_EXIT_* code after printing any error. */
int pb_attach(const struct pb_attach_opts *o);

/* Remove an attachment (see pin.h); returns a PB_EXIT_* code. */
int pb_detach(const char *ifname, const char *netns);
/* Remove every attachment; returns a PB_EXIT_* code. */
int pb_detach_all(void);

#endif /* PB_ATTACH_H */
