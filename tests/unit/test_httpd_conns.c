// SPDX-License-Identifier: BSD-2-Clause
/* pktbpf serve's connection table: deadlines, per-client limits, what is shed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <cmocka.h>

#include "httpd_conns.h"

/* The fds shed, in order. */
static int shed[64], nshed;

static void record(int fd, void *cls)
{
	(void)cls;
	assert_true(nshed < 64);
	shed[nshed++] = fd;
}

/* An address of family af (a few live at once: the last 8 made). */
static const struct sockaddr *addr(int af, const char *s)
{
	static struct sockaddr_storage a[8];
	static int i;
	struct sockaddr_storage *p = &a[i++ % 8];

	memset(p, 0, sizeof(*p));
	p->ss_family = af;
	assert_int_equal(inet_pton(af, s,
				   af == AF_INET ? (void *)&((struct sockaddr_in *)p)->sin_addr
						 : (void *)&((struct sockaddr_in6 *)p)->sin6_addr),
			 1);
	return (const struct sockaddr *)p;
}

#define v4(s) addr(AF_INET, s)
#define v6(s) addr(AF_INET6, s)

static int setup(void **state)
{
	(void)state;
	nshed = 0;
	return 0;
}

/* The deadline runs from accept or the last answer; nothing else moves it. */
static void deadline_from_start_of_request(void **state)
{
	struct pb_conns *t = pb_conns_new(8, 4, 5000, record, NULL);
	struct pb_conn *a, *b;

	(void)state;
	assert_non_null(t);
	a = pb_conns_open(t, v4("127.0.0.2"), 10, 1000);
	b = pb_conns_open(t, v4("127.0.0.3"), 11, 2000);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(pb_conns_sweep(t, 1000), 5000);
	assert_int_equal(pb_conns_sweep(t, 5999), 1);
	assert_int_equal(nshed, 0);
	pb_conns_done(t, b, 3000); /* b answered: its next request is due at 8000 */
	assert_int_equal(pb_conns_sweep(t, 6000), 2000);
	assert_int_equal(nshed, 1);
	assert_int_equal(shed[0], 10);
	assert_int_equal(pb_conns_live(t), 1);
	pb_conns_done(t, a, 6500); /* shed already: no effect */
	assert_int_equal(pb_conns_sweep(t, 8000), -1);
	assert_int_equal(nshed, 2);
	assert_int_equal(shed[1], 11);
	pb_conns_close(t, a);
	pb_conns_close(t, b);
	assert_int_equal(pb_conns_live(t), 0);
	pb_conns_free(t);
}

static void per_client_limit(void **state)
{
	struct pb_conns *t = pb_conns_new(16, 2, 5000, record, NULL);
	struct pb_conn *c[3];

	(void)state;
	assert_true(pb_conns_admit(t, v4("10.0.0.1")));
	c[0] = pb_conns_open(t, v4("10.0.0.1"), 1, 0);
	c[1] = pb_conns_open(t, v4("10.0.0.1"), 2, 0);
	assert_false(pb_conns_admit(t, v4("10.0.0.1")));
	assert_true(pb_conns_admit(t, v4("10.0.0.2")));
	/* opened anyway: refused, shed at once */
	assert_null(pb_conns_open(t, v4("10.0.0.1"), 3, 0));
	assert_int_equal(nshed, 1);
	assert_int_equal(shed[0], 3);
	/* IPv6 counts per /64 */
	c[2] = pb_conns_open(t, v6("2001:db8:1:2::1"), 4, 0);
	assert_non_null(c[2]);
	assert_non_null(pb_conns_open(t, v6("2001:db8:1:2::ffff"), 5, 0));
	assert_false(pb_conns_admit(t, v6("2001:db8:1:2:aaaa::1")));
	assert_true(pb_conns_admit(t, v6("2001:db8:1:3::1")));
	/* a closed connection gives its room back */
	pb_conns_close(t, c[0]);
	assert_true(pb_conns_admit(t, v4("10.0.0.1")));
	pb_conns_free(t);
}

/* Full: a newcomer sheds the oldest request of the client that holds the most. */
static void full_table_sheds_the_biggest_client(void **state)
{
	struct pb_conns *t = pb_conns_new(4, 4, 5000, record, NULL);
	struct pb_conn *old;

	(void)state;
	old = pb_conns_open(t, v4("10.0.0.9"), 100, 0); /* the oldest of all, alone */
	pb_conns_open(t, v4("10.0.0.1"), 1, 1);
	pb_conns_open(t, v4("10.0.0.1"), 2, 2);
	pb_conns_open(t, v4("10.0.0.1"), 3, 3);
	assert_int_equal(nshed, 0);
	assert_non_null(pb_conns_open(t, v4("10.0.0.2"), 4, 4));
	assert_int_equal(nshed, 1);
	assert_int_equal(shed[0], 1); /* 10.0.0.1's oldest, not 10.0.0.9's older one */
	assert_non_null(pb_conns_open(t, v4("10.0.0.3"), 5, 5));
	assert_int_equal(shed[1], 2);
	assert_int_equal(pb_conns_live(t), 4);
	/* every client holds one: the oldest of all goes */
	assert_non_null(pb_conns_open(t, v4("10.0.0.4"), 6, 6));
	assert_int_equal(nshed, 3);
	assert_int_equal(shed[2], 100);
	pb_conns_close(t, old);
	pb_conns_free(t);
}

/* Entries of shed connections stay taken until closed; the table never overflows. */
static void bounded(void **state)
{
	struct pb_conns *t = pb_conns_new(4, 64, 5000, record, NULL);
	unsigned cap = pb_conns_cap(t), i, got = 0;
	struct sockaddr_in a = { .sin_family = AF_INET };

	(void)state;
	assert_true(cap > 4);
	for (i = 0; i < cap + 8; i++) {
		a.sin_addr.s_addr = htonl(0x0a000000 + i);
		got += pb_conns_open(t, (struct sockaddr *)&a, 1000 + i, i) != NULL;
		if (nshed > 60)
			nshed = 0;
	}
	assert_int_equal(got, cap);
	assert_int_equal(pb_conns_live(t), 4);
	pb_conns_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(deadline_from_start_of_request, setup),
		cmocka_unit_test_setup(per_client_limit, setup),
		cmocka_unit_test_setup(full_table_sheds_the_biggest_client, setup),
		cmocka_unit_test_setup(bounded, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
