/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Traffic classes for charts and the live view: each packet in exactly one,
 * so shares add up to 100 % and stacked areas to the total. They are derived
 * from the layered protocol counters of pb_count() (where a TCP packet also
 * counts as IPv4 and "all"), never counted a second way.
 */
#ifndef PB_TRAFFIC_CLASS_H
#define PB_TRAFFIC_CLASS_H

#include "pb_abi.h"

/*
 * "icmp" holds ICMP and ICMPv6; "other ip" every IPv4/IPv6 packet whose L4
 * header was not read (non-first fragments, malformed, other protocols);
 * "other" the frames that are neither IP nor ARP.
 */
#define PB_CLASS_LIST(X)          \
	X(TCP, "tcp")             \
	X(UDP, "udp")             \
	X(ICMP, "icmp")           \
	X(OTHER_IP, "other_ip")   \
	X(ARP, "arp")             \
	X(OTHER, "other")

#define PB_ENUM_CLASS(id, name) PB_CLASS_##id,
enum pb_class { PB_CLASS_LIST(PB_ENUM_CLASS) PB_CLASS_MAX };
#undef PB_ENUM_CLASS

extern const char *const pb_class_names[PB_CLASS_MAX];

/* The class of an IP packet whose L4 header (of protocol proto) was read. */
enum pb_class pb_class_of_ip_proto(__u8 proto);

/* The classes of everything counted in d. */
void pb_classes_of(const struct pb_dir_stats *d, struct pb_count out[PB_CLASS_MAX]);

/* out += the classes of both directions of d. */
void pb_classes_add(struct pb_count out[PB_CLASS_MAX], const struct pb_dir_stats d[PB_DIR_MAX]);

#endif /* PB_TRAFFIC_CLASS_H */
