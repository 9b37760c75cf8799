/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A filter expression made into a kernel program: libpcap compiles it,
 * cbpf_to_ebpf translates it, the kernel verifies and loads it.
 */
#ifndef PB_FILTER_PROG_H
#define PB_FILTER_PROG_H

#include <stddef.h>
#include "cbpf_to_ebpf.h"

/* Longest expression pktbpf keeps (with its NUL), in the pinned filter record. */
#define PB_FILTER_EXPR_MAX 1024

struct pb_filter_prog {
	int fd;
	size_t cbpf_len;
	size_t ebpf_len;
};

/*
 * Load translated instructions as an XDP or tc program. Returns the fd or
 * -errno; on failure, the end of the verifier's log goes to log (when
 * log_len > 0), NUL-terminated.
 */
int pb_filter_load_insns(const struct pb_xlate *x, enum pb_xlate_hook hook, char *log,
			 size_t log_len);

/*
 * Compile, translate and load expr for Ethernet. Returns PB_EXIT_OK with
 * out->fd set, or prints why not ("pktbpf: filter 'EXPR': ...") and returns
 * PB_EXIT_USAGE for an expression libpcap or the verifier refuses,
 * PB_EXIT_FAIL for anything else.
 */
int pb_filter_prog_build(const char *expr, const struct pb_xlate_opts *o,
			 struct pb_filter_prog *out);

#endif /* PB_FILTER_PROG_H */
