// SPDX-License-Identifier: BSD-2-Clause
/*
 * user/output/traffic_class.c: every crafted packet of tests/fixtures lands in
 * exactly one class, the one its hand-written counter expectations name, and
 * the classes of a whole table add up to "all".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fixtures/packets.h"
#include "stats.h"
#include "traffic_class.h"

/* The class a case must land in, from what the case says it counts in. */
static int want_class(const struct pt_case *c)
{
	if (c->counted & PT_C(TCP))
		return PB_CLASS_TCP;
	if (c->counted & PT_C(UDP))
		return PB_CLASS_UDP;
	if (c->counted & (PT_C(ICMP) | PT_C(ICMPV6)))
		return PB_CLASS_ICMP;
	if (c->counted & (PT_C(IPV4) | PT_C(IPV6)))
		return PB_CLASS_OTHER_IP;
	if (c->counted & PT_C(ARP))
		return PB_CLASS_ARP;
	return PB_CLASS_OTHER;
}

static void test_each_packet_in_one_class(void **state)
{
	struct pb_count cls[PB_CLASS_MAX];
	struct pb_dir_stats one;
	struct pt_frame f;
	size_t i;
	int k, seen[PB_CLASS_MAX] = { 0 };

	(void)state;
	for (i = 0; i < pt_n_cases; i++) {
		const struct pt_case *c = &pt_cases[i];

		pt_build(c, &f);
		pt_want_stats(c, &f, &one);
		pb_classes_of(&one, cls);
		for (k = 0; k < PB_CLASS_MAX; k++) {
			unsigned want = k == want_class(c);

			if (cls[k].packets != want || cls[k].bytes != want * f.wire)
				fail_msg("%s: class %s has %llu packets, %llu bytes; want %u, %u",
					 c->name, pb_class_names[k],
					 (unsigned long long)cls[k].packets,
					 (unsigned long long)cls[k].bytes, want, want * f.wire);
		}
		seen[want_class(c)]++;
	}
	/* The table exercises every class. */
	for (k = 0; k < PB_CLASS_MAX; k++)
		if (!seen[k])
			fail_msg("no crafted packet lands in class %s", pb_class_names[k]);
}

static void test_classes_add_up_to_all_both_ways(void **state)
{
	static struct pb_dir_stats d[PB_DIR_MAX], one;
	struct pb_count cls[PB_CLASS_MAX] = { 0 };
	struct pt_frame f;
	__u64 packets = 0, bytes = 0;
	size_t i;
	int k;

	(void)state;
	memset(d, 0, sizeof(d));
	for (i = 0; i < pt_n_cases; i++) {
		pt_build(&pt_cases[i], &f);
		pt_want_stats(&pt_cases[i], &f, &one);
		pb_dir_stats_add(&d[i % PB_DIR_MAX], &one);
	}
	pb_classes_add(cls, d);
	for (k = 0; k < PB_CLASS_MAX; k++) {
		packets += cls[k].packets;
		bytes += cls[k].bytes;
	}
	assert_int_equal(packets, d[0].proto[PB_PROTO_ALL].packets +
					  d[1].proto[PB_PROTO_ALL].packets);
	assert_int_equal(bytes, d[0].proto[PB_PROTO_ALL].bytes + d[1].proto[PB_PROTO_ALL].bytes);
}

/* A torn read of live counters (ipv4 counted, tcp not yet) never wraps around. */
static void test_torn_read_clamps(void **state)
{
	struct pb_dir_stats d = { 0 };
	struct pb_count cls[PB_CLASS_MAX];

	(void)state;
	d.proto[PB_PROTO_ALL].packets = 1;
	d.proto[PB_PROTO_TCP].packets = 1; /* tcp seen, ipv4 not yet */
	pb_classes_of(&d, cls);
	assert_int_equal(cls[PB_CLASS_OTHER_IP].packets, 0);
	assert_int_equal(cls[PB_CLASS_OTHER].packets, 1);
}

static void test_class_of_ip_proto(void **state)
{
	(void)state;
	assert_int_equal(pb_class_of_ip_proto(6), PB_CLASS_TCP);
	assert_int_equal(pb_class_of_ip_proto(17), PB_CLASS_UDP);
	assert_int_equal(pb_class_of_ip_proto(1), PB_CLASS_ICMP);
	assert_int_equal(pb_class_of_ip_proto(58), PB_CLASS_ICMP);
	assert_int_equal(pb_class_of_ip_proto(47), PB_CLASS_OTHER_IP); /* GRE */
	assert_int_equal(pb_class_of_ip_proto(132), PB_CLASS_OTHER_IP); /* SCTP */
}

static void test_names(void **state)
{
	static const char *const want[] = { "tcp", "udp", "icmp", "other_ip", "arp", "other" };
	int k;

	(void)state;
	assert_int_equal(PB_CLASS_MAX, sizeof(want) / sizeof(want[0]));
	for (k = 0; k < PB_CLASS_MAX; k++)
		assert_string_equal(pb_class_names[k], want[k]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_packet_in_one_class),
		cmocka_unit_test(test_classes_add_up_to_all_both_ways),
		cmocka_unit_test(test_torn_read_clamps),
		cmocka_unit_test(test_class_of_ip_proto),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
