// SPDX-License-Identifier: BSD-2-Clause
/*
 * user/cmd/cli.c: number options (--interval, --count), the options every command
 * shares, and the usage-error format "pktbpf: CMD: why" + the --help hint.
 */
#include <getopt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "cli.h"
#include "log.h"
#include "pb_types.h"

static const struct pb_cmd cmd = {
	.name = "stats",
	.usage = "Usage: pktbpf stats IFACE\n",
	.summary = "show counters",
};

/* What a call wrote to fd (stdout or stderr), kept in a temporary file. */
struct capture {
	int fd, saved;
	FILE *tmp;
	char text[512];
};

static void capture_start(struct capture *c, int fd)
{
	fflush(NULL);
	c->fd = fd;
	c->tmp = tmpfile();
	assert_non_null(c->tmp);
	c->saved = dup(fd);
	assert_true(c->saved >= 0);
	assert_true(dup2(fileno(c->tmp), fd) >= 0);
}

static const char *capture_end(struct capture *c)
{
	size_t n;

	fflush(NULL);
	assert_true(dup2(c->saved, c->fd) >= 0);
	close(c->saved);
	rewind(c->tmp);
	n = fread(c->text, 1, sizeof(c->text) - 1, c->tmp);
	c->text[n] = '\0';
	fclose(c->tmp);
	return c->text;
}

static void test_parse_uint(void **state)
{
	static const struct {
		const char *s;
		unsigned long v;
	} good[] = { { "1", 1 }, { "42", 42 }, { "007", 7 }, { "4294967296", 4294967296ul } };
	static const char *const bad[] = {
		"0", "", "-1", " -1", "+1", " 1", "1x", "x", "1.5", "0x10", "1 ",
		"99999999999999999999999", /* out of range */
	};
	unsigned long v;
	size_t i;

	(void)state;
	for (i = 0; i < PB_ARRAY_SIZE(good); i++) {
		assert_true(pb_parse_uint(&cmd, "--count", good[i].s, &v));
		assert_int_equal(v, good[i].v);
	}
	for (i = 0; i < PB_ARRAY_SIZE(bad); i++) {
		struct capture c;
		bool ok;

		capture_start(&c, STDERR_FILENO);
		ok = pb_parse_uint(&cmd, "--count", bad[i], &v);
		capture_end(&c);
		if (ok)
			fail_msg("--count '%s' accepted as %lu", bad[i], v);
	}
}

static void test_parse_double(void **state)
{
	static const struct {
		const char *s;
		double v;
	} good[] = { { "1", 1 }, { "0.5", 0.5 }, { "0.001", 0.001 }, { "1e3", 1000 },
		     { "86400", 86400 } };
	static const char *const bad[] = {
		"0", "-1", "", "x", "1s", "nan", "inf", "86400.5", "1e999", "-0",
	};
	double v;
	size_t i;

	(void)state;
	for (i = 0; i < PB_ARRAY_SIZE(good); i++) {
		assert_true(pb_parse_double(&cmd, "--interval", good[i].s, &v));
		assert_true(v == good[i].v);
	}
	for (i = 0; i < PB_ARRAY_SIZE(bad); i++) {
		struct capture c;
		bool ok;

		capture_start(&c, STDERR_FILENO);
		ok = pb_parse_double(&cmd, "--interval", bad[i], &v);
		capture_end(&c);
		if (ok)
			fail_msg("--interval '%s' accepted as %g", bad[i], v);
	}
}

static void test_number_error_message(void **state)
{
	struct capture c;
	unsigned long u;
	double d;

	(void)state;
	capture_start(&c, STDERR_FILENO);
	assert_false(pb_parse_uint(&cmd, "--count", "0", &u));
	assert_string_equal(capture_end(&c),
			    "pktbpf: stats: --count: '0' is not a positive whole number\n"
			    "pktbpf: try 'pktbpf stats --help'\n");
	capture_start(&c, STDERR_FILENO);
	assert_false(pb_parse_double(&cmd, "--interval", "soon", &d));
	assert_string_equal(capture_end(&c),
			    "pktbpf: stats: --interval: 'soon' is not a number of seconds in "
			    "(0, 86400]\npktbpf: try 'pktbpf stats --help'\n");
}

static void test_usage_error(void **state)
{
	struct capture c;

	(void)state;
	capture_start(&c, STDERR_FILENO);
	assert_int_equal(pb_usage_error(&cmd, "too many interfaces: %s %s", "eth0", "eth1"),
			 PB_EXIT_USAGE);
	assert_string_equal(capture_end(&c), "pktbpf: stats: too many interfaces: eth0 eth1\n"
					     "pktbpf: try 'pktbpf stats --help'\n");
}

static void test_common_options(void **state)
{
	struct pb_common common = { 0 };
	struct capture c;
	int verbosity = pb_verbosity;

	(void)state;
	optarg = "blue";
	assert_int_equal(pb_common_opt(&cmd, PB_OPT_NETNS, &common), 1);
	assert_string_equal(common.netns, "blue");
	assert_int_equal(pb_common_opt(&cmd, PB_OPT_JSON, &common), 1);
	assert_true(common.json);
	assert_int_equal(pb_common_opt(&cmd, PB_OPT_VERBOSE, &common), 1);
	assert_int_equal(pb_verbosity, verbosity + 1);
	pb_log_init(verbosity);

	/* Not a shared option: the command's own. */
	assert_int_equal(pb_common_opt(&cmd, 'x', &common), 0);
	assert_int_equal(pb_common_opt(&cmd, PB_OPT_FIRST_PRIVATE, &common), 0);

	/* --help: the usage on stdout, then exit 0. */
	capture_start(&c, STDOUT_FILENO);
	assert_int_equal(pb_common_opt(&cmd, PB_OPT_HELP, &common), -(PB_EXIT_OK + 1));
	assert_string_equal(capture_end(&c), cmd.usage);

	/* A bad option (getopt said why): the hint, then exit 2. */
	capture_start(&c, STDERR_FILENO);
	assert_int_equal(pb_common_opt(&cmd, '?', &common), -(PB_EXIT_USAGE + 1));
	assert_string_equal(capture_end(&c), "pktbpf: try 'pktbpf stats --help'\n");
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_uint),
		cmocka_unit_test(test_parse_double),
		cmocka_unit_test(test_number_error_message),
		cmocka_unit_test(test_usage_error),
		cmocka_unit_test(test_common_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
