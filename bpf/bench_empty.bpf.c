// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The baseline for benchmarks: an XDP program that does nothing but pass. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("xdp")
int pktbpf_empty(struct xdp_md *ctx __attribute__((unused)))
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
