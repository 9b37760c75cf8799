// SPDX-License-Identifier: BSD-2-Clause
#include "attach.h"
#include "cli.h"
#include "log.h"
#include "pin.h"

#include <stdio.h>

static const char usage[] =
	"Usage: pktbpf detach IFACE [--netns NAME] | --all\n"
	"\n"
	"Remove pktbpf from IFACE: its programs, links and pins. The interface is\n"
	"left exactly as pktbpf found it. Also cleans up after an interrupted\n"
	"attach or an interface that was deleted while attached.\n"
	"\n"
	"  --all          detach from every interface (see 'pktbpf status')\n"
	"  --netns NAME   IFACE is in network namespace NAME\n"
	"  -v, --verbose  say more\n"
	"  -h, --help     this text\n";

enum { OPT_ALL = PB_OPT_FIRST_PRIVATE };

static int run(int argc, char **argv)
{
	static const struct option longopts[] = {
		PB_COMMON_LONGOPTS,
		{ "all", no_argument, NULL, OPT_ALL },
		{ 0 },
	};
	struct pb_common c = { 0 };
	int opt, r, all = 0;

	while ((opt = getopt_long(argc, argv, "hv", longopts, NULL)) != -1) {
		r = pb_common_opt(&pb_cmd_detach, opt, &c);
		if (r < 0)
			return -r - 1;
		if (opt == OPT_ALL)
			all = 1;
	}
	if (all) {
		if (optind != argc || c.netns)
			return pb_usage_error(&pb_cmd_detach, "--all takes no interface or --netns");
		if (pb_bpffs_ensure())
			return PB_EXIT_FAIL;
		return pb_detach_all();
	}
	if (optind + 1 != argc)
		return pb_usage_error(&pb_cmd_detach, optind == argc ? "which interface? (or --all)"
								     : "one interface at a time");
	if (pb_bpffs_ensure())
		return PB_EXIT_FAIL;
	/* A namespace deleted with the interface in it must not block cleanup. */
	if (c.netns && pb_common_enter(&c))
		fprintf(stderr, "pktbpf: detach: removing the pins anyway\n");
	return pb_detach(argv[optind], c.netns);
}

const struct pb_cmd pb_cmd_detach = { "detach", run, usage,
				      "remove pktbpf from an interface (or --all)" };
