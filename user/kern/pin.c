// SPDX-License-Identifier: BSD-2-Clause
#include "pin.h"
#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <bpf/bpf.h>

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

static int put(char *buf, size_t len, size_t *at, const char *s)
{
	size_t n = strlen(s);

	if (*at + n >= len)
		return -ENAMETOOLONG;
	memcpy(buf + *at, s, n + 1);
	*at += n;
	return 0;
}

static int encode_part(char *buf, size_t len, size_t *at, const char *s)
{
	char one[2] = { 0 };
	int err = 0;

	for (; *s && !err; s++) {
		if (*s == '.')
			err = put(buf, len, at, "%2e");
		else if (*s == '%')
			err = put(buf, len, at, "%25");
		else if (*s == ':')
			err = put(buf, len, at, "%3a");
		else {
			one[0] = *s;
			err = put(buf, len, at, one);
		}
	}
	return err;
}

int pb_key_encode(char *buf, size_t len, const char *netns, const char *ifname)
{
	size_t at = 0;
	int err;

	if (!len)
		return -ENAMETOOLONG;
	buf[0] = '\0';
	if (netns && *netns) {
		err = encode_part(buf, len, &at, netns);
		if (!err)
			err = put(buf, len, &at, ":");
		if (err)
			return err;
	}
	return encode_part(buf, len, &at, ifname);
}

static int decode_part(const char *s, size_t n, char *out, size_t out_len)
{
	size_t o = 0, i;

	for (i = 0; i < n; i++) {
		char c = s[i];

		/* Keys of ours escape every ':' but the separator: a second raw
		 * one is a directory someone else made (and would not round-trip). */
		if (c == ':')
			return -EINVAL;
		if (c == '%') {
			if (i + 2 >= n)
				return -EINVAL;
			if (!strncmp(s + i, "%2e", 3))
				c = '.';
			else if (!strncmp(s + i, "%25", 3))
				c = '%';
			else if (!strncmp(s + i, "%3a", 3))
				c = ':';
			else
				return -EINVAL;
			i += 2;
		}
		if (o + 1 >= out_len)
			return -ENAMETOOLONG;
		out[o++] = c;
	}
	out[o] = '\0';
	return o ? 0 : -EINVAL;
}

int pb_key_decode(const char *key, char *netns, size_t netns_len, char *ifname,
		  size_t ifname_len)
{
	const char *colon = strrchr(key, ':');
	int err;

	if (!colon) {
		netns[0] = '\0';
		return decode_part(key, strlen(key), ifname, ifname_len);
	}
	err = decode_part(key, colon - key, netns, netns_len);
	return err ? err : decode_part(colon + 1, strlen(colon + 1), ifname, ifname_len);
}

int pb_target_init(struct pb_target *t, const char *ifname, const char *netns)
{
	char key[NAME_MAX + 1];
	int err;

	memset(t, 0, sizeof(*t));
	if (!ifname || !*ifname || strlen(ifname) >= sizeof(t->ifname) || strchr(ifname, '/'))
		return -EINVAL;
	if (netns && (strlen(netns) >= sizeof(t->netns) || strchr(netns, '/')))
		return -EINVAL;
	strcpy(t->ifname, ifname);
	if (netns)
		strcpy(t->netns, netns);
	err = pb_key_encode(key, sizeof(key), t->netns, t->ifname);
	if (err)
		return err;
	if (snprintf(t->dir, sizeof(t->dir), "%s/%s", pb_pin_root(), key) >= (int)sizeof(t->dir))
		return -ENAMETOOLONG;
	return 0;
}

int pb_target_path(const struct pb_target *t, const char *name, char *buf, size_t len)
{
	if (snprintf(buf, len, "%s/%s", t->dir, name) >= (int)len)
		return -ENAMETOOLONG;
	return 0;
}

int pb_target_open_pin(const struct pb_target *t, const char *name)
{
	char path[PATH_MAX];
	int fd;

	if (pb_target_path(t, name, path, sizeof(path)))
		return -ENAMETOOLONG;
	fd = bpf_obj_get(path);
	return fd < 0 ? -errno : fd;
}

int pb_target_exists(const struct pb_target *t)
{
	struct stat st;

	if (stat(t->dir, &st))
		return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
	return S_ISDIR(st.st_mode);
}

int pb_target_unpin_all(const struct pb_target *t)
{
	char path[PATH_MAX];
	struct dirent *de;
	int err = 0;
	DIR *d;

	d = opendir(t->dir);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (pb_target_path(t, de->d_name, path, sizeof(path)) || unlink(path))
			err = err ? err : -errno;
	}
	closedir(d);
	if (rmdir(t->dir) && !err)
		err = -errno;
	return err;
}

int pb_target_foreach(int (*fn)(const struct pb_target *t, void *ctx), void *ctx)
{
	struct pb_target t;
	struct dirent *de;
	char netns[64], ifname[16];
	int ret = 0;
	DIR *d;

	d = opendir(pb_pin_root());
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while (!ret && (de = readdir(d))) {
		if (de->d_name[0] == '.' ||
		    pb_key_decode(de->d_name, netns, sizeof(netns), ifname, sizeof(ifname)) ||
		    pb_target_init(&t, ifname, netns))
			continue;
		ret = fn(&t, ctx);
	}
	closedir(d);
	return ret;
}

int pb_pin_lock(void)
{
	int fd;

	if (mkdir(pb_pin_root(), 0700) && errno != EEXIST)
		return -errno;
	fd = open(pb_pin_root(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

void pb_pin_unlock(int fd)
{
	if (fd < 0)
		return;
	/* The root goes once the last attachment has: leave nothing behind. */
	rmdir(pb_pin_root());
	close(fd);
}
