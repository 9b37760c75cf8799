// SPDX-License-Identifier: BSD-2-Clause
/*
 * user/output/flow_span.c's pb_flows_since: what each flow carried between two
 * readings of one table (a live report's flows), without the maps.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "flow_span.h"

static void put(struct pb_flow_list *l, __u16 sport, __u64 p0, __u64 b0, __u64 p1, __u64 b1)
{
	struct pb_flow_key k = { .l4_proto = 17, .family = 4, .port = { sport, 53 } };
	struct pb_flow_val v = { .packets = { p0, p1 }, .bytes = { b0, b1 }, .first_ns = 1 };

	k.addr[0][0] = htonl(0x0a000001);
	k.addr[1][0] = htonl(0x0a000002);
	assert_int_equal(pb_flow_list_push(l, &k, &v), 0);
}

static const struct pb_flow_entry *find(const struct pb_flow_list *l, __u16 sport)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->e[i].key.port[0] == sport)
			return &l->e[i];
	return NULL;
}

static void test_since(void **state)
{
	struct pb_flow_list then = { 0 }, now = { 0 };
	const struct pb_flow_entry *e;

	(void)state;
	/* then, in an order unlike now's */
	put(&then, 3, 5, 500, 5, 700);  /* quiet since */
	put(&then, 1, 10, 1000, 2, 200); /* grew */
	put(&then, 4, 9, 900, 9, 900);   /* evicted, created again: fewer now */
	put(&then, 5, 1, 100, 0, 0);     /* evicted, not back */
	put(&now, 1, 12, 1300, 2, 200);
	put(&now, 2, 3, 300, 1, 50);     /* new */
	put(&now, 3, 5, 500, 5, 700);
	put(&now, 4, 2, 200, 0, 0);
	pb_flows_since(&now, &then);
	assert_int_equal(now.n, 3);
	e = find(&now, 1);
	assert_non_null(e);
	assert_int_equal(e->val.packets[0], 2);
	assert_int_equal(e->val.bytes[0], 300);
	assert_int_equal(e->val.packets[1], 0);
	e = find(&now, 2);
	assert_non_null(e);
	assert_int_equal(e->val.bytes[0] + e->val.bytes[1], 350);
	e = find(&now, 4);
	assert_non_null(e);
	assert_int_equal(e->val.packets[0], 2);
	assert_null(find(&now, 3));
	assert_null(find(&now, 5));
	pb_flow_list_free(&then);
	pb_flow_list_free(&now);
}

static void test_since_nothing_then(void **state)
{
	struct pb_flow_list then = { 0 }, now = { 0 };

	(void)state;
	put(&now, 7, 1, 60, 1, 60);
	pb_flows_since(&now, &then);
	assert_int_equal(now.n, 1);
	assert_int_equal(now.e[0].val.bytes[1], 60);
	pb_flow_list_free(&now);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_since),
		cmocka_unit_test(test_since_nothing_then),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
