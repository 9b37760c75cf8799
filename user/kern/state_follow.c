// SPDX-License-Identifier: BSD-2-Clause
#include "state_follow.h"

#include <errno.h>
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

int pb_state_follow(struct pb_state *s)
{
	struct pb_target t = s->t;
	__u32 held = 0, pinned = 0;
	int fd, err;

	fd = pb_state_open_pin(s, PB_MAP_STATS);
	if (fd < 0)
		return fd;
	err = map_id(s->stats_fd, &held);
	if (!err)
		err = map_id(fd, &pinned);
	close(fd);
	if (err || held == pinned)
		return err;
	pb_state_close(s);
	err = pb_state_open(s, &t);
	return err ? err : 1;
}
