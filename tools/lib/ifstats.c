// SPDX-License-Identifier: BSD-2-Clause
#include "ifstats.h"

#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>

static int ethtool_ioctl(int fd, const char *ifname, void *cmd)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
	ifr.ifr_data = cmd;
	return ioctl(fd, SIOCETHTOOL, &ifr) ? -errno : 0;
}

/* How many statistics the driver has (ETHTOOL_GSSET_INFO for ETH_SS_STATS). */
static int stats_count(int fd, const char *ifname)
{
	struct {
		struct ethtool_sset_info hdr;
		__u32 len;
	} info = { .hdr = { .cmd = ETHTOOL_GSSET_INFO, .sset_mask = 1ull << ETH_SS_STATS } };
	int err = ethtool_ioctl(fd, ifname, &info);

	if (err)
		return err;
	return info.hdr.sset_mask ? (int)info.len : -EOPNOTSUPP;
}

int pb_ifstats_sum(const char *ifname, const char *suffix, __u64 *out)
{
	struct ethtool_gstrings *names = NULL;
	struct ethtool_stats *vals = NULL;
	size_t slen = strlen(suffix);
	int fd, n, i, err;

	*out = 0;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	n = err = stats_count(fd, ifname);
	if (n <= 0)
		goto out;
	names = calloc(1, sizeof(*names) + (size_t)n * ETH_GSTRING_LEN);
	vals = calloc(1, sizeof(*vals) + (size_t)n * sizeof(__u64));
	err = -ENOMEM;
	if (!names || !vals)
		goto out;
	names->cmd = ETHTOOL_GSTRINGS;
	names->string_set = ETH_SS_STATS;
	names->len = n;
	vals->cmd = ETHTOOL_GSTATS;
	vals->n_stats = n;
	err = ethtool_ioctl(fd, ifname, names);
	if (!err)
		err = ethtool_ioctl(fd, ifname, vals);
	for (i = 0; !err && i < n && i < (int)vals->n_stats; i++) {
		const char *name = (const char *)names->data + (size_t)i * ETH_GSTRING_LEN;
		size_t len = strnlen(name, ETH_GSTRING_LEN);

		if (len >= slen && !memcmp(name + len - slen, suffix, slen))
			*out += vals->data[i];
	}
out:
	free(names);
	free(vals);
	close(fd);
	return err < 0 ? err : 0;
}
