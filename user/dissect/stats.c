// SPDX-License-Identifier: BSD-2-Clause
#include "stats.h"
#include "detect_stats.h"
#include "map_read.h"
#include "state.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#define PB_NAME(id, name) name,
const char *const pb_proto_names[PB_PROTO_MAX] = { PB_PROTO_LIST(PB_NAME) };
const char *const pb_tcp_flag_names[PB_TCPF_MAX] = { PB_TCP_FLAG_LIST(PB_NAME) };
const char *const pb_malformed_names[PB_MAL_MAX] = { PB_MALFORMED_LIST(PB_NAME) };
#undef PB_NAME
const char *const pb_dir_names[PB_DIR_MAX] = { "ingress", "egress" };

/* pb_dir_stats is nothing but u64 counters, so it sums as an array of them. */
_Static_assert(sizeof(struct pb_dir_stats) % sizeof(__u64) == 0, "u64 counters only");
#define PB_DIR_WORDS (sizeof(struct pb_dir_stats) / sizeof(__u64))

void pb_dir_stats_add(struct pb_dir_stats *dst, const struct pb_dir_stats *src)
{
	__u64 *d = (__u64 *)dst;
	const __u64 *s = (const __u64 *)src;
	size_t i;

	for (i = 0; i < PB_DIR_WORDS; i++)
		d[i] += s[i];
}

void pb_totals_add_ethertype(struct pb_totals *t, int dir, __u16 ethertype,
			     const struct pb_count *c)
{
	struct pb_ethertype_count *e = t->ethertypes[dir];
	int i, n = t->n_ethertypes[dir];

	for (i = 0; i < n && e[i].ethertype != ethertype; i++)
		;
	if (i == n) {
		if (n == PB_MAX_OTHER_ETHERTYPES)
			return; /* as the kernel map: other_l3 still counts it */
		e[i].ethertype = ethertype;
		t->n_ethertypes[dir]++;
	}
	e[i].c.packets += c->packets;
	e[i].c.bytes += c->bytes;
}

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

__u64 pb_malformed_total(const struct pb_dir_stats *d)
{
	__u64 n = 0;
	int i;

	for (i = 1; i < PB_MAL_MAX; i++)
		n += d->malformed[i];
	return n;
}
