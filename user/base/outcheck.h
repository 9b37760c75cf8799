/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Did everything a command printed reach standard output? main() runs every
 * command through pb_out_finish; the streaming commands (watch, alerts,
 * stats --interval, read) ask pb_out_failed after each record and stop.
 *
 * A full disk (any write error) ends in "pktbpf: write error: <why>" and exit
 * status 1. A reader that closed the pipe (pktbpf watch ... | head) is no
 * error: the command stops quietly with the status it would have had (main
 * ignores SIGPIPE, so no record is cut short by the signal).
 */
#ifndef PB_OUTCHECK_H
#define PB_OUTCHECK_H

#include <stdbool.h>
#include <jansson.h>

/*
 * Standard output has failed (or a JSON document could not be built): stop
 * printing. Asked right after writing, it also notes why (errno) for main's
 * message: a buffer that failed to flush is dropped, a later flush cannot tell.
 */
bool pb_out_failed(void);

/*
 * Print doc and a line feed on standard output, and drop the reference.
 * NULL doc (building it failed: out of memory): an error message, no
 * output, -1, and pb_out_finish makes the command's exit status 1. Write
 * errors are pb_out_finish's to report.
 */
int pb_out_json(json_t *doc, size_t flags);

/* After the command: flush standard output, report what failed; the exit status. */
int pb_out_finish(int status);

#endif /* PB_OUTCHECK_H */
