/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Packets as text, in tcpdump's spirit: one line per packet (time, direction
 * if known, addresses and ports, protocol, flags, length on the wire). More
 * detail adds every decoded header field, then each header's bytes in hex
 * beside its fields, so a learner sees where each field sits.
 */
#ifndef PB_PRINT_PKT_H
#define PB_PRINT_PKT_H

#include <stdio.h>

#include "frame.h"

enum pb_print_detail {
	PB_PRINT_LINE = 0,   /* one line */
	PB_PRINT_FIELDS = 1, /* -v: and a line per header with all its fields */
	PB_PRINT_HEX = 2,    /* -vv: and the header's bytes in hex beside them */
};

/* Print frame f, parsed into p, to out. */
void pb_print_pkt(FILE *out, const struct pb_frame *f, const struct pb_pkt *p,
		  enum pb_print_detail detail);

#endif /* PB_PRINT_PKT_H */
