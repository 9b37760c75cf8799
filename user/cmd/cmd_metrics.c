// SPDX-License-Identifier: BSD-2-Clause
#include "cli.h"
#include "log.h"
#include "metrics.h"
#include "outcheck.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
	"Usage: pktbpf metrics [IFACE...] [--netns NAME]\n"
	"\n"
	"Print the counters of the named attached interfaces, or of every attached\n"
	"interface, once, in Prometheus text exposition format 0.0.4 (the families\n"
	"are listed in README.md). 'pktbpf serve' serves the same over HTTP.\n"
	"\n"
	"  --netns NAME   the interfaces are in network namespace NAME (without\n"
	"                 IFACE: every interface attached in NAME)\n"
	"  -v, --verbose  say more\n"
	"  -h, --help     this text\n";

static int add_named(struct pb_scrape *sc, const char *ifname, const char *netns)
{
	struct pb_state s;
	int r = pb_state_open_cli(&s, ifname, netns);

	/* pb_state_open_cli said what was wrong; the scrape opens it on its own. */
	if (r)
		return r;
	pb_state_warn(&s);
	r = pb_scrape_add(sc, &s.t);
	pb_state_close(&s);
	if (r) {
		pb_err(ifname, "%s", strerror(-r));
		return PB_EXIT_FAIL;
	}
	return 0;
}

static int run(int argc, char **argv)
{
	static const struct option longopts[] = {
		PB_COMMON_LONGOPTS,
		{ 0 },
	};
	struct pb_common c = { 0 };
	struct pb_scrape sc = { 0 };
	struct pb_prom p = { 0 };
	int opt, r = 0, i;
	size_t k;

	while ((opt = getopt_long(argc, argv, "hv", longopts, NULL)) != -1) {
		r = pb_common_opt(&pb_cmd_metrics, opt, &c);
		if (r < 0)
			return -r - 1;
	}
	r = 0;
	for (i = optind; i < argc && !r; i++)
		r = add_named(&sc, argv[i], c.netns);
	if (!r && optind == argc) {
		r = pb_scrape_add_all(&sc, c.netns);
		if (r) {
			pb_pin_report(r);
			r = PB_EXIT_FAIL;
		}
	}
	if (!r) {
		pb_scrape_write(&sc, &p);
		if (p.failed) {
			pb_err("metrics", "out of memory");
			r = PB_EXIT_FAIL;
		} else {
			fwrite(p.buf, 1, p.len, stdout);
			pb_out_failed(); /* notes why, for main's message */
		}
	}
	for (k = 0; !r && k < sc.n; k++) {
		if (sc.dev[k]->read_err) {
			pb_err(sc.dev[k]->st.t.ifname, "cannot read counters: %s",
			       strerror(-sc.dev[k]->read_err));
			r = PB_EXIT_FAIL;
		}
	}
	pb_scrape_free(&sc);
	pb_prom_free(&p);
	return r;
}

const struct pb_cmd pb_cmd_metrics = { "metrics", run, usage,
				       "Prometheus text exposition of the counters, once" };
