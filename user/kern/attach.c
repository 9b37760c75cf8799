// SPDX-License-Identifier: BSD-2-Clause
/*
 * attach: open the skeleton, load, pin the maps, attach XDP (ingress) and
 * tcx (egress) through BPF links, pin the links, then record what was done.
 *
 * Links make the attachment safe against a crash: until a link is pinned,
 * only this process's fd holds it, so if attach dies (even by SIGKILL) the
 * kernel detaches the program by itself. What is pinned, detach removes.
 */
#include "attach.h"
#include "capture_cfg.h"
#include "filter_compile.h"
#include "filter_live.h"
#include "detect_load.h"
#include "log.h"
#include "pin.h"
#include "state.h"
#include "pktbpf.skel.h"

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>

/* attach_xdp's failure already said why: no second message. */
#define PB_ERR_EXPLAINED 4095

/* Not in Debian 12's uapi headers; the value is ABI (enum bpf_attach_type). */
#define PB_BPF_TCX_EGRESS 47

/* An interface ioctl (SIOCGIFFLAGS, SIOCGIFMTU) into ifr: 0 or -errno. */
static int iface_ioctl(const char *ifname, unsigned long req, struct ifreq *ifr)
{
	int fd, err = 0;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	snprintf(ifr->ifr_name, sizeof(ifr->ifr_name), "%s", ifname);
	if (ioctl(fd, req, ifr))
		err = -errno;
	close(fd);
	return err;
}

static int iface_flags(const char *ifname, short *flags)
{
	struct ifreq ifr = { 0 };
	int err = iface_ioctl(ifname, SIOCGIFFLAGS, &ifr);

	if (!err)
		*flags = ifr.ifr_flags;
	return err;
}

/* Refuse when someone else's XDP program is on the interface, unless forced. */
static int check_foreign_xdp(const struct pb_attach_opts *o, int ifindex)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	struct bpf_prog_info info = { 0 };
	__u32 len = sizeof(info);
	__u32 id;
	int fd, err;

	if (bpf_xdp_query(ifindex, 0, &q) || q.attach_mode == XDP_ATTACHED_NONE)
		return 0;
	id = q.prog_id ? q.prog_id : q.skb_prog_id ? q.skb_prog_id : q.drv_prog_id;
	fd = bpf_prog_get_fd_by_id(id);
	if (fd >= 0) {
		bpf_obj_get_info_by_fd(fd, &info, &len);
		close(fd);
	}
	if (!o->force) {
		pb_err(o->ifname, "another XDP program is attached: '%s' (id %u)",
		       info.name[0] ? info.name : "?", id);
		pb_hint("pktbpf will not displace it; --force replaces it");
		return PB_EXIT_FAIL;
	}
	err = bpf_xdp_detach(ifindex, q.attach_mode == XDP_ATTACHED_SKB ? XDP_FLAGS_SKB_MODE : 0,
			     NULL);
	if (err) {
		pb_err(o->ifname, "cannot remove XDP program '%s' (id %u): %s",
		       info.name[0] ? info.name : "?", id, strerror(-err));
		pb_hint("it is probably held by a BPF link of another tool; detach it there");
		return PB_EXIT_FAIL;
	}
	fprintf(stderr, "pktbpf: %s: removed XDP program '%s' (id %u) (--force)\n", o->ifname,
		info.name[0] ? info.name : "?", id);
	return 0;
}

/*
 * Take the pinned links off their hooks, then remove every pin. Unpinning
 * alone drops the last reference, and the kernel releases a link from a
 * workqueue some time later: an attach right after would still find the old
 * program on the interface.
 */
static int remove_target(const struct pb_target *t)
{
	const char *names[] = { PB_PIN_LINK_XDP, PB_PIN_LINK_TC };
	size_t i;
	int fd;

	for (i = 0; i < PB_ARRAY_SIZE(names); i++) {
		fd = pb_target_open_pin(t, names[i]);
		if (fd < 0)
			continue;
		bpf_link_detach(fd); /* fails only for a link already off its hook */
		close(fd);
	}
	return pb_target_unpin_all(t);
}

static int iface_mtu(const char *ifname)
{
	struct ifreq ifr = { 0 };

	return iface_ioctl(ifname, SIOCGIFMTU, &ifr) ? 0 : ifr.ifr_mtu;
}

/*
 * ERANGE from a native XDP attach: the driver (veth, mlx5, ...) refuses a
 * program without multi-buffer (xdp.frags) support at an MTU whose frames do
 * not fit one page. pktbpf's programs do not declare it (yet).
 */
static void explain_native_mtu(const char *ifname, bool fall_back)
{
	int mtu = iface_mtu(ifname);

	if (fall_back) {
		pb_info("%s: native XDP refused at MTU %d: it needs multi-buffer (xdp.frags) "
			"support, which this pktbpf build lacks; using generic", ifname, mtu);
		return;
	}
	pb_err(ifname, "native XDP at MTU %d needs multi-buffer (xdp.frags) support, which "
		       "this pktbpf build lacks; the driver refused it", mtu);
	pb_hint("use --mode generic (or auto), or lower the MTU (ip link set %s mtu 1500; for a "
		"veth, its peer's too)",
		ifname);
}

static int attach_xdp(const struct pb_attach_opts *o, int prog_fd, int ifindex, __u32 *mode)
{
	LIBBPF_OPTS(bpf_link_create_opts, lo);
	int fd;

	if (o->mode != PB_MODE_GENERIC) {
		lo.flags = XDP_FLAGS_DRV_MODE;
		fd = bpf_link_create(prog_fd, ifindex, BPF_XDP, &lo);
		if (fd < 0 && errno == ERANGE) {
			explain_native_mtu(o->ifname, o->mode != PB_MODE_NATIVE);
			if (o->mode == PB_MODE_NATIVE)
				return -PB_ERR_EXPLAINED;
		} else if (fd >= 0 || o->mode == PB_MODE_NATIVE) {
			*mode = PB_MODE_NATIVE;
			return fd < 0 ? -errno : fd;
		} else {
			pb_info("%s: native XDP unavailable (%s), using generic", o->ifname,
				strerror(errno));
		}
	}
	lo.flags = XDP_FLAGS_SKB_MODE;
	*mode = PB_MODE_GENERIC;
	fd = bpf_link_create(prog_fd, ifindex, BPF_XDP, &lo);
	return fd < 0 ? -errno : fd;
}

static __u32 prog_id(int prog_fd)
{
	struct bpf_prog_info info = { 0 };
	__u32 len = sizeof(info);

	return bpf_obj_get_info_by_fd(prog_fd, &info, &len) ? 0 : info.id;
}

static int load_skeleton(const struct pb_attach_opts *o, struct pktbpf **skel,
			 struct pb_attach_info *info)
{
	const char *ifname = o->ifname;
	int err;

	*skel = pktbpf__open();
	if (!*skel) {
		pb_err(ifname, "cannot open the BPF object: %s", strerror(errno));
		return PB_EXIT_FAIL;
	}
	err = pb_capture_configure(o, *skel, info);
	if (err) {
		pb_err(ifname, "cannot size the flow table or ring buffer: %s", strerror(-err));
		return PB_EXIT_FAIL;
	}
	pb_detect_configure(*skel, o->detect);
	err = pktbpf__load(*skel);
	if (err) {
		pb_err(ifname, "the kernel refused to load pktbpf's programs: %s", strerror(-err));
		if (pb_errno_hint(err))
			pb_hint("%s", pb_errno_hint(err));
		else
			pb_hint("run with -vv to see the verifier's log");
		return PB_EXIT_FAIL;
	}
	err = pb_detect_record(*skel, o->detect);
	if (err) {
		pb_err(ifname, "cannot record the detector settings: %s", strerror(-err));
		return PB_EXIT_FAIL;
	}
	return 0;
}

/*
 * Every map but the internal ones (.rodata, .bss), by its name; the marker
 * first, so that a directory of pktbpf's is recognised as one (and cleaned
 * up) however early an attach is killed.
 */
static int pin_maps(struct pktbpf *skel, const struct pb_target *t)
{
	struct bpf_map *map;
	int err;

	err = pb_target_pin(t, PB_PIN_MARKER, bpf_map__fd(skel->maps.pktbpf_info));
	bpf_object__for_each_map(map, skel->obj) {
		if (err)
			break;
		if (!bpf_map__is_internal(map) && map != skel->maps.pktbpf_info)
			err = pb_target_pin(t, bpf_map__name(map), bpf_map__fd(map));
	}
	return err;
}

/* Swap the programs of an existing attachment: one bpf_link_update per hook. */
static int replace_links(const struct pb_attach_opts *o, const struct pb_target *t,
			 struct pktbpf *skel, struct pb_attach_info *info)
{
	const char *names[] = { PB_PIN_LINK_XDP, PB_PIN_LINK_TC };
	struct bpf_program *progs[] = { skel->progs.pktbpf_xdp, skel->progs.pktbpf_tc };
	int i, fd, err;

	for (i = 0; i < 2; i++) {
		fd = pb_target_open_pin(t, names[i]);
		if (fd < 0) {
			if (i == 0)
				return fd;
			continue; /* attached with --no-egress: stays so */
		}
		err = bpf_link_update(fd, bpf_program__fd(progs[i]), NULL);
		close(fd);
		if (err)
			return err;
		if (i == 1)
			info->flags |= PB_ATTACH_EGRESS;
	}
	(void)o;
	return 0;
}

static int attach_links(const struct pb_attach_opts *o, const struct pb_target *t,
			struct pktbpf *skel, int ifindex, struct pb_attach_info *info)
{
	int fd, err;

	fd = attach_xdp(o, bpf_program__fd(skel->progs.pktbpf_xdp), ifindex, &info->xdp_mode);
	if (fd == -PB_ERR_EXPLAINED)
		return fd;
	if (fd < 0) {
		pb_err(o->ifname, "cannot attach XDP (%s mode): %s", pb_mode_str(info->xdp_mode),
		       strerror(-fd));
		return fd;
	}
	err = pb_target_pin(t, PB_PIN_LINK_XDP, fd);
	close(fd);
	if (err)
		return err;
	if (!o->egress)
		return 0;
	fd = bpf_link_create(bpf_program__fd(skel->progs.pktbpf_tc), ifindex, PB_BPF_TCX_EGRESS,
			     NULL);
	if (fd < 0) {
		err = -errno;
		pb_err(o->ifname, "cannot attach the egress program: %s", strerror(-err));
		pb_hint("egress needs tcx links (Linux 6.6 or later); --no-egress counts ingress only");
		return err;
	}
	err = pb_target_pin(t, PB_PIN_LINK_TC, fd);
	close(fd);
	info->flags |= PB_ATTACH_EGRESS;
	return err;
}

int pb_attach(const struct pb_attach_opts *o)
{
	struct pb_attach_info info = { 0 };
	struct pktbpf *skel = NULL;
	struct pb_state old;
	struct pb_target t;
	struct timespec now;
	int ifindex, lock = -1, ret = PB_EXIT_FAIL, err;
	bool created = false, replacing = false;
	short flags = 0;
	__u32 zero = 0;

	if (pb_target_init(&t, o->ifname, o->netns)) {
		pb_err(o->ifname, "not a valid interface name");
		return PB_EXIT_USAGE;
	}
	ifindex = if_nametoindex(o->ifname);
	if (!ifindex) {
		pb_err(o->ifname, "no such interface%s%s", o->netns ? " in network namespace " : "",
		       o->netns ? o->netns : "");
		pb_hint("'ip link show' lists interfaces%s",
			o->netns ? "" : "; --netns NAME looks inside a network namespace");
		return PB_EXIT_USAGE;
	}
	if (iface_flags(o->ifname, &flags) == 0 && !(flags & IFF_UP)) {
		pb_err(o->ifname, "interface is down");
		pb_hint("bring it up first: ip link set %s up", o->ifname);
		return PB_EXIT_USAGE;
	}
	if (pb_bpffs_ensure())
		return PB_EXIT_FAIL;
	lock = pb_pin_lock();
	if (lock < 0)
		return PB_EXIT_FAIL;

	if (pb_state_open(&old, &t) == 0) {
		pb_state_close(&old);
		if (old.health == PB_HEALTH_OK && !o->replace) {
			pb_err(o->ifname, "pktbpf is already attached (xdp %s, prog id %u)",
			       pb_mode_str(old.info.xdp_mode), old.info.xdp_prog_id);
			pb_hint("'pktbpf detach %s' first, or 'pktbpf attach %s --replace'", o->ifname,
				o->ifname);
			goto out;
		}
		if (old.health != PB_HEALTH_OK) {
			/* Leftovers of a crashed attach or a vanished interface. */
			fprintf(stderr, "pktbpf: %s: removing stale state (%s)\n", o->ifname,
				pb_health_str(old.health));
			remove_target(&t);
		} else {
			info = old.info;
		}
	} else if (o->replace) {
		pb_err(o->ifname, "--replace: pktbpf is not attached to this interface");
		ret = PB_EXIT_USAGE;
		goto out;
	}
	replacing = info.abi_version != 0;
	/* The links stay; an XDP link's mode is fixed when it is made. */
	if (replacing && o->mode != PB_MODE_AUTO && o->mode != info.xdp_mode) {
		pb_err(o->ifname, "--replace keeps the attachment's XDP mode (%s); detach and "
				  "attach to change it", pb_mode_str(info.xdp_mode));
		pb_hint("pktbpf detach %s && pktbpf attach %s --mode %s", o->ifname, o->ifname,
			pb_mode_str(o->mode));
		ret = PB_EXIT_USAGE;
		goto out;
	}

	if (!replacing) {
		ret = check_foreign_xdp(o, ifindex);
		if (ret)
			goto out;
		ret = PB_EXIT_FAIL;
	}
	if (load_skeleton(o, &skel, &info))
		goto out;
	if (o->filter) {
		/* In the chains before the programs meet a packet, and before
		 * anything is pinned: a filter the verifier refuses changes nothing. */
		struct pb_filter_maps fm = {
			{ bpf_map__fd(skel->maps.pktbpf_xdp_chain),
			  bpf_map__fd(skel->maps.pktbpf_tc_chain) },
			bpf_map__fd(skel->maps.pktbpf_filter),
		};

		ret = pb_filter_apply(&fm, o->filter, pb_iface_netmask(o->ifname), NULL);
		if (ret)
			goto out;
		ret = PB_EXIT_FAIL;
	}

	if (!replacing) {
		/* An empty directory an attach killed early left: nobody's state. */
		pb_target_remove_empty(&t);
		err = pb_target_mkdir(&t);
		if (err == -EEXIST) {
			pb_err(t.dir, "taken by something that is not an attachment of pktbpf's; "
				      "left alone");
			goto out;
		} else if (err) {
			pb_err(t.dir, "%s", strerror(-err));
			goto out;
		}
		created = true;
	}
	err = pin_maps(skel, &t);
	if (err) {
		pb_err(t.dir, "cannot pin maps: %s", strerror(-err));
		goto out;
	}
	if (replacing) {
		info.flags = 0;
		err = replace_links(o, &t, skel, &info);
		if (err) {
			pb_err(o->ifname, "cannot swap programs: %s", strerror(-err));
			goto out;
		}
	} else {
		info.ifindex = ifindex;
		err = attach_links(o, &t, skel, ifindex, &info);
		if (err)
			goto out;
	}

	clock_gettime(CLOCK_REALTIME, &now);
	info.abi_version = PB_ABI_VERSION;
	info.attach_time_ns = (__u64)now.tv_sec * 1000000000ull + now.tv_nsec;
	info.xdp_prog_id = prog_id(bpf_program__fd(skel->progs.pktbpf_xdp));
	info.tc_prog_id =
		info.flags & PB_ATTACH_EGRESS ? prog_id(bpf_program__fd(skel->progs.pktbpf_tc)) : 0;
	snprintf(info.ifname, sizeof(info.ifname), "%s", o->ifname);
	snprintf(info.netns, sizeof(info.netns), "%s", o->netns ? o->netns : "");
	/* Written last: a complete record marks a complete attach. */
	if (bpf_map_update_elem(bpf_map__fd(skel->maps.pktbpf_info), &zero, &info, BPF_ANY)) {
		pb_err(o->ifname, "cannot record the attachment: %s", strerror(errno));
		goto out;
	}
	printf("%s %s: xdp %s (prog id %u)", replacing ? "replaced on" : "attached to", o->ifname,
	       pb_mode_str(info.xdp_mode), info.xdp_prog_id);
	if (info.flags & PB_ATTACH_EGRESS)
		printf(", egress tcx (prog id %u)", info.tc_prog_id);
	if (o->filter)
		printf(", filter '%s'", o->filter);
	printf("\n");
	ret = PB_EXIT_OK;
out:
	if (ret != PB_EXIT_OK && created)
		remove_target(&t);
	pktbpf__destroy(skel);
	pb_pin_unlock(lock);
	return ret;
}

/* detach --all carries on past a failure and says, at the end, that one was. */
struct detach_all {
	int failed;
};

static int detach_target(const struct pb_target *t, void *ctx)
{
	struct detach_all *all = ctx;
	struct pb_state s;
	int err;

	if (pb_state_open(&s, t))
		return 0;
	pb_state_close(&s);
	err = remove_target(t);
	if (err) {
		pb_err(t->ifname, "cannot remove %s: %s", t->dir, strerror(-err));
		if (!all)
			return PB_EXIT_FAIL;
		all->failed++;
		return 0;
	}
	printf("detached from %s%s%s", t->ifname, t->netns[0] ? " in netns " : "", t->netns);
	if (s.health != PB_HEALTH_OK)
		printf(" (%s; removed its leftover state)", pb_health_str(s.health));
	printf("\n");
	return 0;
}

int pb_detach(const char *ifname, const char *netns)
{
	struct pb_state s;
	int lock, ret;

	lock = pb_pin_lock();
	if (lock < 0)
		return PB_EXIT_FAIL;
	if (!pb_target_init(&s.t, ifname, netns) && !pb_target_is_attachment(&s.t) &&
	    !pb_target_remove_empty(&s.t)) {
		printf("removed %s, an empty directory an interrupted attach left\n", s.t.dir);
		ret = PB_EXIT_OK;
	} else {
		ret = pb_state_open_cli(&s, ifname, netns);
		if (!ret) {
			pb_state_close(&s);
			ret = detach_target(&s.t, NULL);
		}
	}
	pb_pin_unlock(lock);
	return ret;
}

int pb_detach_all(void)
{
	struct detach_all all = { 0 };
	int lock, ret;

	lock = pb_pin_lock();
	if (lock < 0)
		return PB_EXIT_FAIL;
	ret = pb_target_foreach(detach_target, &all, PB_FOREACH_WARN | PB_FOREACH_TIDY);
	pb_pin_unlock(lock);
	if (ret < 0) {
		pb_pin_report(ret);
		return PB_EXIT_FAIL;
	}
	if (all.failed)
		pb_err("detach", "%d attachment%s could not be removed (above)", all.failed,
		       all.failed == 1 ? "" : "s");
	return all.failed ? PB_EXIT_FAIL : PB_EXIT_OK;
}
