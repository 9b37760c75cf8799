/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Every name table of the counters and alerts, indexed by their enums
 * (include/pb_abi.h, pb_alert.h): what text, JSON and metrics call them.
 */
#ifndef PB_NAMES_H
#define PB_NAMES_H

#include "pb_abi.h"
#include "pb_alert.h"

extern const char *const pb_proto_names[PB_PROTO_MAX];
extern const char *const pb_tcp_flag_names[PB_TCPF_MAX];
extern const char *const pb_malformed_names[PB_MAL_MAX];
extern const char *const pb_dir_names[PB_DIR_MAX];

extern const char *const pb_alert_names[PB_ALERT_MAX];
extern const char *const pb_bad_flags_names[PB_BADF_MAX];
extern const char *const pb_det_table_names[PB_DET_TABLE_MAX];

#endif /* PB_NAMES_H */
