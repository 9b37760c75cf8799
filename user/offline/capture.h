/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Capture files in: pcap and pcapng through libpcap, gzip-compressed or not
 * (zlib tells by the magic bytes), from a path or standard input.
 */
#ifndef PB_CAPTURE_H
#define PB_CAPTURE_H

#include <stdbool.h>

#include "frame.h"

struct pb_capture;

/*
 * Open a capture file; "-" is standard input. On failure prints
 * "pktbpf: FILE: why" (and a hint) and returns PB_EXIT_USAGE (bad input) or
 * PB_EXIT_FAIL; 0 on success.
 */
int pb_capture_open(struct pb_capture **out, const char *path);

/* The same for an open file descriptor, which the capture then owns. */
int pb_capture_open_fd(struct pb_capture **out, int fd, const char *name);

/*
 * The next frame: 1 and *f filled (valid until the next call), 0 at a clean
 * end of file, -1 when the file is damaged here (pb_capture_error says how;
 * frames before it were good).
 */
int pb_capture_next(struct pb_capture *c, struct pb_frame *f);

const char *pb_capture_error(const struct pb_capture *c);
/* Frames so far whose time was before 1970 or after 2554-07-21 (what 64 bits
 * of ns hold): their time is the nearest end of that range. */
__u64 pb_capture_time_out_of_range(const struct pb_capture *c);
const char *pb_capture_name(const struct pb_capture *c);
int pb_capture_linktype(const struct pb_capture *c);
int pb_capture_snaplen(const struct pb_capture *c);
bool pb_capture_compressed(const struct pb_capture *c);

void pb_capture_close(struct pb_capture *c);

#endif /* PB_CAPTURE_H */
