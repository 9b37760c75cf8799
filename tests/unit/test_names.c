// SPDX-License-Identifier: BSD-2-Clause
/*
 * The protocol name tables of user/dissect/names.c: known numbers by their
 * tcpdump/RFC names, unknown ones as the number the callers print instead,
 * and the one ICMP/ICMPv6 error predicate (include/pb_icmp.h) the kernel's
 * detectors and the ICMP decoder share.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "decode.h"
#include "names.h"
#include "pb_icmp.h"

/* Known numbers by name, unknown ones (NULL) left to the caller. */
static const struct {
	const struct pb_name_table *t;
	unsigned int num;
	const char *want;
} expect[] = {
	{ &pb_icmp_type_names, 0, "echo reply" },
	{ &pb_icmp_type_names, 3, "destination unreachable" },
	{ &pb_icmp_type_names, 8, "echo request" },
	{ &pb_icmp_type_names, 11, "time exceeded" },
	{ &pb_icmp_type_names, 13, "timestamp" },
	{ &pb_icmp_type_names, 14, "timestamp reply" },
	{ &pb_icmp_type_names, 42, NULL },
	{ &pb_icmp_type_names, 128, NULL }, /* an ICMPv6 number */
	{ &pb_icmpv6_type_names, 1, "destination unreachable" },
	{ &pb_icmpv6_type_names, 2, "packet too big" },
	{ &pb_icmpv6_type_names, 128, "echo request" },
	{ &pb_icmpv6_type_names, 132, "multicast listener done" },
	{ &pb_icmpv6_type_names, 135, "neighbor solicitation" },
	{ &pb_icmpv6_type_names, 143, "multicast listener report v2" },
	{ &pb_icmpv6_type_names, 8, NULL },
	{ &pb_icmpv6_type_names, 200, NULL },
	{ &pb_arp_op_names, 1, "request" },
	{ &pb_arp_op_names, 2, "reply" },
	{ &pb_arp_op_names, 3, "reverse request" },
	{ &pb_arp_op_names, 4, "reverse reply" },
	{ &pb_arp_op_names, 0, NULL },
	{ &pb_arp_op_names, 9, NULL },
	{ &pb_ethertype_names, 0x0800, "IP" },
	{ &pb_ethertype_names, 0x86dd, "IP6" },
	{ &pb_ethertype_names, 0x0806, "ARP" },
	{ &pb_ethertype_names, 0x88cc, NULL },
	{ &pb_ip_proto_names, 6, "tcp" },
	{ &pb_ip_proto_names, 17, "udp" },
	{ &pb_ip_proto_names, 1, "icmp" },
	{ &pb_ip_proto_names, 58, "icmpv6" },
	{ &pb_ip_proto_names, 47, NULL },
	{ &pb_dns_type_names, 1, "A" },
	{ &pb_dns_type_names, 28, "AAAA" },
	{ &pb_dns_type_names, 65, "HTTPS" },
	{ &pb_dns_type_names, 99, NULL },
	{ &pb_dns_rcode_names, 0, "NOERROR" },
	{ &pb_dns_rcode_names, 3, "NXDOMAIN" },
	{ &pb_dns_rcode_names, 11, NULL },
	{ &pb_dns_opcode_names, 5, "UPDATE" },
	{ &pb_dns_opcode_names, 3, NULL },
	{ &pb_dhcp_msg_type_names, 1, "DISCOVER" },
	{ &pb_dhcp_msg_type_names, 8, "INFORM" },
	{ &pb_dhcp_msg_type_names, 0, NULL },
	{ &pb_dhcp_msg_type_names, 9, NULL },
	{ &pb_tls_version_names, 0x0303, "TLS 1.2" },
	{ &pb_tls_version_names, 0x7f17, NULL },
};

static void known_and_unknown_numbers(void **state)
{
	const char *got;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
		got = pb_name_of(expect[i].t, expect[i].num);
		if (expect[i].want)
			assert_string_equal(got, expect[i].want);
		else
			assert_null(got);
	}
	assert_ptr_equal(pb_icmp_type_table(PB_IPPROTO_ICMP), &pb_icmp_type_names);
	assert_ptr_equal(pb_icmp_type_table(PB_IPPROTO_ICMPV6), &pb_icmpv6_type_names);
}

static void icmp_errors(void **state)
{
	unsigned int t;

	(void)state;
	for (t = 0; t < 256; t++) {
		int v4 = t == 3 || t == 4 || t == 5 || t == 11 || t == 12;

		assert_int_equal(!!pb_icmp_is_error(PB_IPPROTO_ICMP, t), v4);
		/* RFC 4443 2.1: the high bit clear is an error message */
		assert_int_equal(!!pb_icmp_is_error(PB_IPPROTO_ICMPV6, t), t < 128);
	}
}

/* Each table's entries are distinct numbers with a name. */
static void tables_are_well_formed(void **state)
{
	const struct pb_name_table *all[] = {
		&pb_ethertype_names,  &pb_ip_proto_names,   &pb_icmp_type_names,
		&pb_icmpv6_type_names, &pb_arp_op_names,     &pb_dns_type_names,
		&pb_dns_opcode_names, &pb_dns_rcode_names,  &pb_dhcp_msg_type_names,
		&pb_tls_version_names,
	};
	size_t t, i, j;

	(void)state;
	for (t = 0; t < sizeof(all) / sizeof(all[0]); t++) {
		assert_true(all[t]->n > 0);
		for (i = 0; i < all[t]->n; i++) {
			assert_non_null(all[t]->v[i].name);
			assert_true(all[t]->v[i].name[0]);
			for (j = i + 1; j < all[t]->n; j++)
				assert_true(all[t]->v[i].num != all[t]->v[j].num);
		}
	}
}

static const char *json_str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* Unknown numbers: the decoders and the line fall back as they always did. */
static void unknown_numbers_fall_back(void **state)
{
	static const uint8_t icmp42[] = { 42, 1, 0, 0, 0, 0, 0, 0 };
	static const uint8_t arp9[] = { 0, 1, 0x08, 0, 6, 4, 0, 9 };
	/* id, flags (rcode 11, opcode 3), counts 1/0/0/0, "a." type 99 class 1 */
	static const uint8_t dns[] = { 0, 1, 0x18, 0x0b, 0, 1, 0, 0, 0, 0, 0, 0,
				       1, 'a', 0, 0, 99, 0, 1 };
	static const uint8_t echo6[] = { 128, 0, 0, 0, 0, 1, 0, 2 };
	json_t *o, *q;

	(void)state;
	o = pb_decode_icmp(icmp42, sizeof(icmp42), false);
	assert_non_null(o);
	assert_null(json_object_get(o, "name"));
	assert_int_equal(json_integer_value(json_object_get(o, "type")), 42);
	json_decref(o);
	o = pb_decode_icmp(echo6, sizeof(echo6), true);
	assert_string_equal(json_str(o, "name"), "echo request");
	json_decref(o);

	o = pb_decode_arp(arp9, sizeof(arp9));
	assert_string_equal(json_str(o, "operation"), "?");
	assert_int_equal(json_integer_value(json_object_get(o, "opcode")), 9);
	json_decref(o);

	o = pb_decode_dns(dns, sizeof(dns), false);
	assert_non_null(o);
	assert_string_equal(json_str(o, "rcode"), "RCODE?");
	assert_string_equal(json_str(o, "opcode"), "OPCODE?");
	q = json_array_get(json_object_get(o, "questions"), 0);
	assert_string_equal(json_str(q, "type"), "TYPE99");
	json_decref(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(known_and_unknown_numbers),
		cmocka_unit_test(icmp_errors),
		cmocka_unit_test(tables_are_well_formed),
		cmocka_unit_test(unknown_numbers_fall_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
