/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A filter expression made into a kernel program: libpcap compiles it,
 * cbpf_to_ebpf translates it, the kernel verifies and loads it. The *_cli
 * functions say what went wrong ("pktbpf: filter 'EXPR': why") and return a
 * PB_EXIT_* code: PB_EXIT_USAGE when the expression is at fault (libpcap
 * refuses it, or its program is too large for the translator or the
 * verifier), PB_EXIT_FAIL for anything else.
 */
#ifndef PB_FILTER_PROG_H
#define PB_FILTER_PROG_H

#include <stddef.h>
#include "cbpf_to_ebpf.h"
#include "filter_compile.h"
#include "pb_abi.h"

struct pb_filter_prog {
	int fd;
	size_t cbpf_len;
	size_t ebpf_len;
};

/*
 * Load translated instructions as an XDP or tc program. Returns the fd or
 * -errno; on failure, the verifier's log (its end, when long) goes to log
 * when log_len > 0, NUL-terminated.
 */
int pb_filter_load_insns(const struct pb_xlate *x, enum pb_xlate_hook hook, char *log,
			 size_t log_len);

/* Load, explaining a refusal: what names the filter in messages. The fd or -errno
 * (-EINVAL when the verifier refused the program). */
int pb_filter_load_cli(const char *what, const struct pb_xlate *x, enum pb_xlate_hook hook,
		       size_t cbpf_len);

/* Compile and translate expr, touching no kernel state: is it a usable filter? */
int pb_filter_check(const char *expr);

/* Translate c (compiled from expr) for o and load it. */
int pb_filter_prog_load(const char *expr, const struct pb_cbpf *c,
			const struct pb_xlate_opts *o, struct pb_filter_prog *out);

#endif /* PB_FILTER_PROG_H */
