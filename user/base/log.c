// SPDX-License-Identifier: BSD-2-Clause
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

int pb_verbosity;

void pb_log_init(int verbosity)
{
	pb_verbosity = verbosity;
}

static void vmsg(const char *prefix, const char *fmt, va_list ap)
{
	fprintf(stderr, "pktbpf: %s", prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* "pktbpf: <kind><what>: <why>" */
static void vreport(const char *kind, const char *what, const char *fmt, va_list ap)
{
	fprintf(stderr, "pktbpf: %s%s: ", kind, what);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void pb_err(const char *what, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("", what, fmt, ap);
	va_end(ap);
}

void pb_warn(const char *what, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("warning: ", what, fmt, ap);
	va_end(ap);
}

int pb_usage_verr(const char *cmd, const char *fmt, va_list ap)
{
	vreport("", cmd, fmt, ap);
	fprintf(stderr, "pktbpf: try 'pktbpf %s --help'\n", cmd);
	return PB_EXIT_USAGE;
}

int pb_usage_err(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = pb_usage_verr(cmd, fmt, ap);
	va_end(ap);
	return r;
}

void pb_hint(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("hint: ", fmt, ap);
	va_end(ap);
}

void pb_info(const char *fmt, ...)
{
	va_list ap;

	if (pb_verbosity < 1)
		return;
	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

void pb_debug(const char *fmt, ...)
{
	va_list ap;

	if (pb_verbosity < 2)
		return;
	va_start(ap, fmt);
	vmsg("debug: ", fmt, ap);
	va_end(ap);
}

const char *pb_errno_hint(int err)
{
	if (err < 0)
		err = -err;
	if ((err == EPERM || err == EACCES) && geteuid() != 0)
		return "run as root (BPF needs CAP_BPF, CAP_NET_ADMIN and CAP_SYS_ADMIN)";
	return NULL;
}
