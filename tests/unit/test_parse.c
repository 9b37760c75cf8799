// SPDX-License-Identifier: BSD-2-Clause
/*
 * The userspace build of the shared parser and counter (include/pb_parse.h,
 * pb_count.h) against every crafted packet of tests/fixtures: each field of
 * struct pb_pkt and each counter, exactly. One cmocka test per packet.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pb_count.h"
#include "stats.h"
#include "fixtures/packets.h"

/*
 * Parse a copy of exactly the captured bytes on the heap, so that
 * AddressSanitizer (make sanitize-tests) catches any read past data_end.
 */
static void parse_exact(const __u8 *bytes, __u32 captured, __u64 wire, __u16 l3_proto,
			bool from_l3, struct pb_pkt *pkt)
{
	__u8 *copy = malloc(captured ? captured : 1);

	assert_non_null(copy);
	memcpy(copy, bytes, captured);
	if (from_l3) {
		__builtin_memset(pkt, 0, sizeof(*pkt));
		pb_parse_l3(copy, copy, copy + captured, wire, l3_proto, pkt);
	} else {
		pb_parse(copy, copy + captured, wire, pkt);
	}
	free(copy);
}

static void test_case(void **state)
{
	const struct pt_case *c = *state;
	struct pb_dir_stats got, want_stats;
	struct pb_pkt pkt, want;
	struct pt_frame f;

	pt_build(c, &f);
	pt_want_pkt(c, &f, &want);
	pt_want_stats(c, &f, &want_stats);

	parse_exact(f.data, f.captured, f.wire, 0, false, &pkt);
	assert_int_equal(pt_diff_pkt(c->name, &pkt, &want), 0);

	memset(&got, 0, sizeof(got));
	pb_count(&got, &pkt, f.wire);
	assert_int_equal(pt_diff_stats(c->name, &got, &want_stats), 0);
}

static bool shift_off(__u16 *off)
{
	if (*off && *off < sizeof(struct pb_eth))
		return false;
	if (*off)
		*off -= sizeof(struct pb_eth);
	return true;
}

/*
 * Link types without Ethernet (raw IP, Linux cooked capture) enter at
 * pb_parse_l3: the same packet without its Ethernet header must give the
 * same answer, offsets moved by the 14 bytes that are gone.
 */
static void test_parse_l3_matches_ethernet(void **state)
{
	struct pb_pkt pkt, want;
	struct pt_frame f;
	size_t i, checked = 0;

	(void)state;
	for (i = 0; i < pt_n_cases; i++) {
		const struct pt_case *c = &pt_cases[i];
		__u16 proto = c->want.l3_proto;

		if (c->layers[0].kind != PT_ETH || c->layers[1].kind == PT_VLAN ||
		    (proto != PB_ETH_P_IPV4 && proto != PB_ETH_P_IPV6 && proto != PB_ETH_P_ARP))
			continue;
		pt_build(c, &f);
		pt_want_pkt(c, &f, &want);
		want.l3_off = 0;
		assert_true(shift_off(&want.l4_off));
		assert_true(shift_off(&want.payload_off));
		if (want.l3_end)
			want.l3_end -= sizeof(struct pb_eth);
		parse_exact(f.data + sizeof(struct pb_eth), f.captured - sizeof(struct pb_eth),
			    f.wire - sizeof(struct pb_eth), proto, true, &pkt);
		assert_int_equal(pt_diff_pkt(c->name, &pkt, &want), 0);
		checked++;
	}
	/* Most of the table is plain Ethernet + IP/ARP: all of it must have run. */
	assert_true(checked > pt_n_cases / 2);
}

static const struct pt_case *find_case(bool (*match)(const struct pt_case *c, int arg), int arg)
{
	size_t i;

	for (i = 0; i < pt_n_cases; i++)
		if (match(&pt_cases[i], arg))
			return &pt_cases[i];
	return NULL;
}

static bool has_malformed(const struct pt_case *c, int reason)
{
	return c->want.malformed == reason;
}

static bool counts_proto(const struct pt_case *c, int proto)
{
	return c->counted & (1u << proto);
}

static bool counts_tcp_flag(const struct pt_case *c, int flag)
{
	return c->flags_counted & (1u << flag);
}

static bool has_tpid(const struct pt_case *c, int tpid)
{
	return c->layers[0].kind == PT_ETH && c->layers[0].type == tpid && c->want.vlan_depth;
}

static bool is_capture_cut(const struct pt_case *c, int unused)
{
	(void)unused;
	return c->want.flags & PB_PKT_CAPTURE_CUT;
}

/*
 * The table must keep covering everything the parser knows: a reason,
 * counter or flag added to pb_abi.h fails here until a packet exercises it.
 */
static void test_table_covers_everything(void **state)
{
	static const int tpids[] = { PB_ETH_P_8021Q, PB_ETH_P_8021AD, PB_ETH_P_QINQ1 };
	size_t i, j;
	int k;

	(void)state;
	for (k = 1; k < PB_MAL_MAX; k++)
		if (!find_case(has_malformed, k))
			fail_msg("no packet is malformed for reason %d", k);
	for (k = 0; k < PB_PROTO_MAX; k++)
		if (!find_case(counts_proto, k))
			fail_msg("no packet counts in protocol counter %d", k);
	for (k = 0; k < PB_TCPF_MAX; k++)
		if (!find_case(counts_tcp_flag, k))
			fail_msg("no packet counts TCP flag %d", k);
	for (i = 0; i < PB_ARRAY_SIZE(tpids); i++)
		if (!find_case(has_tpid, tpids[i]))
			fail_msg("no packet is tagged with TPID 0x%04x", tpids[i]);
	assert_non_null(find_case(is_capture_cut, 0));
	for (i = 0; i < pt_n_cases; i++)
		for (j = i + 1; j < pt_n_cases; j++)
			if (!strcmp(pt_cases[i].name, pt_cases[j].name))
				fail_msg("two packets named %s", pt_cases[i].name);
}

/* Counting is additive: the whole table counted at once is the sum of its packets. */
static void test_count_accumulates(void **state)
{
	static struct pb_dir_stats got, want, one;
	struct pb_pkt pkt;
	struct pt_frame f;
	size_t i;

	(void)state;
	memset(&got, 0, sizeof(got));
	memset(&want, 0, sizeof(want));
	for (i = 0; i < pt_n_cases; i++) {
		pt_build(&pt_cases[i], &f);
		pb_parse(f.data, f.data + f.captured, f.wire, &pkt);
		pb_count(&got, &pkt, f.wire);
		pt_want_stats(&pt_cases[i], &f, &one);
		pb_dir_stats_add(&want, &one);
	}
	assert_int_equal(pt_diff_stats("whole table", &got, &want), 0);
	assert_int_equal(got.proto[PB_PROTO_ALL].packets, pt_n_cases);
}

int main(void)
{
	static const struct CMUnitTest table_tests[] = {
		cmocka_unit_test(test_table_covers_everything),
		cmocka_unit_test(test_parse_l3_matches_ethernet),
		cmocka_unit_test(test_count_accumulates),
	};
	size_t n = PB_ARRAY_SIZE(table_tests) + pt_n_cases, i;
	struct CMUnitTest *tests;
	int failed;

	/* One group (tests/run.sh reads one summary): table checks, then a
	 * test per packet, named after it. */
	tests = calloc(n, sizeof(*tests));
	if (!tests)
		return 1;
	memcpy(tests, table_tests, sizeof(table_tests));
	for (i = 0; i < pt_n_cases; i++) {
		struct CMUnitTest *t = &tests[PB_ARRAY_SIZE(table_tests) + i];

		t->name = pt_cases[i].name;
		t->test_func = test_case;
		t->initial_state = (void *)&pt_cases[i];
	}
	failed = _cmocka_run_group_tests("parse", tests, n, NULL, NULL);
	free(tests);
	return failed ? 1 : 0;
}
