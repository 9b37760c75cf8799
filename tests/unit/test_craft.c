// SPDX-License-Identifier: BSD-2-Clause
/* tools/lib/craft.c: the benchmarks' and generator's frames are well formed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "craft.h"

static __u16 get16(const __u8 *p)
{
	return (__u16)p[0] << 8 | p[1];
}

/* The one's-complement sum over a checksummed region, checksum included, is 0xffff. */
static void assert_l4_checksum(const struct pb_craft_spec *s, const __u8 *l4, size_t len)
{
	__u8 pseudo[40];
	size_t plen;
	__u32 sum;

	if (s->kind->l4 == PB_IPPROTO_ICMP) { /* no pseudo-header (RFC 792) */
		assert_int_equal(pb_craft_csum_fold(l4, len, 0), 0xffff);
		return;
	}
	memset(pseudo, 0, sizeof(pseudo));
	if (s->kind->ipv6) {
		memcpy(pseudo, s->saddr6, 16);
		memcpy(pseudo + 16, s->daddr6, 16);
		plen = 32;
	} else {
		memcpy(pseudo, &s->saddr4, 4);
		memcpy(pseudo + 4, &s->daddr4, 4);
		plen = 8;
	}
	sum = s->kind->l4 + len;
	assert_int_equal(pb_craft_csum_fold(l4, len, pb_craft_csum_fold(pseudo, plen, sum)),
			 0xffff);
}

static void check_frame(const struct pb_craft_kind *k, size_t size)
{
	struct pb_craft_spec s;
	__u8 buf[2048];
	size_t len, off = 12, l4;
	int i;

	pb_craft_spec_init(&s, k);
	s.size = size;
	s.sport = 4321;
	len = pb_craft_build(&s, buf, sizeof(buf));
	assert_int_equal(len, size > pb_craft_min_size(k) ? size : pb_craft_min_size(k));
	for (i = 0; i < k->vlans; i++, off += 4) {
		assert_int_equal(get16(buf + off),
				 i == 0 && k->vlans == 2 ? PB_ETH_P_8021AD : PB_ETH_P_8021Q);
		assert_int_equal(get16(buf + off + 2) & 0x0fff, s.vlan_id + i);
	}
	l4 = pb_craft_l4_offset(k);
	if (k->ipv6) {
		assert_int_equal(get16(buf + off), PB_ETH_P_IPV6);
		assert_int_equal(buf[off + 2] >> 4, 6);
		assert_int_equal(get16(buf + off + 6), len - l4);
		assert_int_equal(buf[off + 8], k->l4);
	} else {
		assert_int_equal(get16(buf + off), PB_ETH_P_IPV4);
		assert_int_equal(buf[off + 2], 0x45);
		assert_int_equal(get16(buf + off + 4), len - off - 2);
		assert_int_equal(buf[off + 11], k->l4);
		assert_int_equal(pb_craft_csum_fold(buf + off + 2, 20, 0), 0xffff);
	}
	assert_int_equal(l4, off + 2 + (k->ipv6 ? 40 : 20));
	if (k->l4 == PB_IPPROTO_UDP)
		assert_int_equal(get16(buf + l4 + 4), len - l4);
	if (k->l4 == PB_IPPROTO_TCP || k->l4 == PB_IPPROTO_UDP)
		assert_int_equal(get16(buf + l4), 4321);
	else
		assert_int_equal(get16(buf + l4 + 4), 4321); /* echo identifier */
	assert_l4_checksum(&s, buf + l4, len - l4);
}

static void test_every_kind_and_size(void **state)
{
	static const size_t sizes[] = { 0, 60, 64, 65, 100, 1514, 1518 };
	size_t i, j;

	(void)state;
	for (i = 0; i < pb_craft_n_kinds; i++)
		for (j = 0; j < PB_ARRAY_SIZE(sizes); j++)
			check_frame(&pb_craft_kinds[i], sizes[j]);
}

static void test_minimum_sizes(void **state)
{
	(void)state;
	assert_int_equal(pb_craft_min_size(pb_craft_kind_find("udp")), 14 + 20 + 8);
	assert_int_equal(pb_craft_min_size(pb_craft_kind_find("tcp6")), 14 + 40 + 20);
	assert_int_equal(pb_craft_min_size(pb_craft_kind_find("qinq")), 14 + 8 + 20 + 8);
}

static void test_too_small_buffer_refused(void **state)
{
	struct pb_craft_spec s;
	__u8 buf[128];

	(void)state;
	pb_craft_spec_init(&s, pb_craft_kind_find("tcp"));
	s.size = 129;
	assert_int_equal(pb_craft_build(&s, buf, sizeof(buf)), 0);
	s.size = 128;
	assert_int_equal(pb_craft_build(&s, buf, sizeof(buf)), 128);
}

static void test_unknown_kind(void **state)
{
	(void)state;
	assert_null(pb_craft_kind_find("sctp"));
	assert_non_null(pb_craft_kind_find("icmp6"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_kind_and_size),
		cmocka_unit_test(test_minimum_sizes),
		cmocka_unit_test(test_too_small_buffer_refused),
		cmocka_unit_test(test_unknown_kind),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
