// SPDX-License-Identifier: BSD-2-Clause
/*
 * The detectors in the kernel: the real XDP program, loaded with each
 * trace's configuration, runs the crafted traces of tests/detect_traces.h
 * through bpf_prog_test_run_opts; the alerts ring buffer must then hold
 * exactly the alerts the trace lists, and every packet must pass.
 *
 * bpf_ktime_get_ns cannot be faked, so the traces whose outcome depends on
 * the passing of time (windows ending, rate limits expiring) run only in
 * tests/unit/test_detect.c, where the frames' timestamps are the clock. The
 * others take microseconds here, well inside their windows.
 *
 * The batches of pb_det_defer wait in a per-CPU cache, and the userspace
 * detector is one CPU's: the test runs on one CPU so that both see one
 * stream.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "detect_load.h"
#include "detect_traces.h"
#include "pktbpf.skel.h"

#define MAX_ALERTS 64

struct got {
	int n;
	struct pb_alert a[MAX_ALERTS];
};

static int collect(void *ctx, void *data, size_t size)
{
	struct got *g = ctx;

	assert_int_equal(size, sizeof(struct pb_alert));
	if (g->n < MAX_ALERTS)
		memcpy(&g->a[g->n], data, sizeof(struct pb_alert));
	g->n++;
	return 0;
}

static void check_trace(void **state)
{
	void (*build)(struct trace *) = (void (*)(struct trace *))*state;
	static struct trace t;
	struct pb_det_info info;
	struct ring_buffer *rb;
	struct pktbpf *skel;
	struct got g = { 0 };
	char why[256];
	int i, fd;

	build(&t);
	assert_int_equal(tr_config(&t, &info), 0);
	skel = pktbpf__open();
	assert_non_null(skel);
	pb_detect_configure(skel, &info);
	assert_int_equal(pktbpf__load(skel), 0);
	fd = bpf_program__fd(skel->progs.pktbpf_xdp);
	rb = ring_buffer__new(bpf_map__fd(skel->maps.pktbpf_alerts), collect, &g, NULL);
	assert_non_null(rb);
	for (i = 0; i < t.n; i++) {
		LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = t.f[i].data,
			    .data_size_in = t.f[i].len, .repeat = 1);

		assert_int_equal(bpf_prog_test_run_opts(fd, &run), 0);
		assert_int_equal(run.retval, 2 /* XDP_PASS */);
	}
	assert_true(ring_buffer__consume(rb) >= 0);
	for (i = 0; i < g.n && i < t.n_expect; i++)
		if (!tr_match(&g.a[i], &t.expect[i], why, sizeof(why)))
			fail_msg("%s: alert %d: %s", t.name, i, why);
	if (g.n > t.n_expect) {
		tr_match(&g.a[t.n_expect], &t.expect[0], why, sizeof(why));
		fail_msg("%s: %d alerts, want %d; the first extra: %s", t.name, g.n, t.n_expect, why);
	}
	assert_int_equal(g.n, t.n_expect);
	ring_buffer__free(rb);
	pktbpf__destroy(skel);
}

int main(void)
{
	static struct trace names[TR_COUNT];
	struct CMUnitTest tests[TR_COUNT];
	size_t i, n = 0;

	cpu_set_t one;

	CPU_ZERO(&one);
	CPU_SET(sched_getcpu() < 0 ? 0 : sched_getcpu(), &one);
	if (sched_setaffinity(0, sizeof(one), &one)) {
		perror("test_detect: sched_setaffinity");
		return 1;
	}
	for (i = 0; i < TR_COUNT; i++) {
		tr_all[i](&names[i]);
		if (names[i].needs_clock)
			continue; /* see the top of this file */
		tests[n++] = (struct CMUnitTest){ names[i].name, check_trace, NULL, NULL,
						  (void *)tr_all[i] };
	}
	return _cmocka_run_group_tests("detect_bpf", tests, n, NULL, NULL);
}
