// SPDX-License-Identifier: BSD-2-Clause
/*
 * The real compiled programs (build/pktbpf.skel.h) on every crafted packet of
 * tests/fixtures, through BPF_PROG_TEST_RUN: XDP (ingress, direction 0) and
 * TC (egress, direction 1). For each packet: the verdict lets it pass, the
 * bytes come back unchanged, and the maps hold exactly the expected counters,
 * which are also exactly what the userspace build of the same parser counts
 * (docs/ARCHITECTURE.md, "One parser, two targets"). Needs root; says why
 * loudly when it cannot run.
 */
#define _GNU_SOURCE /* asprintf */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/pkt_cls.h>

#include "pb_count.h"
#include "state.h"
#include "stats_read.h"
#include "pktbpf.skel.h"
#include "fixtures/packets.h"

/* The verdicts as test_run reports them (retval is a u32). */
#define XDP_VERDICT ((__u32)XDP_PASS)
#define TC_VERDICT ((__u32)TC_ACT_UNSPEC) /* -1, also TCX_NEXT */

static struct pktbpf *skel;
static int ncpu;
static char load_error[256];
static bool can_skip;

struct prog_case {
	const struct pt_case *c;
	int dir; /* PB_DIR_INGRESS: XDP, PB_DIR_EGRESS: TC */
};

/*
 * Without root the programs cannot load: skip, saying so. As root a load
 * failure (the verifier rejecting a parser change, say) is a failure.
 */
static int load(void **state)
{
	int err;

	(void)state;
	skel = pktbpf__open_and_load();
	if (!skel) {
		err = errno;
		can_skip = err == EPERM && geteuid() != 0;
		snprintf(load_error, sizeof(load_error), "cannot load build/pktbpf.bpf.o: %s%s",
			 strerror(err), can_skip ? " (loading programs needs root)" : "");
		if (can_skip)
			fprintf(stderr, "[  SKIPPED ] reason: %s\n", load_error);
	}
	ncpu = libbpf_num_possible_cpus();
	return 0;
}

static int unload(void **state)
{
	(void)state;
	pktbpf__destroy(skel);
	return 0;
}

static void need_programs(void)
{
	if (!skel && can_skip)
		skip();
	if (!skel)
		fail_msg("%s", load_error);
}

/* Zero every counter of both directions and empty the ethertype table. */
static void reset_maps(void)
{
	int stats_fd = bpf_map__fd(skel->maps.pktbpf_stats);
	int eth_fd = bpf_map__fd(skel->maps.pktbpf_ethtype);
	struct pb_ethertype_key key;
	struct pb_dir_stats *zero;
	__u32 dir;

	zero = calloc(ncpu, sizeof(*zero));
	assert_non_null(zero);
	for (dir = 0; dir < PB_DIR_MAX; dir++)
		assert_int_equal(bpf_map_update_elem(stats_fd, &dir, zero, BPF_ANY), 0);
	free(zero);
	while (!bpf_map_get_next_key(eth_fd, NULL, &key))
		assert_int_equal(bpf_map_delete_elem(eth_fd, &key), 0);
}

/* Read both maps the way `pktbpf stats` does: summed over CPUs. */
static void read_maps(struct pb_totals *t)
{
	struct pb_state st = {
		.stats_fd = bpf_map__fd(skel->maps.pktbpf_stats),
		.ethtype_fd = bpf_map__fd(skel->maps.pktbpf_ethtype),
	};

	assert_int_equal(pb_stats_read(&st, t), 0);
}

/* Run one frame through a program; it must pass it on untouched. */
static void run_prog(int dir, const struct pt_frame *f)
{
	struct bpf_program *prog = dir == PB_DIR_INGRESS ? skel->progs.pktbpf_xdp
							 : skel->progs.pktbpf_tc;
	__u8 out[PT_MAX_FRAME];
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = f->data, .data_size_in = f->captured,
		    .data_out = out, .data_size_out = sizeof(out), .repeat = 1);

	assert_int_equal(bpf_prog_test_run_opts(bpf_program__fd(prog), &opts), 0);
	assert_int_equal(opts.retval,
			 dir == PB_DIR_INGRESS ? XDP_VERDICT : TC_VERDICT);
	assert_int_equal(opts.data_size_out, f->captured);
	assert_memory_equal(out, f->data, f->captured);
}

/*
 * What the userspace build of the parser and counter make of the frame, with
 * the kernel program's view of it (wire length = the whole test frame),
 * including the ethertype table the program fills.
 */
static void count_in_userspace(const struct pt_frame *f, int dir, struct pb_totals *t)
{
	struct pb_count one = { .packets = 1, .bytes = f->wire };
	struct pb_pkt pkt;

	memset(t, 0, sizeof(*t));
	pb_parse(f->data, f->data + f->captured, f->wire, &pkt);
	pb_count(&t->dir[dir], &pkt, f->wire);
	if (pb_l3_counter(&pkt) == PB_PROTO_OTHER_L3)
		pb_totals_add_ethertype(t, dir, pkt.l3_proto, &one);
}

static void test_packet(void **state)
{
	const struct prog_case *pc = *state;
	const struct pt_case *c = pc->c;
	static struct pb_totals got, user;
	static const struct pb_dir_stats zero;
	struct pb_dir_stats want;
	struct pt_frame f;
	int other = !pc->dir;

	need_programs();
	pt_build(c, &f);
	pt_want_stats(c, &f, &want);
	reset_maps();

	run_prog(pc->dir, &f);
	read_maps(&got);

	assert_int_equal(pt_diff_stats(c->name, &got.dir[pc->dir], &want), 0);
	assert_int_equal(pt_diff_stats(c->name, &got.dir[other], &zero), 0);
	assert_int_equal(got.n_ethertypes[other], 0);
	if (c->counted & PT_C(OTHER_L3)) {
		assert_int_equal(got.n_ethertypes[pc->dir], 1);
		assert_int_equal(got.ethertypes[pc->dir][0].ethertype, c->want.l3_proto);
		assert_int_equal(got.ethertypes[pc->dir][0].c.packets, 1);
		assert_int_equal(got.ethertypes[pc->dir][0].c.bytes, f.wire);
	} else {
		assert_int_equal(got.n_ethertypes[pc->dir], 0);
	}

	/* Kernel and userspace agree on every counter of the packet. */
	count_in_userspace(&f, pc->dir, &user);
	assert_int_equal(pt_diff_stats(c->name, &got.dir[pc->dir], &user.dir[pc->dir]), 0);
	assert_memory_equal(&got, &user, sizeof(got));
}

static void run_ethertype_dir(int dir, __u16 type)
{
	struct pt_case c = { .name = "ethertype", .layers = { L_ETH(type), L_DATA(46) } };
	struct pt_frame f;

	pt_build(&c, &f);
	run_prog(dir, &f);
}

static void run_ethertype(__u16 type)
{
	run_ethertype_dir(PB_DIR_INGRESS, type);
}

static __u64 ethertype_packets(const struct pb_totals *t, __u16 type)
{
	int i;

	for (i = 0; i < t->n_ethertypes[PB_DIR_INGRESS]; i++)
		if (t->ethertypes[PB_DIR_INGRESS][i].ethertype == type)
			return t->ethertypes[PB_DIR_INGRESS][i].c.packets;
	return 0;
}

/*
 * The ethertype table holds PB_MAX_OTHER_ETHERTYPES numbers. Once full, a new
 * number is not added (and nothing fails), other_l3 still counts it,
 * ethertype_table_full counts every packet refused, exactly, and the numbers
 * already in the table keep counting. The table is shared by the directions.
 */
static void test_ethertype_table_full(void **state)
{
	static struct pb_totals got;
	__u16 first = 0x9000; /* 0x9000-0x90ff: none of them parsed */
	int i;

	(void)state;
	need_programs();
	reset_maps();
	for (i = 0; i < PB_MAX_OTHER_ETHERTYPES; i++)
		run_ethertype(first + i);
	run_ethertype(0x88cc);
	run_ethertype(first);
	/* 37 more numbers, the last three times: 39 packets refused */
	for (i = 0; i < 37; i++)
		run_ethertype(0x9100 + i);
	run_ethertype(0x9100 + 36);
	run_ethertype(0x9100 + 36);
	/* a number the table has for ingress is a new key for egress */
	run_ethertype_dir(PB_DIR_EGRESS, first);
	run_ethertype_dir(PB_DIR_EGRESS, first);
	read_maps(&got);

	assert_int_equal(got.n_ethertypes[PB_DIR_INGRESS], PB_MAX_OTHER_ETHERTYPES);
	assert_int_equal(ethertype_packets(&got, 0x88cc), 0);
	assert_int_equal(ethertype_packets(&got, first), 2);
	assert_int_equal(ethertype_packets(&got, first + PB_MAX_OTHER_ETHERTYPES - 1), 1);
	assert_int_equal(ethertype_packets(&got, 0x9100), 0);
	assert_int_equal(got.n_ethertypes[PB_DIR_EGRESS], 0);
	assert_int_equal(got.dir[PB_DIR_INGRESS].ethertype_table_full, 1 + 39);
	assert_int_equal(got.dir[PB_DIR_EGRESS].ethertype_table_full, 2);
	assert_int_equal(got.dir[PB_DIR_INGRESS].proto[PB_PROTO_OTHER_L3].packets,
			 PB_MAX_OTHER_ETHERTYPES + 2 + 39);
	assert_int_equal(got.dir[PB_DIR_INGRESS].proto[PB_PROTO_ALL].packets,
			 PB_MAX_OTHER_ETHERTYPES + 2 + 39);
	assert_int_equal(got.dir[PB_DIR_EGRESS].proto[PB_PROTO_OTHER_L3].packets, 2);
}

int main(void)
{
	static const char *const prefix[PB_DIR_MAX] = { "xdp/", "tc/" };
	struct prog_case *pcs;
	struct CMUnitTest *tests;
	size_t i, n = 0;
	struct pt_frame f;
	int dir, failed;

	pcs = calloc(2 * pt_n_cases, sizeof(*pcs));
	tests = calloc(2 * pt_n_cases + 1, sizeof(*tests));
	if (!pcs || !tests)
		return 1;
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_ethertype_table_full);
	for (dir = 0; dir < PB_DIR_MAX; dir++) {
		for (i = 0; i < pt_n_cases; i++) {
			struct prog_case *pc = &pcs[dir * pt_n_cases + i];
			char *name;

			/* Capture cuts and frames the kernel refuses as test
			 * input: test_parse covers them (see pt_kernel_can_run). */
			pt_build(&pt_cases[i], &f);
			if (!pt_kernel_can_run(&f, dir == PB_DIR_EGRESS))
				continue;
			if (asprintf(&name, "%s%s", prefix[dir], pt_cases[i].name) < 0)
				return 1;
			pc->c = &pt_cases[i];
			pc->dir = dir;
			tests[n].name = name;
			tests[n].test_func = test_packet;
			tests[n].initial_state = pc;
			n++;
		}
	}
	failed = _cmocka_run_group_tests("prog_counters", tests, n, load, unload);
	for (i = 1; i < n; i++)
		free((char *)tests[i].name);
	free(tests);
	free(pcs);
	return failed ? 1 : 0;
}
