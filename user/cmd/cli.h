/* SPDX-License-Identifier: BSD-2-Clause */
/* Subcommands and the option handling they share. */
#ifndef PB_CLI_H
#define PB_CLI_H

#include <getopt.h>
#include <stdbool.h>

struct pb_cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;   /* full --help text */
	const char *summary; /* one line for `pktbpf --help` */
};

extern const struct pb_cmd pb_cmd_attach, pb_cmd_detach, pb_cmd_status, pb_cmd_stats;
extern const struct pb_cmd pb_cmd_read;
extern const struct pb_cmd pb_cmd_flows, pb_cmd_watch;
extern const struct pb_cmd pb_cmd_alerts;
extern const struct pb_cmd pb_cmd_metrics, pb_cmd_serve;
extern const struct pb_cmd pb_cmd_filter;
extern const struct pb_cmd pb_cmd_top, pb_cmd_report;

/* Options every command takes; OPT_* values sit above any short option. */
enum {
	PB_OPT_HELP = 'h',
	PB_OPT_VERBOSE = 'v',
	PB_OPT_NETNS = 0x100,
	PB_OPT_JSON,
	PB_OPT_FIRST_PRIVATE, /* commands number their own long options from here */
};

#define PB_COMMON_LONGOPTS                                      \
	{ "help", no_argument, NULL, PB_OPT_HELP },             \
	{ "verbose", no_argument, NULL, PB_OPT_VERBOSE },       \
	{ "netns", required_argument, NULL, PB_OPT_NETNS }

struct pb_common {
	const char *netns;
	bool json;
};

/*
 * Handle an option every command shares. Returns 1 when handled, 0 when not
 * one of them, or -(PB_EXIT_* + 1) when the command must end with that code
 * (after --help, or a bad option).
 */
int pb_common_opt(const struct pb_cmd *cmd, int opt, struct pb_common *c);

/* Print "pktbpf: CMD: why" and the usage hint; returns PB_EXIT_USAGE. */
int pb_usage_error(const struct pb_cmd *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Enter --netns if one was given; 0 or a PB_EXIT_* code. */
int pb_common_enter(const struct pb_common *c);

/* Parse a positive number option; false (after an error) if it is not one. */
bool pb_parse_double(const struct pb_cmd *cmd, const char *opt, const char *s, double *out);
bool pb_parse_uint(const struct pb_cmd *cmd, const char *opt, const char *s, unsigned long *out);

#endif /* PB_CLI_H */
