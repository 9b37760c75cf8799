/* SPDX-License-Identifier: BSD-2-Clause */
/* Alerts as text lines and JSON objects (`pktbpf alerts`, `pktbpf read --alerts`). */
#ifndef PB_ALERT_FMT_H
#define PB_ALERT_FMT_H

#include <stdio.h>
#include <jansson.h>

#include "pb_alert.h"

/* Where alerts come from, for what the record itself does not say. */
struct pb_alert_origin {
	const char *ifname;              /* NULL for a capture file */
	const struct pb_det_info *info;  /* deny rules' text; NULL when unknown */
	__s64 clock_offset_ns;           /* added to time_ns to give CLOCK_REALTIME */
};

/* The short human sentence of an alert. */
void pb_alert_message(char *buf, size_t len, const struct pb_alert *a,
		      const struct pb_alert_origin *o);

/* One line, ending in a newline. */
void pb_alert_print(FILE *f, const struct pb_alert *a, const struct pb_alert_origin *o);

/* One object (field names in README.md, "Alerts"). */
json_t *pb_alert_json(const struct pb_alert *a, const struct pb_alert_origin *o);

#endif /* PB_ALERT_FMT_H */
