/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A file a command writes (report -o, --data-json), or standard output for
 * "-". What pktbpf creates it may remove again when the command fails; a
 * file that was there before is written over, never removed.
 */
#ifndef PB_OUTFILE_H
#define PB_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

struct pb_outfile {
	FILE *f;
	const char *path;
	bool created; /* by this open: the command may take it back */
};

/* Open path for writing (mode 0666 less the umask when created): 0 or -errno. */
int pb_outfile_open(struct pb_outfile *o, const char *path);

/*
 * Flush and close. With keep false (the command failed), or when what was
 * written did not all reach the file (a full disk: -errno), a file this open
 * created is removed. 0 or -errno. Standard output is only flushed: main
 * reports its errors, for every command (outcheck.h).
 */
int pb_outfile_close(struct pb_outfile *o, bool keep);

#endif /* PB_OUTFILE_H */
