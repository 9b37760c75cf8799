// SPDX-License-Identifier: BSD-2-Clause
/* An attachment's directory and pins: opened, pinned and removed safely. */
#include "pin.h"
#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>

/* Warnings about entries left alone, at most, before a count of the rest. */
#define SKIP_WARN_MAX 10

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
	else if (!pb_fd_on_bpffs(fd)) { /* something mounted over it */
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

/* Does the key's directory hold pktbpf's marker? */
static bool marked(int root, const char *key)
{
	const char *why;
	bool yes;
	int fd;

	fd = openat(root, key, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return false;
	yes = pin_ours(fd, PB_PIN_MARKER, &why) == 1;
	close(fd);
	return yes;
}

bool pb_target_is_attachment(const struct pb_target *t)
{
	int root = pb_pin_root_open(false);
	bool yes;

	if (root < 0)
		return false;
	yes = marked(root, t->key);
	close(root);
	return yes;
}

/* rmdir removes only an empty directory, and never through a link. */
static int remove_empty(int root, const char *key)
{
	return unlinkat(root, key, AT_REMOVEDIR) ? -errno : 0;
}

int pb_target_remove_empty(const struct pb_target *t)
{
	int root = pb_pin_root_open(false), err;

	if (root < 0)
		return root;
	err = remove_empty(root, t->key);
	close(root);
	return err;
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
		else if (!marked(root, de->d_name)) {
			if (!(flags & PB_FOREACH_TIDY) || remove_empty(root, de->d_name))
				skip(&skipped, de->d_name, "holds no " PB_PIN_MARKER " of pktbpf's");
			else
				printf("removed %s/%s, an empty directory an interrupted attach left\n",
				       pb_pin_root(), de->d_name);
		} else
			ret = fn(&t, ctx);
	}
	closedir(d);
	if ((flags & PB_FOREACH_WARN) && skipped.n > SKIP_WARN_MAX)
		pb_warn(pb_pin_root(), "%d more entries that are not attachments; left alone",
			skipped.n - SKIP_WARN_MAX);
	return ret;
}
