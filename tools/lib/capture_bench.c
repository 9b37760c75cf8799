// SPDX-License-Identifier: BSD-2-Clause
#include "capture_bench.h"
#include "capture_cfg.h"
#include "sample_stats.h"
#include "pktbpf.skel.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

struct pb_capture_bench {
	struct pktbpf *skel;
	struct ring_buffer *rb;
	pthread_t reader;
	atomic_bool stop;
	atomic_ullong taken;
};

static int on_record(void *ctx, void *data, size_t size)
{
	(void)data;
	(void)size;
	atomic_fetch_add(&((struct pb_capture_bench *)ctx)->taken, 1);
	return 0;
}

static void *reader(void *arg)
{
	struct pb_capture_bench *b = arg;

	while (!atomic_load(&b->stop))
		ring_buffer__poll(b->rb, 10);
	return NULL;
}

int pb_capture_bench_load(void **obj, const struct pb_attach_opts *o)
{
	struct pb_capture_bench *b = calloc(1, sizeof(*b));
	struct pb_attach_info info;
	int err = -ENOMEM;

	if (!b)
		return err;
	*obj = b;
	b->skel = pktbpf__open();
	if (!b->skel)
		return -errno;
	err = pb_capture_configure(o, b->skel, &info);
	if (!err)
		err = pktbpf__load(b->skel);
	if (err)
		return err;
	if (o->sample_every) {
		b->rb = ring_buffer__new(bpf_map__fd(b->skel->maps.pktbpf_samples), on_record, b,
					 NULL);
		if (!b->rb || pthread_create(&b->reader, NULL, reader, b)) {
			ring_buffer__free(b->rb);
			b->rb = NULL;
			return -ENOMEM;
		}
	}
	return bpf_program__fd(b->skel->progs.pktbpf_xdp);
}

struct pktbpf *pb_capture_bench_skel(void *obj)
{
	return ((struct pb_capture_bench *)obj)->skel;
}

int pb_capture_bench_check(void *obj)
{
	struct pb_capture_bench *b = obj;
	struct pb_sample_stats st;
	__u64 lost;

	if (!b->rb)
		return 0;
	atomic_store(&b->stop, true);
	pthread_join(b->reader, NULL);
	ring_buffer__consume(b->rb);
	if (pb_sample_stats_read(bpf_map__fd(b->skel->maps.pktbpf_sample_stats), &st)) {
		fprintf(stderr, "xdp_cost: cannot read the sample counters\n");
		return -1;
	}
	lost = st.lost_ring_full + st.lost_copy;
	printf("sample 1 in %u: selected %llu, delivered %llu, taken by the reader %llu, "
	       "lost %llu (%.2f%%)\n",
	       b->skel->rodata->pb_sample_every, (unsigned long long)st.selected, (unsigned long long)st.delivered,
	       (unsigned long long)b->taken, (unsigned long long)lost,
	       st.selected ? 100.0 * lost / st.selected : 0.0);
	if (st.delivered + lost != st.selected || st.delivered != b->taken) {
		fprintf(stderr, "xdp_cost: samples not all accounted for\n");
		return -1;
	}
	return 0;
}

void pb_capture_bench_unload(void *obj)
{
	struct pb_capture_bench *b = obj;

	if (!b)
		return;
	if (b->rb && !atomic_load(&b->stop)) {
		atomic_store(&b->stop, true);
		pthread_join(b->reader, NULL);
	}
	ring_buffer__free(b->rb);
	pktbpf__destroy(b->skel);
	free(b);
}
