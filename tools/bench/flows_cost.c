// SPDX-License-Identifier: BSD-2-Clause
/*
 * make bench, flows and samples (issue 4): the per-packet cost of pktbpf's
 * XDP program with the flow table and with sampling, beside an empty XDP
 * program measured in the same run.
 *
 * Rows: empty; pktbpf --flows 0 (counters only); pktbpf (counters + flow
 * table, the default); --sample 64; --sample 1. Each runs on each frame with
 * bpf_prog_test_run_opts, REPEAT runs a call (the kernel reports the average
 * ns per run); calls are interleaved over the rows, round after round, and
 * the table shows the median of ROUNDS rounds and the ratio to the empty
 * program on the same frame. While sampling rows run, a thread drains their
 * ring buffer as `watch` would; the records it took and the losses the
 * kernel counted are shown below the table.
 *
 * Target (issue 4): counters + flow table at most 6x the empty program.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bench_empty.skel.h"
#include "capture_cfg.h"
#include "flows.h"
#include "pb_hdr.h"
#include "pktbpf.skel.h"
#include "sample_stats.h"

#define REPEAT 200000
#define ROUNDS 5
#define TARGET_FLOWS 6.0

struct row {
	const char *label;
	bool empty;
	struct pb_attach_opts o;
	struct bench_empty *e;
	struct pktbpf *p;
	int fd;
	struct ring_buffer *rb;
	atomic_ullong taken;
	double ns[2][ROUNDS];
};

static struct row rows[] = {
	{ .label = "empty", .empty = true },
	{ .label = "--flows 0", .o = { .no_flows = true } },
	{ .label = "flows", .o = { 0 } },
	{ .label = "--sample 64", .o = { .sample_every = 64 } },
	{ .label = "--sample 1", .o = { .sample_every = 1 } },
};
#define N_ROWS (sizeof(rows) / sizeof(rows[0]))

struct frame {
	const char *label;
	__u8 b[64];
};

static struct frame frames[2] = { { .label = "udp4 64B" }, { .label = "tcp4 64B" } };

static void build(struct frame *f, __u8 proto)
{
	struct pb_eth *eth = (void *)f->b;
	struct pb_ipv4 *ip = (void *)(eth + 1);
	__u16 *ports = (void *)(ip + 1);

	memcpy(eth->dst, "\x02\0\0\0\0\x02", 6);
	memcpy(eth->src, "\x02\0\0\0\0\x01", 6);
	eth->proto = htons(PB_ETH_P_IPV4);
	ip->ver_ihl = 0x45;
	ip->tot_len = htons(sizeof(f->b) - sizeof(*eth));
	ip->ttl = 64;
	ip->protocol = proto;
	ip->saddr = htonl(0x0a3f0001);
	ip->daddr = htonl(0x0a3f0002);
	ports[0] = htons(40000);
	ports[1] = htons(proto == PB_IPPROTO_TCP ? 443 : 53);
	if (proto == PB_IPPROTO_TCP) {
		struct pb_tcp *t = (void *)ports;

		t->doff_res = 5 << 4;
		t->flags = 0x10;
	} else {
		((struct pb_udp *)ports)->len = htons(sizeof(f->b) - sizeof(*eth) - sizeof(*ip));
	}
}

static int on_record(void *ctx, void *data, size_t size)
{
	(void)data;
	(void)size;
	atomic_fetch_add((atomic_ullong *)ctx, 1);
	return 0;
}

static atomic_bool stop;

/* The reader a `watch -w /dev/null` would be: take records, keep nothing. */
static void *drain(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop))
		for (size_t i = 0; i < N_ROWS; i++)
			if (rows[i].rb)
				ring_buffer__poll(rows[i].rb, 1);
	return NULL;
}

static int load(struct row *r)
{
	struct pb_attach_info info;

	if (r->empty) {
		r->e = bench_empty__open_and_load();
		return r->e ? bpf_program__fd(r->e->progs.pktbpf_empty) : -errno;
	}
	r->o.ifname = "bench";
	r->p = pktbpf__open();
	if (!r->p || pb_capture_configure(&r->o, r->p, &info) || pktbpf__load(r->p))
		return -errno ? -errno : -EINVAL;
	if (r->o.sample_every)
		r->rb = ring_buffer__new(bpf_map__fd(r->p->maps.pktbpf_samples), on_record,
					 &r->taken, NULL);
	return bpf_program__fd(r->p->progs.pktbpf_xdp);
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(const double *v)
{
	double s[ROUNDS];

	memcpy(s, v, sizeof(s));
	qsort(s, ROUNDS, sizeof(s[0]), cmp);
	return s[ROUNDS / 2];
}

int main(void)
{
	pthread_t reader;
	size_t i, f;
	int r, status = 1;
	double ratio = 0;

	libbpf_set_print(NULL);
	build(&frames[0], PB_IPPROTO_UDP);
	build(&frames[1], PB_IPPROTO_TCP);
	for (i = 0; i < N_ROWS; i++) {
		rows[i].fd = load(&rows[i]);
		if (rows[i].fd < 0) {
			fprintf(stderr, "flows_cost: loading %s: %s%s\n", rows[i].label,
				strerror(-rows[i].fd), rows[i].fd == -EPERM ? " (run as root)" : "");
			goto out;
		}
	}
	pthread_create(&reader, NULL, drain, NULL);
	for (r = 0; r < ROUNDS; r++)
		for (f = 0; f < 2; f++)
			for (i = 0; i < N_ROWS; i++) {
				LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frames[f].b,
					    .data_size_in = sizeof(frames[f].b), .repeat = REPEAT);

				if (bpf_prog_test_run_opts(rows[i].fd, &o) || o.retval != XDP_PASS) {
					fprintf(stderr, "flows_cost: running %s: %s\n", rows[i].label,
						strerror(errno));
					atomic_store(&stop, true);
					pthread_join(reader, NULL);
					goto out;
				}
				rows[i].ns[f][r] = o.duration;
			}
	atomic_store(&stop, true);
	pthread_join(reader, NULL);

	printf("per-packet cost of XDP, bpf_prog_test_run_opts: %d runs a call, median of %d "
	       "rounds\n\n%-12s", REPEAT, ROUNDS, "program");
	for (f = 0; f < 2; f++)
		printf(" %10s %6s", frames[f].label, "ratio");
	printf("\n");
	for (i = 0; i < N_ROWS; i++) {
		printf("%-12s", rows[i].label);
		for (f = 0; f < 2; f++) {
			double base = median(rows[0].ns[f]), ns = median(rows[i].ns[f]);

			printf(" %7.0f ns %6.2f", ns, base > 0 ? ns / base : 0);
			if (f == 0 && !strcmp(rows[i].label, "flows"))
				ratio = base > 0 ? ns / base : 0;
		}
		printf("\n");
	}
	printf("\n");
	for (i = 0; i < N_ROWS; i++) {
		struct pb_sample_stats st;

		if (!rows[i].rb ||
		    pb_sample_stats_read(bpf_map__fd(rows[i].p->maps.pktbpf_sample_stats), &st))
			continue;
		ring_buffer__consume(rows[i].rb);
		printf("%-12s selected %llu, delivered %llu, taken by the reader %llu, lost %llu "
		       "(%.1f%%): every loss counted: %s\n",
		       rows[i].label, (unsigned long long)st.selected,
		       (unsigned long long)st.delivered, (unsigned long long)rows[i].taken,
		       (unsigned long long)(st.lost_ring_full + st.lost_copy),
		       st.selected ? 100.0 * (st.lost_ring_full + st.lost_copy) / st.selected : 0,
		       st.delivered + st.lost_ring_full + st.lost_copy == st.selected &&
				       st.delivered == rows[i].taken
			       ? "yes"
			       : "NO");
	}
	printf("\ntarget (issue 4): counters + flow table <= %.0fx empty on udp4: %.2fx, %s\n",
	       TARGET_FLOWS, ratio, ratio <= TARGET_FLOWS ? "met" : "MISSED");
	status = 0;
out:
	for (i = 0; i < N_ROWS; i++) {
		ring_buffer__free(rows[i].rb);
		bench_empty__destroy(rows[i].e);
		pktbpf__destroy(rows[i].p);
	}
	return status;
}
