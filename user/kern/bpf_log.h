/* SPDX-License-Identifier: BSD-2-Clause */
/* libbpf's own messages, routed through pb_verbosity (base/log.h). */
#ifndef PB_BPF_LOG_H
#define PB_BPF_LOG_H

/* From now on libbpf warns with -v and explains load failures with -vv only. */
void pb_libbpf_log_init(void);

#endif /* PB_BPF_LOG_H */
