// SPDX-License-Identifier: BSD-2-Clause
#include "cli.h"
#include "log.h"
#include "pin.h"
#include "state.h"
#include "stats.h"
#include "units.h"
#include "outcheck.h"
#include "utf8.h"

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

struct listing {
	json_t *arr; /* --json: the attachments */
	size_t n;    /* text: the rows printed */
};

/* Text prints each row here, the names as they are; JSON escapes them (utf8.h). */
static int add_one(const struct pb_target *t, void *ctx)
{
	struct listing *l = ctx;
	struct pb_state s;
	char since[32] = "";

	if (pb_state_open(&s, t))
		return 0;
	pb_state_close(&s);
	if (s.info.attach_time_ns)
		pb_format_time(since, sizeof(since), s.info.attach_time_ns);
	if (!l->arr) {
		if (!l->n++)
			printf("%-16s %-12s %-15s %-8s %-7s %8s %8s  %s\n", "INTERFACE", "NETNS",
			       "STATE", "XDP", "EGRESS", "XDP ID", "TC ID", "SINCE");
		printf("%-16s %-12s %-15s %-8s %-7s %8u %8u  %s\n", t->ifname,
		       t->netns[0] ? t->netns : "-", pb_health_str(s.health),
		       pb_mode_str(s.info.xdp_mode), s.info.flags & PB_ATTACH_EGRESS ? "tcx" : "no",
		       (unsigned)s.info.xdp_prog_id, (unsigned)s.info.tc_prog_id, since);
		return 0;
	}
	json_array_append_new(
		l->arr, json_pack("{s:o,s:o,s:s,s:s,s:b,s:i,s:i,s:i,s:s}", "interface",
			       pb_json_str(t->ifname), "netns",
			       pb_json_str(t->netns[0] ? t->netns : NULL), "state",
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
	struct listing l = { 0 };
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

	if (c.json)
		l.arr = json_array();
	r = pb_target_foreach(add_one, &l, PB_FOREACH_WARN);
	if (r < 0) {
		pb_pin_report(r);
		json_decref(l.arr);
		return PB_EXIT_FAIL;
	}
	if (c.json)
		pb_out_json(json_pack("{s:o}", "attachments", l.arr),
			    JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	else if (!l.n)
		printf("pktbpf is not attached to any interface\n");
	return PB_EXIT_OK;
}

const struct pb_cmd pb_cmd_status = { "status", run, usage, "list attached interfaces" };
