/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * For the filter tests: translate a classic program, load it as an XDP or tc
 * program, and run it on one packet in the kernel (bpf_prog_test_run_opts).
 */
#ifndef PB_TEST_FILTER_RUN_H
#define PB_TEST_FILTER_RUN_H

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>

#include "cbpf_to_ebpf.h"
#include "pb_types.h"
#include "filter_prog.h"

static const enum pb_xlate_hook test_hooks[] = { PB_XLATE_XDP, PB_XLATE_TC };
static const char *const test_hook_names[] = { "xdp", "tc" };

/* Translate and load prog for hook; the fd, or -errno after saying why. */
static inline int test_load(const struct sock_filter *prog, size_t n,
			    const struct pb_xlate_opts *o)
{
	static char log[1 << 16];
	struct pb_xlate x;
	int err, fd;

	err = pb_cbpf_to_ebpf(prog, n, o, &x);
	if (err) {
		fprintf(stderr, "translation failed: %s\n", x.err);
		return err;
	}
	fd = pb_filter_load_insns(&x, o->hook, log, sizeof(log));
	if (fd < 0)
		fprintf(stderr, "load failed (%s); the verifier said:\n%s\n", strerror(-fd), log);
	pb_xlate_free(&x);
	return fd;
}

/* Run fd once on len bytes of pkt; its return value, or -1 after a message. */
static inline long long test_run(int fd, const void *pkt, __u32 len)
{
	LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = pkt, .data_size_in = len, .repeat = 1);
	int err = bpf_prog_test_run_opts(fd, &t);

	if (err) {
		fprintf(stderr, "bpf_prog_test_run_opts: %s\n", strerror(errno));
		return -1;
	}
	return t.retval;
}

#endif /* PB_TEST_FILTER_RUN_H */
