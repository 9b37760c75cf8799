// SPDX-License-Identifier: BSD-2-Clause
/*
 * The flow table and sampling of the real compiled programs, run on crafted
 * frames with bpf_prog_test_run_opts: exact flow counters both ways, VLAN
 * and IPv6 keys, LRU evictions counted, sample records in the ring buffer
 * (bytes, lengths, direction), 1-in-N selection, snaplen cuts and the ring
 * full drop counter. Needs root (BPF).
 */
#define _GNU_SOURCE /* sched_setaffinity */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <sched.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "capture_cfg.h"
#include "flows.h"
#include "flowtab.h"
#include "pb_hdr.h"
#include "sample_stats.h"
#include "pktbpf.skel.h"

struct frame {
	__u8 b[1600];
	__u32 len;
};

/* Ethernet (optional VLAN) / IPv4 / TCP or UDP, payload of pay bytes. */
static void ipv4_frame(struct frame *f, __u16 vlan, __u8 proto, const char *src, __u16 sport,
		       const char *dst, __u16 dport, __u8 tcp_flags, __u32 pay)
{
	struct pb_eth *eth = (void *)f->b;
	__u8 *p = f->b + sizeof(*eth);
	struct pb_ipv4 *ip;
	__u32 l4 = proto == PB_IPPROTO_TCP ? sizeof(struct pb_tcp) : sizeof(struct pb_udp);

	memset(f, 0, sizeof(*f));
	memcpy(eth->dst, "\x02\0\0\0\0\x02", 6);
	memcpy(eth->src, "\x02\0\0\0\0\x01", 6);
	if (vlan) {
		eth->proto = htons(PB_ETH_P_8021Q);
		((struct pb_vlan *)p)->tci = htons(vlan);
		((struct pb_vlan *)p)->proto = htons(PB_ETH_P_IPV4);
		p += sizeof(struct pb_vlan);
	} else {
		eth->proto = htons(PB_ETH_P_IPV4);
	}
	ip = (void *)p;
	ip->ver_ihl = 0x45;
	ip->tot_len = htons(sizeof(*ip) + l4 + pay);
	ip->ttl = 64;
	ip->protocol = proto;
	inet_pton(AF_INET, src, &ip->saddr);
	inet_pton(AF_INET, dst, &ip->daddr);
	p += sizeof(*ip);
	if (proto == PB_IPPROTO_TCP) {
		struct pb_tcp *t = (void *)p;

		t->source = htons(sport);
		t->dest = htons(dport);
		t->doff_res = 5 << 4;
		t->flags = tcp_flags;
	} else {
		struct pb_udp *u = (void *)p;

		u->source = htons(sport);
		u->dest = htons(dport);
		u->len = htons(sizeof(*u) + pay);
	}
	p += l4;
	for (__u32 i = 0; i < pay; i++)
		p[i] = (__u8)i;
	f->len = p + pay - f->b;
}

static void ipv6_udp_frame(struct frame *f, const char *src, const char *dst, __u16 sport,
			   __u16 dport, __u32 pay)
{
	struct pb_eth *eth = (void *)f->b;
	struct pb_ipv6 *ip = (void *)(eth + 1);
	struct pb_udp *u = (void *)(ip + 1);

	memset(f, 0, sizeof(*f));
	eth->proto = htons(PB_ETH_P_IPV6);
	ip->ver_tc_flow = htonl(6u << 28);
	ip->payload_len = htons(sizeof(*u) + pay);
	ip->nexthdr = PB_IPPROTO_UDP;
	ip->hop_limit = 64;
	inet_pton(AF_INET6, src, ip->saddr);
	inet_pton(AF_INET6, dst, ip->daddr);
	u->source = htons(sport);
	u->dest = htons(dport);
	u->len = htons(sizeof(*u) + pay);
	f->len = sizeof(*eth) + sizeof(*ip) + sizeof(*u) + pay;
}

static struct pktbpf *load(__u32 sample_every, __u32 snaplen, __u32 ring, __u32 flows)
{
	struct pb_attach_opts o = { .ifname = "test", .flow_entries = flows,
				    .sample_every = sample_every, .snaplen = snaplen,
				    .sample_ring_bytes = ring };
	struct pb_attach_info info = { 0 };
	struct pktbpf *skel = pktbpf__open();

	assert_non_null(skel);
	assert_int_equal(pb_capture_configure(&o, skel, &info), 0);
	assert_int_equal(pktbpf__load(skel), 0);
	return skel;
}

/* Run one frame through the ingress (XDP) or egress (tc) program. */
static void run(struct pktbpf *skel, int dir, const struct frame *f)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f->b, .data_size_in = f->len, .repeat = 1);
	int prog = bpf_program__fd(dir ? skel->progs.pktbpf_tc : skel->progs.pktbpf_xdp);

	assert_int_equal(bpf_prog_test_run_opts(prog, &o), 0);
	/* Passive: XDP_PASS (2) on ingress, TCX_NEXT (-1) on egress. */
	assert_int_equal((int)o.retval, dir ? -1 : 2);
}

static void read_flows(struct pktbpf *skel, struct pb_flow_list *l)
{
	assert_int_equal(pb_flows_read(bpf_map__fd(skel->maps.pktbpf_flows),
				       bpf_map__fd(skel->maps.pktbpf_flow_stats),
				       bpf_map__max_entries(skel->maps.pktbpf_flows), l),
			 0);
}

static void test_tcp_flow_both_directions(void **state)
{
	struct pktbpf *skel = load(0, 0, 0, 0);
	struct frame f;
	struct pb_flow_list l;
	const struct pb_flow_val *v;
	int s;

	(void)state;
	/* Client 10.0.0.9:40000 -> server 10.0.0.1:80; the client's address is
	 * the higher one, so it is end 1 of the key: the initiator must still
	 * be the client. */
	ipv4_frame(&f, 0, PB_IPPROTO_TCP, "10.0.0.9", 40000, "10.0.0.1", 80, 0x02, 0);
	run(skel, 0, &f);
	ipv4_frame(&f, 0, PB_IPPROTO_TCP, "10.0.0.1", 80, "10.0.0.9", 40000, 0x12, 0);
	run(skel, 1, &f);
	ipv4_frame(&f, 0, PB_IPPROTO_TCP, "10.0.0.9", 40000, "10.0.0.1", 80, 0x18, 100);
	run(skel, 0, &f);
	ipv4_frame(&f, 0, PB_IPPROTO_TCP, "10.0.0.1", 80, "10.0.0.9", 40000, 0x18, 300);
	run(skel, 1, &f);
	ipv4_frame(&f, 0, PB_IPPROTO_TCP, "10.0.0.9", 40000, "10.0.0.1", 80, 0x11, 0);
	run(skel, 0, &f);

	read_flows(skel, &l);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.created, 1);
	assert_int_equal(l.evicted, 0);
	v = &l.e[0].val;
	s = pb_flow_initiator(v);
	assert_int_equal(s, 1);
	assert_int_equal(l.e[0].key.port[s], 40000);
	assert_int_equal(l.e[0].key.port[!s], 80);
	assert_int_equal(l.e[0].key.l4_proto, PB_IPPROTO_TCP);
	assert_int_equal(l.e[0].key.family, 4);
	assert_int_equal(v->packets[s], 3);
	assert_int_equal(v->packets[!s], 2);
	/* 14 + 20 + 20 = 54 bytes of headers per frame */
	assert_int_equal(v->bytes[s], 54 * 3 + 100);
	assert_int_equal(v->bytes[!s], 54 * 2 + 300);
	assert_int_equal(v->tcp_flags[s], 0x02 | 0x18 | 0x11);
	assert_int_equal(v->tcp_flags[!s], 0x12 | 0x18);
	assert_true(v->state & PB_FLOW_ENDED);
	assert_true(v->first_ns > 0 && v->last_ns >= v->first_ns);
	pb_flow_list_free(&l);
	pktbpf__destroy(skel);
}

static void on_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	assert_int_equal(sched_setaffinity(0, sizeof(set), &set), 0);
}

/* The flow is created on CPU 1 by the client and answered on CPU 0: the
 * initiator is the client, also when both stamps fall in one tick of the
 * coarse clock (the integration test met that case; here it may or may not
 * happen). */
static void test_initiator_across_cpus(void **state)
{
	struct pktbpf *skel;
	struct frame f;
	struct pb_flow_list l;
	int s;

	(void)state;
	if (libbpf_num_possible_cpus() < 2 || sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		print_message("one CPU: nothing to cross\n");
		return;
	}
	skel = load(0, 0, 0, 0);
	on_cpu(1);
	/* The client is end 0 of the key: CPU 0's value, which did not create
	 * the flow, must not be taken for the creator's. */
	ipv4_frame(&f, 0, PB_IPPROTO_UDP, "10.0.0.1", 5353, "10.0.0.9", 53, 0, 20);
	run(skel, 1, &f);
	on_cpu(0);
	ipv4_frame(&f, 0, PB_IPPROTO_UDP, "10.0.0.9", 53, "10.0.0.1", 5353, 0, 40);
	run(skel, 0, &f);
	read_flows(skel, &l);
	assert_int_equal(l.n, 1);
	s = pb_flow_initiator(&l.e[0].val);
	assert_int_equal(l.e[0].key.port[s], 5353);
	assert_int_equal(l.e[0].val.packets[s], 1);
	assert_int_equal(l.e[0].val.bytes[!s], 42 + 40);
	pb_flow_list_free(&l);
	pktbpf__destroy(skel);
}

static void test_vlan_and_ipv6_keys(void **state)
{
	struct pktbpf *skel = load(0, 0, 0, 0);
	struct frame f;
	struct pb_flow_list l;
	size_t i;
	int vlan10 = 0, untagged = 0, v6 = 0;

	(void)state;
	ipv4_frame(&f, 0, PB_IPPROTO_UDP, "10.0.0.1", 5000, "10.0.0.2", 53, 0, 10);
	run(skel, 0, &f);
	ipv4_frame(&f, 10, PB_IPPROTO_UDP, "10.0.0.1", 5000, "10.0.0.2", 53, 0, 10);
	run(skel, 0, &f);
	run(skel, 0, &f);
	ipv6_udp_frame(&f, "2001:db8::2", "2001:db8::1", 53, 5000, 20);
	run(skel, 1, &f);
	ipv6_udp_frame(&f, "2001:db8::1", "2001:db8::2", 5000, 53, 20);
	run(skel, 0, &f);

	read_flows(skel, &l);
	assert_int_equal(l.n, 3);
	for (i = 0; i < l.n; i++) {
		const struct pb_flow_entry *e = &l.e[i];
		__u64 pk = e->val.packets[0] + e->val.packets[1];

		if (e->key.family == 6) {
			v6++;
			assert_int_equal(e->val.packets[0], 1);
			assert_int_equal(e->val.packets[1], 1);
			/* the server answered first: it is the initiator seen */
			assert_int_equal(e->key.port[pb_flow_initiator(&e->val)], 53);
		} else if (e->key.vlan_id == 10) {
			vlan10++;
			assert_int_equal(pk, 2);
		} else {
			untagged++;
			assert_int_equal(pk, 1);
		}
	}
	assert_int_equal(v6 + vlan10 + untagged, 3);
	assert_int_equal(v6 * vlan10 * untagged, 1);
	pb_flow_list_free(&l);
	pktbpf__destroy(skel);
}

static void test_evictions_counted(void **state)
{
	struct pktbpf *skel = load(0, 0, 0, 16);
	struct frame f;
	struct pb_flow_list l;
	int i;

	(void)state;
	for (i = 0; i < 100; i++) {
		ipv4_frame(&f, 0, PB_IPPROTO_UDP, "10.0.0.1", 1000 + i, "10.0.0.2", 53, 0, 0);
		run(skel, 0, &f);
	}
	read_flows(skel, &l);
	assert_int_equal(l.created, 100);
	assert_true(l.n <= 16 && l.n > 0);
	assert_int_equal(l.evicted, 100 - l.n);
	assert_int_equal(l.insert_failed, 0);
	pb_flow_list_free(&l);
	pktbpf__destroy(skel);
}

static int cmp_entry(const void *a, const void *b)
{
	return memcmp(&((const struct pb_flow_entry *)a)->key,
		      &((const struct pb_flow_entry *)b)->key, sizeof(struct pb_flow_key));
}

/* `read --flows` builds, in userspace, exactly the kernel's flows. */
static void test_offline_flows_agree(void **state)
{
	struct pktbpf *skel = load(0, 0, 0, 0);
	struct pb_flowtab *t = pb_flowtab_new();
	struct pb_flow_list k, u;
	struct frame f[7];
	struct pb_pkt p;
	size_t i, j;

	(void)state;
	ipv4_frame(&f[0], 0, PB_IPPROTO_TCP, "10.0.0.9", 40000, "10.0.0.1", 80, 0x02, 0);
	ipv4_frame(&f[1], 0, PB_IPPROTO_TCP, "10.0.0.1", 80, "10.0.0.9", 40000, 0x12, 0);
	ipv4_frame(&f[2], 0, PB_IPPROTO_TCP, "10.0.0.9", 40000, "10.0.0.1", 80, 0x14, 10);
	ipv4_frame(&f[3], 7, PB_IPPROTO_UDP, "10.0.0.3", 53, "10.0.0.4", 3333, 0, 33);
	ipv4_frame(&f[4], 0, PB_IPPROTO_UDP, "10.0.0.4", 3333, "10.0.0.3", 53, 0, 20);
	ipv6_udp_frame(&f[5], "2001:db8::1", "2001:db8::2", 1000, 2000, 5);
	ipv6_udp_frame(&f[6], "2001:db8::2", "2001:db8::1", 2000, 1000, 50);
	for (j = 0; j < 3; j++)
		for (i = 0; i < PB_ARRAY_SIZE(f); i++) {
			run(skel, i % 2, &f[i]);
			pb_parse(f[i].b, f[i].b + f[i].len, f[i].len, &p);
			assert_int_equal(pb_flowtab_add(t, &p, f[i].len, 1000 + i), 0);
		}
	read_flows(skel, &k);
	assert_int_equal(pb_flowtab_list(t, &u), 0);
	assert_int_equal(k.n, 4); /* tcp, udp on vlan 7, udp untagged, ipv6 */
	assert_int_equal(u.n, k.n);
	assert_int_equal(u.created, k.created);
	qsort(k.e, k.n, sizeof(*k.e), cmp_entry);
	qsort(u.e, u.n, sizeof(*u.e), cmp_entry);
	for (i = 0; i < k.n; i++) {
		assert_memory_equal(&k.e[i].key, &u.e[i].key, sizeof(k.e[i].key));
		assert_memory_equal(k.e[i].val.packets, u.e[i].val.packets, sizeof(u.e[i].val.packets));
		assert_memory_equal(k.e[i].val.bytes, u.e[i].val.bytes, sizeof(u.e[i].val.bytes));
		assert_memory_equal(k.e[i].val.tcp_flags, u.e[i].val.tcp_flags, 2);
		assert_int_equal(k.e[i].val.state, u.e[i].val.state);
	}
	pb_flow_list_free(&k);
	pb_flow_list_free(&u);
	pb_flowtab_free(t);
	pktbpf__destroy(skel);
}

/* Records taken from the ring buffer by a test. */
struct got {
	int n;
	struct pb_sample hdr[64];
	__u8 data[64][300];
};

static int on_record(void *ctx, void *data, size_t size)
{
	struct got *g = ctx;
	const struct pb_sample *s = data;

	assert_true(size >= sizeof(*s) + s->cap_len);
	if (g->n < 64) {
		g->hdr[g->n] = *s;
		memcpy(g->data[g->n], s->data, s->cap_len < 300 ? s->cap_len : 300);
	}
	g->n++;
	return 0;
}

static void drain(struct pktbpf *skel, struct got *g)
{
	struct ring_buffer *rb =
		ring_buffer__new(bpf_map__fd(skel->maps.pktbpf_samples), on_record, g, NULL);

	assert_non_null(rb);
	assert_true(ring_buffer__consume(rb) >= 0);
	ring_buffer__free(rb);
}

static void sample_stats(struct pktbpf *skel, struct pb_sample_stats *st)
{
	assert_int_equal(pb_sample_stats_read(bpf_map__fd(skel->maps.pktbpf_sample_stats), st), 0);
}

static void test_sample_records(void **state)
{
	struct pktbpf *skel = load(1, 64, 0, 0);
	struct got *g = calloc(1, sizeof(*g));
	struct frame a, b;
	struct pb_sample_stats st;

	(void)state;
	ipv4_frame(&a, 0, PB_IPPROTO_UDP, "10.0.0.1", 5000, "10.0.0.2", 53, 0, 10);
	ipv4_frame(&b, 0, PB_IPPROTO_TCP, "10.0.0.2", 80, "10.0.0.1", 5000, 0x10, 200);
	run(skel, 0, &a);
	run(skel, 1, &b);
	drain(skel, g);
	assert_int_equal(g->n, 2);
	assert_int_equal(g->hdr[0].dir, PB_DIR_INGRESS);
	assert_int_equal(g->hdr[0].wire_len, a.len);
	assert_int_equal(g->hdr[0].cap_len, a.len); /* shorter than snaplen: whole */
	assert_memory_equal(g->data[0], a.b, a.len);
	assert_int_equal(g->hdr[1].dir, PB_DIR_EGRESS);
	assert_int_equal(g->hdr[1].wire_len, b.len);
	assert_int_equal(g->hdr[1].cap_len, 64); /* cut to snaplen */
	assert_memory_equal(g->data[1], b.b, 64);
	assert_true(g->hdr[1].ts_ns >= g->hdr[0].ts_ns && g->hdr[0].ts_ns > 0);
	sample_stats(skel, &st);
	assert_int_equal(st.selected, 2);
	assert_int_equal(st.delivered, 2);
	assert_int_equal(st.lost_ring_full + st.lost_copy, 0);
	free(g);
	pktbpf__destroy(skel);
}

static void test_one_in_n(void **state)
{
	struct pktbpf *skel = load(4, 0, 0, 0);
	struct got *g = calloc(1, sizeof(*g));
	struct pb_sample_stats st;
	struct frame f;
	int i;

	(void)state;
	for (i = 0; i < 20; i++) {
		/* the payload length tells the packets apart */
		ipv4_frame(&f, 0, PB_IPPROTO_UDP, "10.0.0.1", 5000, "10.0.0.2", 53, 0, i);
		run(skel, 0, &f);
	}
	drain(skel, g);
	sample_stats(skel, &st);
	assert_int_equal(st.selected, 5);
	assert_int_equal(g->n, 5);
	/* the first, then every fourth: packets 0, 4, 8, 12, 16 */
	for (i = 0; i < 5; i++)
		assert_int_equal(g->hdr[i].wire_len, 42 + 4 * i);
	free(g);
	pktbpf__destroy(skel);
}

static void test_ring_full_counted(void **state)
{
	long page = sysconf(_SC_PAGESIZE);
	struct pktbpf *skel = load(1, 256, page, 0);
	struct got *g = calloc(1, sizeof(*g));
	struct pb_sample_stats st;
	struct frame f;
	int i;

	(void)state;
	ipv4_frame(&f, 0, PB_IPPROTO_UDP, "10.0.0.1", 5000, "10.0.0.2", 53, 0, 400);
	for (i = 0; i < 50; i++)
		run(skel, 0, &f);
	sample_stats(skel, &st);
	drain(skel, g);
	assert_int_equal(st.selected, 50);
	assert_true(st.lost_ring_full > 0);
	assert_int_equal(st.lost_copy, 0);
	assert_int_equal(st.delivered, (__u64)g->n);
	assert_int_equal(st.delivered + st.lost_ring_full, st.selected);
	/* each record is header + 256 bytes + the ring's 8-byte header */
	assert_int_equal(g->n, page / (sizeof(struct pb_sample) + 256 + 8));
	free(g);
	pktbpf__destroy(skel);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp_flow_both_directions),
		cmocka_unit_test(test_initiator_across_cpus),
		cmocka_unit_test(test_vlan_and_ipv6_keys),
		cmocka_unit_test(test_evictions_counted),
		cmocka_unit_test(test_offline_flows_agree),
		cmocka_unit_test(test_sample_records),
		cmocka_unit_test(test_one_in_n),
		cmocka_unit_test(test_ring_full_counted),
	};

	if (geteuid() != 0) {
		fprintf(stderr, "[  SKIPPED ] test_flows_samples: needs root (BPF)\n");
		printf("[  SKIPPED ] %zu test(s).\n", sizeof(tests) / sizeof(tests[0]));
		return 0;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
