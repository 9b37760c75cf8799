/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One captured frame as userspace sees it (from a capture file now, from the
 * samples ring buffer later), and how its link-layer header leads into the
 * shared parser of include/pb_parse.h.
 */
#ifndef PB_FRAME_H
#define PB_FRAME_H

#include <stdbool.h>

#include "bytes.h"

#include "pb_parse.h"

#define PB_FRAME_NO_DIR (-1)

struct pb_frame {
	const __u8 *data;
	__u32 caplen;   /* bytes in data */
	__u32 len;      /* length on the wire, >= caplen */
	__u64 ts_ns;    /* CLOCK_REALTIME */
	int linktype;   /* DLT_* of libpcap */
	int dir;        /* enum pb_dir, or PB_FRAME_NO_DIR when nobody knows */
};

/* A reader over the captured bytes (base/bytes.h): how every printer reads a
 * frame's header fields. */
static inline struct pb_bytes pb_frame_reader(const struct pb_frame *f)
{
	return pb_bytes(f->data, f->caplen);
}

/* True for the link types pb_frame_parse() understands. */
bool pb_linktype_supported(int linktype);

/* Length of the link-layer header that precedes the network header (VLAN tags aside). */
unsigned int pb_linktype_hdr_len(int linktype);

/*
 * Parse a frame with the shared parser: Ethernet through pb_parse(), the
 * other link types through pb_parse_l3() at their network header. A link
 * header that does not fit is l2_truncated (or capture-cut), as on Ethernet.
 */
void pb_frame_parse(const struct pb_frame *f, struct pb_pkt *p);

/* The address family in the BSD loopback header at the start of b (either
 * byte order); 0 if it is not there (b marked truncated). */
__u32 pb_loopback_family(int linktype, struct pb_bytes *b);

/*
 * The direction a link header records (Linux cooked captures know whether a
 * packet was outgoing), else PB_FRAME_NO_DIR.
 */
int pb_frame_link_dir(int linktype, const __u8 *data, __u32 caplen);

#endif /* PB_FRAME_H */
