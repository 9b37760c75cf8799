// SPDX-License-Identifier: BSD-2-Clause
#include "cli.h"
#include "httpd.h"
#include "log.h"
#include "metrics.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
	"Usage: pktbpf serve [--listen ADDR:PORT]\n"
	"\n"
	"Serve the counters of every attached interface over HTTP for Prometheus:\n"
	"GET /metrics answers what 'pktbpf metrics' prints, read afresh for each\n"
	"scrape, so interfaces attached or detached later come and go by themselves.\n"
	"Runs until SIGINT or SIGTERM.\n"
	"\n"
	"  --listen ADDR:PORT  where to listen (default " PB_HTTPD_DEFAULT_LISTEN ");\n"
	"                 [IPV6]:PORT for IPv6; port 0 picks a free port. Anything\n"
	"                 but loopback exposes the counters to the network (serve\n"
	"                 warns).\n"
	"  -v, --verbose  say more; -vv adds the HTTP server's log\n"
	"  -h, --help     this text\n";

enum { OPT_LISTEN = PB_OPT_FIRST_PRIVATE };

static void print_serving(const struct sockaddr_storage *a, unsigned port)
{
	char host[INET6_ADDRSTRLEN] = "?";
	bool v6 = a->ss_family == AF_INET6;

	inet_ntop(a->ss_family,
		  v6 ? (const void *)&((const struct sockaddr_in6 *)a)->sin6_addr
		     : (const void *)&((const struct sockaddr_in *)a)->sin_addr,
		  host, sizeof(host));
	/* Always said: with port 0 it is the only way to learn the port. */
	fprintf(stderr, "pktbpf: serving http://%s%s%s:%u/metrics\n", v6 ? "[" : "", host,
		v6 ? "]" : "", port);
}

/* Only 127.0.0.0/8 and ::1 keep the counters on this host. */
static bool is_loopback(const struct sockaddr_storage *a)
{
	if (a->ss_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)a)->sin_addr.s_addr) >> 24) == 127;
	return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)a)->sin6_addr);
}

/* A scrape before serving: fail now, with the reason, if none can work. */
static int check_scrape(void)
{
	struct pb_scrape sc = { 0 };
	struct pb_prom p = { 0 };
	int err = pb_scrape_render(&sc, &p);

	pb_scrape_free(&sc);
	pb_prom_free(&p);
	if (err) {
		pb_pin_report(err);
		return PB_EXIT_FAIL;
	}
	return 0;
}

static int run(int argc, char **argv)
{
	static const struct option longopts[] = {
		PB_COMMON_LONGOPTS,
		{ "listen", required_argument, NULL, OPT_LISTEN },
		{ 0 },
	};
	const char *listen = PB_HTTPD_DEFAULT_LISTEN;
	struct pb_common c = { 0 };
	struct sockaddr_storage addr;
	struct pb_httpd *h;
	sigset_t stop, old;
	int opt, r, sig;

	while ((opt = getopt_long(argc, argv, "hv", longopts, NULL)) != -1) {
		r = pb_common_opt(&pb_cmd_serve, opt, &c);
		if (r < 0)
			return -r - 1;
		if (opt == OPT_LISTEN)
			listen = optarg;
	}
	if (optind != argc)
		return pb_usage_error(&pb_cmd_serve, "unexpected argument '%s'", argv[optind]);
	if (c.netns)
		return pb_usage_error(&pb_cmd_serve, "--netns: serve exports every namespace");
	if (pb_listen_parse(listen, &addr))
		return pb_usage_error(&pb_cmd_serve,
				      "--listen: '%s' is not IPV4:PORT or [IPV6]:PORT", listen);
	r = check_scrape();
	if (r)
		return r;

	/* Blocked before the server's thread starts, so that it inherits the mask
	 * and the signals come to sigwait below. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, &old);
	signal(SIGPIPE, SIG_IGN); /* a client gone mid-answer is no reason to die */
	h = pb_httpd_start(&addr);
	if (!h) {
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		return PB_EXIT_FAIL;
	}
	print_serving(&addr, pb_httpd_port(h));
	if (!is_loopback(&addr))
		pb_warn("--listen", "%s is not loopback: what this host talks to is exposed to "
				    "anyone who can reach that address", listen);
	while (sigwait(&stop, &sig))
		;
	pb_info("%s: stopping", strsignal(sig));
	pb_httpd_stop(h);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return PB_EXIT_OK;
}

const struct pb_cmd pb_cmd_serve = { "serve", run, usage,
				     "HTTP /metrics of every attached interface, for Prometheus" };
