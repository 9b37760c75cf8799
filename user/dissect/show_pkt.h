/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One packet as `read` and `watch` show it: the line (and at -v/-vv the
 * header fields) of print_pkt.h, or the JSON of pkt_json.h, plus at -v the
 * payload decoded by decode.h.
 */
#ifndef PB_SHOW_PKT_H
#define PB_SHOW_PKT_H

#include <stdio.h>
#include <jansson.h>

#include "frame.h"
#include "print_pkt.h"

void pb_show_pkt(FILE *out, const struct pb_frame *f, const struct pb_pkt *p,
		 enum pb_print_detail detail);

/* number: the frame's position in its capture (0 leaves it out). */
json_t *pb_show_pkt_json(const struct pb_frame *f, const struct pb_pkt *p, __u64 number,
			 enum pb_print_detail detail);

#endif /* PB_SHOW_PKT_H */
