// SPDX-License-Identifier: BSD-2-Clause
#include "bpf_log.h"
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <bpf/libbpf.h>

/* libbpf explains load failures at length: shown with -vv only. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (pb_verbosity < 2 && level != LIBBPF_WARN)
		return 0;
	if (pb_verbosity < 1)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

void pb_libbpf_log_init(void)
{
	libbpf_set_print(libbpf_print);
}
