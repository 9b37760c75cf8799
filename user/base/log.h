/* SPDX-License-Identifier: BSD-2-Clause */
/* Messages to stderr (docs/ARCHITECTURE.md, "Messages"), verbosity levels, exit codes. */
#ifndef PB_LOG_H
#define PB_LOG_H

#include <stdarg.h>

enum pb_exit {
	PB_EXIT_OK = 0,
	PB_EXIT_FAIL = 1,  /* runtime failure */
	PB_EXIT_USAGE = 2, /* bad usage or bad input */
};

/* 0: warnings and errors, 1 (-v): progress, 2 (-vv): debug and libbpf's log. */
extern int pb_verbosity;

/* Set the verbosity (libbpf's log follows it after pb_libbpf_log_init, kern/bpf_log.h). */
void pb_log_init(int verbosity);

/* "pktbpf: <what>: <why>" on stderr. */
void pb_err(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "pktbpf: warning: <what>: <why>" on stderr: something was left alone or
 * went without, and the command carries on. */
void pb_warn(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * "pktbpf: CMD: why" and "pktbpf: try 'pktbpf CMD --help'" on stderr, for
 * bad usage of command CMD; returns PB_EXIT_USAGE.
 */
int pb_usage_err(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int pb_usage_verr(const char *cmd, const char *fmt, va_list ap);
/* "pktbpf: hint: ..." on stderr. */
void pb_hint(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pb_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pb_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Hint to print after an errno from a privileged operation, or NULL. */
const char *pb_errno_hint(int err);

#endif /* PB_LOG_H */
