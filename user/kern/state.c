// SPDX-License-Identifier: BSD-2-Clause
#define _GNU_SOURCE
#include "state.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <net/if.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>

/* Does the interface still exist under its name, in its namespace? */
static bool iface_alive(const struct pb_state *s)
{
	char name[IF_NAMESIZE], path[PATH_MAX];
	bool alive = false;
	int self, ns;

	if (!s->t.netns[0])
		return if_indextoname(s->info.ifindex, name) && !strcmp(name, s->info.ifname);
	/* Interface indexes are per namespace: look from inside it, then return. */
	snprintf(path, sizeof(path), "/run/netns/%s", s->t.netns);
	ns = open(path, O_RDONLY | O_CLOEXEC);
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (ns >= 0 && self >= 0 && !setns(ns, CLONE_NEWNET)) {
		alive = if_indextoname(s->info.ifindex, name) && !strcmp(name, s->info.ifname);
		if (setns(self, CLONE_NEWNET))
			alive = false; /* cannot happen: we came from there */
	}
	if (ns >= 0)
		close(ns);
	if (self >= 0)
		close(self);
	return alive;
}

/* Is the pinned XDP link still attached to the interface it was made for? */
static enum pb_health link_health(const struct pb_state *s)
{
	struct bpf_link_info li;
	__u32 len = sizeof(li);
	int fd, err;

	if (!iface_alive(s))
		return PB_HEALTH_IFACE_GONE;
	fd = pb_target_open_pin(&s->t, PB_PIN_LINK_XDP);
	if (fd < 0)
		return PB_HEALTH_INCOMPLETE;
	memset(&li, 0, sizeof(li));
	err = bpf_obj_get_info_by_fd(fd, &li, &len);
	close(fd);
	if (err || li.xdp.ifindex != s->info.ifindex)
		return PB_HEALTH_DETACHED;
	return PB_HEALTH_OK;
}

/*
 * An attach that did not finish has no record yet, but its links may already
 * hold programs on the interface: show those (ids, hooks), not zeros.
 */
static void fill_from_links(struct pb_state *s)
{
	struct bpf_link_info li;
	__u32 len;
	int fd;

	fd = pb_target_open_pin(&s->t, PB_PIN_LINK_XDP);
	if (fd >= 0) {
		memset(&li, 0, sizeof(li));
		len = sizeof(li);
		if (!bpf_obj_get_info_by_fd(fd, &li, &len)) {
			s->info.xdp_prog_id = li.prog_id;
			s->info.ifindex = li.xdp.ifindex;
		}
		close(fd);
	}
	fd = pb_target_open_pin(&s->t, PB_PIN_LINK_TC);
	if (fd >= 0) {
		memset(&li, 0, sizeof(li));
		len = sizeof(li);
		if (!bpf_obj_get_info_by_fd(fd, &li, &len)) {
			s->info.tc_prog_id = li.prog_id;
			s->info.flags |= PB_ATTACH_EGRESS;
		}
		close(fd);
	}
}

int pb_state_open(struct pb_state *s, const struct pb_target *t)
{
	__u32 zero = 0;
	int info_fd, dir;

	memset(s, 0, sizeof(*s));
	s->t = *t;
	s->stats_fd = s->ethtype_fd = -1;
	dir = pb_target_dir_open(t);
	if (dir < 0)
		return dir;
	close(dir);
	if (!pb_target_is_attachment(t))
		return -ENOTDIR;

	info_fd = pb_target_open_pin(t, PB_MAP_INFO);
	if (info_fd >= 0) {
		if (bpf_map_lookup_elem(info_fd, &zero, &s->info))
			memset(&s->info, 0, sizeof(s->info));
		close(info_fd);
	}
	s->stats_fd = pb_target_open_pin(t, PB_MAP_STATS);
	s->ethtype_fd = pb_target_open_pin(t, PB_MAP_ETHTYPE);
	if (s->info.abi_version != PB_ABI_VERSION || s->stats_fd < 0) {
		s->health = PB_HEALTH_INCOMPLETE;
		memset(&s->info, 0, sizeof(s->info));
		fill_from_links(s);
	} else
		s->health = link_health(s);
	return 0;
}

void pb_state_close(struct pb_state *s)
{
	if (s->stats_fd >= 0)
		close(s->stats_fd);
	if (s->ethtype_fd >= 0)
		close(s->ethtype_fd);
	s->stats_fd = s->ethtype_fd = -1;
}

const char *pb_health_str(enum pb_health h)
{
	switch (h) {
	case PB_HEALTH_OK:
		return "attached";
	case PB_HEALTH_INCOMPLETE:
		return "incomplete";
	case PB_HEALTH_IFACE_GONE:
		return "interface-gone";
	case PB_HEALTH_DETACHED:
		return "detached";
	}
	return "unknown";
}

const char *pb_mode_str(__u32 mode)
{
	switch (mode) {
	case PB_MODE_NATIVE:
		return "native";
	case PB_MODE_GENERIC:
		return "generic";
	default:
		return "auto";
	}
}

int pb_state_open_cli(struct pb_state *s, const char *ifname, const char *netns)
{
	struct pb_target t;
	int err;

	if (pb_target_init(&t, ifname, netns)) {
		pb_err(ifname, "not a valid interface name");
		return PB_EXIT_USAGE;
	}
	err = pb_state_open(s, &t);
	if (err == -ENOTDIR) {
		pb_err(t.dir, "not an attachment of pktbpf's (a link, a file, or a directory "
			      "without " PB_PIN_MARKER "); left alone");
		return PB_EXIT_USAGE;
	}
	if (err == -ENOENT) {
		pb_err(ifname, "pktbpf is not attached to this interface%s%s",
		       netns && *netns ? " in network namespace " : "", netns ? netns : "");
		pb_hint("attach with 'pktbpf attach %s'; 'pktbpf status' lists attachments",
			ifname);
		return PB_EXIT_USAGE;
	}
	if (err) {
		pb_pin_report(err);
		return PB_EXIT_FAIL;
	}
	return 0;
}

int pb_state_open_pin(const struct pb_state *s, const char *name)
{
	return pb_target_open_pin(&s->t, name);
}

enum pb_health pb_state_recheck(const struct pb_state *s)
{
	return link_health(s);
}

void pb_state_warn(const struct pb_state *s)
{
	switch (s->health) {
	case PB_HEALTH_OK:
		return;
	case PB_HEALTH_INCOMPLETE:
		pb_err(s->t.ifname, "attach did not complete (interrupted?)");
		pb_hint("clean it up with 'pktbpf detach %s'", s->t.ifname);
		return;
	case PB_HEALTH_IFACE_GONE:
		pb_err(s->t.ifname, "the interface no longer exists; counters are from before it vanished");
		pb_hint("remove the leftover state with 'pktbpf detach %s'", s->t.ifname);
		return;
	case PB_HEALTH_DETACHED:
		pb_err(s->t.ifname, "the program is no longer attached (removed by another tool?)");
		pb_hint("remove the leftover state with 'pktbpf detach %s'", s->t.ifname);
		return;
	}
}
