// SPDX-License-Identifier: BSD-2-Clause
#include "stats.h"
#include "detect_stats.h"
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

/*
 * The whole table in batches (a few syscalls, not two per entry: a scrape
 * with a full table took 2 ms the other way). It holds at most
 * PB_MAX_OTHER_ETHERTYPES keys, so room for that many never runs short.
 */
static int read_ethertypes(int fd, int ncpu, struct pb_totals *out)
{
	const __u32 room = PB_MAX_OTHER_ETHERTYPES;
	struct pb_ethertype_key *keys;
	struct pb_count *vals;
	__u32 batch, count, got = 0, i;
	void *in = NULL;
	int cpu, err;

	keys = calloc(room, sizeof(*keys));
	vals = calloc((size_t)room * ncpu, sizeof(*vals));
	if (!keys || !vals) {
		free(keys);
		free(vals);
		return -ENOMEM;
	}
	do {
		count = room - got;
		err = bpf_map_lookup_batch(fd, in, &batch, keys + got, vals + (size_t)got * ncpu,
					   &count, NULL);
		got += count;
		in = &batch;
	} while (!err && got < room);
	if (err == -ENOENT) /* the end of the table */
		err = 0;
	for (i = 0; i < got && !err; i++) {
		struct pb_count sum = { 0 };

		for (cpu = 0; cpu < ncpu; cpu++) {
			sum.packets += vals[(size_t)i * ncpu + cpu].packets;
			sum.bytes += vals[(size_t)i * ncpu + cpu].bytes;
		}
		if (keys[i].dir < PB_DIR_MAX)
			pb_totals_add_ethertype(out, keys[i].dir, keys[i].ethertype, &sum);
	}
	free(keys);
	free(vals);
	return err;
}

int pb_stats_read(const struct pb_state *s, struct pb_totals *out)
{
	struct pb_dir_stats *vals;
	int ncpu, cpu, err = 0;
	__u32 dir;

	memset(out, 0, sizeof(*out));
	ncpu = libbpf_num_possible_cpus();
	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	if (s->stats_fd < 0)
		return -ENOENT;
	vals = calloc(ncpu, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	for (dir = 0; dir < PB_DIR_MAX && !err; dir++) {
		if (bpf_map_lookup_elem(s->stats_fd, &dir, vals)) {
			err = -errno;
			break;
		}
		for (cpu = 0; cpu < ncpu; cpu++)
			pb_dir_stats_add(&out->dir[dir], &vals[cpu]);
	}
	free(vals);
	if (!err && s->ethtype_fd >= 0)
		err = read_ethertypes(s->ethtype_fd, ncpu, out);
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
