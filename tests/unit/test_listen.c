// SPDX-License-Identifier: BSD-2-Clause
/* serve --listen ADDR:PORT: what is taken and what is refused. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "httpd.h"

static void test_ipv4(void **state)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *in = (struct sockaddr_in *)&ss;

	(void)state;
	assert_int_equal(pb_listen_parse(PB_HTTPD_DEFAULT_LISTEN, &ss), 0);
	assert_int_equal(ss.ss_family, AF_INET);
	assert_int_equal(ntohs(in->sin_port), 9477);
	assert_int_equal(ntohl(in->sin_addr.s_addr), INADDR_LOOPBACK);
	assert_int_equal(pb_listen_parse("0.0.0.0:0", &ss), 0);
	assert_int_equal(ntohs(in->sin_port), 0);
	assert_int_equal(pb_listen_parse("10.1.2.3:65535", &ss), 0);
	assert_int_equal(ntohs(in->sin_port), 65535);
}

static void test_ipv6(void **state)
{
	struct sockaddr_storage ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;

	(void)state;
	assert_int_equal(pb_listen_parse("[::1]:9477", &ss), 0);
	assert_int_equal(ss.ss_family, AF_INET6);
	assert_int_equal(ntohs(in6->sin6_port), 9477);
	assert_true(IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr));
	assert_int_equal(pb_listen_parse("[2001:db8::7]:80", &ss), 0);
}

static void test_refused(void **state)
{
	static const char *const bad[] = {
		"", "9477", ":9477", "127.0.0.1", "127.0.0.1:",
		"127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:+1", "127.0.0.1: 80",
		"127.0.0.1:8x", "localhost:80", "1.2.3:80",
		"::1:80", "[::1]80", "[::1]:", "[127.0.0.1]:80", "[]:80", "[::1:80",
	};
	struct sockaddr_storage ss;
	size_t i;

	(void)state;
	assert_int_equal(pb_listen_parse(NULL, &ss), -EINVAL);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (pb_listen_parse(bad[i], &ss) != -EINVAL)
			fail_msg("accepted '%s'", bad[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
