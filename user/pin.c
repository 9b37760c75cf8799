// SPDX-License-Identifier: BSD-2-Clause
#include "pin.h"
#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <libgen.h>
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
/* Warnings about entries left alone, at most, before a count of the rest. */
#define SKIP_WARN_MAX 10

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

static bool fd_on_bpffs(int fd)
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

	if (!fd_on_bpffs(fd))
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
	if (!fd_on_bpffs(pfd))
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
	memset(t, 0, sizeof(*t));
	if (!ifname || !*ifname || strlen(ifname) >= sizeof(t->ifname) || strchr(ifname, '/'))
		return -EINVAL;
	if (netns && (strlen(netns) >= sizeof(t->netns) || strchr(netns, '/')))
		return -EINVAL;
	strcpy(t->ifname, ifname);
	if (netns)
		strcpy(t->netns, netns);
	if (pb_key_encode(t->key, sizeof(t->key), t->netns, t->ifname))
		return -ENAMETOOLONG;
	if (snprintf(t->dir, sizeof(t->dir), "%s/%s", pb_pin_root(), t->key) >= (int)sizeof(t->dir))
		return -ENAMETOOLONG;
	return 0;
}

int pb_target_path(const struct pb_target *t, const char *name, char *buf, size_t len)
{
	if (snprintf(buf, len, "%s/%s", t->dir, name) >= (int)len)
		return -ENAMETOOLONG;
	return 0;
}

bool pb_pin_name_ours(const char *name)
{
	const char *c;

	if (!strcmp(name, PB_PIN_LINK_XDP) || !strcmp(name, PB_PIN_LINK_TC))
		return true;
	if (strncmp(name, "pktbpf_", 7) || !name[7])
		return false;
	for (c = name + 7; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_'))
			return false;
	return true;
}

/*
 * The bpf() calls take paths, not directory descriptors (BPF_F_PATH_FD came
 * with 6.5): name the entry through the descriptor's /proc link, so the
 * directory is the one that was checked, whatever its path now leads to.
 */
static int at_path(char *buf, size_t len, int dirfd, const char *name)
{
	if (snprintf(buf, len, "/proc/self/fd/%d/%s", dirfd, name) >= (int)len)
		return -ENAMETOOLONG;
	return 0;
}

/* A BPF object pinned as name in dirfd, never through a link: fd or -errno. */
static int obj_get_at(int dirfd, const char *name)
{
	char path[PATH_MAX];
	struct stat st;
	int fd;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW))
		return -errno;
	if (!S_ISREG(st.st_mode)) /* bpffs shows its objects as regular files */
		return -EPERM;
	if (at_path(path, sizeof(path), dirfd, name))
		return -ENAMETOOLONG;
	fd = bpf_obj_get(path);
	return fd < 0 ? -errno : fd;
}

enum obj_kind { OBJ_OTHER, OBJ_MAP, OBJ_PROG, OBJ_LINK };

/* What a BPF fd is, from the kernel's own fdinfo of it. */
static enum obj_kind obj_kind(int fd)
{
	enum obj_kind kind = OBJ_OTHER;
	char path[64], line[128];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return OBJ_OTHER;
	while (kind == OBJ_OTHER && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "map_type:", 9))
			kind = OBJ_MAP;
		else if (!strncmp(line, "prog_type:", 10))
			kind = OBJ_PROG;
		else if (!strncmp(line, "link_type:", 10))
			kind = OBJ_LINK;
	}
	fclose(f);
	return kind;
}

/* Is the kernel's name of the map or program behind fd the start of name
 * (the kernel keeps 15 characters of it)? */
static bool obj_named(int fd, enum obj_kind kind, const char *name)
{
	struct bpf_prog_info pi = { 0 };
	struct bpf_map_info mi = { 0 };
	__u32 len;
	char *own;

	if (kind == OBJ_MAP) {
		len = sizeof(mi);
		if (bpf_obj_get_info_by_fd(fd, &mi, &len))
			return false;
		own = mi.name;
	} else {
		len = sizeof(pi);
		if (bpf_obj_get_info_by_fd(fd, &pi, &len))
			return false;
		own = pi.name;
	}
	return own[0] && !strncmp(name, own, strnlen(own, BPF_OBJ_NAME_LEN));
}

/*
 * 1 when the entry name of dirfd is a pin of pktbpf's: a name it gives, on a
 * BPF object of the kind it pins there under that name. 0 (with why) when it
 * is something else, -errno when it cannot tell.
 */
static int pin_ours(int dirfd, const char *name, const char **why)
{
	enum obj_kind kind;
	int fd, ours;

	*why = "not a name pktbpf pins";
	if (!pb_pin_name_ours(name))
		return 0;
	fd = obj_get_at(dirfd, name);
	if (fd == -ENOENT)
		return fd;
	*why = "not a BPF object (a link, a directory or a file?)";
	if (fd < 0)
		return 0;
	kind = obj_kind(fd);
	if (!strncmp(name, "link_", 5)) {
		*why = "not a BPF link";
		ours = kind == OBJ_LINK;
	} else {
		*why = "a BPF object of another name (another tool's?)";
		ours = (kind == OBJ_MAP || kind == OBJ_PROG) && obj_named(fd, kind, name);
	}
	close(fd);
	return ours;
}

int pb_target_dir_open(const struct pb_target *t)
{
	int root, fd;

	root = pb_pin_root_open(false);
	if (root < 0)
		return root;
	fd = openat(root, t->key, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		fd = errno == ELOOP || errno == ENOTDIR ? -ENOTDIR : -errno;
	else if (!fd_on_bpffs(fd)) { /* something mounted over it */
		close(fd);
		fd = -ENOTDIR;
	}
	close(root);
	return fd;
}

int pb_target_mkdir(const struct pb_target *t)
{
	int root, err = 0;

	root = pb_pin_root_open(true);
	if (root < 0)
		return root;
	if (mkdirat(root, t->key, 0700))
		err = -errno;
	close(root);
	return err;
}

int pb_target_open_pin(const struct pb_target *t, const char *name)
{
	int dir, fd;

	dir = pb_target_dir_open(t);
	if (dir < 0)
		return dir;
	fd = obj_get_at(dir, name);
	close(dir);
	return fd;
}

int pb_target_pin(const struct pb_target *t, const char *name, int fd)
{
	char path[PATH_MAX];
	const char *why;
	int dir, err;

	dir = pb_target_dir_open(t);
	if (dir < 0)
		return dir;
	err = pin_ours(dir, name, &why);
	if (err == 1 && unlinkat(dir, name, 0))
		err = -errno;
	else if (err == 0) {
		pb_warn(t->dir, "%s: %s; left alone", name, why);
		err = -EEXIST;
	} else if (err == 1 || err == -ENOENT)
		err = 0;
	if (!err)
		err = at_path(path, sizeof(path), dir, name);
	if (!err && bpf_obj_pin(fd, path))
		err = -errno;
	close(dir);
	return err;
}

int pb_target_exists(const struct pb_target *t)
{
	int fd = pb_target_dir_open(t);

	if (fd >= 0) {
		close(fd);
		return 1;
	}
	return fd == -ENOENT || fd == -ENOTDIR ? 0 : fd;
}

int pb_target_unpin_all(const struct pb_target *t)
{
	int dir, root, ours, err = 0, left = 0;
	const char *why;
	struct dirent *de;
	DIR *d;

	dir = pb_target_dir_open(t);
	if (dir == -ENOTDIR) {
		pb_warn(t->dir, "not a directory pktbpf made (a link?); left alone");
		return 0;
	}
	if (dir < 0)
		return dir == -ENOENT ? 0 : dir;
	d = fdopendir(dir);
	if (!d) {
		close(dir);
		return -errno;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		ours = pin_ours(dir, de->d_name, &why);
		if (ours == 1) {
			if (!unlinkat(dir, de->d_name, 0) || errno == ENOENT)
				continue;
			ours = -errno;
		}
		if (ours == -ENOENT)
			continue; /* gone meanwhile */
		if (ours < 0)
			err = err ? err : ours;
		else
			pb_warn(t->dir, "%s: %s; left alone", de->d_name, why);
		left++;
	}
	closedir(d);
	if (left) {
		if (!err)
			pb_warn(t->dir, "kept: it holds %d entr%s that %s not pktbpf's", left,
				left == 1 ? "y" : "ies", left == 1 ? "is" : "are");
		return err;
	}
	root = pb_pin_root_open(false);
	if (root < 0)
		return root == -ENOENT ? 0 : root;
	if (unlinkat(root, t->key, AT_REMOVEDIR) && errno != ENOENT)
		err = -errno;
	close(root);
	return err;
}

/* Does the directory hold pktbpf's marker, or nothing at all? */
static bool marked_or_empty(int root, const char *key)
{
	bool empty = true, marked = false;
	const char *why;
	struct dirent *de;
	DIR *d;
	int fd;

	fd = openat(root, key, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return false;
	marked = pin_ours(fd, PB_PIN_MARKER, &why) == 1;
	d = marked ? NULL : fdopendir(fd);
	if (!d) {
		close(fd);
		return marked;
	}
	while (empty && (de = readdir(d)))
		empty = !strcmp(de->d_name, ".") || !strcmp(de->d_name, "..");
	closedir(d);
	return empty;
}

bool pb_target_is_attachment(const struct pb_target *t)
{
	int root = pb_pin_root_open(false);
	bool yes;

	if (root < 0)
		return false;
	yes = marked_or_empty(root, t->key);
	close(root);
	return yes;
}

struct skips {
	unsigned flags;
	int n;
};

static void skip(struct skips *s, const char *name, const char *why)
{
	if ((s->flags & PB_FOREACH_WARN) && s->n < SKIP_WARN_MAX)
		pb_warn(pb_pin_root(), "%s: %s; left alone", name, why);
	s->n++;
}

int pb_target_foreach(int (*fn)(const struct pb_target *t, void *ctx), void *ctx,
		      unsigned flags)
{
	struct skips skipped = { flags, 0 };
	char netns[64], ifname[16];
	struct pb_target t;
	struct dirent *de;
	struct stat st;
	int root, ret = 0;
	DIR *d;

	root = pb_pin_root_open(false);
	if (root < 0)
		return root == -ENOENT ? 0 : root;
	d = fdopendir(root);
	if (!d) {
		close(root);
		return -errno;
	}
	while (!ret && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (fstatat(root, de->d_name, &st, AT_SYMLINK_NOFOLLOW))
			continue; /* gone meanwhile */
		if (S_ISLNK(st.st_mode))
			skip(&skipped, de->d_name, "a symbolic link, not an attachment");
		else if (!S_ISDIR(st.st_mode))
			skip(&skipped, de->d_name, "a BPF object or a file, not an attachment");
		else if (de->d_name[0] == '.' ||
			 pb_key_decode(de->d_name, netns, sizeof(netns), ifname, sizeof(ifname)) ||
			 pb_target_init(&t, ifname, netns))
			skip(&skipped, de->d_name, "not a name pktbpf gives an attachment");
		else if (!marked_or_empty(root, de->d_name))
			skip(&skipped, de->d_name, "holds no " PB_PIN_MARKER " of pktbpf's");
		else
			ret = fn(&t, ctx);
	}
	closedir(d);
	if ((flags & PB_FOREACH_WARN) && skipped.n > SKIP_WARN_MAX)
		pb_warn(pb_pin_root(), "%d more entries that are not attachments; left alone",
			skipped.n - SKIP_WARN_MAX);
	return ret;
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
