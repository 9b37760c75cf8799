// SPDX-License-Identifier: BSD-2-Clause
#include "cli.h"
#include "filter_compile.h"
#include "filter_live.h"
#include "filter_prog.h"
#include "log.h"
#include "outcheck.h"
#include "pin.h"
#include "state.h"
#include "stats.h"
#include "units.h"
#include "utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

static const char usage[] =
	"Usage: pktbpf filter IFACE [EXPR... | --clear] [--json] [--netns NAME] [-v]\n"
	"\n"
	"Set, change or clear the capture filter of an attached interface without\n"
	"detaching. EXPR is tcpdump's filter language (man 7 pcap-filter), as one\n"
	"argument or as several (joined with spaces, as tcpdump does); put '--'\n"
	"before an expression that starts with '-'. The change is atomic: each\n"
	"packet is judged by the old filter or by the new one, never by a mix.\n"
	"Only matching packets are sampled for 'pktbpf watch' and counted in\n"
	"filter_matched; every other counter still sees all packets.\n"
	"Without EXPR or --clear, print the filter in force.\n"
	"\n"
	"  --clear        remove the filter\n"
	"  --json         print the filter in force as JSON (field names in README.md)\n"
	"  --netns NAME   IFACE is in network namespace NAME\n"
	"  -v, --verbose  say more; with it, a filter the verifier refuses comes\n"
	"                 with the verifier's log\n"
	"  -h, --help     this text\n";

enum { OPT_CLEAR = PB_OPT_FIRST_PRIVATE };

static int show(const struct pb_state *s, bool json)
{
	struct pb_filter_info fi;
	char since[32] = "";
	int err = pb_filter_read(&s->t, &fi);

	if (err) {
		pb_err(s->t.ifname, "cannot read the filter record: %s", strerror(-err));
		return PB_EXIT_FAIL;
	}
	if (fi.set_time_ns)
		pb_format_time(since, sizeof(since), fi.set_time_ns);
	if (json) {
		json_t *o = json_pack("{s:o,s:o,s:o,s:s?,s:i,s:i}", "interface",
				      pb_json_str(s->t.ifname), "netns",
				      pb_json_str(s->t.netns[0] ? s->t.netns : NULL), "filter",
				      pb_json_str(fi.expr[0] ? fi.expr : NULL), "since",
				      fi.expr[0] ? since : NULL, "classic_instructions",
				      (int)fi.cbpf_insns, "ebpf_instructions", (int)fi.ebpf_insns);

		pb_out_json(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	} else if (fi.expr[0]) {
		printf("%s: filter '%s' since %s (%u classic, %u eBPF instructions)\n",
		       s->t.ifname, fi.expr, since, fi.cbpf_insns, fi.ebpf_insns);
	} else {
		printf("%s: no filter\n", s->t.ifname);
	}
	return PB_EXIT_OK;
}

static int change(const struct pb_state *s, const char *expr)
{
	struct pb_filter_info old;
	struct pb_filter_maps m;
	int r;

	r = pb_filter_maps_open(&s->t, &m);
	if (r)
		return r;
	r = pb_filter_apply(&m, expr, pb_iface_netmask(s->t.ifname), &old);
	pb_filter_maps_close(&m);
	if (r)
		return r;
	if (expr)
		printf("%s: filter '%s'", s->t.ifname, expr);
	else
		printf("%s: filter cleared", s->t.ifname);
	if (old.expr[0])
		printf(" (was '%s')", old.expr);
	printf("\n");
	return PB_EXIT_OK;
}

/* tcpdump's way: the words after the interface, joined with spaces. */
static char *join(int argc, char **argv)
{
	size_t len = 1;
	char *s;
	int i;

	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = calloc(1, len);
	for (i = 0; s && i < argc; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

static int run(int argc, char **argv)
{
	static const struct option longopts[] = {
		PB_COMMON_LONGOPTS,
		{ "json", no_argument, NULL, PB_OPT_JSON },
		{ "clear", no_argument, NULL, OPT_CLEAR },
		{ 0 },
	};
	struct pb_common c = { 0 };
	struct pb_state s;
	bool clear = false;
	char *expr = NULL;
	int opt, r, lock;

	while ((opt = getopt_long(argc, argv, "hv", longopts, NULL)) != -1) {
		r = pb_common_opt(&pb_cmd_filter, opt, &c);
		if (r < 0)
			return -r - 1;
		if (opt == OPT_CLEAR)
			clear = true;
	}
	if (optind == argc)
		return pb_usage_error(&pb_cmd_filter, "which interface?");
	if (clear && optind + 1 < argc)
		return pb_usage_error(&pb_cmd_filter, "--clear or an expression, not both");
	if (c.json && (clear || optind + 1 < argc))
		return pb_usage_error(&pb_cmd_filter, "--json prints the filter; it changes none");
	if (optind + 1 < argc) {
		expr = join(argc - optind - 1, argv + optind + 1);
		if (!expr)
			return PB_EXIT_FAIL;
		/* Bad expressions are bad usage, found before any lookup. */
		r = pb_filter_check(expr);
		if (r)
			goto out;
	}
	r = pb_common_enter(&c);
	if (r)
		goto out;
	lock = pb_pin_lock();
	if (lock < 0) {
		r = PB_EXIT_FAIL;
		goto out;
	}
	r = pb_state_open_cli(&s, argv[optind], c.netns);
	if (!r) {
		pb_state_close(&s);
		pb_state_warn(&s);
		if (expr || clear)
			r = s.health == PB_HEALTH_OK ? change(&s, expr) : PB_EXIT_FAIL;
		else
			r = show(&s, c.json);
	}
	pb_pin_unlock(lock);
out:
	free(expr);
	return r;
}

const struct pb_cmd pb_cmd_filter = { "filter", run, usage,
				      "set, change or clear the capture filter of an interface" };
