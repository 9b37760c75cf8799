// SPDX-License-Identifier: BSD-2-Clause
#include "cli.h"
#include "flows.h"
#include "flows_fmt.h"
#include "log.h"
#include "outcheck.h"
#include "state.h"
#include "utf8.h"

#include <errno.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"Usage: pktbpf flows IFACE [--top N] [--sort bytes|packets|duration] [--json]\n"
	"                          [--netns NAME]\n"
	"\n"
	"The connections in an attached interface's flow table: both directions of\n"
	"a connection as one flow (IP version, protocol, addresses, ports, VLAN),\n"
	"packets and bytes each way, first and last seen, TCP flags, ended (FIN or\n"
	"RST seen). The initiator is the end that sent the first packet seen.\n"
	"\n"
	"  --top N        show the N largest flows (default: all)\n"
	"  --sort KEY     bytes (default), packets or duration\n"
	"  --json         one JSON document (field names in README.md)\n"
	"  --netns NAME   IFACE is in network namespace NAME\n"
	"  -v, --verbose  say more\n"
	"  -h, --help     this text\n";

enum { OPT_TOP = PB_OPT_FIRST_PRIVATE, OPT_SORT };

static int run(int argc, char **argv)
{
	static const struct option longopts[] = {
		PB_COMMON_LONGOPTS,
		{ "json", no_argument, NULL, PB_OPT_JSON },
		{ "top", required_argument, NULL, OPT_TOP },
		{ "sort", required_argument, NULL, OPT_SORT },
		{ 0 },
	};
	struct pb_common c = { 0 };
	struct pb_flow_list l;
	struct pb_state s;
	unsigned long top = 0;
	int opt, r, sort = PB_SORT_BYTES;

	while ((opt = getopt_long(argc, argv, "hv", longopts, NULL)) != -1) {
		r = pb_common_opt(&pb_cmd_flows, opt, &c);
		if (r < 0)
			return -r - 1;
		if (opt == OPT_TOP && !pb_parse_uint(&pb_cmd_flows, "--top", optarg, &top))
			return PB_EXIT_USAGE;
		if (opt == OPT_SORT && (sort = pb_flow_sort_parse(optarg)) < 0)
			return pb_usage_error(&pb_cmd_flows,
					      "--sort: '%s' is not bytes, packets or duration", optarg);
	}
	if (optind + 1 != argc)
		return pb_usage_error(&pb_cmd_flows, optind == argc ? "which interface?"
								    : "one interface at a time");
	r = pb_common_enter(&c);
	if (r)
		return r;
	r = pb_state_open_cli(&s, argv[optind], c.netns);
	if (r)
		return r;
	pb_state_warn(&s);
	if (pb_flows_of(&s, &l)) {
		pb_state_close(&s);
		return PB_EXIT_FAIL;
	}
	pb_flows_sort(&l, sort);
	if (c.json) {
		json_t *doc = pb_flows_json(&l, top);

		json_object_set_new(doc, "interface", pb_json_str(s.t.ifname));
		pb_out_json(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	} else {
		pb_flows_print(stdout, &l, top);
	}
	pb_flow_list_free(&l);
	r = s.health == PB_HEALTH_OK ? PB_EXIT_OK : PB_EXIT_FAIL;
	pb_state_close(&s);
	return r;
}

const struct pb_cmd pb_cmd_flows = { "flows", run, usage,
				     "connections in the flow table of an interface" };
