/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The deny policy of denied_access: a strict subset of pcap-filter syntax
 * that means what tcpdump would mean by it, compiled into the rules of
 * struct pb_det_config (README.md, "Deny policy", lists the subset).
 */
#ifndef PB_DENY_H
#define PB_DENY_H

#include <stddef.h>

#include "pb_alert.h"

/*
 * Append the rules of expr to info (each "or" alternative is one rule, its
 * text kept for alerts). 0, or -1 with the reason in why.
 */
int pb_deny_parse(struct pb_det_info *info, const char *expr, char *why, size_t why_len);

#endif /* PB_DENY_H */
