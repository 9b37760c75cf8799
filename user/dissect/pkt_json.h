/* SPDX-License-Identifier: BSD-2-Clause */
/* One packet as a JSON object with the fields the parser decoded (README.md lists them). */
#ifndef PB_PKT_JSON_H
#define PB_PKT_JSON_H

#include <jansson.h>

#include "frame.h"

/* number: the frame's position in its capture, from 1; 0 leaves it out. */
json_t *pb_pkt_json(const struct pb_frame *f, const struct pb_pkt *p, __u64 number);

#endif /* PB_PKT_JSON_H */
