/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What a flow is: the key a parsed packet belongs to and how the packet
 * changes the flow's value. Shared by the kernel (bpf/flow.bpf.h, per-CPU LRU
 * hash) and `pktbpf read --flows` (user/offline/flowtab.c), so both build the same
 * flows from the same packets.
 *
 * A flow is keyed by IP version, protocol, the two endpoints and the
 * outermost VLAN id. The endpoints are put in canonical order (lower address
 * first, then lower port) so that both directions of a connection land on one
 * key; the sender's end (0 or 1) indexes the per-direction counters.
 */
#ifndef PB_FLOW_H
#define PB_FLOW_H

#include "pb_parse.h"

/* -1, 0, 1 as (a, pa) sorts before, equal to, after (b, pb). */
static __always_inline int pb_endpoint_cmp(const __be32 *a, __u16 pa, const __be32 *b, __u16 pb)
{
	int i;

	PB_UNROLL
	for (i = 0; i < 4; i++) {
		__u32 x = bpf_ntohl(a[i]), y = bpf_ntohl(b[i]);

		if (x != y)
			return x < y ? -1 : 1;
	}
	if (pa != pb)
		return pa < pb ? -1 : 1;
	return 0;
}

/*
 * Fill k for packet p; returns the end that sent p (0 or 1), or -1 when p has
 * no flow (not IP, or its IP header was not parsed). Ports are only taken
 * from TCP and UDP headers this packet carries: later fragments and other
 * protocols key on addresses and protocol alone.
 */
static __always_inline int pb_flow_key_of(const struct pb_pkt *p, struct pb_flow_key *k)
{
	__u16 sport = 0, dport = 0;
	int words, sender;

	if (!(p->flags & PB_PKT_IP))
		return -1;
	__builtin_memset(k, 0, sizeof(*k));
	words = p->l3_proto == PB_ETH_P_IPV4 ? 1 : 4;
	k->family = words == 1 ? 4 : 6;
	k->l4_proto = p->l4_proto;
	k->vlan_id = p->vlan_depth ? p->vlan_id[0] : 0;
	if ((p->flags & PB_PKT_L4) &&
	    (p->l4_proto == PB_IPPROTO_TCP || p->l4_proto == PB_IPPROTO_UDP)) {
		sport = p->sport;
		dport = p->dport;
	}
	sender = pb_endpoint_cmp(p->saddr, sport, p->daddr, dport) > 0;
	__builtin_memcpy(k->addr[sender], p->saddr, 16);
	__builtin_memcpy(k->addr[!sender], p->daddr, 16);
	if (words == 1) {
		/* An IPv4 parse leaves words 1-3 zero; keep the key canonical anyway. */
		k->addr[0][1] = k->addr[0][2] = k->addr[0][3] = 0;
		k->addr[1][1] = k->addr[1][2] = k->addr[1][3] = 0;
	}
	k->port[sender] = sport;
	k->port[!sender] = dport;
	return sender;
}

/* A new flow's first value: the packet that created it, at now_ns. */
static __always_inline void pb_flow_init(struct pb_flow_val *v, int sender, __u64 now_ns)
{
	__builtin_memset(v, 0, sizeof(*v));
	v->first_ns = now_ns;
	v->state = PB_FLOW_CREATOR | (sender == 0 ? PB_FLOW_END0_FIRST : 0);
}

/* Count packet p of len bytes (on the wire), sent by end `sender`, into v. */
static __always_inline void pb_flow_add(struct pb_flow_val *v, const struct pb_pkt *p, int sender,
					__u64 len, __u64 now_ns)
{
	int s = sender & 1;

	v->packets[s]++;
	v->bytes[s] += len;
	v->last_ns = now_ns;
	if (!v->first_ns)
		v->first_ns = now_ns; /* another CPU created it: this CPU's first */
	if (p->l4_proto == PB_IPPROTO_TCP && (p->flags & PB_PKT_L4_PRESENT) &&
	    !(p->flags & PB_PKT_FRAG_LATER)) {
		v->tcp_flags[s] |= p->tcp_flags;
		/* RFC 9293: FIN ends one direction, RST the connection; either
		 * marks the flow as ending so tools can tell it from an idle one. */
		if (p->tcp_flags & 0x05)
			v->state |= PB_FLOW_ENDED;
	}
}

#endif /* PB_FLOW_H */
