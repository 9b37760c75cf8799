// SPDX-License-Identifier: BSD-2-Clause
#include "attach.h"
#include "cli.h"
#include "detect_cfg.h"
#include "log.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
	"Usage: pktbpf attach IFACE [--mode auto|native|generic] [--no-egress]\n"
	"                           [--replace] [--force] [--netns NAME] [-v]\n"
	"                           [--config FILE] [--deny EXPR] [--detectors LIST]\n"
	"                           [--threshold TYPE=N] [--window TYPE=DURATION]\n"
	"\n"
	"Load pktbpf's programs, attach XDP to IFACE's ingress and tcx to its egress,\n"
	"pin everything under /sys/fs/bpf/pktbpf, and exit. Counting goes on until\n"
	"'pktbpf detach IFACE'. Traffic is never dropped, altered or delayed.\n"
	"\n"
	"  --mode MODE    XDP mode: native (in the driver), generic (in the stack),\n"
	"                 or auto (native where the driver supports it; default)\n"
	"  --no-egress    count ingress only (no tcx program)\n"
	"  --replace      swap the programs of an existing attachment atomically\n"
	"                 (counters restart)\n"
	"  --force        replace another tool's XDP program on IFACE\n"
	"  --netns NAME   IFACE is in network namespace NAME (see 'ip netns')\n"
	PB_DETECT_USAGE
	"  -v, --verbose  say more; -vv adds libbpf's and the verifier's log\n"
	"  -h, --help     this text\n";

enum { OPT_MODE = PB_OPT_FIRST_PRIVATE, OPT_NO_EGRESS, OPT_REPLACE, OPT_FORCE };

static int run(int argc, char **argv)
{
	static const struct option longopts[] = {
		PB_COMMON_LONGOPTS,
		{ "mode", required_argument, NULL, OPT_MODE },
		{ "no-egress", no_argument, NULL, OPT_NO_EGRESS },
		{ "replace", no_argument, NULL, OPT_REPLACE },
		{ "force", no_argument, NULL, OPT_FORCE },
		PB_DETECT_LONGOPTS,
		{ 0 },
	};
	struct pb_attach_opts o = { .mode = PB_MODE_AUTO, .egress = true };
	struct pb_common c = { 0 };
	struct pb_det_flags det = { 0 };
	struct pb_det_info det_info;
	int opt, r;

	while ((opt = getopt_long(argc, argv, "hv", longopts, NULL)) != -1) {
		r = pb_common_opt(&pb_cmd_attach, opt, &c);
		if (r < 0)
			return -r - 1;
		if (r)
			continue;
		r = pb_det_flag(&pb_cmd_attach, opt, optarg, &det);
		if (r < 0)
			return -r - 1;
		if (r)
			continue;
		switch (opt) {
		case OPT_MODE:
			if (!strcmp(optarg, "auto"))
				o.mode = PB_MODE_AUTO;
			else if (!strcmp(optarg, "native"))
				o.mode = PB_MODE_NATIVE;
			else if (!strcmp(optarg, "generic"))
				o.mode = PB_MODE_GENERIC;
			else
				return pb_usage_error(&pb_cmd_attach,
						      "--mode: '%s' is not auto, native or generic",
						      optarg);
			break;
		case OPT_NO_EGRESS:
			o.egress = false;
			break;
		case OPT_REPLACE:
			o.replace = true;
			break;
		case OPT_FORCE:
			o.force = true;
			break;
		}
	}
	if (optind + 1 != argc)
		return pb_usage_error(&pb_cmd_attach, optind == argc ? "which interface?"
								     : "one interface at a time");
	r = pb_det_build(&pb_cmd_attach, &det, &det_info);
	if (r)
		return r;
	o.detect = &det_info;
	o.ifname = argv[optind];
	o.netns = c.netns;
	r = pb_common_enter(&c);
	return r ? r : pb_attach(&o);
}

const struct pb_cmd pb_cmd_attach = { "attach", run, usage,
				      "load and attach to an interface, then exit" };
