// SPDX-License-Identifier: BSD-2-Clause
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <bpf/libbpf.h>

int pb_verbosity;

/* libbpf explains load failures at length: shown with -vv only. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (pb_verbosity < 2 && level != LIBBPF_WARN)
		return 0;
	if (pb_verbosity < 1)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

void pb_log_init(int verbosity)
{
	pb_verbosity = verbosity;
	libbpf_set_print(libbpf_print);
}

static void vmsg(const char *prefix, const char *fmt, va_list ap)
{
	fprintf(stderr, "pktbpf: %s", prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void pb_err(const char *what, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "pktbpf: %s: ", what);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
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
