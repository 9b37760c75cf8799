// SPDX-License-Identifier: BSD-2-Clause
/*
 * Detector settings: the INI config file (good files apply; bad values are
 * errors naming the file, the line and the key), the command-line flags, and
 * the deny rule subset of pcap-filter syntax.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "deny.h"
#include "detect_cfg.h"
#include "log.h"

static const char fake_cmd[] = "attach";

/* Write text to a temporary file; its path goes to path. */
static void write_file(char *path, size_t len, const char *text)
{
	int fd;

	snprintf(path, len, "/tmp/pktbpf-test-cfg-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

/* Load text as a config file; returns the exit code, stderr's text in err. */
static int load(const char *text, struct pb_det_info *info, char *err, size_t err_len,
		char *path, size_t path_len)
{
	char errpath[] = "/tmp/pktbpf-test-err-XXXXXX";
	int efd = mkstemp(errpath), saved = dup(STDERR_FILENO), r;
	ssize_t n;

	assert_true(efd >= 0 && saved >= 0);
	write_file(path, path_len, text);
	pb_det_defaults(info);
	fflush(stderr);
	dup2(efd, STDERR_FILENO);
	r = pb_det_load_file(info, path);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	n = pread(efd, err, err_len - 1, 0);
	err[n > 0 ? n : 0] = '\0';
	close(efd);
	unlink(errpath);
	unlink(path);
	return r;
}

static void good_file_applies(void **state)
{
	static const char text[] = "; pktbpf detectors\n"
				   "# a comment\n"
				   "[port_scan]\n"
				   "threshold = 20\n"
				   "window = 2m\n"
				   "\n"
				   "[udp_flood]\n"
				   "enabled = no\n"
				   "[syn_flood]\n"
				   "window = 500ms\n"
				   "[denied_access]\n"
				   "deny = tcp port 23\n"
				   "deny = udp dst port 161 or src net 10.9.0.0/16\n";
	struct pb_det_info info;
	char err[512], path[64];

	(void)state;
	assert_int_equal(load(text, &info, err, sizeof(err), path, sizeof(path)), 0);
	assert_string_equal(err, "");
	assert_int_equal(info.cfg.type[PB_ALERT_PORT_SCAN].threshold, 20);
	assert_int_equal(info.cfg.type[PB_ALERT_PORT_SCAN].window_ns, 120000000000ull);
	assert_int_equal(info.cfg.type[PB_ALERT_UDP_FLOOD].enabled, 0);
	assert_int_equal(info.cfg.type[PB_ALERT_SYN_FLOOD].window_ns, 500000000ull);
	assert_int_equal(info.cfg.type[PB_ALERT_SYN_FLOOD].threshold, 256); /* default kept */
	assert_int_equal(info.cfg.n_rules, 3);
	assert_string_equal(info.rule_text[0], "tcp port 23");
	assert_string_equal(info.rule_text[1], "udp dst port 161");
	assert_string_equal(info.rule_text[2], "src net 10.9.0.0/16");
}

struct bad {
	const char *text;
	const char *want; /* after "pktbpf: PATH:" */
};

static void bad_files_name_file_line_key(void **state)
{
	static const struct bad bad[] = {
		{ "[port_scan]\nwindow = -5\n", "2: [port_scan] window: '-5' is negative" },
		{ "[port_scan]\nwindow = 0\n", "2: [port_scan] window: '0' is shorter than 1ms" },
		{ "[syn_flood]\n\nthreshold = 0\n", "3: [syn_flood] threshold: 0 would alert" },
		{ "[syn_flood]\nthreshold = -3\n", "2: [syn_flood] threshold: '-3' is negative" },
		{ "[port_scan]\ntreshold = 10\n", "2: [port_scan] treshold: unknown key" },
		{ "[port_scan]\nthreshold = 300\n", "2: [port_scan] threshold: '300' is above 256" },
		{ "[port_skan]\nthreshold = 10\n", "2: [port_skan] threshold: unknown detector" },
		{ "threshold = 10\n", "1: [] threshold: unknown detector" },
		{ "[arp_spoof]\nthreshold = 3\n", "2: [arp_spoof] threshold: arp_spoof has no threshold" },
		{ "[udp_flood]\nenabled = maybe\n", "2: [udp_flood] enabled: 'maybe' is not yes or no" },
		{ "[udp_flood]\nwindow = 5 parsecs\n", "2: [udp_flood] window: '5 parsecs': unknown unit" },
		{ "[denied_access]\ndeny = tcp port telnet\n", "2: [denied_access] deny: 'telnet'" },
		{ "[port_scan]\nthis line has no equals sign\n", "2: expected '[detector]'" },
		{ "[port_scan]\nwindow = 1s\n[port_scan\n", "3: expected '[detector]'" },
	};
	struct pb_det_info info;
	char err[512], path[64], want[256];
	size_t i;

	(void)state;
	for (i = 0; i < PB_ARRAY_SIZE(bad); i++) {
		int r = load(bad[i].text, &info, err, sizeof(err), path, sizeof(path));

		snprintf(want, sizeof(want), "pktbpf: %s:%s", path, bad[i].want);
		if (r != PB_EXIT_USAGE || strncmp(err, want, strlen(want)))
			fail_msg("case %zu: exit %d, stderr:\n%s\nwant it to start with:\n%s", i, r,
				 err, want);
	}
}

static void missing_file_is_usage_error(void **state)
{
	struct pb_det_info info;

	(void)state;
	pb_det_defaults(&info);
	assert_int_equal(pb_det_load_file(&info, "/nonexistent/pktbpf.ini"), PB_EXIT_USAGE);
}

/* Flags apply after the file, in order; --detectors picks exactly those. */
static void flags_override_file(void **state)
{
	struct pb_det_flags f = { 0 };
	struct pb_det_info info;
	char path[64];

	(void)state;
	write_file(path, sizeof(path), "[port_scan]\nthreshold = 20\n");
	f.config = path;
	assert_int_equal(pb_det_flag(fake_cmd, PB_OPT_DET_DETECTORS, "port_scan,arp_spoof", &f), 1);
	assert_int_equal(pb_det_flag(fake_cmd, PB_OPT_DET_THRESHOLD, "port_scan=7", &f), 1);
	assert_int_equal(pb_det_flag(fake_cmd, PB_OPT_DET_WINDOW, "port_scan=90s", &f), 1);
	assert_int_equal(pb_det_flag(fake_cmd, PB_OPT_DET_DENY, "tcp dst port 3389", &f), 1);
	assert_int_equal(pb_det_flag(fake_cmd, 'x', "", &f), 0);
	assert_int_equal(pb_det_build(fake_cmd, &f, &info), 0);
	unlink(path);
	assert_int_equal(info.cfg.type[PB_ALERT_PORT_SCAN].threshold, 7);
	assert_int_equal(info.cfg.type[PB_ALERT_PORT_SCAN].window_ns, 90000000000ull);
	assert_int_equal(info.cfg.type[PB_ALERT_PORT_SCAN].enabled, 1);
	assert_int_equal(info.cfg.type[PB_ALERT_ARP_SPOOF].enabled, 1);
	assert_int_equal(info.cfg.type[PB_ALERT_SYN_FLOOD].enabled, 0);
	assert_int_equal(info.cfg.n_rules, 1);

	f = (struct pb_det_flags){ 0 };
	pb_det_flag(fake_cmd, PB_OPT_DET_THRESHOLD, "port_scan", &f);
	assert_int_equal(pb_det_build(fake_cmd, &f, &info), PB_EXIT_USAGE);
	f = (struct pb_det_flags){ 0 };
	pb_det_flag(fake_cmd, PB_OPT_DET_DETECTORS, "port_scan,nosuch", &f);
	assert_int_equal(pb_det_build(fake_cmd, &f, &info), PB_EXIT_USAGE);
}

static const struct pb_deny_rule *deny1(const char *expr, struct pb_det_info *info)
{
	char why[256];

	pb_det_defaults(info);
	if (pb_deny_parse(info, expr, why, sizeof(why)))
		fail_msg("'%s': %s", expr, why);
	return &info->cfg.rule[0];
}

static void deny_rules_compile(void **state)
{
	struct pb_det_info info;
	const struct pb_deny_rule *r;

	(void)state;
	r = deny1("tcp port 23", &info);
	assert_int_equal(r->has, PB_DENY_PORT);
	assert_int_equal(r->port[2], 23);
	assert_int_equal(r->l4, PB_DENY_TCP);
	assert_int_equal(r->family, 0);

	r = deny1("port 53", &info); /* pcap: tcp or udp */
	assert_int_equal(r->l4, PB_DENY_TCP | PB_DENY_UDP);

	r = deny1("src net 10.9.0.0/16 && dst port 22", &info);
	assert_int_equal(r->has, PB_DENY_SNET | PB_DENY_DPORT);
	assert_int_equal(r->family, 4);
	assert_int_equal(r->net[0].addr[0], htonl(0x0a090000));
	assert_int_equal(r->net[0].mask[0], htonl(0xffff0000));

	r = deny1("ip6 dst host 2001:db8::1", &info);
	assert_int_equal(r->has, PB_DENY_DNET);
	assert_int_equal(r->family, 6);
	assert_int_equal(r->net[1].mask[3], 0xffffffff);

	r = deny1("icmp", &info);
	assert_int_equal(r->l4, PB_DENY_ICMP);
	assert_int_equal(r->family, 4);

	r = deny1("tcp and udp", &info); /* matches nothing, as in libpcap */
	assert_true(r->has & PB_DENY_NONE);

	deny1("tcp port 23 || udp port 161 or (tcp dst port 3389 and src net 10.0.0.0/8)", &info);
	assert_int_equal(info.cfg.n_rules, 3);
	assert_string_equal(info.rule_text[2], "tcp dst port 3389 and src net 10.0.0.0/8");

	/* "A and B or C" is "(A and B) or C" in pcap-filter too: accepted */
	deny1("tcp and port 23 or udp", &info);
	assert_int_equal(info.cfg.n_rules, 2);
}

static void deny_refuses_outside_subset(void **state)
{
	static const char *const bad[] = {
		"",
		"tcp port",
		"tcp port 70000",
		"not tcp port 23",
		"tcp port 23 or udp port 161 and src net 10.0.0.0/8", /* pcap reads it otherwise */
		"net 10.0.0.0",                                       /* no prefix length */
		"net 10.1.0.0/8",                                     /* non-network bits */
		"host 10.0.0.0/8",
		"icmp port 1",
		"tcp host 10.0.0.1",
		"ip6 host 10.0.0.1",
		"host example.com",
		"(tcp port 23",
		"tcp port 23 udp",
		"src port 1 and src port 2",
		"portrange 1-100",
	};
	struct pb_det_info info;
	char why[256];
	size_t i;

	(void)state;
	for (i = 0; i < PB_ARRAY_SIZE(bad); i++) {
		pb_det_defaults(&info);
		if (!pb_deny_parse(&info, bad[i], why, sizeof(why)))
			fail_msg("'%s' was accepted", bad[i]);
		assert_true(why[0] != '\0');
	}
	pb_det_defaults(&info);
	for (i = 0; i < PB_DENY_MAX_RULES; i++)
		assert_int_equal(pb_deny_parse(&info, "tcp port 1", why, sizeof(why)), 0);
	assert_int_equal(pb_deny_parse(&info, "tcp port 2", why, sizeof(why)), -1);
}

/* Random sentences from the grammar's words (and some others): each is
 * accepted or refused with a reason, never a crash (ASan runs this too). */
static void deny_survives_random_words(void **state)
{
	static const char *const words[] = {
		"tcp", "udp", "icmp", "icmp6", "ip", "ip6", "src", "dst", "port", "host", "net",
		"and", "or", "&&", "||", "(", ")", "not", "23", "70000", "-1", "10.0.0.0/8",
		"10.0.0.1", "2001:db8::/32", "2001:db8::1", "/", "10.0.0.0/33", "",
	};
	struct pb_det_info info;
	char expr[256], why[256];
	unsigned int seed = 1, i, j, n;

	(void)state;
	for (i = 0; i < 20000; i++) {
		expr[0] = '\0';
		seed = seed * 1103515245 + 12345;
		n = 1 + (seed >> 16) % 12;
		for (j = 0; j < n; j++) {
			seed = seed * 1103515245 + 12345;
			strcat(expr, words[(seed >> 16) % PB_ARRAY_SIZE(words)]);
			strcat(expr, (seed >> 8) & 1 ? " " : "");
		}
		pb_det_defaults(&info);
		why[0] = '\0';
		if (pb_deny_parse(&info, expr, why, sizeof(why)))
			assert_true(why[0] != '\0');
		else
			assert_true(info.cfg.n_rules >= 1 && info.cfg.n_rules <= PB_DENY_MAX_RULES);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_file_applies),
		cmocka_unit_test(bad_files_name_file_line_key),
		cmocka_unit_test(missing_file_is_usage_error),
		cmocka_unit_test(flags_override_file),
		cmocka_unit_test(deny_rules_compile),
		cmocka_unit_test(deny_refuses_outside_subset),
		cmocka_unit_test(deny_survives_random_words),
	};

	pb_log_init(0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
