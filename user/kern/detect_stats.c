// SPDX-License-Identifier: BSD-2-Clause
#include "detect_stats.h"
#include "detect_cfg.h"
#include "map_read.h"
#include "state.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

static const char *const table_maps[PB_DET_TABLE_MAX] = {
	[PB_DET_HOSTS] = "pktbpf_det_hosts",   [PB_DET_SCANS] = "pktbpf_det_scans",
	[PB_DET_SWEEPS] = "pktbpf_det_sweeps", [PB_DET_ARP] = "pktbpf_det_arp",
	[PB_DET_ALERTED] = "pktbpf_det_alerted",
};

/* Keys present in a hash map, and its size. */
static int count_entries(int fd, __u64 *entries, __u64 *capacity)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	*capacity = info.max_entries;
	return pb_map_count(fd, entries);
}

int pb_det_stats_sum(int fd, struct pb_det_stats *out)
{
	__u32 zero = 0;

	return pb_percpu_sum(fd, &zero, out, sizeof(*out));
}

int pb_det_totals_read(const struct pb_state *s, struct pb_det_totals *out)
{
	int fd, t, err;

	memset(out, 0, sizeof(*out));
	if (!s->t.dir[0])
		return 0;
	fd = pb_state_open_pin(s, PB_MAP_DET_STATS);
	if (fd == -ENOENT)
		return 0; /* attached by a pktbpf without detectors */
	if (fd < 0)
		return fd;
	err = pb_det_stats_sum(fd, &out->s);
	close(fd);
	for (t = 0; t < PB_DET_TABLE_MAX && !err; t++) {
		fd = pb_state_open_pin(s, table_maps[t]);
		if (fd < 0)
			return fd;
		err = count_entries(fd, &out->entries[t], &out->capacity[t]);
		close(fd);
	}
	out->present = !err;
	return err;
}

int pb_det_info_read(const struct pb_state *s, struct pb_det_info *out)
{
	__u32 zero = 0;
	int fd, err = 0;

	fd = pb_state_open_pin(s, PB_MAP_DET_INFO);
	if (fd < 0)
		return fd;
	if (bpf_map_lookup_elem(fd, &zero, out))
		err = -errno;
	close(fd);
	return err;
}

__u64 pb_det_evicted(const struct pb_det_totals *t, int i)
{
	return t->s.inserted[i] > t->entries[i] ? t->s.inserted[i] - t->entries[i] : 0;
}

void pb_det_totals_json(json_t *o, const struct pb_det_totals *t)
{
	json_t *alerts, *state;
	int i;

	if (!t->present)
		return;
	alerts = json_object();
	state = json_object();
	for (i = 0; i < PB_ALERT_MAX; i++)
		json_object_set_new(alerts, pb_alert_names[i],
				    json_pack("{s:I,s:I,s:I}", "raised", (json_int_t)t->s.raised[i],
					      "suppressed", (json_int_t)t->s.suppressed[i], "lost",
					      (json_int_t)t->s.ring_full[i]));
	for (i = 0; i < PB_DET_TABLE_MAX; i++)
		json_object_set_new(state, pb_det_table_names[i],
				    json_pack("{s:I,s:I,s:I,s:I,s:I}", "entries",
					      (json_int_t)t->entries[i], "capacity",
					      (json_int_t)t->capacity[i], "inserted",
					      (json_int_t)t->s.inserted[i], "evicted",
					      (json_int_t)pb_det_evicted(t, i), "insert_failed",
					      (json_int_t)t->s.insert_failed[i]));
	json_object_set_new(o, "alerts", alerts);
	json_object_set_new(o, "detector_state", state);
}

void pb_det_totals_print(FILE *f, const struct pb_det_totals *t)
{
	int i;

	if (!t->present)
		return;
	fprintf(f, "\n  %-18s %12s %12s %12s\n", "alerts", "raised", "suppressed", "lost");
	for (i = 0; i < PB_ALERT_MAX; i++)
		fprintf(f, "  %-18s %12" PRIu64 " %12" PRIu64 " %12" PRIu64 "\n", pb_alert_names[i],
			(uint64_t)t->s.raised[i], (uint64_t)t->s.suppressed[i],
			(uint64_t)t->s.ring_full[i]);
	fprintf(f, "\n  %-18s %12s %12s %12s %12s\n", "detector state", "entries", "capacity",
		"evicted", "insert failed");
	for (i = 0; i < PB_DET_TABLE_MAX; i++)
		fprintf(f, "  %-18s %12" PRIu64 " %12" PRIu64 " %12" PRIu64 " %12" PRIu64 "\n",
			pb_det_table_names[i], (uint64_t)t->entries[i], (uint64_t)t->capacity[i],
			(uint64_t)pb_det_evicted(t, i), (uint64_t)t->s.insert_failed[i]);
}
