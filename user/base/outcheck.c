// SPDX-License-Identifier: BSD-2-Clause
#include "outcheck.h"
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static bool doc_failed;
static int write_errno; /* why standard output failed, as first seen */

bool pb_out_failed(void)
{
	/* Asked right after the writes (or fflush): errno still says why. A
	 * flush later may find the buffer dropped and say nothing. */
	if (ferror(stdout) && !write_errno)
		write_errno = errno ? errno : EIO;
	return doc_failed || ferror(stdout);
}

int pb_out_json(json_t *doc, size_t flags)
{
	if (!doc) {
		if (!doc_failed)
			pb_err("json", "cannot build the document: out of memory");
		doc_failed = true;
		return -1;
	}
	json_dumpf(doc, stdout, flags);
	putchar('\n');
	pb_out_failed(); /* before json_decref, while errno tells */
	json_decref(doc);
	return 0;
}

int pb_out_finish(int status)
{
	int left = errno, err = 0; /* errno as the command left it: a write's, likely */

	errno = 0;
	if (fflush(stdout))
		err = errno ? errno : EIO;
	else if (ferror(stdout)) /* a write failed before, its bytes dropped */
		err = write_errno ? write_errno : left ? left : EIO;
	if (err == EPIPE)
		return status;
	if (err)
		pb_err("write error", "%s", strerror(err));
	return (err || doc_failed) && status == PB_EXIT_OK ? PB_EXIT_FAIL : status;
}
