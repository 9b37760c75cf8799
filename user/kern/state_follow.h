/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Following an attachment across `attach --replace`, which pins new maps in
 * place of the old ones: a command that reads for a long time (top, report)
 * would otherwise go on reading the old maps, which nothing counts in any more.
 */
#ifndef PB_STATE_FOLLOW_H
#define PB_STATE_FOLLOW_H

#include "state.h"

/*
 * 1 when the pinned counters are no longer those s holds, after reopening s
 * on the new ones (which count from zero since the replacement); 0 when
 * they are the same; -errno when they cannot be told (detached: -ENOENT).
 */
int pb_state_follow(struct pb_state *s);

#endif /* PB_STATE_FOLLOW_H */
