// SPDX-License-Identifier: BSD-2-Clause
#include "names.h"

#define PB_NAME(id, name, ...) name,
const char *const pb_proto_names[PB_PROTO_MAX] = { PB_PROTO_LIST(PB_NAME) };
const char *const pb_tcp_flag_names[PB_TCPF_MAX] = { PB_TCP_FLAG_LIST(PB_NAME) };
const char *const pb_malformed_names[PB_MAL_MAX] = { PB_MALFORMED_LIST(PB_NAME) };
const char *const pb_alert_names[PB_ALERT_MAX] = { PB_ALERT_LIST(PB_NAME) };
const char *const pb_bad_flags_names[PB_BADF_MAX] = { PB_BAD_FLAGS_LIST(PB_NAME) };
const char *const pb_det_table_names[PB_DET_TABLE_MAX] = { PB_DET_TABLE_LIST(PB_NAME) };
#undef PB_NAME
const char *const pb_dir_names[PB_DIR_MAX] = { "ingress", "egress" };
