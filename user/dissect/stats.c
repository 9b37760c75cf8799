// SPDX-License-Identifier: BSD-2-Clause
#include "stats.h"

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
		if (n == PB_MAX_OTHER_ETHERTYPES) {
			/* as the kernel map: other_l3 still counts it */
			t->dir[dir].ethertype_table_full += c->packets;
			return;
		}
		e[i].ethertype = ethertype;
		t->n_ethertypes[dir]++;
	}
	e[i].c.packets += c->packets;
	e[i].c.bytes += c->bytes;
}

__u64 pb_malformed_total(const struct pb_dir_stats *d)
{
	__u64 n = 0;
	int i;

	for (i = 1; i < PB_MAL_MAX; i++)
		n += d->malformed[i];
	return n;
}
