// SPDX-License-Identifier: BSD-2-Clause
#include "capture_cfg.h"
#include "pktbpf.skel.h"

#include <errno.h>
#include <unistd.h>

int pb_ring_size_valid(unsigned long n)
{
	unsigned long page = sysconf(_SC_PAGESIZE);

	return n >= page && n <= (1ul << 30) && !(n & (n - 1)) && n % page == 0;
}

int pb_capture_configure(const struct pb_attach_opts *o, struct pktbpf *skel,
			 struct pb_attach_info *info)
{
	__u32 flows = o->flow_entries ? o->flow_entries : PB_FLOWS_DEFAULT;
	__u32 snaplen = o->snaplen ? o->snaplen : PB_SNAPLEN_DEFAULT;
	__u32 ring = o->sample_ring_bytes ? o->sample_ring_bytes : PB_SAMPLE_RING_DEFAULT;
	int err;

	/* Off: a one-entry table nobody writes (a map cannot have none). */
	if (o->no_flows)
		flows = 1;
	/* No sampling: the smallest ring the kernel allows, nothing is written. */
	if (!o->sample_every)
		ring = sysconf(_SC_PAGESIZE);
	err = bpf_map__set_max_entries(skel->maps.pktbpf_flows, flows);
	if (!err)
		err = bpf_map__set_max_entries(skel->maps.pktbpf_samples, ring);
	if (err)
		return err;
	skel->rodata->pb_flows_on = !o->no_flows;
	skel->rodata->pb_sample_every = o->sample_every;
	skel->rodata->pb_snaplen = snaplen;
	/* Wake the reader by the time a quarter of the ring is waiting. */
	skel->rodata->pb_wake_bytes = ring / 4;
	info->flow_entries = o->no_flows ? 0 : flows;
	info->sample_every = o->sample_every;
	info->snaplen = snaplen;
	info->sample_ring_bytes = ring;
	return 0;
}
