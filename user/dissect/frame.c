// SPDX-License-Identifier: BSD-2-Clause
/*
 * Link-layer headers of capture files, mapped onto the shared parser. Only
 * the header in front of the network layer is read here; everything from the
 * network header on is pb_parse.h's.
 */
#include "frame.h"

#include <string.h>
#include <pcap/dlt.h>

/* Linux cooked capture v1 (16 bytes) and v2 (20 bytes), pcap-linktype(7). */
#define SLL_HDR_LEN 16
#define SLL_PROTO_OFF 14
#define SLL_PKTTYPE_OFF 0
#define SLL2_HDR_LEN 20
#define SLL2_PROTO_OFF 0
#define SLL2_PKTTYPE_OFF 10
#define SLL_OUTGOING 4 /* PACKET_OUTGOING: sent by this host */

/* BSD loopback: a 4-byte address family (host order for NULL, network for LOOP). */
#define NULL_HDR_LEN 4
#define BSD_AF_INET 2

static bool is_af_inet6(__u32 af)
{
	/* AF_INET6 differs per system: Linux, NetBSD/OpenBSD, FreeBSD, macOS. */
	return af == 10 || af == 24 || af == 28 || af == 30;
}

bool pb_linktype_supported(int linktype)
{
	return pb_linktype_hdr_len(linktype) != ~0u;
}

unsigned int pb_linktype_hdr_len(int linktype)
{
	switch (linktype) {
	case DLT_EN10MB:
		return sizeof(struct pb_eth);
	case DLT_LINUX_SLL:
		return SLL_HDR_LEN;
	case DLT_LINUX_SLL2:
		return SLL2_HDR_LEN;
	case DLT_NULL:
	case DLT_LOOP:
		return NULL_HDR_LEN;
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
		return 0;
	default:
		return ~0u;
	}
}

__u32 pb_loopback_family(int linktype, struct pb_bytes *b)
{
	__u32 af = pb_b_get32(b, 0);

	if (linktype == DLT_LOOP)
		return af;
	/* Written in the capturing host's order: a family fits in 16 bits, so
	 * one in the upper half (read big-endian) was written little-endian. */
	return af & 0xffff0000u ? __builtin_bswap32(af) : af;
}

static __u16 null_family_ethertype(int linktype, struct pb_bytes *b)
{
	__u32 af = pb_loopback_family(linktype, b);

	if (af == BSD_AF_INET)
		return PB_ETH_P_IPV4;
	return is_af_inet6(af) ? PB_ETH_P_IPV6 : 0;
}

/* The ethertype of the network header behind a non-Ethernet link header. */
static __u16 link_ethertype(int linktype, struct pb_bytes *b)
{
	switch (linktype) {
	case DLT_LINUX_SLL:
		return pb_b_get16(b, SLL_PROTO_OFF);
	case DLT_LINUX_SLL2:
		return pb_b_get16(b, SLL2_PROTO_OFF);
	case DLT_NULL:
	case DLT_LOOP:
		return null_family_ethertype(linktype, b);
	case DLT_IPV6:
		return PB_ETH_P_IPV6;
	case DLT_RAW:
		/* Raw IP names no protocol: the version nibble does. Anything but
		 * 6 goes to IPv4, whose parser reports a bad version. */
		return pb_b_has(b, 0, 1) && pb_b_get8(b, 0) >> 4 == 6 ? PB_ETH_P_IPV6
								      : PB_ETH_P_IPV4;
	default:
		return PB_ETH_P_IPV4;
	}
}

void pb_frame_parse(const struct pb_frame *f, struct pb_pkt *p)
{
	const __u8 *end = f->data + f->caplen;
	struct pb_bytes b = pb_frame_reader(f);
	unsigned int hlen;

	if (f->linktype == DLT_EN10MB) {
		pb_parse(f->data, end, f->len, p);
		return;
	}
	memset(p, 0, sizeof(*p));
	hlen = pb_linktype_hdr_len(f->linktype);
	if (hlen == ~0u)
		return;
	if (f->caplen < hlen) {
		pb_stop_short(p, 0, hlen, f->len, PB_MAL_L2_TRUNCATED);
		return;
	}
	pb_parse_l3(f->data, f->data + hlen, end, f->len, link_ethertype(f->linktype, &b), p);
}

int pb_frame_link_dir(int linktype, const __u8 *data, __u32 caplen)
{
	struct pb_bytes b = pb_bytes(data, caplen);

	if (linktype == DLT_LINUX_SLL && pb_b_has(&b, 0, SLL_HDR_LEN))
		return pb_b_get16(&b, SLL_PKTTYPE_OFF) == SLL_OUTGOING ? PB_DIR_EGRESS
								      : PB_DIR_INGRESS;
	if (linktype == DLT_LINUX_SLL2 && pb_b_has(&b, 0, SLL2_HDR_LEN))
		return pb_b_get8(&b, SLL2_PKTTYPE_OFF) == SLL_OUTGOING ? PB_DIR_EGRESS
								      : PB_DIR_INGRESS;
	return PB_FRAME_NO_DIR;
}
