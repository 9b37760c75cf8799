// SPDX-License-Identifier: BSD-2-Clause
#include "stats_read.h"
#include "detect_stats.h"
#include "map_read.h"
#include "state.h"

#include <errno.h>
#include <string.h>
#include <bpf/libbpf.h>

/* Where add_ethertype adds, and how many CPUs' copies each value holds. */
struct ethertypes {
	struct pb_totals *out;
	int ncpu;
};

static int add_ethertype(const void *key, const void *value, void *ctx)
{
	const struct pb_ethertype_key *k = key;
	const struct pb_count *per_cpu = value;
	struct ethertypes *e = ctx;
	struct pb_count sum = { 0 };
	int cpu;

	for (cpu = 0; cpu < e->ncpu; cpu++) {
		sum.packets += per_cpu[cpu].packets;
		sum.bytes += per_cpu[cpu].bytes;
	}
	if (k->dir < PB_DIR_MAX)
		pb_totals_add_ethertype(e->out, k->dir, k->ethertype, &sum);
	return 0;
}

int pb_stats_read(const struct pb_state *s, struct pb_totals *out)
{
	struct ethertypes e = { .out = out, .ncpu = libbpf_num_possible_cpus() };
	int err = 0;
	__u64 n;
	__u32 dir;

	memset(out, 0, sizeof(*out));
	if (e.ncpu <= 0)
		return e.ncpu ? e.ncpu : -EINVAL;
	if (s->stats_fd < 0)
		return -ENOENT;
	for (dir = 0; dir < PB_DIR_MAX && !err; dir++)
		err = pb_percpu_sum(s->stats_fd, &dir, &out->dir[dir], sizeof(out->dir[dir]));
	if (!err && s->ethtype_fd >= 0)
		err = pb_map_each(s->ethtype_fd, add_ethertype, &e, &n);
	if (!err)
		err = pb_det_totals_read(s, &out->det);
	return err;
}
