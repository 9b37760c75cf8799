// SPDX-License-Identifier: BSD-2-Clause
/* The pin root: where it is, the checks that make it pktbpf's, its lock. */
#include "pin.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#define BPFFS_MAGIC 0xcafe4a11
#define BPFFS_DIR "/sys/fs/bpf"

const char *pb_pin_root(void)
{
	const char *root = getenv("PKTBPF_PIN_ROOT");

	return root && *root ? root : BPFFS_DIR "/pktbpf";
}

static int is_bpffs(const char *path)
{
	struct statfs st;

	return statfs(path, &st) == 0 && st.f_type == BPFFS_MAGIC;
}

bool pb_fd_on_bpffs(int fd)
{
	struct statfs st;

	return fstatfs(fd, &st) == 0 && st.f_type == BPFFS_MAGIC;
}

/* Why the root was refused, for pb_pin_report (one command, one root). */
static char root_why[160];

static int refuse_root(const char *why)
{
	snprintf(root_why, sizeof(root_why), "%s", why);
	return -EPERM;
}

/* The checks of pb_pin_root_open on an open directory. */
static int check_root(int fd)
{
	struct stat st;

	if (!pb_fd_on_bpffs(fd))
		return refuse_root("not on the BPF filesystem");
	if (fstat(fd, &st))
		return -errno;
	if (st.st_uid != 0)
		return refuse_root("not owned by root");
	if (st.st_mode & 077)
		return refuse_root("group or others may use it (it must be mode 0700)");
	return 0;
}

/*
 * A missing root: made (with create) in its parent, which must be on the BPF
 * filesystem. Without create, -ENOENT when it could be made there.
 */
static int missing_root(const char *root, bool create)
{
	char parent[PATH_MAX], base[PATH_MAX];
	int pfd, fd, err = 0;

	snprintf(parent, sizeof(parent), "%s", root);
	snprintf(base, sizeof(base), "%s", root);
	pfd = open(dirname(parent), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0)
		return errno == ENOENT ? -ENOENT : -errno;
	if (!pb_fd_on_bpffs(pfd))
		err = refuse_root("not on the BPF filesystem");
	else if (!create)
		err = -ENOENT;
	else if (mkdirat(pfd, basename(base), 0700) && errno != EEXIST)
		err = -errno;
	if (!err) {
		fd = openat(pfd, basename(base), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			err = errno == ELOOP || errno == ENOTDIR ? refuse_root("not a directory")
								 : -errno;
	}
	close(pfd);
	return err ? err : fd;
}

int pb_pin_root_open(bool create)
{
	const char *root = pb_pin_root();
	int fd, err;

	root_why[0] = '\0';
	if (root[0] != '/')
		return refuse_root("not an absolute path");
	fd = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		fd = missing_root(root, create);
	else if (fd < 0)
		fd = errno == ELOOP || errno == ENOTDIR ? refuse_root("not a directory (a link?)")
							 : -errno;
	if (fd < 0)
		return fd;
	err = check_root(fd);
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

void pb_pin_report(int err)
{
	if (err == -EPERM && root_why[0]) {
		pb_err(pb_pin_root(), "refused as pktbpf's pin root: %s; nothing touched", root_why);
		pb_hint("PKTBPF_PIN_ROOT must name a directory on the BPF filesystem (under "
			BPFFS_DIR ") owned by root with mode 0700, or a missing one there");
		return;
	}
	pb_err(pb_pin_root(), "%s", strerror(-err));
	if (pb_errno_hint(err))
		pb_hint("%s", pb_errno_hint(err));
}

int pb_bpffs_ensure(void)
{
	if (is_bpffs(BPFFS_DIR))
		return 0;
	if (mount("bpf", BPFFS_DIR, "bpf", 0, "mode=0700")) {
		int err = -errno;

		pb_err(BPFFS_DIR, "no BPF filesystem mounted and mounting one failed: %s",
		       strerror(-err));
		if (pb_errno_hint(err))
			pb_hint("%s", pb_errno_hint(err));
		else
			pb_hint("mount it with: mount -t bpf bpf " BPFFS_DIR);
		return err;
	}
	pb_info("mounted a BPF filesystem on " BPFFS_DIR);
	return 0;
}

int pb_pin_lock(void)
{
	int fd = pb_pin_root_open(true);

	if (fd < 0) {
		pb_pin_report(fd);
		return fd;
	}
	if (flock(fd, LOCK_EX)) {
		int err = -errno;

		pb_pin_report(err);
		close(fd);
		return err;
	}
	return fd;
}

bool pb_pin_busy(void)
{
	int fd = pb_pin_root_open(false);
	bool busy;

	if (fd < 0)
		return false;
	/* Shared and not waiting: taken for an instant, it delays no attach. */
	busy = flock(fd, LOCK_SH | LOCK_NB) && errno == EWOULDBLOCK;
	close(fd);
	return busy;
}

void pb_pin_unlock(int fd)
{
	if (fd < 0)
		return;
	/* The root goes once the last attachment has: leave nothing behind.
	 * rmdir removes only an empty directory, and never through a link. */
	rmdir(pb_pin_root());
	close(fd);
}
