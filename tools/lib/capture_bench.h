/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pktbpf loaded as `attach --flows/--sample` would load it, for benchmark
 * rows (tools/bench/xdp_cost.c): with sampling on, a thread takes the
 * records out of the ring buffer as `watch -w /dev/null` would, so the rows
 * measure delivery, not a full ring.
 */
#ifndef PB_CAPTURE_BENCH_H
#define PB_CAPTURE_BENCH_H

#include "attach.h"

struct pktbpf;

/* Load with o's capture settings; returns the XDP program's fd or -errno. */
int pb_capture_bench_load(void **obj, const struct pb_attach_opts *o);
void pb_capture_bench_unload(void *obj);
struct pktbpf *pb_capture_bench_skel(void *obj);

/* After the runs: every sample delivered or counted lost, and every
 * delivered one taken by the reader. Prints a line; 0 or -1. */
int pb_capture_bench_check(void *obj);

#endif /* PB_CAPTURE_BENCH_H */
