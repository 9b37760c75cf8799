// SPDX-License-Identifier: BSD-2-Clause
/*
 * user/dissect/stats.c and user/output/stats_fmt.c: summing per-CPU values,
 * the ethertype table, and the JSON document and text table `pktbpf stats`
 * prints. Field names are
 * a contract (README, scripts): they are spelled out here literally, so a
 * rename fails this test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "stats_fmt.h"
#include "units.h"

static const char *const dir_keys[] = {
	"packets", "bytes", "protocols", "ip_protocols", "ethertypes", "tcp_flags",
	"malformed", "capture_truncated", "filter_matched", "ethertype_table_full",
};
static const char *const proto_keys[] = {
	"all", "vlan", "arp", "ipv4", "ipv6", "other_l3", "tcp", "udp", "icmp", "icmpv6",
	"other_l4", "ipv4_fragment", "ipv6_fragment",
};
static const char *const flag_keys[] = {
	"fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr",
};
static const char *const malformed_keys[] = {
	"total", "l2_truncated", "vlan_truncated", "vlan_too_deep", "arp_truncated",
	"ipv4_truncated", "ipv4_bad_version", "ipv4_bad_ihl", "ipv4_bad_total_length",
	"ipv6_truncated", "ipv6_bad_version", "ipv6_bad_payload_length", "ipv6_ext_truncated",
	"ipv6_too_many_ext", "tcp_truncated", "tcp_bad_data_offset", "udp_truncated",
	"udp_bad_length", "icmp_truncated", "icmpv6_truncated",
};

static void test_dir_stats_add_covers_every_counter(void **state)
{
	static struct pb_dir_stats src, dst, want;

	(void)state;
	/* Every byte 0x01: added twice, every u64 is 0x0202..02, no carries. */
	memset(&src, 0x01, sizeof(src));
	memset(&dst, 0, sizeof(dst));
	memset(&want, 0x02, sizeof(want));
	pb_dir_stats_add(&dst, &src);
	pb_dir_stats_add(&dst, &src);
	assert_memory_equal(&dst, &want, sizeof(dst));

	/* And by name, first and last of each array. */
	memset(&src, 0, sizeof(src));
	src.proto[PB_PROTO_ALL].packets = 1;
	src.proto[PB_PROTO_IPV6_FRAG].bytes = 2;
	src.tcp_flags[PB_TCPF_CWR] = 3;
	src.malformed[PB_MAL_ICMPV6_TRUNCATED] = 4;
	src.capture_truncated = 5;
	src.ip_proto[255].bytes = 6;
	pb_dir_stats_add(&dst, &src);
	assert_int_equal(dst.proto[PB_PROTO_ALL].packets, 0x0202020202020202ull + 1);
	assert_int_equal(dst.proto[PB_PROTO_IPV6_FRAG].bytes, 0x0202020202020202ull + 2);
	assert_int_equal(dst.tcp_flags[PB_TCPF_CWR], 0x0202020202020202ull + 3);
	assert_int_equal(dst.malformed[PB_MAL_ICMPV6_TRUNCATED], 0x0202020202020202ull + 4);
	assert_int_equal(dst.capture_truncated, 0x0202020202020202ull + 5);
	assert_int_equal(dst.ip_proto[255].bytes, 0x0202020202020202ull + 6);
}

static void test_malformed_total_skips_none(void **state)
{
	static struct pb_dir_stats d;

	(void)state;
	d.malformed[PB_MAL_NONE] = 1000;
	d.malformed[PB_MAL_L2_TRUNCATED] = 1;
	d.malformed[PB_MAL_ICMPV6_TRUNCATED] = 2;
	assert_int_equal(pb_malformed_total(&d), 3);
}

static void test_ethertype_table(void **state)
{
	static struct pb_totals t;
	struct pb_count c = { .packets = 1, .bytes = 60 };
	struct pb_count big = { .packets = 10, .bytes = 1000 };
	int i;

	(void)state;
	pb_totals_add_ethertype(&t, PB_DIR_INGRESS, 0x88cc, &c);
	pb_totals_add_ethertype(&t, PB_DIR_INGRESS, 0x88cc, &big);
	pb_totals_add_ethertype(&t, PB_DIR_EGRESS, 0x88cc, &c);
	assert_int_equal(t.n_ethertypes[PB_DIR_INGRESS], 1);
	assert_int_equal(t.ethertypes[PB_DIR_INGRESS][0].ethertype, 0x88cc);
	assert_int_equal(t.ethertypes[PB_DIR_INGRESS][0].c.packets, 11);
	assert_int_equal(t.ethertypes[PB_DIR_INGRESS][0].c.bytes, 1060);
	assert_int_equal(t.n_ethertypes[PB_DIR_EGRESS], 1);
	assert_int_equal(t.ethertypes[PB_DIR_EGRESS][0].c.packets, 1);

	/* Fill the table: a new ethertype is then left out, known ones still count. */
	for (i = 1; i < PB_MAX_OTHER_ETHERTYPES; i++)
		pb_totals_add_ethertype(&t, PB_DIR_INGRESS, 0x9000 + i, &c);
	assert_int_equal(t.n_ethertypes[PB_DIR_INGRESS], PB_MAX_OTHER_ETHERTYPES);
	pb_totals_add_ethertype(&t, PB_DIR_INGRESS, 0x1234, &c);
	assert_int_equal(t.n_ethertypes[PB_DIR_INGRESS], PB_MAX_OTHER_ETHERTYPES);
	for (i = 0; i < PB_MAX_OTHER_ETHERTYPES; i++)
		assert_int_not_equal(t.ethertypes[PB_DIR_INGRESS][i].ethertype, 0x1234);
	pb_totals_add_ethertype(&t, PB_DIR_INGRESS, 0x88cc, &c);
	assert_int_equal(t.ethertypes[PB_DIR_INGRESS][0].c.packets, 12);
	pb_totals_add_ethertype(&t, PB_DIR_INGRESS, 0x9000 + PB_MAX_OTHER_ETHERTYPES - 1, &c);
	assert_int_equal(t.ethertypes[PB_DIR_INGRESS][PB_MAX_OTHER_ETHERTYPES - 1].c.packets, 2);
	assert_int_equal(t.n_ethertypes[PB_DIR_EGRESS], 1);
}

/*
 * Known counters in both directions: ingress 5 packets (3 TCP, SYN twice, one
 * GRE, one LLDP, 3 malformed, 4 capture-cut), egress 7 UDP packets.
 */
static void fill_totals(struct pb_totals *t)
{
	struct pb_dir_stats *in = &t->dir[PB_DIR_INGRESS], *out = &t->dir[PB_DIR_EGRESS];
	struct pb_count lldp_in = { 1, 60 }, lldp_out = { 2, 120 }, other = { 1, 64 };

	memset(t, 0, sizeof(*t));
	in->proto[PB_PROTO_ALL] = (struct pb_count){ 5, 500 };
	in->proto[PB_PROTO_IPV4] = (struct pb_count){ 4, 440 };
	in->proto[PB_PROTO_TCP] = (struct pb_count){ 3, 300 };
	in->proto[PB_PROTO_OTHER_L4] = (struct pb_count){ 1, 80 };
	in->proto[PB_PROTO_OTHER_L3] = (struct pb_count){ 1, 60 };
	in->ip_proto[6] = (struct pb_count){ 3, 300 };
	in->ip_proto[47] = (struct pb_count){ 1, 80 };
	in->tcp_flags[PB_TCPF_SYN] = 2;
	in->malformed[PB_MAL_IPV4_BAD_IHL] = 1;
	in->malformed[PB_MAL_TCP_TRUNCATED] = 2;
	in->capture_truncated = 4;
	out->proto[PB_PROTO_ALL] = (struct pb_count){ 7, 700 };
	out->proto[PB_PROTO_UDP] = (struct pb_count){ 7, 700 };
	out->ip_proto[17] = (struct pb_count){ 7, 700 };
	out->filter_matched = 6;
	pb_totals_add_ethertype(t, PB_DIR_INGRESS, 0x88cc, &lldp_in);
	pb_totals_add_ethertype(t, PB_DIR_EGRESS, 0x88cc, &lldp_out);
	pb_totals_add_ethertype(t, PB_DIR_EGRESS, 0x9000, &other);
}

/* The value at a dotted path ("ingress.protocols.tcp.packets"), or NULL. */
static json_t *at(json_t *root, const char *path)
{
	char *copy = strdup(path), *save = NULL, *part;
	json_t *v = root;

	for (part = strtok_r(copy, ".", &save); v && part; part = strtok_r(NULL, ".", &save))
		v = json_object_get(v, part);
	free(copy);
	return v;
}

static long long int_at(json_t *root, const char *path)
{
	json_t *v = at(root, path);

	if (!json_is_integer(v))
		fail_msg("%s: not an integer", path);
	return json_integer_value(v);
}

/* The object at path has exactly these keys. */
static void assert_keys(json_t *root, const char *path, const char *const *keys, size_t n)
{
	json_t *o = path ? at(root, path) : root;
	size_t i;

	if (!json_is_object(o))
		fail_msg("%s: not an object", path);
	for (i = 0; i < n; i++)
		if (!json_object_get(o, keys[i]))
			fail_msg("%s: no key '%s'", path, keys[i]);
	if (json_object_size(o) != n)
		fail_msg("%s: %zu keys, want %zu", path, json_object_size(o), n);
}

static void test_json_shape_and_values(void **state)
{
	static const char *const top[] = { "ingress", "egress" };
	static const char *const count_keys[] = { "packets", "bytes" };
	static struct pb_totals t;
	char path[96];
	json_t *j, *back;
	char *text;
	size_t i;
	int d;

	(void)state;
	fill_totals(&t);
	j = pb_totals_json(&t);
	assert_non_null(j);

	assert_keys(j, NULL, top, 2);
	for (d = 0; d < 2; d++) {
		assert_keys(j, top[d], dir_keys, PB_ARRAY_SIZE(dir_keys));
		snprintf(path, sizeof(path), "%s.protocols", top[d]);
		assert_keys(j, path, proto_keys, PB_ARRAY_SIZE(proto_keys));
		for (i = 0; i < PB_ARRAY_SIZE(proto_keys); i++) {
			snprintf(path, sizeof(path), "%s.protocols.%s", top[d], proto_keys[i]);
			assert_keys(j, path, count_keys, 2);
		}
		snprintf(path, sizeof(path), "%s.tcp_flags", top[d]);
		assert_keys(j, path, flag_keys, PB_ARRAY_SIZE(flag_keys));
		snprintf(path, sizeof(path), "%s.malformed", top[d]);
		assert_keys(j, path, malformed_keys, PB_ARRAY_SIZE(malformed_keys));
	}

	assert_int_equal(int_at(j, "ingress.packets"), 5);
	assert_int_equal(int_at(j, "ingress.bytes"), 500);
	assert_int_equal(int_at(j, "ingress.protocols.tcp.packets"), 3);
	assert_int_equal(int_at(j, "ingress.protocols.tcp.bytes"), 300);
	assert_int_equal(int_at(j, "ingress.protocols.udp.packets"), 0);
	assert_int_equal(int_at(j, "egress.protocols.udp.packets"), 7);
	assert_int_equal(int_at(j, "egress.protocols.udp.bytes"), 700);
	assert_int_equal(int_at(j, "ingress.tcp_flags.syn"), 2);
	assert_int_equal(int_at(j, "ingress.tcp_flags.fin"), 0);
	assert_int_equal(int_at(j, "ingress.malformed.total"), 3);
	assert_int_equal(int_at(j, "ingress.malformed.tcp_truncated"), 2);
	assert_int_equal(int_at(j, "egress.malformed.total"), 0);
	assert_int_equal(int_at(j, "ingress.capture_truncated"), 4);
	assert_int_equal(int_at(j, "egress.filter_matched"), 6);

	/* By number: only what was seen, keyed by decimal / 0xNNNN. */
	assert_int_equal(json_object_size(at(j, "ingress.ip_protocols")), 2);
	assert_int_equal(int_at(j, "ingress.ip_protocols.47.packets"), 1);
	assert_int_equal(int_at(j, "ingress.ip_protocols.6.bytes"), 300);
	assert_int_equal(int_at(j, "egress.ip_protocols.17.packets"), 7);
	assert_int_equal(json_object_size(at(j, "ingress.ethertypes")), 1);
	assert_int_equal(int_at(j, "ingress.ethertypes.0x88cc.packets"), 1);
	assert_int_equal(json_object_size(at(j, "egress.ethertypes")), 2);
	assert_int_equal(int_at(j, "egress.ethertypes.0x88cc.bytes"), 120);
	assert_int_equal(int_at(j, "egress.ethertypes.0x9000.packets"), 1);

	/* It serializes and reads back as the same document. */
	text = json_dumps(j, JSON_COMPACT);
	assert_non_null(text);
	back = json_loads(text, 0, NULL);
	assert_non_null(back);
	assert_true(json_equal(j, back));
	free(text);
	json_decref(back);
	json_decref(j);
}

/* The printed table as a string (malloc'ed). */
static char *print_totals(const struct pb_totals *t)
{
	FILE *f = tmpfile();
	char *buf;
	long len;

	assert_non_null(f);
	pb_totals_print(f, t);
	len = ftell(f);
	assert_true(len > 0);
	buf = calloc(1, len + 1);
	assert_non_null(buf);
	rewind(f);
	assert_int_equal(fread(buf, 1, len, f), len);
	fclose(f);
	return buf;
}

/* The numbers on the row named name ("  name   n n ..."); how many, -1 if no row. */
static int row(const char *text, const char *name, unsigned long long *v)
{
	const char *p = text;
	size_t n = strlen(name);

	for (; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, "  ", 2) || strncmp(p + 2, name, n) || p[2 + n] != ' ')
			continue;
		return sscanf(p + 2 + n, "%llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3]);
	}
	return -1;
}

#define ASSERT_ROW4(text, name, a, b, c, d)                                      \
	do {                                                                     \
		unsigned long long v_[4];                                        \
		assert_int_equal(row(text, name, v_), 4);                        \
		assert_int_equal(v_[0], a);                                      \
		assert_int_equal(v_[1], b);                                      \
		assert_int_equal(v_[2], c);                                      \
		assert_int_equal(v_[3], d);                                      \
	} while (0)
#define ASSERT_ROW2(text, name, a, b)                                            \
	do {                                                                     \
		unsigned long long v_[4];                                        \
		assert_int_equal(row(text, name, v_), 2);                        \
		assert_int_equal(v_[0], a);                                      \
		assert_int_equal(v_[1], b);                                      \
	} while (0)

static void test_text_table_rows(void **state)
{
	static struct pb_totals t;
	unsigned long long v[4];
	char *text, *again;
	size_t i;

	(void)state;
	fill_totals(&t);
	text = print_totals(&t);
	assert_non_null(strstr(text, "protocol"));
	assert_non_null(strstr(text, "in packets"));
	assert_non_null(strstr(text, "out bytes"));

	/* Protocols: "all" always, others only when seen either way. */
	ASSERT_ROW4(text, "all", 5, 500, 7, 700);
	ASSERT_ROW4(text, "tcp", 3, 300, 0, 0);
	ASSERT_ROW4(text, "udp", 0, 0, 7, 700);
	ASSERT_ROW4(text, "other_l4", 1, 80, 0, 0);
	assert_int_equal(row(text, "ipv6", v), -1);
	assert_int_equal(row(text, "icmp", v), -1);

	/* By number: not again for protocols that have their own row. */
	ASSERT_ROW4(text, "ip proto 47", 1, 80, 0, 0);
	assert_int_equal(row(text, "ip proto 6", v), -1);
	assert_int_equal(row(text, "ip proto 17", v), -1);

	/* An ethertype seen both ways is one row. */
	ASSERT_ROW4(text, "ethertype 0x88cc", 1, 60, 2, 120);
	ASSERT_ROW4(text, "ethertype 0x9000", 0, 0, 1, 64);
	assert_null(strstr(strstr(text, "ethertype 0x88cc") + 1, "ethertype 0x88cc"));

	/* TCP flags: every flag, in and out. */
	for (i = 0; i < PB_ARRAY_SIZE(flag_keys); i++)
		assert_int_equal(row(text, flag_keys[i], v), 2);
	ASSERT_ROW2(text, "syn", 2, 0);

	/* Malformed: the total, then only the reasons that occurred. */
	ASSERT_ROW2(text, "total", 3, 0);
	ASSERT_ROW2(text, "ipv4_bad_ihl", 1, 0);
	ASSERT_ROW2(text, "tcp_truncated", 2, 0);
	assert_int_equal(row(text, "udp_truncated", v), -1);
	ASSERT_ROW2(text, "capture_truncated", 4, 0);

	/* Same counters, same text. */
	again = print_totals(&t);
	assert_string_equal(text, again);
	free(again);
	free(text);
}

static void test_rates(void **state)
{
	static struct pb_totals prev, cur;
	json_t *j;

	(void)state;
	prev.dir[PB_DIR_INGRESS].proto[PB_PROTO_ALL] = (struct pb_count){ 100, 10000 };
	cur.dir[PB_DIR_INGRESS].proto[PB_PROTO_ALL] = (struct pb_count){ 300, 30000 };
	cur.dir[PB_DIR_INGRESS].malformed[PB_MAL_UDP_BAD_LENGTH] = 4;
	/* A counter that went down (re-attached): no negative rate. */
	prev.dir[PB_DIR_EGRESS].proto[PB_PROTO_ALL] = (struct pb_count){ 50, 5000 };

	j = pb_rates_json(&prev, &cur, 2.0);
	assert_true(json_real_value(at(j, "interval_seconds")) == 2.0);
	assert_true(json_real_value(at(j, "ingress.packets_per_second")) == 100.0);
	assert_true(json_real_value(at(j, "ingress.bits_per_second")) == 80000.0);
	assert_true(json_real_value(at(j, "ingress.malformed_per_second")) == 2.0);
	assert_true(json_real_value(at(j, "egress.packets_per_second")) == 0.0);
	assert_true(json_real_value(at(j, "egress.bits_per_second")) == 0.0);
	json_decref(j);

	j = pb_rates_json(&prev, &cur, 0.0);
	assert_true(json_real_value(at(j, "ingress.packets_per_second")) == 0.0);
	json_decref(j);
}

static void test_format_time(void **state)
{
	char buf[32];

	(void)state;
	pb_format_time(buf, sizeof(buf), 0);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	pb_format_time(buf, sizeof(buf), 1700000000123456789ull);
	assert_string_equal(buf, "2023-11-14T22:13:20Z");
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dir_stats_add_covers_every_counter),
		cmocka_unit_test(test_malformed_total_skips_none),
		cmocka_unit_test(test_ethertype_table),
		cmocka_unit_test(test_json_shape_and_values),
		cmocka_unit_test(test_text_table_rows),
		cmocka_unit_test(test_rates),
		cmocka_unit_test(test_format_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
