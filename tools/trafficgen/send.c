// SPDX-License-Identifier: BSD-2-Clause
/*
 * Each thread is pinned to its own CPU and runs the transmit program with
 * BPF_PROG_RUN in live-frames mode, CHUNK frames a call, cycling over the
 * templates by weight. Live mode transmits each XDP_TX frame out of the
 * ingress interface given in the context; on a veth, the peer's NAPI
 * processes it in softirq on the same CPU, so a thread's CPU time covers
 * both sending and receiving, and a slower receiver slows the sender.
 */
#define _GNU_SOURCE
#include "send.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>

/*
 * Frames per call: each call sets up a page pool, so it must be large for
 * that to amortize, and small enough to stop close to --duration (a call
 * takes a few ms at tens of ns a frame).
 */
#define CHUNK (1u << 18)

static atomic_bool stop;
/* Under --count, each kind's share of it, and how much of that is handed out. */
static unsigned long long budget[TG_MAX_KINDS];
static atomic_ullong claimed[TG_MAX_KINDS];

struct tg_thread {
	struct tg_run *run;
	unsigned cpu;
	pthread_t tid;
	__u64 sent[TG_MAX_KINDS];
	double cpu_seconds;
	double start, end;
	int err;
};

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void on_signal(int sig)
{
	(void)sig;
	atomic_store(&stop, true);
}

/* Split --count over the kinds by weight; the remainder goes to the first ones. */
static void set_budgets(const struct tg_run *run, unsigned total)
{
	unsigned long long left = run->count;
	unsigned i;

	for (i = 0; i < run->n_tmpl; i++) {
		budget[i] = run->count / total * run->tmpl[i].weight +
			    run->count % total * run->tmpl[i].weight / total;
		left -= budget[i];
		atomic_store(&claimed[i], 0);
	}
	for (i = 0; left; i = (i + 1) % run->n_tmpl, left--)
		budget[i]++;
}

/* Frames of kind i this call may send: all it wants, or what is left of the budget. */
static __u32 claim(const struct tg_run *run, unsigned i, __u32 want)
{
	unsigned long long got;

	if (!run->count)
		return want;
	got = atomic_fetch_add(&claimed[i], want);
	if (got >= budget[i])
		return 0;
	return got + want > budget[i] ? budget[i] - got : want;
}

static __u16 get_be16(const __u8 *p)
{
	return (__u16)p[0] << 8 | p[1];
}

void tg_template_init(struct tg_template *t)
{
	struct tg_tmpl *p = &t->prog;
	size_t field, check;

	memset(p, 0, sizeof(*p));
	p->hdr_len = t->len < TG_HDR_MAX ? t->len : TG_HDR_MAX;
	memcpy(p->hdr, t->frame, p->hdr_len);
	pb_craft_flow_field(t->kind, &field, &check);
	p->flow_off = field;
	p->check_off = check;
	p->flow_orig = get_be16(t->frame + field);
	p->check_orig = get_be16(t->frame + check);
	p->udp = t->kind->l4 == PB_IPPROTO_UDP;
}

/* The program writes the frame's headers back from the slot of the CPU it runs on. */
static int send_one(const struct tg_thread *th, const struct tg_template *t, __u32 n)
{
	const struct tg_run *run = th->run;
	struct xdp_md ctx = { .data_end = t->len, .ingress_ifindex = run->ifindex };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = t->frame, .data_size_in = t->len,
		    .ctx_in = &ctx, .ctx_size_in = sizeof(ctx),
		    .flags = BPF_F_TEST_XDP_LIVE_FRAMES, .repeat = n);

	run->slots[th->cpu] = t->prog;
	return bpf_prog_test_run_opts(run->prog_fd, &opts) ? -errno : 0;
}

static void *thread_main(void *arg)
{
	struct tg_thread *th = arg;
	struct tg_run *run = th->run;
	unsigned total = 0, i;
	cpu_set_t set;
	double cpu0;

	CPU_ZERO(&set);
	CPU_SET(th->cpu, &set);
	/* One thread per CPU: the program's per-CPU flow sequence relies on it. */
	th->err = -pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	if (th->err)
		return NULL;
	for (i = 0; i < run->n_tmpl; i++)
		total += run->tmpl[i].weight;
	cpu0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
	th->start = clock_s(CLOCK_MONOTONIC);
	while (!atomic_load(&stop)) {
		bool sent = false;

		for (i = 0; i < run->n_tmpl && !atomic_load(&stop); i++) {
			__u32 share = (__u64)CHUNK * run->tmpl[i].weight / total;
			__u32 n = claim(run, i, share ? share : 1);

			if (!n)
				continue;
			sent = true;
			th->err = send_one(th, &run->tmpl[i], n);
			if (th->err) {
				atomic_store(&stop, true);
				break;
			}
			th->sent[i] += n;
			if (run->duration > 0 &&
			    clock_s(CLOCK_MONOTONIC) - th->start >= run->duration)
				atomic_store(&stop, true);
		}
		if (!sent) /* every kind's budget is used up */
			break;
	}
	th->end = clock_s(CLOCK_MONOTONIC);
	th->cpu_seconds = clock_s(CLOCK_THREAD_CPUTIME_ID) - cpu0;
	return NULL;
}

int tg_send(struct tg_run *run)
{
	static struct tg_thread th[TG_MAX_THREADS];
	struct sigaction sa = { .sa_handler = on_signal };
	double start = 0, end = 0;
	unsigned i, k, cpu = 0, started = 0, total = 0;
	cpu_set_t allowed;
	int err = 0;

	if (sched_getaffinity(0, sizeof(allowed), &allowed))
		return -errno;
	if (run->threads > (unsigned)CPU_COUNT(&allowed) || run->threads > TG_MAX_THREADS)
		return -EINVAL;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	atomic_store(&stop, false);
	for (i = 0; i < run->n_tmpl; i++)
		total += run->tmpl[i].weight;
	if (run->count)
		set_budgets(run, total);
	memset(th, 0, sizeof(th));
	for (i = 0; i < run->threads; i++) {
		while (!CPU_ISSET(cpu, &allowed))
			cpu++;
		if (cpu >= TG_MAX_CPUS) {
			err = -ERANGE;
			atomic_store(&stop, true);
			break;
		}
		th[i].run = run;
		th[i].cpu = cpu++;
		err = -pthread_create(&th[i].tid, NULL, thread_main, &th[i]);
		if (err) {
			atomic_store(&stop, true);
			break;
		}
		started++;
	}
	run->packets = run->bytes = 0;
	run->cpu_seconds = 0;
	for (k = 0; k < run->n_tmpl; k++)
		run->tmpl[k].sent = 0;
	for (i = 0; i < started; i++) {
		pthread_join(th[i].tid, NULL);
		if (!err)
			err = th[i].err;
		if (!start || th[i].start < start)
			start = th[i].start;
		if (th[i].end > end)
			end = th[i].end;
		run->cpu_seconds += th[i].cpu_seconds;
		for (k = 0; k < run->n_tmpl; k++) {
			run->tmpl[k].sent += th[i].sent[k];
			run->packets += th[i].sent[k];
			run->bytes += th[i].sent[k] * run->tmpl[k].len;
		}
	}
	run->seconds = end > start ? end - start : 0;
	run->err = err;
	return err;
}
