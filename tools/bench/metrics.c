// SPDX-License-Identifier: BSD-2-Clause
/*
 * make bench: what a Prometheus scrape of pktbpf costs.
 *
 * On a veth pair it makes (and removes), with pktbpf attached, it measures
 *   - collect + write in process (pb_scrape_render: open the pins, sum the
 *     per-CPU maps, write the exposition), median and p99;
 *   - GET /metrics over a kept-alive HTTP connection to the real server
 *     (pb_httpd), median and p99, against GET /nope on the same server as
 *     the baseline (the HTTP round trip alone);
 *   - scrapes per second under load: wrk (2 threads, 16 connections, 3 s)
 *     on /metrics, against wrk on /nope.
 * Twice: a fresh attachment (few series), and the most series pktbpf can
 * export for one attachment (every IP protocol number and a full ethertype
 * table, both directions), then with 1,000 and with 100,000 flows in the
 * flow table on top of that (filled through the pinned map, as if traffic
 * had made them: a scrape counts the flows, so their number is the cost).
 */
#define _GNU_SOURCE /* strcasestr */
#include "attach.h"
#include "bpf_log.h"
#include "httpd.h"
#include "log.h"
#include "metrics.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#define ROUNDS 400

static char ifa[16], ifb[16], pin_root[64];

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct dist {
	double median, p99;
};

static struct dist dist_of(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return (struct dist){ v[n / 2], v[(n * 99) / 100] };
}

static void cleanup(void)
{
	char cmd[64];

	if (!ifa[0])
		return;
	pb_detach_all();
	snprintf(cmd, sizeof(cmd), "ip link del %s 2>/dev/null", ifa);
	if (system(cmd))
		fprintf(stderr, "metrics bench: could not delete %s\n", ifa);
	rmdir(pin_root);
	ifa[0] = '\0';
}

static void on_signal(int sig)
{
	(void)sig;
	exit(1); /* runs cleanup through atexit */
}

/* One GET over a kept-alive connection; the body's length, or -1. */
static long http_get(int fd, const char *path)
{
	static char buf[1 << 20];
	char req[128];
	size_t have = 0;
	long len = -1;
	char *end = NULL;
	ssize_t n;

	n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: bench\r\n\r\n", path);
	if (write(fd, req, n) != n)
		return -1;
	while (!end || have < (size_t)(end - buf) + 4 + len) {
		n = read(fd, buf + have, sizeof(buf) - have - 1);
		if (n <= 0)
			return -1;
		have += n;
		buf[have] = '\0';
		if (!end && (end = strstr(buf, "\r\n\r\n"))) {
			char *cl = strcasestr(buf, "Content-Length:");

			if (!cl || cl > end)
				return -1;
			len = strtol(cl + 15, NULL, 10);
		}
	}
	return len;
}

static int connect_to(unsigned port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		perror("metrics bench: connect");
		exit(1);
	}
	return fd;
}

static struct dist time_http(unsigned port, const char *path, long *body, int rounds)
{
	static double v[ROUNDS];
	int fd = connect_to(port), i;

	for (i = 0; i < rounds; i++) {
		double t0 = now_us();

		*body = http_get(fd, path);
		v[i] = now_us() - t0;
		if (*body < 0) {
			fprintf(stderr, "metrics bench: GET %s failed\n", path);
			exit(1);
		}
	}
	close(fd);
	return dist_of(v, rounds);
}

/* Requests per second wrk reaches on path, or -1 without wrk. */
static double wrk_rate(unsigned port, const char *path)
{
	char cmd[160], line[256];
	double rate = -1;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "wrk -t2 -c16 -d3s --timeout 5s http://127.0.0.1:%u%s 2>&1",
		 port, path);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p))
		if (sscanf(line, "Requests/sec: %lf", &rate) == 1)
			break;
	while (fgets(line, sizeof(line), p))
		;
	pclose(p);
	return rate;
}

/* The most series one attachment can have: every IP protocol, full ethertype table. */
static int fill_worst_case(void)
{
	struct pb_state s;
	struct pb_target t;
	struct pb_dir_stats *vals;
	int ncpu = libbpf_num_possible_cpus(), i, err;
	__u32 dir;

	if (pb_target_init(&t, ifa, NULL) || pb_state_open(&s, &t))
		return -1;
	vals = calloc(ncpu, sizeof(*vals));
	err = !vals;
	for (dir = 0; dir < PB_DIR_MAX && !err; dir++) {
		memset(vals, 0, ncpu * sizeof(*vals));
		for (i = 0; i < 256; i++)
			vals[0].ip_proto[i] = (struct pb_count){ 1000 + i, 100000 + i };
		vals[0].proto[PB_PROTO_ALL] = (struct pb_count){ 123456789, 987654321012 };
		err = bpf_map_update_elem(s.stats_fd, &dir, vals, 0);
	}
	for (i = 0; i < PB_MAX_OTHER_ETHERTYPES && !err; i++) {
		struct pb_ethertype_key k = { .ethertype = 0x9000 + i / 2, .dir = i % 2 };
		struct pb_count *c = (struct pb_count *)vals;

		memset(vals, 0, ncpu * sizeof(*c));
		c[0] = (struct pb_count){ 7, 700 };
		err = bpf_map_update_elem(s.ethtype_fd, &k, c, 0);
	}
	free(vals);
	pb_state_close(&s);
	return err ? -1 : 0;
}

/* Fill the flow table with n distinct UDP flows. */
static int fill_flows(__u32 n)
{
	struct pb_flow_val *vals;
	struct pb_state s;
	struct pb_target t;
	int ncpu = libbpf_num_possible_cpus(), fd, err = 0;
	__u32 i;

	if (pb_target_init(&t, ifa, NULL) || pb_state_open(&s, &t))
		return -1;
	fd = pb_state_open_pin(&s, PB_MAP_FLOWS);
	vals = calloc(ncpu, sizeof(*vals));
	if (fd < 0 || !vals)
		err = -1;
	for (i = 0; i < n && !err; i++) {
		struct pb_flow_key k = { .l4_proto = 17, .family = 4 };

		k.addr[0][0] = htonl(0x0a000000 | (i >> 16));
		k.addr[1][0] = htonl(0x0a010001);
		k.port[0] = i & 0xffff;
		k.port[1] = 53;
		vals[0] = (struct pb_flow_val){ .packets = { 3, 2 }, .bytes = { 300, 200 } };
		err = bpf_map_update_elem(fd, &k, vals, 0);
	}
	free(vals);
	if (fd >= 0)
		close(fd);
	pb_state_close(&s);
	return err ? -1 : 0;
}

static void run_case(const char *name, unsigned port, int rounds)
{
	static double v[ROUNDS];
	struct pb_scrape sc = { 0 };
	struct pb_prom p = { 0 };
	struct dist in, get, nope;
	double rate, base_rate;
	long body, nbody;
	size_t series = 0, k;
	int i;

	for (i = 0; i < rounds; i++) {
		double t0 = now_us();

		if (pb_scrape_render(&sc, &p)) {
			fprintf(stderr, "metrics bench: scrape failed\n");
			exit(1);
		}
		v[i] = now_us() - t0;
	}
	for (k = 0; k < p.len; k++)
		series += p.buf[k] == '\n' && k + 1 < p.len && p.buf[k + 1] != '#';
	in = dist_of(v, rounds);
	get = time_http(port, "/metrics", &body, rounds);
	nope = time_http(port, "/nope", &nbody, rounds);
	rate = wrk_rate(port, "/metrics");
	base_rate = wrk_rate(port, "/nope");

	printf("%s: %zu series, %ld bytes per scrape\n", name, series, body);
	printf("  %-44s %10s %10s %8s\n", "", "median us", "p99 us", "ratio");
	printf("  %-44s %10.1f %10.1f\n", "collect + write, in process", in.median, in.p99);
	printf("  %-44s %10.1f %10.1f %7.1fx\n", "GET /metrics, kept-alive connection", get.median,
	       get.p99, get.median / nope.median);
	printf("  %-44s %10.1f %10.1f %7.1fx\n", "GET /nope (baseline: HTTP round trip)",
	       nope.median, nope.p99, 1.0);
	if (rate < 0 || base_rate < 0) {
		printf("  wrk not found: no figure under load (tools/deps.sh installs it)\n");
	} else {
		printf("  %-44s %10.0f %21.2fx\n", "scrapes/s under load (wrk -t2 -c16 -d3s)", rate,
		       rate / base_rate);
		printf("  %-44s %10.0f %21.2fx\n", "GET /nope per s under load (baseline)", base_rate,
		       1.0);
	}
	pb_scrape_free(&sc);
	pb_prom_free(&p);
}

int main(void)
{
	struct pb_attach_opts o = { .mode = PB_MODE_AUTO, .egress = true, .flow_entries = 131072 };
	struct sockaddr_storage addr;
	struct pb_httpd *h;
	char cmd[160];

	if (geteuid()) {
		printf("metrics: skipped: needs root (BPF, veth)\n");
		return 0;
	}
	pb_log_init(0);
	pb_libbpf_log_init();
	snprintf(ifa, sizeof(ifa), "pbbm%da", getpid() % 100000);
	snprintf(ifb, sizeof(ifb), "pbbm%db", getpid() % 100000);
	snprintf(pin_root, sizeof(pin_root), "/sys/fs/bpf/pktbpf-bench-%d", getpid());
	setenv("PKTBPF_PIN_ROOT", pin_root, 1);
	atexit(cleanup);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	snprintf(cmd, sizeof(cmd), "ip link add %s type veth peer name %s && ip link set %s up",
		 ifa, ifb, ifa);
	if (system(cmd)) {
		ifa[0] = '\0';
		fprintf(stderr, "metrics bench: cannot make a veth pair\n");
		return 1;
	}
	o.ifname = ifa;
	if (pb_attach(&o) || pb_listen_parse("127.0.0.1:0", &addr))
		return 1;
	h = pb_httpd_start(&addr);
	if (!h)
		return 1;
	printf("metrics scrape cost, 1 attachment, %d rounds each, %d CPUs\n", ROUNDS,
	       libbpf_num_possible_cpus());
	run_case("fresh attachment", pb_httpd_port(h), ROUNDS);
	if (fill_worst_case()) {
		fprintf(stderr, "metrics bench: cannot fill the maps\n");
		pb_httpd_stop(h);
		return 1;
	}
	run_case("most series (256 IP protocols, 256 ethertypes)", pb_httpd_port(h), ROUNDS);
	/* 100,000 flows make a scrape ~1000x dearer: fewer rounds keep the bench short. */
	if (fill_flows(1000) == 0)
		run_case("+ 1,000 flows", pb_httpd_port(h), ROUNDS);
	if (fill_flows(100000) == 0)
		run_case("+ 100,000 flows", pb_httpd_port(h), 40);
	else
		fprintf(stderr, "metrics bench: cannot fill the flow table\n");
	pb_httpd_stop(h);
	return 0;
}
