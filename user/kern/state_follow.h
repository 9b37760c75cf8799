/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Following an attachment across `attach --replace`, which pins new maps in
 * place of the old ones, and across a re-attach (detach, then attach): a
 * command that reads for a long time would otherwise go on reading the old
 * maps, which nothing counts in any more. And noticing when it is gone for
 * good (detached, or its interface deleted), so that the reader can end.
 */
#ifndef PB_STATE_FOLLOW_H
#define PB_STATE_FOLLOW_H

#include <stdbool.h>

#include "state.h"

/*
 * 1 when the pinned counters are no longer those s holds, after reopening s
 * on the new ones (which count from zero since the replacement); 0 when
 * they are the same; -errno when they cannot be told (detached: -ENOENT).
 */
int pb_state_follow(struct pb_state *s);

/* How often pb_follow_check looks, at most. */
#define PB_FOLLOW_CHECK_MS 250
/* How long an attachment may be gone before its reader ends: a detach
 * followed by an attach within it is a re-attach, followed. While an attach
 * is under way (it holds the pin lock) the wait goes on, to PB_FOLLOW_MAX_MS. */
#define PB_FOLLOW_GRACE_MS 1000
#define PB_FOLLOW_MAX_MS 20000

/* A reader's hold on one attachment. */
struct pb_follow {
	struct pb_state *s;
	__u32 link_id;    /* the XDP link of the attachment s holds */
	__u64 next_ms;    /* CLOCK_MONOTONIC: when to look again */
	__u64 gone_ms;    /* since when it has been missing; 0 while there */
	int why;          /* why it is missing: a pb_health, or -errno */
	bool ended;       /* PB_FOLLOW_GONE said */
};

enum pb_follow_state {
	PB_FOLLOW_SAME,  /* s holds the attachment's maps */
	PB_FOLLOW_NEW,   /* s was reopened on a new attachment (said on stderr):
			  * reopen what else was held, restart baselines */
	PB_FOLLOW_AWAY,  /* missing for now (mid-attach, just detached): nothing new */
	PB_FOLLOW_GONE,  /* gone for good (said on stderr): the reader ends, status 1 */
};

/* Follow the attachment s holds (open, as pb_state_open_cli left it). */
void pb_follow_init(struct pb_follow *f, struct pb_state *s);

/*
 * Where the attachment stands. Cheap to call in every loop: it looks at the
 * pins only every PB_FOLLOW_CHECK_MS and answers from the last look between.
 */
enum pb_follow_state pb_follow_check(struct pb_follow *f);

#endif /* PB_STATE_FOLLOW_H */
