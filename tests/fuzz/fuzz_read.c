// SPDX-License-Identifier: BSD-2-Clause
/*
 * libFuzzer harness for what `pktbpf read` does with a file: open it as a
 * capture (gzip or not, pcap or pcapng, any link type), then parse, count,
 * print at the most detailed level and render as JSON every frame.
 * Built with clang -fsanitize=fuzzer,address,undefined (make fuzz-build);
 * tests/fuzz/run.sh runs it.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>

#include "capture.h"
#include "pb_count.h"
#include "pkt_json.h"
#include "print_pkt.h"

/* A gzip bomb of empty records must not make one input run for minutes. */
#define MAX_FRAMES 5000

static FILE *sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pb_dir_stats stats = { 0 };
	struct pb_capture *c;
	struct pb_frame f;
	struct pb_pkt p;
	int fd, n = 0;

	if (!sink)
		sink = fopen("/dev/null", "w");
	fd = memfd_create("pktbpf-fuzz", MFD_CLOEXEC);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size || lseek(fd, 0, SEEK_SET)) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	if (pb_capture_open_fd(&c, fd, "fuzz"))
		return 0;
	while (n++ < MAX_FRAMES && pb_capture_next(c, &f) == 1) {
		json_t *j;
		char *s;

		pb_frame_parse(&f, &p);
		pb_count(&stats, &p, f.len);
		pb_print_pkt(sink, &f, &p, PB_PRINT_HEX);
		j = pb_pkt_json(&f, &p, n);
		s = json_dumps(j, JSON_COMPACT);
		free(s);
		json_decref(j);
	}
	pb_capture_close(c);
	return 0;
}
