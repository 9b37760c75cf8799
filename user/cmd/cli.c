// SPDX-License-Identifier: BSD-2-Clause
#include "cli.h"
#include "log.h"
#include "netns.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

int pb_common_opt(const struct pb_cmd *cmd, int opt, struct pb_common *c)
{
	switch (opt) {
	case PB_OPT_HELP:
		fputs(cmd->usage, stdout);
		return -(PB_EXIT_OK + 1);
	case PB_OPT_VERBOSE:
		pb_log_init(pb_verbosity + 1);
		return 1;
	case PB_OPT_NETNS:
		c->netns = optarg;
		return 1;
	case PB_OPT_JSON:
		c->json = true;
		return 1;
	case '?':
		/* getopt already said what was wrong */
		fprintf(stderr, "pktbpf: try 'pktbpf %s --help'\n", cmd->name);
		return -(PB_EXIT_USAGE + 1);
	default:
		return 0;
	}
}

int pb_usage_error(const struct pb_cmd *cmd, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = pb_usage_verr(cmd->name, fmt, ap);
	va_end(ap);
	return r;
}

int pb_common_enter(const struct pb_common *c)
{
	return c->netns ? pb_netns_enter(c->netns) : 0;
}

bool pb_parse_double(const struct pb_cmd *cmd, const char *opt, const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (errno || end == s || *end || !(*out > 0) || *out > 86400.0) {
		pb_usage_error(cmd, "%s: '%s' is not a number of seconds in (0, 86400]", opt, s);
		return false;
	}
	return true;
}

bool pb_parse_uint(const struct pb_cmd *cmd, const char *opt, const char *s, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	/* strtoul skips blanks and takes a sign, so " -1" would be ULONG_MAX. */
	if (errno || !isdigit((unsigned char)*s) || *end || *out == 0) {
		pb_usage_error(cmd, "%s: '%s' is not a positive whole number", opt, s);
		return false;
	}
	return true;
}
