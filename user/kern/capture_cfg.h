/* SPDX-License-Identifier: BSD-2-Clause */
/* Flow table and sampling settings applied between skeleton open and load. */
#ifndef PB_CAPTURE_CFG_H
#define PB_CAPTURE_CFG_H

#include "attach.h"

struct pktbpf;

/*
 * Apply o's --flows, --sample, --snaplen and ring size to the opened (not yet
 * loaded) skeleton and record them in info. Returns 0 or -errno.
 */
int pb_capture_configure(const struct pb_attach_opts *o, struct pktbpf *skel,
			 struct pb_attach_info *info);

/* Is n a valid ring buffer size (a power of two, a multiple of the page)? */
int pb_ring_size_valid(unsigned long n);

#endif /* PB_CAPTURE_CFG_H */
