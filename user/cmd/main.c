// SPDX-License-Identifier: BSD-2-Clause
/* pktbpf: dispatch to a subcommand. */
#include "bpf_log.h"
#include "cli.h"
#include "log.h"
#include "outcheck.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#ifndef PKTBPF_VERSION
#define PKTBPF_VERSION "0.1.0"
#endif

static const struct pb_cmd *const commands[] = {
	&pb_cmd_attach,
	&pb_cmd_detach,
	&pb_cmd_status,
	&pb_cmd_stats,
	&pb_cmd_read,
	&pb_cmd_flows,
	&pb_cmd_watch,
	&pb_cmd_metrics,
	&pb_cmd_serve,
	&pb_cmd_filter,
	&pb_cmd_alerts,
	&pb_cmd_top,
	&pb_cmd_report,
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: pktbpf [-v] COMMAND [ARGS...]\n\n"
		   "A network packet analyzer whose hot path runs in the kernel (XDP and tc).\n\n"
		   "Commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
	fprintf(f, "\n'pktbpf COMMAND --help' explains a command. --version prints the version.\n"
		   "Exit status: 0 success, 1 runtime failure, 2 bad usage or bad input.\n");
}

static int dispatch(int argc, char **argv)
{
	int verbosity = 0;
	char prog[64];
	size_t i;

	while (argc > 1 && (!strcmp(argv[1], "-v") || !strcmp(argv[1], "-vv") ||
			    !strcmp(argv[1], "--verbose"))) {
		verbosity += !strcmp(argv[1], "-vv") ? 2 : 1;
		argv++, argc--;
	}
	pb_log_init(verbosity);
	pb_libbpf_log_init();
	if (argc < 2) {
		usage(stderr);
		return PB_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return PB_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("pktbpf %s\n", PKTBPF_VERSION);
		return PB_EXIT_OK;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i]->name))
			continue;
		/* getopt prefixes its messages with argv[0]: make them read
		 * "pktbpf: attach: unrecognized option ...", as every error does. */
		snprintf(prog, sizeof(prog), "pktbpf: %s", commands[i]->name);
		argv[1] = prog;
		return commands[i]->run(argc - 1, argv + 1);
	}
	fprintf(stderr, "pktbpf: '%s' is not a command\n", argv[1]);
	fprintf(stderr, "pktbpf: try 'pktbpf --help'\n");
	return PB_EXIT_USAGE;
}

int main(int argc, char **argv)
{
	/* A reader that closed the pipe shows as EPIPE, not as death mid-record. */
	signal(SIGPIPE, SIG_IGN);
	/* Every command's output, --help included, is checked here once. */
	return pb_out_finish(dispatch(argc, argv));
}
