// SPDX-License-Identifier: BSD-2-Clause
#include "filter_live.h"
#include "filter_prog.h"
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <pcap/dlt.h>

int pb_filter_maps_open(const struct pb_target *t, struct pb_filter_maps *m)
{
	const char *names[] = { PB_MAP_XDP_CHAIN, PB_MAP_TC_CHAIN, PB_MAP_FILTER };
	int *fds[] = { &m->chain_fd[0], &m->chain_fd[1], &m->info_fd };
	size_t i;

	m->chain_fd[0] = m->chain_fd[1] = m->info_fd = -1;
	for (i = 0; i < PB_ARRAY_SIZE(names); i++) {
		*fds[i] = pb_target_open_pin(t, names[i]);
		if (*fds[i] < 0) {
			pb_err(t->ifname, "cannot open %s: %s", names[i], strerror(-*fds[i]));
			if (*fds[i] == -ENOENT)
				pb_hint("attached by a pktbpf without filters? attach again");
			pb_filter_maps_close(m);
			return PB_EXIT_FAIL;
		}
	}
	return 0;
}

void pb_filter_maps_close(struct pb_filter_maps *m)
{
	int *fds[] = { &m->chain_fd[0], &m->chain_fd[1], &m->info_fd };
	size_t i;

	for (i = 0; i < PB_ARRAY_SIZE(fds); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}

int pb_filter_read(const struct pb_target *t, struct pb_filter_info *fi)
{
	__u32 zero = 0;
	int fd, err = 0;

	memset(fi, 0, sizeof(*fi));
	fd = pb_target_open_pin(t, PB_MAP_FILTER);
	if (fd < 0)
		return fd;
	if (bpf_map_lookup_elem(fd, &zero, fi))
		err = -errno;
	close(fd);
	fi->expr[sizeof(fi->expr) - 1] = '\0';
	return err;
}

static int record(int info_fd, const char *expr, const struct pb_filter_prog *xdp)
{
	struct pb_filter_info fi = { 0 };
	struct timespec now;
	__u32 zero = 0;

	if (expr) {
		snprintf(fi.expr, sizeof(fi.expr), "%s", expr);
		fi.cbpf_insns = xdp->cbpf_len;
		fi.ebpf_insns = xdp->ebpf_len;
		clock_gettime(CLOCK_REALTIME, &now);
		fi.set_time_ns = (__u64)now.tv_sec * 1000000000ull + now.tv_nsec;
	}
	return bpf_map_update_elem(info_fd, &zero, &fi, BPF_ANY) ? -errno : 0;
}

/* One map update per chain: the swap a packet sees whole or not at all. */
static int swap_in(int chain_fd, const struct pb_filter_prog *p)
{
	__u32 slot = PB_TAIL_FILTER;

	if (p)
		return bpf_map_update_elem(chain_fd, &slot, &p->fd, BPF_ANY) ? -errno : 0;
	if (bpf_map_delete_elem(chain_fd, &slot) && errno != ENOENT)
		return -errno;
	return 0;
}

int pb_filter_apply(const struct pb_filter_maps *m, const char *expr, __u32 netmask,
		    struct pb_filter_info *old)
{
	static const enum pb_xlate_hook hooks[] = { PB_XLATE_XDP, PB_XLATE_TC };
	struct pb_filter_prog progs[2] = { { .fd = -1 }, { .fd = -1 } };
	struct pb_cbpf c = { 0 };
	__u32 zero = 0;
	int i, err, ret;

	if (old && bpf_map_lookup_elem(m->info_fd, &zero, old))
		memset(old, 0, sizeof(*old));
	/* As tcpdump -y EN10MB compiles it. */
	if (expr && (ret = pb_filter_compile_cli(expr, DLT_EN10MB, netmask, &c)))
		return ret;
	ret = PB_EXIT_FAIL;
	for (i = 0; expr && i < 2; i++) {
		const struct pb_xlate_opts o = { .hook = hooks[i], .mode = PB_XLATE_LIVE,
						 .prog_array_fd = m->chain_fd[i],
						 .match_slot = PB_TAIL_MATCHED };

		ret = pb_filter_prog_load(expr, &c, &o, &progs[i]);
		if (ret)
			goto out;
		ret = PB_EXIT_FAIL;
	}
	for (i = 0; i < 2; i++) {
		err = swap_in(m->chain_fd[i], expr ? &progs[i] : NULL);
		if (err) {
			pb_err("filter", "cannot %s it: %s", expr ? "install" : "remove",
			       strerror(-err));
			goto out;
		}
	}
	err = record(m->info_fd, expr, &progs[0]);
	if (err) {
		pb_err("filter", "in force, but cannot be recorded: %s", strerror(-err));
		goto out;
	}
	ret = PB_EXIT_OK;
out:
	for (i = 0; i < 2; i++)
		if (progs[i].fd >= 0)
			close(progs[i].fd);
	pb_cbpf_free(&c);
	return ret;
}
