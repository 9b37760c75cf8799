/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Where an attachment lives in the BPF filesystem:
 *   <root>/<key>/{pktbpf_stats,pktbpf_ethtype,pktbpf_info,link_xdp,link_tc}
 * <root> is /sys/fs/bpf/pktbpf (PKTBPF_PIN_ROOT overrides it, for tests);
 * <key> is the interface name, or "NETNS:IFNAME" for an interface in another
 * network namespace (':' cannot occur in an interface name). bpffs refuses
 * '.' in names, so '.' and '%' are written as %2e and %25.
 */
#ifndef PB_PIN_H
#define PB_PIN_H

#include <limits.h>
#include <stddef.h>

#define PB_PIN_LINK_XDP "link_xdp"
#define PB_PIN_LINK_TC "link_tc"

struct pb_target {
	char ifname[16];
	char netns[64]; /* empty for the current namespace */
	char dir[PATH_MAX];
};

const char *pb_pin_root(void);

/* Make sure a BPF filesystem is mounted at /sys/fs/bpf; mount one if not. */
int pb_bpffs_ensure(void);

/* Encode netns and ifname into a key; -ENAMETOOLONG if it does not fit. */
int pb_key_encode(char *buf, size_t len, const char *netns, const char *ifname);
/* Decode a key; -EINVAL when it is not one of ours. */
int pb_key_decode(const char *key, char *netns, size_t netns_len, char *ifname,
		  size_t ifname_len);

/* Fill t->dir from t->ifname and t->netns. */
int pb_target_init(struct pb_target *t, const char *ifname, const char *netns);

/* Path of a pinned object under the target's directory. */
int pb_target_path(const struct pb_target *t, const char *name, char *buf, size_t len);

/* Open the pinned object name under the target's directory: an fd or -errno. */
int pb_target_open_pin(const struct pb_target *t, const char *name);

/* 1 if the target's directory exists, 0 if not, -errno when it cannot tell
 * (e.g. -EACCES for a user who may not look under the BPF filesystem). */
int pb_target_exists(const struct pb_target *t);

/* Remove every pin in the target's directory and the directory itself. */
int pb_target_unpin_all(const struct pb_target *t);

/* Call fn for each attached target; stops at and returns fn's first nonzero. */
int pb_target_foreach(int (*fn)(const struct pb_target *t, void *ctx), void *ctx);

/* Exclusive lock over the pin root while attach/detach change it. */
int pb_pin_lock(void);
void pb_pin_unlock(int fd);

#endif /* PB_PIN_H */
