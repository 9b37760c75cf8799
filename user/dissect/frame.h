/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One captured frame as userspace sees it (from a capture file now, from the
 * samples ring buffer later), and how its link-layer header leads into the
 * shared parser of include/pb_parse.h.
 */
#ifndef PB_FRAME_H
#define PB_FRAME_H

#include <stdbool.h>

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

/* Big-endian fields of link headers and of headers shown field by field. */
static inline __u16 pb_get_be16(const __u8 *b)
{
	return (__u16)(b[0] << 8 | b[1]);
}

static inline __u32 pb_get_be32(const __u8 *b)
{
	return (__u32)b[0] << 24 | (__u32)b[1] << 16 | (__u32)b[2] << 8 | b[3];
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

/* The address family in a BSD loopback header (either byte order). */
__u32 pb_loopback_family(int linktype, const __u8 *hdr);

/*
 * The direction a link header records (Linux cooked captures know whether a
 * packet was outgoing), else PB_FRAME_NO_DIR.
 */
int pb_frame_link_dir(int linktype, const __u8 *data, __u32 caplen);

#endif /* PB_FRAME_H */
