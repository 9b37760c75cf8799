// SPDX-License-Identifier: BSD-2-Clause
#include "detect_load.h"
#include "detect_cfg.h"
#include "pktbpf.skel.h"

#include <errno.h>
#include <bpf/bpf.h>

static const struct pb_det_info *or_defaults(const struct pb_det_info *info)
{
	static struct pb_det_info defaults;

	if (info)
		return info;
	pb_det_defaults(&defaults);
	return &defaults;
}

void pb_detect_configure(struct pktbpf *skel, const struct pb_det_info *info)
{
	skel->rodata->pktbpf_det_cfg = or_defaults(info)->cfg;
}

int pb_detect_record(struct pktbpf *skel, const struct pb_det_info *info)
{
	__u32 zero = 0;

	if (bpf_map_update_elem(bpf_map__fd(skel->maps.pktbpf_det_info), &zero, or_defaults(info),
				BPF_ANY))
		return -errno;
	return 0;
}
