// SPDX-License-Identifier: BSD-2-Clause
#include "sample_stats.h"
#include "flows.h"
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

json_t *pb_capture_json(const struct pb_state *s, size_t top)
{
	struct pb_sample_stats st;
	struct pb_flow_list l;
	json_t *o = json_object();

	if (!pb_flows_of(s, &l)) {
		json_object_set_new(o, "flow_table", pb_flow_table_json(&l));
		json_object_set_new(o, "top_talkers", pb_talkers_json(&l, top));
		pb_flow_list_free(&l);
	}
	if (!pb_sample_stats_of(s, &st))
		json_object_set_new(o, "samples", pb_sample_stats_json(s, &st));
	return o;
}

void pb_capture_print(FILE *f, const struct pb_state *s, size_t top)
{
	struct pb_sample_stats st;
	struct pb_flow_list l;

	if (!pb_flows_of(s, &l)) {
		fprintf(f, "\n  flows: %zu in the table (size %u), %" PRIu64 " created, %" PRIu64
			   " evicted\n\n",
			l.n, l.max_entries, (uint64_t)l.created, (uint64_t)l.evicted);
		pb_talkers_print(f, &l, top);
		pb_flow_list_free(&l);
	}
	if (!pb_sample_stats_of(s, &st)) {
		fputc('\n', f);
		pb_sample_stats_print(f, s, &st);
	}
}
