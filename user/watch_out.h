/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * How `watch` shows one sampled packet: a line (or a JSON object) for the
 * headers, then, with -v, its decoded payload (decode.h).
 */
#ifndef PB_WATCH_OUT_H
#define PB_WATCH_OUT_H

#include <stdbool.h>
#include <stdio.h>
#include <jansson.h>

#include "pb_parse.h"

struct pb_shown {
	const char *ifname;
	const __u8 *data;
	__u32 cap_len;
	__u32 wire_len;
	__u64 ts_ns; /* wall clock */
	int dir;     /* enum pb_dir */
	struct pb_pkt pkt;
};

/* One line: time, interface, direction, addresses, protocol, length. */
void pb_watch_line(FILE *f, const struct pb_shown *s);
/* The same as a JSON object; decoded (may be NULL) is added as "decoded". */
json_t *pb_watch_json(const struct pb_shown *s, json_t *decoded);

#endif /* PB_WATCH_OUT_H */
