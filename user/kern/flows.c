// SPDX-License-Identifier: BSD-2-Clause
#include "flows.h"
#include "log.h"
#include "map_read.h"
#include "state.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>

__s64 pb_mono_to_realtime_ns(void)
{
	struct timespec r, m;

	clock_gettime(CLOCK_REALTIME, &r);
	clock_gettime(CLOCK_MONOTONIC, &m);
	return ((__s64)r.tv_sec - m.tv_sec) * 1000000000ll + (r.tv_nsec - m.tv_nsec);
}

static int read_flow_stats(int fd, struct pb_flow_list *out)
{
	struct pb_flow_stats sum = { 0 };
	__u32 zero = 0;
	int err = pb_percpu_sum(fd, &zero, &sum, sizeof(sum));

	out->created = sum.created;
	out->insert_failed = sum.insert_failed;
	return err;
}

struct gather {
	struct pb_flow_list *out;
	int ncpu;
};

/* vals: every CPU's copy, packed (8-byte aligned, as pb_flow_val is). */
_Static_assert(sizeof(struct pb_flow_val) % 8 == 0, "per-CPU copies are 8-byte aligned");

static int gather_flow(const void *key, const void *vals, void *ctx)
{
	const struct pb_flow_val *v = vals;
	struct gather *g = ctx;
	struct pb_flow_val sum = { 0 };
	int cpu;

	for (cpu = 0; cpu < g->ncpu; cpu++)
		pb_flow_val_merge(&sum, &v[cpu]);
	return pb_flow_list_push(g->out, key, &sum);
}

/* Read the table: with values, gather every flow; without, only count them
 * (what a metrics scrape needs). */
static int flows_walk(int flows_fd, int stats_fd, __u32 max_entries, struct pb_flow_list *out,
		      bool values)
{
	struct gather g = { .out = out };
	__u64 n = 0;
	int err = 0;

	memset(out, 0, sizeof(*out));
	out->max_entries = max_entries;
	out->clock_to_realtime_ns = pb_mono_to_realtime_ns();
	g.ncpu = libbpf_num_possible_cpus();
	if (g.ncpu <= 0)
		return g.ncpu ? g.ncpu : -EINVAL;
	/* Counters first: a flow created during the walk then shows up as
	 * present rather than as a negative eviction. */
	if (stats_fd >= 0)
		err = read_flow_stats(stats_fd, out);
	if (!err)
		err = pb_map_each(flows_fd, values ? gather_flow : NULL, &g, &n);
	if (!values)
		out->n = n;
	out->evicted = out->created > out->n ? out->created - out->n : 0;
	return err;
}

int pb_flows_read(int flows_fd, int stats_fd, __u32 max_entries, struct pb_flow_list *out)
{
	return flows_walk(flows_fd, stats_fd, max_entries, out, true);
}

int pb_flows_count(int flows_fd, int stats_fd, __u32 max_entries, struct pb_flow_list *out)
{
	return flows_walk(flows_fd, stats_fd, max_entries, out, false);
}

static int flows_pinned(const struct pb_state *s, struct pb_flow_list *l, bool values)
{
	int fd = pb_state_open_pin(s, PB_MAP_FLOWS), sfd, err;

	if (fd < 0)
		return fd;
	sfd = pb_state_open_pin(s, PB_MAP_FLOW_STATS);
	err = (values ? pb_flows_read : pb_flows_count)(fd, sfd, s->info.flow_entries, l);
	close(fd);
	if (sfd >= 0)
		close(sfd);
	return err;
}

int pb_flows_read_pinned(const struct pb_state *s, struct pb_flow_list *l)
{
	return flows_pinned(s, l, true);
}

int pb_flows_count_pinned(const struct pb_state *s, struct pb_flow_list *l)
{
	return flows_pinned(s, l, false);
}

int pb_flows_of(const struct pb_state *s, struct pb_flow_list *l)
{
	int err = pb_flows_read_pinned(s, l);

	if (err == -ENOENT) {
		pb_err(s->t.ifname, "no flow table: %s", strerror(-err));
		pb_hint("attached by an older pktbpf? 'pktbpf attach %s --replace' adds it",
			s->t.ifname);
	} else if (err) {
		pb_err(s->t.ifname, "cannot read the flow table: %s", strerror(-err));
	}
	return err;
}
