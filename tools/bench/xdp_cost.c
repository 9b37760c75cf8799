// SPDX-License-Identifier: BSD-2-Clause
/*
 * Per-packet cost of pktbpf's XDP program, beside an empty XDP program
 * measured in the same run (issue 2's benchmark).
 *
 * Each program runs on each frame with bpf_prog_test_run_opts, REPEAT times
 * per call; the kernel reports the average ns per run (opts.duration, whole
 * ns only). The calls of one round are interleaved over every row, and the
 * table shows the median of ROUNDS rounds with its ratio to the empty program
 * on the same frame. Beside it, the calling thread's CPU time per run
 * (CLOCK_THREAD_CPUTIME_ID around the call) gives a figure below 1 ns of
 * resolution: it also counts the syscall's fixed cost, under 0.01 ns a run.
 *
 * A feature adds its row by adding a struct bench_prog (how to load its
 * program, and what it must have counted) to progs[]; a frame by adding a
 * line to frames[].
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <pcap/dlt.h>

#include "bench_empty.skel.h"
#include "capture_bench.h"
#include "craft.h"
#include "filter_compile.h"
#include "filter_live.h"
#include "deny.h"
#include "detect_cfg.h"
#include "detect_load.h"
#include "detect_stats.h"
#include "pb_abi.h"
#include "pktbpf.skel.h"
#include "state.h"
#include "stats_read.h"

#define REPEAT 1000000
#define ROUNDS 5
#define TARGET_RATIO 2.0 /* issue 2: pktbpf at most 2x the empty program on IPv4/UDP */
#define TARGET_FLOWS_RATIO 6.0 /* issue 4: counters + flow table at most 6x */

struct bench_frame {
	const char *kind; /* a pb_craft_kinds name */
	size_t size;      /* raised to the headers' minimum (IPv6/TCP needs 74) */
	__u8 buf[128];
	size_t len;
};

struct bench_prog {
	const char *label;
	/* Load the program; returns its fd (or -errno) and what to free in *obj. */
	int (*load)(void **obj);
	void (*unload)(void *obj);
	/* After all runs: 0 if it counted frames[] as it should, else -1 after a message. */
	int (*check)(void *obj, const struct bench_frame *frames, size_t n, __u64 runs);
	void *obj;
	int fd;
};

static struct bench_frame frames[] = {
	{ .kind = "udp", .size = 64 },
	{ .kind = "tcp", .size = 64 },
	{ .kind = "tcp6", .size = 64 },
	{ .kind = "vlan", .size = 64 },
};

static int empty_load(void **obj)
{
	struct bench_empty *skel = bench_empty__open_and_load();

	if (!skel)
		return -errno;
	*obj = skel;
	return bpf_program__fd(skel->progs.pktbpf_empty);
}

static void empty_unload(void *obj)
{
	bench_empty__destroy(obj);
}

static int pktbpf_load(void **obj)
{
	struct pktbpf *skel = pktbpf__open_and_load();

	if (!skel)
		return -errno;
	*obj = skel;
	return bpf_program__fd(skel->progs.pktbpf_xdp);
}

static void pktbpf_unload(void *obj)
{
	pktbpf__destroy(obj);
}

static int l4_counter(const struct pb_craft_kind *k)
{
	return k->l4 == PB_IPPROTO_TCP ? PB_PROTO_TCP : PB_PROTO_UDP;
}

/* A benchmark of the parser's error path would measure nothing useful: check
 * that every frame was counted as what it is and none as malformed. */
static int pktbpf_check(void *obj, const struct bench_frame *fr, size_t n, __u64 runs)
{
	struct pktbpf *skel = obj;
	struct pb_state st = { .stats_fd = bpf_map__fd(skel->maps.pktbpf_stats),
			       .ethtype_fd = -1 };
	static struct pb_totals t;
	__u64 want[PB_PROTO_MAX] = { 0 };
	const struct pb_dir_stats *in = &t.dir[PB_DIR_INGRESS];
	size_t i;
	int err;

	err = pb_stats_read(&st, &t);
	if (err) {
		fprintf(stderr, "xdp_cost: reading pktbpf's counters: %s\n", strerror(-err));
		return -1;
	}
	for (i = 0; i < n; i++)
		want[l4_counter(pb_craft_kind_find(fr[i].kind))] += runs;
	if (in->proto[PB_PROTO_ALL].packets != runs * n || pb_malformed_total(in) ||
	    in->proto[PB_PROTO_TCP].packets != want[PB_PROTO_TCP] ||
	    in->proto[PB_PROTO_UDP].packets != want[PB_PROTO_UDP]) {
		fprintf(stderr,
			"xdp_cost: pktbpf miscounted: all %llu (want %llu), tcp %llu (want %llu), "
			"udp %llu (want %llu), malformed %llu\n",
			(unsigned long long)in->proto[PB_PROTO_ALL].packets,
			(unsigned long long)(runs * n),
			(unsigned long long)in->proto[PB_PROTO_TCP].packets,
			(unsigned long long)want[PB_PROTO_TCP],
			(unsigned long long)in->proto[PB_PROTO_UDP].packets,
			(unsigned long long)want[PB_PROTO_UDP],
			(unsigned long long)pb_malformed_total(in));
		return -1;
	}
	return 0;
}

/* Rows of issue 4: pktbpf with the flow table off, and with sampling. */
static int no_flows_load(void **obj)
{
	struct pb_attach_opts o = { .no_flows = true };

	return pb_capture_bench_load(obj, &o);
}

static int sample64_load(void **obj)
{
	struct pb_attach_opts o = { .sample_every = 64 };

	return pb_capture_bench_load(obj, &o);
}

static int sample1_load(void **obj)
{
	struct pb_attach_opts o = { .sample_every = 1 };

	return pb_capture_bench_load(obj, &o);
}

static int capture_check(void *obj, const struct bench_frame *fr, size_t n, __u64 runs)
{
	int bad = pktbpf_check(pb_capture_bench_skel(obj), fr, n, runs);

	return pb_capture_bench_check(obj) || bad ? -1 : 0;
}

/*
 * Rows with a capture filter (issue 5): pktbpf's program with the filter in
 * its chain, put there as `attach --filter` puts it. The crafted frames go
 * from port 1024 to port 9: "udp port 53" matches none of them (the usual
 * case: most traffic is not what a filter looks for); the 10-term one
 * matches the IPv4 UDP and TCP frames, which then go on to the on-match
 * program.
 */
#define FILTER_UDP53 "udp port 53"
#define FILTER_10_TERMS                                                                  \
	"(tcp or udp) and not port 22 and (host 10.0.0.1 or host 10.0.0.3 or "          \
	"net 192.0.2.0/24) and (port 53 or port 9 or portrange 1000-2000) and not vlan"

static int filter_load(void **obj, const char *expr)
{
	struct pb_filter_maps m;
	struct pktbpf *skel;
	int fd = pktbpf_load((void **)&skel);

	if (fd < 0)
		return fd;
	m.chain_fd[0] = bpf_map__fd(skel->maps.pktbpf_xdp_chain);
	m.chain_fd[1] = bpf_map__fd(skel->maps.pktbpf_tc_chain);
	m.info_fd = bpf_map__fd(skel->maps.pktbpf_filter);
	if (pb_filter_apply(&m, expr, 0, NULL)) {
		pktbpf__destroy(skel);
		return -EINVAL;
	}
	*obj = skel;
	return fd;
}

/* Counted as pktbpf counts, and filter_matched as libpcap judges the frames. */
static int filter_check(void *obj, const struct bench_frame *fr, size_t n, __u64 runs,
			const char *expr)
{
	struct pktbpf *skel = obj;
	struct pb_state st = { .stats_fd = bpf_map__fd(skel->maps.pktbpf_stats),
			       .ethtype_fd = -1 };
	static struct pb_totals t;
	struct pb_cbpf c;
	__u64 want = 0;
	char why[256];
	size_t i;

	if (pktbpf_check(obj, fr, n, runs) || pb_stats_read(&st, &t))
		return -1;
	if (pb_filter_compile(expr, DLT_EN10MB, 0, &c, why, sizeof(why))) {
		fprintf(stderr, "xdp_cost: '%s': %s\n", expr, why);
		return -1;
	}
	for (i = 0; i < n; i++)
		want += pb_cbpf_offline_filter(&c, fr[i].buf, fr[i].len, fr[i].len) ? runs : 0;
	pb_cbpf_free(&c);
	if (t.dir[PB_DIR_INGRESS].filter_matched != want) {
		fprintf(stderr, "xdp_cost: '%s' matched %llu times, libpcap says %llu\n", expr,
			(unsigned long long)t.dir[PB_DIR_INGRESS].filter_matched,
			(unsigned long long)want);
		return -1;
	}
	return 0;
}

static int udp53_load(void **obj)
{
	return filter_load(obj, FILTER_UDP53);
}

static int udp53_check(void *obj, const struct bench_frame *fr, size_t n, __u64 runs)
{
	return filter_check(obj, fr, n, runs, FILTER_UDP53);
}

static int terms_load(void **obj)
{
	return filter_load(obj, FILTER_10_TERMS);
}

static int terms_check(void *obj, const struct bench_frame *fr, size_t n, __u64 runs)
{
	return filter_check(obj, fr, n, runs, FILTER_10_TERMS);
}

/*
 * pktbpf with every detector on: attach's defaults and four deny rules that
 * match none of frames[] (so every packet walks them all). pktbpf__open_and_load
 * above leaves the detector settings zeroed: detectors off.
 *
 * One run is REPEAT copies of one frame in a fraction of a second: a flood by
 * any measure. "+detect" raises the thresholds out of reach and measures the
 * counting every packet pays; "+detect flood" keeps the defaults, so the UDP
 * run crosses udp_flood's and every later packet is a suppressed trigger (one
 * more map lookup): the cost while an attack is on.
 */
static int detect_load(void **obj, bool flood)
{
	struct pb_det_info info;
	struct pktbpf *skel;
	char why[128];
	int t, err;

	pb_det_defaults(&info);
	if (pb_deny_parse(&info, "tcp port 23 or udp port 161 or src net 10.99.0.0/16 or "
				 "(tcp dst port 3389 and src net 10.98.0.0/16)",
			  why, sizeof(why)))
		return -EINVAL;
	for (t = 0; !flood && t < PB_ALERT_MAX; t++)
		if (PB_ALERT_HAS_THRESHOLD(t))
			info.cfg.type[t].threshold = 0xffffffffu;
	skel = pktbpf__open();
	if (!skel)
		return -errno;
	pb_detect_configure(skel, &info);
	err = pktbpf__load(skel);
	if (err) {
		pktbpf__destroy(skel);
		return err;
	}
	*obj = skel;
	return bpf_program__fd(skel->progs.pktbpf_xdp);
}

static int detect_count_load(void **obj)
{
	return detect_load(obj, false);
}

static int detect_flood_load(void **obj)
{
	return detect_load(obj, true);
}

/* Counted right, and the detectors did what the row says they did. */
static int detect_check(void *obj, const struct bench_frame *fr, size_t n, __u64 runs, bool flood)
{
	struct pktbpf *skel = obj;
	struct pb_det_stats s = { 0 };
	__u64 raised = 0;
	int t, err;

	if (pktbpf_check(obj, fr, n, runs))
		return -1;
	err = pb_det_stats_sum(bpf_map__fd(skel->maps.pktbpf_det_stats), &s);
	if (err) {
		fprintf(stderr, "xdp_cost: reading the detectors' counters: %s\n", strerror(-err));
		return -1;
	}
	for (t = 0; t < PB_ALERT_MAX; t++)
		raised += s.raised[t];
	if (!flood && raised) {
		fprintf(stderr, "xdp_cost: +detect raised %llu alerts: it measured alerting\n",
			(unsigned long long)raised);
		return -1;
	}
	if (flood && (!s.raised[PB_ALERT_UDP_FLOOD] || !s.suppressed[PB_ALERT_UDP_FLOOD])) {
		fprintf(stderr, "xdp_cost: +detect flood did not take the flood path\n");
		return -1;
	}
	return 0;
}

static int detect_count_check(void *obj, const struct bench_frame *fr, size_t n, __u64 runs)
{
	return detect_check(obj, fr, n, runs, false);
}

static int detect_flood_check(void *obj, const struct bench_frame *fr, size_t n, __u64 runs)
{
	return detect_check(obj, fr, n, runs, true);
}

/* The baseline stays first: ratios are to progs[0] on the same frame. */
static struct bench_prog progs[] = {
	{ .label = "empty", .load = empty_load, .unload = empty_unload },
	{ .label = "pktbpf", .load = pktbpf_load, .unload = pktbpf_unload, .check = pktbpf_check },
	{ .label = "no flows", .load = no_flows_load, .unload = pb_capture_bench_unload,
	  .check = capture_check },
	{ .label = "sample 64", .load = sample64_load, .unload = pb_capture_bench_unload,
	  .check = capture_check },
	{ .label = "sample 1", .load = sample1_load, .unload = pb_capture_bench_unload,
	  .check = capture_check },
	{ .label = "+detect", .load = detect_count_load, .unload = pktbpf_unload,
	  .check = detect_count_check },
	{ .label = "+detect flood", .load = detect_flood_load, .unload = pktbpf_unload,
	  .check = detect_flood_check },
	{ .label = "+udp port 53", .load = udp53_load, .unload = pktbpf_unload,
	  .check = udp53_check },
	{ .label = "+10-term filter", .load = terms_load, .unload = pktbpf_unload,
	  .check = terms_check },
};

#define N_FRAMES PB_ARRAY_SIZE(frames)
#define N_PROGS PB_ARRAY_SIZE(progs)

struct sample {
	double kernel_ns[ROUNDS]; /* opts.duration */
	double cpu_ns[ROUNDS];    /* thread CPU time / REPEAT */
};

static struct sample samples[N_FRAMES][N_PROGS];

static double thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int run_once(const struct bench_prog *p, const struct bench_frame *f, int round,
		    struct sample *out)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = f->buf, .data_size_in = f->len,
		    .repeat = REPEAT);
	double t0, t1;

	t0 = thread_cpu_ns();
	if (bpf_prog_test_run_opts(p->fd, &opts)) {
		fprintf(stderr, "xdp_cost: running %s on %s: %s\n", p->label, f->kind,
			strerror(errno));
		return -1;
	}
	t1 = thread_cpu_ns();
	if (opts.retval != XDP_PASS) {
		fprintf(stderr, "xdp_cost: %s returned %u on %s, not XDP_PASS\n", p->label,
			opts.retval, f->kind);
		return -1;
	}
	out->kernel_ns[round] = opts.duration;
	out->cpu_ns[round] = (t1 - t0) / REPEAT;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(const double *v)
{
	double s[ROUNDS];

	memcpy(s, v, sizeof(s));
	qsort(s, ROUNDS, sizeof(s[0]), cmp_double);
	return s[ROUNDS / 2];
}

static int build_frames(void)
{
	struct pb_craft_spec spec;
	size_t i;

	for (i = 0; i < N_FRAMES; i++) {
		const struct pb_craft_kind *k = pb_craft_kind_find(frames[i].kind);

		if (!k) {
			fprintf(stderr, "xdp_cost: no frame kind '%s'\n", frames[i].kind);
			return -1;
		}
		pb_craft_spec_init(&spec, k);
		spec.size = frames[i].size;
		frames[i].len = pb_craft_build(&spec, frames[i].buf, sizeof(frames[i].buf));
		if (!frames[i].len) {
			fprintf(stderr, "xdp_cost: %s frame does not fit\n", frames[i].kind);
			return -1;
		}
	}
	return 0;
}

static void print_table(void)
{
	size_t f, p;

	printf("%-14s %5s  %-15s %14s %6s %14s %6s\n", "frame", "bytes", "program",
	       "ns/pkt kernel", "ratio", "ns/pkt cpu", "ratio");
	for (f = 0; f < N_FRAMES; f++) {
		double base_k = median(samples[f][0].kernel_ns);
		double base_c = median(samples[f][0].cpu_ns);

		for (p = 0; p < N_PROGS; p++) {
			double k = median(samples[f][p].kernel_ns);
			double c = median(samples[f][p].cpu_ns);

			printf("%-14s %5zu  %-15s %14.0f %6.2f %14.2f %6.2f\n",
			       pb_craft_kind_find(frames[f].kind)->label, frames[f].len,
			       progs[p].label, k, base_k > 0 ? k / base_k : 0, c,
			       base_c > 0 ? c / base_c : 0);
		}
	}
}

/* A target, judged on the kernel's own figure on the first frame. */
static void print_verdict(const char *issue, size_t prog, double target)
{
	double base = median(samples[0][0].kernel_ns);
	double cost = median(samples[0][prog].kernel_ns);
	double ratio = base > 0 ? cost / base : 0;

	printf("target (%s): %s <= %.1fx %s on %zu-byte %s: %.2fx, %s\n", issue,
	       progs[prog].label, target, progs[0].label, frames[0].len,
	       pb_craft_kind_find(frames[0].kind)->label, ratio, ratio <= target ? "met" : "MISSED");
}

int main(void)
{
	size_t f, p;
	int r, status = 1;

	libbpf_set_print(NULL);
	if (build_frames())
		return 1;
	for (p = 0; p < N_PROGS; p++) {
		progs[p].fd = progs[p].load(&progs[p].obj);
		if (progs[p].fd < 0) {
			fprintf(stderr, "xdp_cost: loading %s: %s%s\n", progs[p].label,
				strerror(-progs[p].fd),
				progs[p].fd == -EPERM ? " (run as root)" : "");
			goto out;
		}
	}
	printf("per-packet cost, bpf_prog_test_run_opts: %d runs a call, median of %d rounds\n\n",
	       REPEAT, ROUNDS);
	for (r = 0; r < ROUNDS; r++)
		for (f = 0; f < N_FRAMES; f++)
			for (p = 0; p < N_PROGS; p++)
				if (run_once(&progs[p], &frames[f], r, &samples[f][p]))
					goto out;
	status = 0;
	for (p = 0; p < N_PROGS; p++)
		if (progs[p].check &&
		    progs[p].check(progs[p].obj, frames, N_FRAMES, (__u64)REPEAT * ROUNDS))
			status = 1;
	print_table();
	printf("\n");
	/* Issue 2's counters alone are the "no flows" row since issue 4's flow
	 * table is on by default. */
	print_verdict("issue 2, counters", 2, TARGET_RATIO);
	print_verdict("issue 4, counters + flow table", 1, TARGET_FLOWS_RATIO);
out:
	for (p = 0; p < N_PROGS; p++)
		if (progs[p].obj)
			progs[p].unload(progs[p].obj);
	return status;
}
