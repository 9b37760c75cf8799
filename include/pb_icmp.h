/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Facts about ICMP and ICMPv6 messages that the kernel (the detectors of
 * pb_detect.h) and userspace (user/dissect/decode_icmp.c) must agree on.
 */
#ifndef PB_ICMP_H
#define PB_ICMP_H

#include "pb_types.h"
#include "pb_hdr.h"

/*
 * Is a message of this type an error message, one that quotes the packet
 * that caused it? ICMP (RFC 792, RFC 1812 4.3.2): destination unreachable
 * (3), source quench (4), redirect (5), time exceeded (11), parameter
 * problem (12). ICMPv6 (RFC 4443 section 2.1): every type below 128.
 */
static __always_inline int pb_icmp_is_error(__u8 proto, __u8 type)
{
	if (proto == PB_IPPROTO_ICMPV6)
		return type < 128;
	return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

#endif /* PB_ICMP_H */
