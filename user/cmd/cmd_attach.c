// SPDX-License-Identifier: BSD-2-Clause
#include "attach.h"
#include "capture_cfg.h"
#include "cli.h"
#include "detect_cfg.h"
#include "filter_live.h"
#include "filter_prog.h"
#include "log.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
	"Usage: pktbpf attach IFACE [--mode auto|native|generic] [--no-egress]\n"
	"                           [--flows N] [--sample N] [--snaplen BYTES]\n"
	"                           [--ring-size BYTES] [--filter EXPR]\n"
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
	"                 (counters restart; its XDP mode stays: another --mode is\n"
	"                 refused)\n"
	"  --force        replace another tool's XDP program on IFACE\n"
	"  --flows N      flow table size (default 16384; least recently used\n"
	"                 flows are evicted, and counted, when it is full); 0: none\n"
	"  --sample N     copy 1 in N packets to the ring buffer for 'pktbpf watch'\n"
	"                 (default 0: none)\n"
	"  --snaplen BYTES  bytes kept of each sampled packet (default 256)\n"
	"  --ring-size BYTES  samples ring buffer size, a power of two of at least\n"
	"                 a page (default 4 MiB)\n"
	"  --filter EXPR  capture filter in tcpdump's language (man 7 pcap-filter):\n"
	"                 only matching packets are sampled (every one of them\n"
	"                 unless --sample says 1 in N) and counted in\n"
	"                 filter_matched; all other counters see every packet.\n"
	"                 'pktbpf filter' changes it later. --replace without it\n"
	"                 drops the filter\n"
	"  --netns NAME   IFACE is in network namespace NAME (see 'ip netns')\n"
	PB_DETECT_USAGE
	"  -v, --verbose  say more; -vv adds libbpf's and the verifier's log\n"
	"  -h, --help     this text\n";

enum {
	OPT_MODE = PB_OPT_FIRST_PRIVATE,
	OPT_NO_EGRESS,
	OPT_REPLACE,
	OPT_FORCE,
	OPT_FLOWS,
	OPT_SAMPLE,
	OPT_SNAPLEN,
	OPT_RING_SIZE,
	OPT_FILTER,
};

/* --flows, --sample, --snaplen, --ring-size; 0 or PB_EXIT_USAGE. */
static int pb_capture_opt(int opt, struct pb_attach_opts *o)
{
	static const char *const names[] = { "--flows", "--sample", "--snaplen", "--ring-size" };
	unsigned long n;

	if (opt == OPT_SAMPLE && !strcmp(optarg, "0")) {
		o->sample_every = 0;
		return 0;
	}
	if (opt == OPT_FLOWS && !strcmp(optarg, "0")) {
		o->no_flows = true;
		return 0;
	}
	if (!pb_parse_uint(&pb_cmd_attach, names[opt - OPT_FLOWS], optarg, &n))
		return PB_EXIT_USAGE;
	switch (opt) {
	case OPT_FLOWS:
		if (n > (1u << 24))
			return pb_usage_error(&pb_cmd_attach, "--flows: at most %u", 1u << 24);
		o->flow_entries = n;
		break;
	case OPT_SAMPLE:
		if (n > 0xffffffffu)
			return pb_usage_error(&pb_cmd_attach, "--sample: at most %u", 0xffffffffu);
		o->sample_every = n;
		break;
	case OPT_SNAPLEN:
		if (n > PB_SNAPLEN_MAX)
			return pb_usage_error(&pb_cmd_attach, "--snaplen: at most %u", PB_SNAPLEN_MAX);
		o->snaplen = n;
		break;
	case OPT_RING_SIZE:
		if (!pb_ring_size_valid(n))
			return pb_usage_error(&pb_cmd_attach,
					      "--ring-size: '%s' is not a power of two from a page "
					      "size up to 1 GiB",
					      optarg);
		o->sample_ring_bytes = n;
		break;
	}
	return 0;
}

static int run(int argc, char **argv)
{
	static const struct option longopts[] = {
		PB_COMMON_LONGOPTS,
		{ "mode", required_argument, NULL, OPT_MODE },
		{ "no-egress", no_argument, NULL, OPT_NO_EGRESS },
		{ "replace", no_argument, NULL, OPT_REPLACE },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "flows", required_argument, NULL, OPT_FLOWS },
		{ "sample", required_argument, NULL, OPT_SAMPLE },
		{ "snaplen", required_argument, NULL, OPT_SNAPLEN },
		{ "ring-size", required_argument, NULL, OPT_RING_SIZE },
		{ "filter", required_argument, NULL, OPT_FILTER },
		PB_DETECT_LONGOPTS,
		{ 0 },
	};
	struct pb_attach_opts o = { .mode = PB_MODE_AUTO, .egress = true };
	struct pb_common c = { 0 };
	struct pb_det_flags det = { 0 };
	struct pb_det_info det_info;
	bool sample_set = false;
	int opt, r;

	while ((opt = getopt_long(argc, argv, "hv", longopts, NULL)) != -1) {
		r = pb_common_opt(&pb_cmd_attach, opt, &c);
		if (r < 0)
			return -r - 1;
		if (r)
			continue;
		r = pb_det_flag(pb_cmd_attach.name, opt, optarg, &det);
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
		case OPT_FILTER:
			o.filter = optarg;
			break;
		case OPT_SAMPLE:
			sample_set = true;
			r = pb_capture_opt(opt, &o);
			if (r)
				return r;
			break;
		default:
			r = pb_capture_opt(opt, &o);
			if (r)
				return r;
		}
	}
	if (optind + 1 != argc)
		return pb_usage_error(&pb_cmd_attach, optind == argc ? "which interface?"
								     : "one interface at a time");
	/* A capture filter is there to see what it matches: all of it, unless
	 * --sample says otherwise. */
	if (o.filter && !sample_set)
		o.sample_every = 1;
	if (o.sample_every && (o.sample_ring_bytes ? o.sample_ring_bytes : PB_SAMPLE_RING_DEFAULT) <
				      2 * (sizeof(struct pb_sample) + 8 +
					   (o.snaplen ? o.snaplen : PB_SNAPLEN_DEFAULT)))
		return pb_usage_error(&pb_cmd_attach,
				      "--ring-size: too small for two samples of --snaplen bytes");
	r = pb_det_build(pb_cmd_attach.name, &det, &det_info);
	if (r)
		return r;
	o.detect = &det_info;
	o.ifname = argv[optind];
	o.netns = c.netns;
	/* A bad expression is bad usage: said before anything is loaded. */
	if (o.filter && (r = pb_filter_check(o.filter)))
		return r;
	r = pb_common_enter(&c);
	return r ? r : pb_attach(&o);
}

const struct pb_cmd pb_cmd_attach = { "attach", run, usage,
				      "load and attach to an interface, then exit" };
