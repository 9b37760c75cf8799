// SPDX-License-Identifier: BSD-2-Clause
#include "sample_stats.h"
#include "map_read.h"
#include "state.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

int pb_sample_stats_read(int fd, struct pb_sample_stats *out)
{
	__u32 zero = 0;
	int err;

	memset(out, 0, sizeof(*out));
	err = pb_percpu_sum(fd, &zero, out, sizeof(*out));
	out->countdown = 0; /* each CPU's place in its 1-in-N, not a count */
	return err;
}

int pb_sample_stats_of(const struct pb_state *s, struct pb_sample_stats *out)
{
	int fd = pb_state_open_pin(s, PB_MAP_SAMPLE_STATS), err;

	if (fd < 0)
		return fd;
	err = pb_sample_stats_read(fd, out);
	close(fd);
	return err;
}

json_t *pb_sample_stats_json(const struct pb_state *s, const struct pb_sample_stats *st)
{
	return json_pack("{s:i,s:i,s:i,s:I,s:I,s:I,s:I}", "every", s->info.sample_every,
			 "snaplen", s->info.snaplen, "ring_bytes", s->info.sample_ring_bytes,
			 "selected",
			 (json_int_t)st->selected, "delivered", (json_int_t)st->delivered,
			 "lost_ring_full", (json_int_t)st->lost_ring_full, "lost_copy",
			 (json_int_t)st->lost_copy);
}

void pb_sample_stats_print(FILE *f, const struct pb_state *s, const struct pb_sample_stats *st)
{
	if (!s->info.sample_every) {
		fprintf(f, "  samples: off (attach --sample N turns them on)\n");
		return;
	}
	fprintf(f,
		"  samples: 1 in %u, snaplen %u, ring %u bytes\n"
		"  %-18s %12" PRIu64 "\n  %-18s %12" PRIu64 "\n  %-18s %12" PRIu64
		"\n  %-18s %12" PRIu64 "\n",
		s->info.sample_every, s->info.snaplen, s->info.sample_ring_bytes, "selected",
		(uint64_t)st->selected, "delivered", (uint64_t)st->delivered, "lost_ring_full",
		(uint64_t)st->lost_ring_full, "lost_copy", (uint64_t)st->lost_copy);
}
