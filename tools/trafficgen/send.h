/* SPDX-License-Identifier: BSD-2-Clause */
/* The traffic generator's sending threads. */
#ifndef PB_TG_SEND_H
#define PB_TG_SEND_H

#include <stdbool.h>
#include <linux/types.h>

#include "craft.h"
#include "trafficgen.h"

#define TG_MAX_KINDS 16
#define TG_MAX_THREADS 64
#define TG_MAX_FRAME 1518 /* a veth takes MTU 1500 + Ethernet header + one VLAN tag */

/* One kind of frame in the mix, and how much of it was sent. */
struct tg_template {
	const struct pb_craft_kind *kind;
	unsigned weight;
	__u8 frame[TG_MAX_FRAME];
	size_t len;
	struct tg_tmpl prog; /* what the program restores and rewrites (tg_template_init) */
	__u64 sent;          /* filled in by tg_send */
};

struct tg_run {
	int prog_fd;          /* the loaded pb_trafficgen program */
	struct tg_tmpl *slots; /* its per-CPU template slots (the mapped .bss) */
	int ifindex;          /* the frames leave from this interface */
	unsigned threads;
	__u64 count;          /* stop after this many packets; 0: no limit */
	double duration;      /* stop after this many seconds; 0: no limit */
	struct tg_template tmpl[TG_MAX_KINDS];
	unsigned n_tmpl;
	/* Results. */
	__u64 packets, bytes;
	double seconds;       /* wall clock, first thread start to last thread end */
	double cpu_seconds;   /* CPU time of the sending threads, receive work included */
	int err;              /* first -errno a thread met */
};

/* Fill t->prog from the frame built in t->frame (t->len bytes). */
void tg_template_init(struct tg_template *t);

/* Send until count, duration or SIGINT/SIGTERM; 0 or -errno. */
int tg_send(struct tg_run *run);

#endif /* PB_TG_SEND_H */
