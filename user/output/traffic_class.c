// SPDX-License-Identifier: BSD-2-Clause
#include "traffic_class.h"

#include "pb_count.h"

#define PB_NAME(id, name) name,
const char *const pb_class_names[PB_CLASS_MAX] = { PB_CLASS_LIST(PB_NAME) };
#undef PB_NAME

static struct pb_count sub(struct pb_count a, struct pb_count b)
{
	/* Counters read from a live map are not one snapshot: a packet may be
	 * in "ipv4" and not yet in "tcp". Clamp instead of wrapping around. */
	a.packets = a.packets > b.packets ? a.packets - b.packets : 0;
	a.bytes = a.bytes > b.bytes ? a.bytes - b.bytes : 0;
	return a;
}

static struct pb_count add(struct pb_count a, struct pb_count b)
{
	a.packets += b.packets;
	a.bytes += b.bytes;
	return a;
}

enum pb_class pb_class_of_ip_proto(__u8 proto)
{
	switch (pb_l4_counter(proto)) {
	case PB_PROTO_TCP:
		return PB_CLASS_TCP;
	case PB_PROTO_UDP:
		return PB_CLASS_UDP;
	case PB_PROTO_ICMP:
	case PB_PROTO_ICMPV6:
		return PB_CLASS_ICMP;
	default:
		return PB_CLASS_OTHER_IP;
	}
}

void pb_classes_of(const struct pb_dir_stats *d, struct pb_count out[PB_CLASS_MAX])
{
	const struct pb_count *p = d->proto;
	struct pb_count ip = add(p[PB_PROTO_IPV4], p[PB_PROTO_IPV6]);
	struct pb_count known = add(add(p[PB_PROTO_TCP], p[PB_PROTO_UDP]),
				    add(p[PB_PROTO_ICMP], p[PB_PROTO_ICMPV6]));

	out[PB_CLASS_TCP] = p[PB_PROTO_TCP];
	out[PB_CLASS_UDP] = p[PB_PROTO_UDP];
	out[PB_CLASS_ICMP] = add(p[PB_PROTO_ICMP], p[PB_PROTO_ICMPV6]);
	/* An L4 counter only ever counts IP packets, so this cannot go below 0
	 * but through a torn read. */
	out[PB_CLASS_OTHER_IP] = sub(ip, known);
	out[PB_CLASS_ARP] = p[PB_PROTO_ARP];
	out[PB_CLASS_OTHER] = sub(sub(p[PB_PROTO_ALL], ip), p[PB_PROTO_ARP]);
}

void pb_classes_add(struct pb_count out[PB_CLASS_MAX], const struct pb_dir_stats d[PB_DIR_MAX])
{
	struct pb_count c[PB_CLASS_MAX];
	int dir, i;

	for (dir = 0; dir < PB_DIR_MAX; dir++) {
		pb_classes_of(&d[dir], c);
		for (i = 0; i < PB_CLASS_MAX; i++)
			out[i] = add(out[i], c[i]);
	}
}
