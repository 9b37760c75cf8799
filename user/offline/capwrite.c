// SPDX-License-Identifier: BSD-2-Clause
#include "capwrite.h"
#include "log.h"
#include "pcapng.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

struct pb_capwrite {
	struct pb_pcapng *ng;
	pcap_t *dead;
	pcap_dumper_t *dump;
};

bool pb_capwrite_wants_pcap(const char *path)
{
	size_t n = strlen(path);

	return n >= 5 && !strcmp(path + n - 5, ".pcap");
}

struct pb_capwrite *pb_capwrite_open(const char *path, bool classic_pcap, uint32_t snaplen)
{
	struct pb_capwrite *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	if (!classic_pcap) {
		w->ng = pb_pcapng_open(path);
		if (!w->ng) {
			free(w);
			return NULL;
		}
		return w;
	}
	/* Nanosecond stamps: the kernel's resolution, kept as is. */
	w->dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, snaplen,
						       PCAP_TSTAMP_PRECISION_NANO);
	w->dump = w->dead ? pcap_dump_open(w->dead, path) : NULL;
	if (!w->dump) {
		if (w->dead) {
			pb_err(path, "%s", pcap_geterr(w->dead));
			pcap_close(w->dead);
		}
		free(w);
		errno = EIO;
		return NULL;
	}
	return w;
}

int pb_capwrite_iface(struct pb_capwrite *w, const char *name, uint32_t snaplen)
{
	return w->ng ? pb_pcapng_add_iface(w->ng, name, snaplen) : 0;
}

int pb_capwrite_packet(struct pb_capwrite *w, int iface, int dir, uint64_t ts_ns,
		       const void *data, uint32_t cap_len, uint32_t wire_len)
{
	struct pcap_pkthdr h;

	if (w->ng)
		return pb_pcapng_packet(w->ng, iface, dir, ts_ns, data, cap_len, wire_len);
	h.ts.tv_sec = ts_ns / 1000000000ull;
	h.ts.tv_usec = ts_ns % 1000000000ull; /* nanoseconds: the file says so */
	h.caplen = cap_len;
	h.len = wire_len;
	pcap_dump((u_char *)w->dump, &h, data);
	return 0;
}

void pb_capwrite_drops(struct pb_capwrite *w, int iface, uint64_t ts_ns, uint64_t dropped)
{
	if (w->ng)
		pb_pcapng_iface_stats(w->ng, iface, ts_ns, dropped);
}

int pb_capwrite_close(struct pb_capwrite *w)
{
	int err = 0;

	if (!w)
		return 0;
	if (w->ng) {
		err = pb_pcapng_close(w->ng);
	} else {
		if (pcap_dump_flush(w->dump))
			err = -EIO;
		pcap_dump_close(w->dump);
		pcap_close(w->dead);
	}
	free(w);
	return err;
}
