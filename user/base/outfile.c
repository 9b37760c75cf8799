// SPDX-License-Identifier: BSD-2-Clause
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

int pb_outfile_open(struct pb_outfile *o, const char *path)
{
	int fd;

	memset(o, 0, sizeof(*o));
	o->path = path;
	if (!strcmp(path, "-")) {
		o->f = stdout;
		return 0;
	}
	/* O_EXCL tells a file made now from one that was there (or a link). */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd >= 0)
		o->created = true;
	else if (errno == EEXIST)
		fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	o->f = fdopen(fd, "wb");
	if (!o->f) {
		int err = -errno;

		close(fd);
		if (o->created)
			unlink(path);
		return err;
	}
	return 0;
}

int pb_outfile_close(struct pb_outfile *o, bool keep)
{
	int err = 0;

	if (!o->f)
		return 0;
	if (o->f == stdout) {
		/* main checks standard output for every command (outcheck.h). */
		fflush(stdout);
		o->f = NULL;
		return 0;
	}
	errno = 0;
	if (fflush(o->f) || ferror(o->f))
		err = errno ? -errno : -EIO;
	if (fclose(o->f) && !err)
		err = -errno;
	o->f = NULL;
	if ((!keep || err) && o->created)
		unlink(o->path);
	return err;
}
