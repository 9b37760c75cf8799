// SPDX-License-Identifier: BSD-2-Clause
/*
 * user/output/top_model.c: what `pktbpf top` shows from readings of the maps, the
 * numbers and strings on screen without a screen.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "state.h"
#include "top_model.h"

static struct pb_totals prev, cur;
static struct pb_attach_info info = { .xdp_mode = PB_MODE_NATIVE, .flags = PB_ATTACH_EGRESS };

static void put(struct pb_totals *t, int dir, int proto, __u64 packets, __u64 bytes)
{
	t->dir[dir].proto[proto].packets = packets;
	t->dir[dir].proto[proto].bytes = bytes;
}

static struct pb_top_input input(const struct pb_totals *p, const struct pb_totals *c,
				 double elapsed)
{
	struct pb_top_input in = {
		.ifname = "eth0", .netns = "", .info = &info, .health = PB_HEALTH_OK,
		.prev = p, .cur = c, .elapsed = elapsed, .now = 0,
	};

	return in;
}

static void test_first_reading_has_no_rates(void **state)
{
	static struct pb_top_view v;
	struct pb_top_input in;

	(void)state;
	memset(&cur, 0, sizeof(cur));
	put(&cur, PB_DIR_INGRESS, PB_PROTO_ALL, 1234567, 98765432);
	in = input(NULL, &cur, 0);
	pb_top_view_build(&v, &in);
	assert_string_equal(v.dir[PB_DIR_INGRESS].pps, "-");
	assert_string_equal(v.dir[PB_DIR_INGRESS].bps, "-");
	assert_string_equal(v.dir[PB_DIR_INGRESS].packets, "1,234,567");
	assert_string_equal(v.dir[PB_DIR_INGRESS].bytes, "98.8 MB");
	assert_string_equal(v.dir[PB_DIR_EGRESS].packets, "0");
	assert_string_equal(v.title,
			    "eth0: xdp native, egress tcx, attached since ?");
}

static void test_rates_per_second(void **state)
{
	static struct pb_top_view v;
	struct pb_top_input in;

	(void)state;
	memset(&prev, 0, sizeof(prev));
	memset(&cur, 0, sizeof(cur));
	put(&prev, PB_DIR_INGRESS, PB_PROTO_ALL, 100, 10000);
	put(&cur, PB_DIR_INGRESS, PB_PROTO_ALL, 2100, 2010000);
	put(&prev, PB_DIR_EGRESS, PB_PROTO_ALL, 5, 500);
	put(&cur, PB_DIR_EGRESS, PB_PROTO_ALL, 8, 740);
	in = input(&prev, &cur, 2.0);
	pb_top_view_build(&v, &in);
	assert_float_equal(v.dir[PB_DIR_INGRESS].rate[PB_RATE_PACKETS], 1000, 1e-9);
	assert_float_equal(v.dir[PB_DIR_INGRESS].rate[PB_RATE_BITS], 8e6, 1e-6);
	assert_string_equal(v.dir[PB_DIR_INGRESS].pps, "1.00 k");
	assert_string_equal(v.dir[PB_DIR_INGRESS].bps, "8.00 Mbit/s");
	assert_string_equal(v.dir[PB_DIR_EGRESS].pps, "1.50");
	assert_string_equal(v.dir[PB_DIR_EGRESS].bps, "960 bit/s");
	assert_string_equal(v.dir[PB_DIR_EGRESS].packets, "8");
}

static void test_classes_largest_first(void **state)
{
	static struct pb_top_view v;
	struct pb_top_input in;

	(void)state;
	memset(&cur, 0, sizeof(cur));
	/* in: 10 ARP, 30 UDP over IPv4; out: 60 TCP over IPv6. */
	put(&cur, PB_DIR_INGRESS, PB_PROTO_ALL, 40, 4000);
	put(&cur, PB_DIR_INGRESS, PB_PROTO_ARP, 10, 600);
	put(&cur, PB_DIR_INGRESS, PB_PROTO_IPV4, 30, 3400);
	put(&cur, PB_DIR_INGRESS, PB_PROTO_UDP, 30, 3400);
	put(&cur, PB_DIR_EGRESS, PB_PROTO_ALL, 60, 90000);
	put(&cur, PB_DIR_EGRESS, PB_PROTO_IPV6, 60, 90000);
	put(&cur, PB_DIR_EGRESS, PB_PROTO_TCP, 60, 90000);
	in = input(NULL, &cur, 0);
	pb_top_view_build(&v, &in);
	assert_int_equal(v.n_cls, 3);
	assert_string_equal(v.cls[0].name, "tcp");
	assert_int_equal(v.cls[0].id, PB_CLASS_TCP);
	assert_string_equal(v.cls[0].pct, "60.0 %");
	assert_string_equal(v.cls[0].packets, "60");
	assert_string_equal(v.cls[0].bytes, "90.0 kB");
	assert_string_equal(v.cls[1].name, "udp");
	assert_float_equal(v.cls[1].share, 0.3, 1e-12);
	assert_string_equal(v.cls[2].name, "arp");
	assert_string_equal(v.cls[2].pct, "10.0 %");
}

static void test_title_netns_health_pause_sort(void **state)
{
	static struct pb_top_view v;
	struct pb_top_input in;

	(void)state;
	memset(&cur, 0, sizeof(cur));
	in = input(NULL, &cur, 0);
	in.netns = "blue";
	in.health = PB_HEALTH_DETACHED;
	in.paused = true;
	in.sort = PB_TOP_SORT_PACKETS;
	info.attach_time_ns = 1700000000ull * 1000000000ull;
	pb_top_view_build(&v, &in);
	info.attach_time_ns = 0;
	assert_string_equal(v.title, "eth0 in netns blue: xdp native, egress tcx, attached since "
				     "2023-11-14T22:13:20Z, detached");
	assert_true(v.paused);
	assert_int_equal(v.sort, PB_TOP_SORT_PACKETS);
	assert_string_equal(pb_top_sort_name(v.sort), "packets");
	assert_int_equal(v.n_cls, 0);
}

/* Push rates of 0, 1, 2, ... packets/s, one reading a second. */
static void push_n(struct pb_top_history *h, unsigned n)
{
	struct pb_top_input in;
	unsigned i;

	memset(&prev, 0, sizeof(prev));
	for (i = 0; i < n; i++) {
		memset(&cur, 0, sizeof(cur));
		put(&cur, PB_DIR_EGRESS, PB_PROTO_ALL, i, 0);
		in = input(&prev, &cur, 1.0);
		pb_top_history_push(h, &in);
	}
}

static void test_spark_levels(void **state)
{
	static struct pb_top_history h;
	struct pb_top_input in;
	int levels[PB_TOP_HISTORY];

	(void)state;
	memset(&h, 0, sizeof(h));
	/* The first reading has no rate: no sample. */
	memset(&cur, 0, sizeof(cur));
	in = input(NULL, &cur, 0);
	pb_top_history_push(&h, &in);
	assert_int_equal(pb_top_spark(&h, PB_DIR_EGRESS, PB_RATE_PACKETS, 10, levels), 0);

	push_n(&h, 8); /* 0, 1, ..., 7 */
	assert_int_equal(pb_top_spark(&h, PB_DIR_EGRESS, PB_RATE_PACKETS, 10, levels), 8);
	/* Zero is blank; anything else at least the lowest block; the top full. */
	assert_int_equal(levels[0], 0);
	assert_int_equal(levels[1], 1 + 1);
	assert_int_equal(levels[7], PB_SPARK_LEVELS);
	/* Scaled to what is shown: the last 2 are 6 and 7. */
	assert_int_equal(pb_top_spark(&h, PB_DIR_EGRESS, PB_RATE_PACKETS, 2, levels), 2);
	assert_int_equal(levels[0], 7);
	assert_int_equal(levels[1], 8);
	/* Nothing went in: all blank. */
	assert_int_equal(pb_top_spark(&h, PB_DIR_INGRESS, PB_RATE_BITS, 3, levels), 3);
	assert_int_equal(levels[0] + levels[1] + levels[2], 0);
}

static void test_history_wraps_newest_last(void **state)
{
	static struct pb_top_history h;
	int levels[PB_TOP_HISTORY];
	unsigned i;

	(void)state;
	memset(&h, 0, sizeof(h));
	push_n(&h, PB_TOP_HISTORY + 50);
	assert_int_equal(h.n, PB_TOP_HISTORY);
	assert_int_equal(pb_top_spark(&h, PB_DIR_EGRESS, PB_RATE_PACKETS, PB_TOP_HISTORY + 9,
				      levels),
			 PB_TOP_HISTORY);
	/* Rising values stay rising across the wrap. */
	for (i = 1; i < PB_TOP_HISTORY; i++)
		assert_true(levels[i] >= levels[i - 1]);
	assert_int_equal(levels[PB_TOP_HISTORY - 1], PB_SPARK_LEVELS);
	assert_float_equal(h.v[PB_DIR_EGRESS][PB_RATE_PACKETS][(h.head + PB_TOP_HISTORY - 1) %
							       PB_TOP_HISTORY],
			   PB_TOP_HISTORY + 49, 0);
}

static void test_alerts_and_loss(void **state)
{
	static struct pb_top_view v;
	static struct pb_top_alerts a;
	struct pb_top_input in;
	struct pb_alert *x;
	unsigned i;

	(void)state;
	memset(&cur, 0, sizeof(cur));
	in = input(NULL, &cur, 0);
	/* No detectors on this attachment: no alerts section, nothing lost. */
	pb_top_view_build(&v, &in);
	assert_false(v.have_alerts);
	assert_string_equal(v.loss, "");

	cur.det.present = true;
	pb_top_view_build(&v, &in);
	assert_true(v.have_alerts);
	assert_string_equal(v.alert_counts, "none");
	assert_int_equal(v.n_alerts, 0);

	cur.det.s.raised[PB_ALERT_PORT_SCAN] = 2;
	cur.det.s.raised[PB_ALERT_TCP_BAD_FLAGS] = 1;
	cur.det.s.ring_full[PB_ALERT_SYN_FLOOD] = 3;
	cur.det.s.ring_full[PB_ALERT_UDP_FLOOD] = 4;
	cur.det.s.inserted[PB_DET_HOSTS] = 20000;
	cur.det.entries[PB_DET_HOSTS] = 16384;
	cur.det.s.inserted[PB_DET_ARP] = 7;
	cur.det.entries[PB_DET_ARP] = 7;
	/* 34 alerts into a ring of 32: the 32 newest stay, newest first. */
	memset(&a, 0, sizeof(a));
	a.origin.clock_offset_ns = 1700000000ll * 1000000000ll;
	for (i = 0; i < 34; i++) {
		x = &a.last[a.head];
		memset(x, 0, sizeof(*x));
		x->type = PB_ALERT_TCP_BAD_FLAGS;
		x->time_ns = i * 1000000000ull;
		x->family = 4;
		x->saddr[0] = htonl(0x0a000001 + i);
		x->daddr[0] = htonl(0x0a000099);
		x->flags = PB_ALERT_HAS_TARGET | PB_ALERT_HAS_PORT;
		x->dport = 80;
		x->tcp_flags = 0x03; /* SYN+FIN */
		a.head = (a.head + 1) % PB_TOP_ALERTS;
		a.n += a.n < PB_TOP_ALERTS;
	}
	in.alerts = &a;
	pb_top_view_build(&v, &in);
	assert_string_equal(v.alert_counts, "port_scan 2, tcp_bad_flags 1");
	assert_int_equal(v.n_alerts, PB_TOP_ALERTS);
	/* The newest (i = 33) first; the time in local time, as the clock. */
	assert_non_null(strstr(v.alerts[0], " tcp_bad_flags: 10.0.0.34 sent "));
	assert_non_null(strstr(v.alerts[PB_TOP_ALERTS - 1], " tcp_bad_flags: 10.0.0.3 sent "));
	assert_string_equal(v.loss, "7 alerts (ring buffer full), 3616 detector state entries evicted (hosts)");
}

/* A flow of 10.0.0.a:sport -> 10.0.0.b:dport, pk/by each way. */
static void flow(struct pb_flow_list *l, __u8 proto, int a, int b, __u16 sport, __u16 dport,
		 __u64 pk0, __u64 by0, __u64 pk1, __u64 by1)
{
	struct pb_flow_key k = { .l4_proto = proto, .family = 4 };
	struct pb_flow_val v = { .packets = { pk0, pk1 }, .bytes = { by0, by1 },
				 .first_ns = 1, .last_ns = 2, .state = PB_FLOW_END0_FIRST };

	k.addr[0][0] = htonl(0x0a000000 + a);
	k.addr[1][0] = htonl(0x0a000000 + b);
	k.port[0] = sport;
	k.port[1] = dport;
	assert_int_equal(pb_flow_list_push(l, &k, &v), 0);
}

static void test_flows_and_talkers_sorted(void **state)
{
	static struct pb_top_view v;
	struct pb_flow_list l = { .max_entries = 16384, .created = 9 };
	struct pb_sample_stats samples = { .lost_ring_full = 2, .lost_copy = 1 };
	struct pb_top_input in;
	int i;

	(void)state;
	memset(&cur, 0, sizeof(cur));
	/* 1 -> 2 tcp: few large packets; 3 -> 2 udp: many small; 1 -> 4 icmp. */
	flow(&l, 6, 1, 2, 40000, 443, 4, 200, 6, 9000);
	flow(&l, 17, 3, 2, 5353, 53, 50, 3000, 0, 0);
	flow(&l, 1, 1, 4, 0, 0, 2, 196, 2, 196);
	l.evicted = l.created - l.n;
	in = input(NULL, &cur, 0);
	in.flows = &l;
	in.samples = &samples;
	pb_top_view_build(&v, &in);
	assert_true(v.have_flows);
	assert_string_equal(v.flows_note, "3 of 3 flows, table of 16384");
	assert_int_equal(v.n_flows, 3);
	assert_string_equal(v.flows[0].proto, "tcp");
	assert_string_equal(v.flows[0].from, "10.0.0.1:40000");
	assert_string_equal(v.flows[0].to, "10.0.0.2:443");
	assert_string_equal(v.flows[0].packets, "10");
	assert_string_equal(v.flows[0].bytes, "9.20 kB");
	assert_string_equal(v.flows[2].proto, "icmp");
	assert_string_equal(v.flows[2].to, "10.0.0.4");
	/* Talkers by bytes sent: 10.0.0.2 (9000), .3 (3000), .1 (200 + 196). */
	assert_int_equal(v.n_talkers, 4);
	assert_string_equal(v.talkers[0].addr, "10.0.0.2");
	assert_string_equal(v.talkers[2].addr, "10.0.0.1");
	assert_string_equal(v.talkers[2].flows, "2");
	assert_string_equal(v.talkers[2].bytes, "396 B");
	assert_string_equal(v.loss, "6 flows evicted, 3 sampled packets");

	in.sort = PB_TOP_SORT_PACKETS;
	pb_top_view_build(&v, &in);
	assert_string_equal(v.flows[0].proto, "udp");
	assert_string_equal(v.flows[1].proto, "tcp");
	assert_string_equal(v.talkers[0].addr, "10.0.0.3");
	assert_int_equal(v.talkers[0].n_packets, 50);
	for (i = 1; i < v.n_talkers; i++)
		assert_true(v.talkers[i].n_packets <= v.talkers[i - 1].n_packets);

	/* More flows than rows: the largest PB_TOP_ROWS. */
	for (i = 0; i < 20; i++)
		flow(&l, 17, 5, 6, 1000 + i, 53, 1, 100 + i, 0, 0);
	in.sort = PB_TOP_SORT_BYTES;
	pb_top_view_build(&v, &in);
	assert_int_equal(v.n_flows, PB_TOP_ROWS);
	assert_string_equal(v.flows_note, "10 of 23 flows, table of 16384");
	assert_string_equal(v.flows[3].from, "10.0.0.5:1019");
	pb_flow_list_free(&l);

	/* No flow table, or one that cannot be read. */
	in.flows = NULL;
	in.flows_err = -ENOENT;
	pb_top_view_build(&v, &in);
	assert_false(v.have_flows);
	in.flows_err = -EPERM;
	pb_top_view_build(&v, &in);
	assert_true(v.have_flows);
	assert_string_equal(v.flows_note, "cannot read the flow table: Operation not permitted");
	assert_int_equal(v.n_flows, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_reading_has_no_rates),
		cmocka_unit_test(test_rates_per_second),
		cmocka_unit_test(test_classes_largest_first),
		cmocka_unit_test(test_title_netns_health_pause_sort),
		cmocka_unit_test(test_spark_levels),
		cmocka_unit_test(test_history_wraps_newest_last),
		cmocka_unit_test(test_alerts_and_loss),
		cmocka_unit_test(test_flows_and_talkers_sorted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
