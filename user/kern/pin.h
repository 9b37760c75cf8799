/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Where an attachment lives in the BPF filesystem:
 *   <root>/<key>/{pktbpf_info,pktbpf_stats,...,link_xdp,link_tc}
 * <root> is /sys/fs/bpf/pktbpf (PKTBPF_PIN_ROOT overrides it, for tests);
 * <key> is the interface name, or "NETNS:IFNAME" for an interface in another
 * network namespace (':' cannot occur in an interface name). bpffs refuses
 * '.' in names, so '.' and '%' are written as %2e and %25.
 *
 * pktbpf runs as root, so what it removes must be provably its own
 * (README, "What pktbpf writes and removes"). Every walk works from directory
 * descriptors opened without following links; the root must be a directory
 * on the BPF filesystem owned by root with no group or other access; an
 * entry is removed only when it is a BPF object with a name pktbpf gives
 * (pb_pin_name_ours) whose kernel object says the same. Anything else is
 * left alone with a warning that names it.
 */
#ifndef PB_PIN_H
#define PB_PIN_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define PB_PIN_LINK_XDP "link_xdp"
#define PB_PIN_LINK_TC "link_tc"
/* The attachment's marker: a directory without it is not an attachment. */
#define PB_PIN_MARKER "pktbpf_info"

struct pb_target {
	char ifname[16];
	char netns[64]; /* empty for the current namespace */
	char key[NAME_MAX + 1];
	char dir[PATH_MAX];
};

const char *pb_pin_root(void);

/* Make sure a BPF filesystem is mounted at /sys/fs/bpf; mount one if not. */
int pb_bpffs_ensure(void);

/*
 * Open the pin root after checking that it is pktbpf's: a directory (not a
 * link) on the BPF filesystem, owned by root, without group or other access.
 * With create, a missing root is made (mode 0700) in a directory on the BPF
 * filesystem; without, a missing root is -ENOENT. An fd, or -errno that
 * pb_pin_report explains (-EPERM: the root breaks the rule above).
 */
int pb_pin_root_open(bool create);

/* Is the open fd on the BPF filesystem? */
bool pb_fd_on_bpffs(int fd);

/* "pktbpf: <root>: <why>" and a hint, for an error from the functions here. */
void pb_pin_report(int err);

/* Is name one pktbpf pins under an attachment (link_xdp, link_tc, pktbpf_*)? */
bool pb_pin_name_ours(const char *name);

/* Encode netns and ifname into a key; -ENAMETOOLONG if it does not fit. */
int pb_key_encode(char *buf, size_t len, const char *netns, const char *ifname);
/* Decode a key; -EINVAL when it is not one of ours. */
int pb_key_decode(const char *key, char *netns, size_t netns_len, char *ifname,
		  size_t ifname_len);

/* Fill t->key and t->dir from t->ifname and t->netns. */
int pb_target_init(struct pb_target *t, const char *ifname, const char *netns);

/* Path of a pinned object under the target's directory (for messages). */
int pb_target_path(const struct pb_target *t, const char *name, char *buf, size_t len);

/*
 * Open the target's directory: an fd, -ENOENT when there is none, -ENOTDIR
 * when the name is taken by something that is not a directory (a link, a
 * file), or another -errno.
 */
int pb_target_dir_open(const struct pb_target *t);

/* Make the target's directory (mode 0700) under the pin root: 0 or -errno. */
int pb_target_mkdir(const struct pb_target *t);

/* Open the pinned object name under the target's directory: an fd or -errno. */
int pb_target_open_pin(const struct pb_target *t, const char *name);

/*
 * Pin fd as name in the target's directory. An object already there under
 * that name goes first when it is pktbpf's (attach --replace); anything else
 * there is -EEXIST, left alone.
 */
int pb_target_pin(const struct pb_target *t, const char *name, int fd);

/* 1 if the target's directory exists, 0 if not, -errno when it cannot tell
 * (e.g. -EACCES for a user who may not look under the BPF filesystem). */
int pb_target_exists(const struct pb_target *t);

/*
 * Remove pktbpf's pins in the target's directory and, when nothing else is
 * in it, the directory. Whatever is not pktbpf's stays, with a warning: that
 * is not a failure. -errno only when one of pktbpf's own pins could not go.
 */
int pb_target_unpin_all(const struct pb_target *t);

/* Does the target's directory hold pktbpf's marker? Else it is not an
 * attachment: another tool's directory, or an empty one that an attach
 * killed between making it and pinning the marker left. */
bool pb_target_is_attachment(const struct pb_target *t);

/* Remove the target's directory if it is empty (never through a link): 0 or
 * -errno (-ENOTEMPTY when something is in it). */
int pb_target_remove_empty(const struct pb_target *t);

/* pb_target_foreach's flags. */
#define PB_FOREACH_WARN 1u /* name each entry of the root that is left alone */
#define PB_FOREACH_TIDY 2u /* remove empty directories of keys' names (detach --all) */

/*
 * Call fn for each attachment under the pin root: a directory with a key's
 * name that pb_target_is_attachment. Everything else is skipped. Stops at and
 * returns fn's first nonzero.
 */
int pb_target_foreach(int (*fn)(const struct pb_target *t, void *ctx), void *ctx,
		      unsigned flags);

/* Exclusive lock over the pin root (made if missing) while attach/detach
 * change it: an fd, or -errno after printing why. */
int pb_pin_lock(void);
void pb_pin_unlock(int fd);

/* Does someone hold that lock now (an attach, detach or filter change under
 * way)? Never waits; false when there is no pin root. */
bool pb_pin_busy(void);

#endif /* PB_PIN_H */
