// SPDX-License-Identifier: BSD-2-Clause
#include "cli.h"
#include "log.h"
#include "pin.h"
#include "state.h"
#include "stats.h"
#include "units.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <jansson.h>

static const char usage[] =
	"Usage: pktbpf status [--json]\n"
	"\n"
	"List the interfaces pktbpf is attached to: XDP mode, program ids, egress,\n"
	"since when, and whether the attachment is healthy.\n"
	"\n"
	"  --json         one JSON document: {\"attachments\": [...]}\n"
	"  -v, --verbose  say more\n"
	"  -h, --help     this text\n";

static int add_one(const struct pb_target *t, void *ctx)
{
	json_t *arr = ctx;
	struct pb_state s;
	char since[32] = "";

	if (pb_state_open(&s, t))
		return 0;
	pb_state_close(&s);
	if (s.info.attach_time_ns)
		pb_format_time(since, sizeof(since), s.info.attach_time_ns);
	json_array_append_new(
		arr, json_pack("{s:s,s:s?,s:s,s:s,s:b,s:i,s:i,s:i,s:s}", "interface", t->ifname,
			       "netns", t->netns[0] ? t->netns : NULL, "state",
			       pb_health_str(s.health), "xdp_mode", pb_mode_str(s.info.xdp_mode),
			       "egress", !!(s.info.flags & PB_ATTACH_EGRESS), "ifindex",
			       (int)s.info.ifindex, "xdp_prog_id", (int)s.info.xdp_prog_id,
			       "tc_prog_id", (int)s.info.tc_prog_id, "attached_since", since));
	return 0;
}

static int run(int argc, char **argv)
{
	static const struct option longopts[] = {
		PB_COMMON_LONGOPTS,
		{ "json", no_argument, NULL, PB_OPT_JSON },
		{ 0 },
	};
	struct pb_common c = { 0 };
	json_t *arr, *doc, *a;
	size_t i;
	int opt, r;

	while ((opt = getopt_long(argc, argv, "hv", longopts, NULL)) != -1) {
		r = pb_common_opt(&pb_cmd_status, opt, &c);
		if (r < 0)
			return -r - 1;
	}
	if (optind != argc)
		return pb_usage_error(&pb_cmd_status, "unexpected argument '%s'", argv[optind]);
	if (c.netns)
		return pb_usage_error(&pb_cmd_status, "--netns: status lists every namespace");

	arr = json_array();
	r = pb_target_foreach(add_one, arr, PB_FOREACH_WARN);
	if (r < 0) {
		pb_pin_report(r);
		json_decref(arr);
		return PB_EXIT_FAIL;
	}
	if (c.json) {
		doc = json_pack("{s:o}", "attachments", arr);
		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(doc);
		return PB_EXIT_OK;
	}
	if (!json_array_size(arr))
		printf("pktbpf is not attached to any interface\n");
	else
		printf("%-16s %-12s %-15s %-8s %-7s %8s %8s  %s\n", "INTERFACE", "NETNS", "STATE",
		       "XDP", "EGRESS", "XDP ID", "TC ID", "SINCE");
	json_array_foreach(arr, i, a) {
		const char *ns = json_string_value(json_object_get(a, "netns"));

		printf("%-16s %-12s %-15s %-8s %-7s %8lld %8lld  %s\n",
		       json_string_value(json_object_get(a, "interface")), ns ? ns : "-",
		       json_string_value(json_object_get(a, "state")),
		       json_string_value(json_object_get(a, "xdp_mode")),
		       json_is_true(json_object_get(a, "egress")) ? "tcx" : "no",
		       json_integer_value(json_object_get(a, "xdp_prog_id")),
		       json_integer_value(json_object_get(a, "tc_prog_id")),
		       json_string_value(json_object_get(a, "attached_since")));
	}
	json_decref(arr);
	return PB_EXIT_OK;
}

const struct pb_cmd pb_cmd_status = { "status", run, usage, "list attached interfaces" };
