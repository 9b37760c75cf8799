// SPDX-License-Identifier: BSD-2-Clause
#include "top_alerts.h"
#include "detect_stats.h"
#include "flows.h"
#include "state.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>

static int on_alert(void *ctx, void *data, size_t size)
{
	struct pb_top_alerts *a = ctx;

	if (size < sizeof(struct pb_alert))
		return 0;
	memcpy(&a->last[a->head], data, sizeof(struct pb_alert));
	a->head = (a->head + 1) % PB_TOP_ALERTS;
	if (a->n < PB_TOP_ALERTS)
		a->n++;
	return 0;
}

int pb_top_alerts_open(struct pb_top_alerts *a, const struct pb_state *s)
{
	memset(a, 0, sizeof(*a));
	a->fd = pb_state_open_pin(s, PB_MAP_ALERTS);
	if (a->fd < 0)
		return a->fd;
	if (!pb_det_info_read(s, &a->info))
		a->origin.info = &a->info;
	a->origin.ifname = s->t.ifname;
	a->origin.clock_offset_ns = pb_mono_to_realtime_ns();
	a->rb = ring_buffer__new(a->fd, on_alert, a, NULL);
	if (!a->rb) {
		int err = -errno;

		close(a->fd);
		a->fd = -1;
		return err;
	}
	return 0;
}

void pb_top_alerts_poll(struct pb_top_alerts *a)
{
	if (a->rb)
		ring_buffer__consume(a->rb);
}

void pb_top_alerts_close(struct pb_top_alerts *a)
{
	ring_buffer__free(a->rb);
	if (a->fd >= 0)
		close(a->fd);
	a->rb = NULL;
	a->fd = -1;
}

const struct pb_alert *pb_top_alert(const struct pb_top_alerts *a, unsigned i)
{
	return &a->last[(a->head + PB_TOP_ALERTS - 1 - i) % PB_TOP_ALERTS];
}
