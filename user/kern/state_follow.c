// SPDX-License-Identifier: BSD-2-Clause
#include "state_follow.h"
#include "log.h"

#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>

static int map_id(int fd, __u32 *id)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	*id = info.id;
	return 0;
}

/* 1 when the pinned counters are those s holds, 0 when not, or -errno. */
static int same_maps(const struct pb_state *s)
{
	__u32 held = 0, pinned = 0;
	int fd, err;

	fd = pb_state_open_pin(s, PB_MAP_STATS);
	if (fd < 0)
		return fd;
	err = map_id(s->stats_fd, &held);
	if (!err)
		err = map_id(fd, &pinned);
	close(fd);
	return err ? err : held == pinned;
}

int pb_state_follow(struct pb_state *s)
{
	struct pb_target t = s->t;
	int err = same_maps(s);

	if (err)
		return err < 0 ? err : 0;
	pb_state_close(s);
	err = pb_state_open(s, &t);
	return err ? err : 1;
}

/* The id of the attachment's pinned XDP link; 0 when there is none. */
static __u32 link_id(const struct pb_state *s)
{
	struct bpf_link_info li;
	__u32 len = sizeof(li);
	int fd = pb_state_open_pin(s, PB_PIN_LINK_XDP), err;

	if (fd < 0)
		return 0;
	memset(&li, 0, sizeof(li));
	err = bpf_obj_get_info_by_fd(fd, &li, &len);
	close(fd);
	return err ? 0 : li.id;
}

static __u64 now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000 + (__u64)ts.tv_nsec / 1000000;
}

void pb_follow_init(struct pb_follow *f, struct pb_state *s)
{
	memset(f, 0, sizeof(*f));
	f->s = s;
	f->link_id = link_id(s);
	f->next_ms = now_ms() + PB_FOLLOW_CHECK_MS;
}

/*
 * Look at the pins: SAME, NEW with fresh opened on a complete new
 * attachment, or AWAY with the reason in f->why. An attach pins its record
 * first and completes it last: a new attachment is taken once complete.
 */
static enum pb_follow_state look(struct pb_follow *f, struct pb_state *fresh)
{
	int r = same_maps(f->s);

	if (r == 1) {
		f->why = pb_state_recheck(f->s);
		return f->why == PB_HEALTH_OK ? PB_FOLLOW_SAME : PB_FOLLOW_AWAY;
	}
	if (r < 0) {
		f->why = r;
		return PB_FOLLOW_AWAY;
	}
	r = pb_state_open(fresh, &f->s->t);
	if (r) {
		f->why = r;
		return PB_FOLLOW_AWAY;
	}
	if (fresh->health != PB_HEALTH_OK) {
		f->why = fresh->health;
		pb_state_close(fresh);
		return PB_FOLLOW_AWAY;
	}
	return PB_FOLLOW_NEW;
}

static void say_gone(const struct pb_follow *f)
{
	const char *name = f->s->t.ifname;

	switch (f->why) {
	case -ENOENT:
		pb_err(name, "detached; stopping");
		break;
	case PB_HEALTH_IFACE_GONE:
		pb_err(name, "the interface is gone; stopping");
		break;
	case PB_HEALTH_DETACHED:
		pb_err(name, "the program is no longer attached (removed by another tool?); stopping");
		break;
	case PB_HEALTH_INCOMPLETE:
		pb_err(name, "the new attachment did not complete; stopping");
		break;
	default:
		pb_err(name, "cannot find the attachment: %s; stopping", strerror(-f->why));
	}
}

enum pb_follow_state pb_follow_check(struct pb_follow *f)
{
	struct pb_state fresh;
	enum pb_follow_state st;
	__u64 now = now_ms();
	__u32 id;

	if (f->ended)
		return PB_FOLLOW_GONE;
	if (now < f->next_ms)
		return f->gone_ms ? PB_FOLLOW_AWAY : PB_FOLLOW_SAME;
	f->next_ms = now + PB_FOLLOW_CHECK_MS;
	st = look(f, &fresh);
	if (st == PB_FOLLOW_SAME) {
		f->gone_ms = 0;
		return st;
	}
	if (st == PB_FOLLOW_NEW) {
		/* --replace swaps the programs of the same links; a re-attach
		 * makes new ones. */
		id = link_id(&fresh);
		pb_err(fresh.t.ifname, id == f->link_id ? "attachment replaced; following the new one"
							: "re-attached; following the new attachment");
		pb_state_close(f->s);
		*f->s = fresh;
		f->link_id = id;
		f->gone_ms = 0;
		return st;
	}
	if (!f->gone_ms)
		f->gone_ms = now;
	if (now - f->gone_ms < PB_FOLLOW_GRACE_MS ||
	    (now - f->gone_ms < PB_FOLLOW_MAX_MS && pb_pin_busy()))
		return PB_FOLLOW_AWAY;
	say_gone(f);
	f->ended = true; /* and stays gone: no more looks */
	return PB_FOLLOW_GONE;
}
