/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Classic BPF (what libpcap compiles tcpdump's filter language into) translated
 * into eBPF instructions for an XDP or a tc (SCHED_CLS) program.
 *
 * The classic program is taken as the kernel's struct sock_filter, which has
 * the layout of libpcap's struct bpf_insn: both headers name their instruction
 * "struct bpf_insn", so no file can include libpcap's and the kernel's at once.
 */
#ifndef PB_CBPF_TO_EBPF_H
#define PB_CBPF_TO_EBPF_H

#include <stddef.h>
#include <linux/bpf.h>
#include <linux/filter.h>

enum pb_xlate_hook {
	PB_XLATE_XDP = 0, /* struct xdp_md; the wire length is the frame's */
	PB_XLATE_TC = 1,  /* struct __sk_buff; the wire length is skb->len */
};

/*
 * What the program does with the classic program's verdict.
 * VERDICT: return it (the tests compare it with libpcap's).
 * LIVE: on a match, tail-call slot match_slot of the prog array whose fd is
 * prog_array_fd; return the hook's pass verdict in every other case (XDP_PASS,
 * or TCX_NEXT), so the packet goes on untouched either way.
 */
enum pb_xlate_mode {
	PB_XLATE_VERDICT = 0,
	PB_XLATE_LIVE = 1,
};

struct pb_xlate_opts {
	enum pb_xlate_hook hook;
	enum pb_xlate_mode mode;
	int prog_array_fd; /* LIVE only */
	__u32 match_slot;  /* LIVE only */
};

/* The classic program's scratch memory, M[0..15]. */
#define PB_CBPF_MEMWORDS 16

/* The verifier tracks packet offsets up to 0xffff (MAX_PACKET_OFF): bytes at
 * or past it cannot be loaded, and a load there gets cBPF's out-of-bounds
 * verdict (no match). Frames that long do not reach XDP. */
#define PB_XLATE_PKT_MAX 0xffff

struct pb_xlate {
	struct bpf_insn *insns;
	size_t len;
	char err[160]; /* why the translation failed, for the user */
};

/*
 * Translate prog[0..n) into out->insns. Returns 0, -EINVAL when the classic
 * program is not a valid one (out->err says why), -E2BIG when the result is
 * too large for eBPF's 16-bit jump offsets, or -ENOMEM.
 */
int pb_cbpf_to_ebpf(const struct sock_filter *prog, size_t n, const struct pb_xlate_opts *o,
		    struct pb_xlate *out);
void pb_xlate_free(struct pb_xlate *x);

#endif /* PB_CBPF_TO_EBPF_H */
