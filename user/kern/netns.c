// SPDX-License-Identifier: BSD-2-Clause
#define _GNU_SOURCE
#include "netns.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int pb_netns_enter(const char *name)
{
	char path[PATH_MAX];
	int fd, err;

	if (!name || !*name || strchr(name, '/')) {
		pb_err("--netns", "'%s' is not a network namespace name", name ? name : "");
		return PB_EXIT_USAGE;
	}
	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		pb_err(name, "no such network namespace (%s)", strerror(err));
		pb_hint("'ip netns list' shows the named namespaces");
		return PB_EXIT_USAGE;
	}
	if (setns(fd, CLONE_NEWNET)) {
		err = errno;
		close(fd);
		pb_err(name, "cannot enter network namespace: %s", strerror(err));
		if (pb_errno_hint(err))
			pb_hint("%s", pb_errno_hint(err));
		return PB_EXIT_FAIL;
	}
	close(fd);
	return 0;
}
