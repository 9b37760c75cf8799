// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The baseline for the forced-drop benchmarks: an XDP program that only drops. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("xdp")
int bench_drop(struct xdp_md *ctx __attribute__((unused)))
{
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
