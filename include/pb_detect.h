/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The detectors: one source for the kernel programs (bpf/detect.bpf.h keeps
 * the state in LRU maps and the clock is bpf_ktime_get_ns) and for
 * `pktbpf read --alerts` (user/offline/detect.c keeps it in bounded LRU tables and
 * the capture's timestamps are the clock), so a capture file gives the
 * alerts the live program would have given.
 *
 * The includer defines, before including this header:
 *   struct pb_det_env;                  whatever its store needs
 *   void *pb_det_get(struct pb_det_env *e, enum pb_det_table t, const void *key,
 *                    int create);       the entry for key; with create, a zeroed
 *                                       new one if absent (counted in inserted)
 *   struct pb_det_stats *pb_det_counters(struct pb_det_env *e);
 *   struct pb_det_pend *pb_det_pend_slot(struct pb_det_env *e, __u32 i);
 *                                       slot i (< PB_DET_PEND_SLOTS) of this
 *                                       CPU's cache of waiting events
 *   struct pb_alert *pb_det_alert_begin(struct pb_det_env *e);  NULL: no room
 *   void pb_det_alert_end(struct pb_det_env *e, struct pb_alert *a);
 * all static and __always_inline; t is always a constant.
 *
 * Windows are tumbling: a window starts at the first event counted after the
 * previous one ended. Counts shared between CPUs are updated with atomic
 * adds; a window ending on two CPUs at once may lose a few counts, which only
 * delays an alert by those packets.
 *
 * A trigger is a packet that meets a detector's condition (for threshold
 * detectors: counted while the window's count is above the threshold). At
 * most one alert per (type, subject) is raised per window of that type; the
 * triggers in between are counted as suppressed, in the counters and in the
 * next alert of that subject.
 *
 * Batches: the rate detectors' packets and the ACKs that cancel SYNs come
 * with most packets of a busy link, so they are counted in a batch per host
 * (pb_det_defer): a batch reaches the host's window when it holds
 * threshold/16 events (at most 64), when its first event is window/16 old,
 * or when another host needs its cache slot. A threshold of 31 or less is
 * counted event by event. A count thus lags by less than threshold/16 events
 * per CPU: a rate alert comes that late, and waiting ACKs can let a SYN count
 * pass its threshold that early. An alert's observed count is where its
 * batch took the window.
 */
#ifndef PB_DETECT_H
#define PB_DETECT_H

#include "pb_alert.h"
#include "pb_parse.h"
#include "pb_icmp.h"

#define PB_TCP_FIN 0x01
#define PB_TCP_SYN 0x02
#define PB_TCP_RST 0x04
#define PB_TCP_PSH 0x08
#define PB_TCP_ACK 0x10
#define PB_TCP_URG 0x20

#define PB_ICMP_ECHO_REPLY 0
#define PB_ICMP_ECHO 8
#define PB_ICMPV6_ECHO 128
#define PB_ICMPV6_ECHO_REPLY 129

/* One packet as the detectors see it. */
struct pb_det_pkt {
	struct pb_det_env *env;
	const volatile struct pb_det_config *cfg;
	const struct pb_pkt *p;
	struct pb_det_host src, dst;
	__u64 now;
	__u8 mac[PB_ETH_ALEN]; /* the Ethernet source, when has_mac */
	__u8 has_mac;
	__u8 dir;
};

static __always_inline int pb_det_on(const struct pb_det_pkt *d, int type)
{
	return d->cfg->type[type].enabled;
}

static __always_inline __u64 pb_det_window(const struct pb_det_pkt *d, int type)
{
	return d->cfg->type[type].window_ns;
}

/* Start a new window when the current one is over, then count n events. */
static __always_inline __u32 pb_win_add(struct pb_det_win *w, __u64 now, __u64 window, __u32 n)
{
	/* Not now - start >= window: a clock read on another CPU may lag start. */
	if (now >= w->start_ns + window) {
		w->start_ns = now;
		w->count = 0;
		w->offset = 0;
	}
	__sync_fetch_and_add(&w->count, n);
	return w->count;
}

/* Count n things that cancel events of the current window. */
static __always_inline void pb_win_cancel(struct pb_det_win *w, __u64 now, __u64 window, __u32 n)
{
	if (now < w->start_ns + window)
		__sync_fetch_and_add(&w->offset, n);
}

static __always_inline __u32 pb_win_net(const struct pb_det_win *w)
{
	return w->count > w->offset ? w->count - w->offset : 0;
}

/* Fibonacci hashing: the top bits of a multiplication by 2^32 / golden ratio. */
static __always_inline __u32 pb_det_bucket(__u32 v)
{
	return (v * 2654435761u) >> 22; /* 10 bits: PB_DET_BUCKETS */
}

static __always_inline __u32 pb_det_host_bucket(const struct pb_det_host *h)
{
	return pb_det_bucket(bpf_ntohl(h->addr[0] ^ h->addr[1] ^ h->addr[2] ^ h->addr[3]) ^
			     h->family);
}

/* Mark a value's bucket in the window's set; returns the buckets set. */
static __always_inline __u32 pb_distinct_add(struct pb_det_distinct *s, __u32 bucket,
					     __u64 now, __u64 window)
{
	__u64 bit = 1ull << (bucket & 63);
	__u32 w = (bucket >> 6) & (PB_DET_BUCKETS / 64 - 1);
	int i;

	if (now >= s->start_ns + window) {
		s->start_ns = now;
		s->count = 0;
		for (i = 0; i < PB_DET_BUCKETS / 64; i++)
			s->bits[i] = 0;
	}
	if (!(s->bits[w] & bit)) {
		/* Plain OR: two CPUs racing on one bit at worst count it twice. */
		s->bits[w] |= bit;
		__sync_fetch_and_add(&s->count, 1);
	}
	return s->count;
}

static __always_inline void pb_distinct_remove(struct pb_det_distinct *s, __u32 bucket)
{
	__u64 bit = 1ull << (bucket & 63);
	__u32 w = (bucket >> 6) & (PB_DET_BUCKETS / 64 - 1);

	if (s->bits[w] & bit) {
		s->bits[w] &= ~bit;
		if (s->count)
			__sync_fetch_and_add(&s->count, (__u32)-1);
	}
}

/*
 * Decide whether one of `triggers` triggers (a batch may bring several)
 * becomes an alert (the rate limit per type and subject) and, if it does,
 * start the alert with what every type carries; the others are suppressed.
 * Returns NULL when suppressed or when the ring buffer is full (counted).
 */
static __always_inline struct pb_alert *pb_det_raise(struct pb_det_pkt *d, int type,
						     const struct pb_det_host *subject,
						     __u8 by_dst, __u64 observed, __u32 triggers)
{
	struct pb_det_alerted_key key = { .subject = *subject, .type = type, .by_dst = by_dst };
	struct pb_det_stats *stats = pb_det_counters(d->env);
	__u64 window = pb_det_window(d, type);
	struct pb_det_alerted *r;
	struct pb_alert *a;
	__u64 suppressed;

	if (!stats)
		return 0;
	r = pb_det_get(d->env, PB_DET_ALERTED, &key, 1);
	if (r) {
		if (r->last_ns && d->now < r->last_ns + window) {
			__sync_fetch_and_add(&r->suppressed, triggers);
			stats->suppressed[type] += triggers;
			return 0;
		}
		suppressed = r->suppressed;
		r->suppressed = triggers - 1;
		r->last_ns = d->now ? d->now : 1;
	} else {
		suppressed = 0; /* no room to remember it: alert without the limit */
	}
	stats->suppressed[type] += triggers - 1;
	a = pb_det_alert_begin(d->env);
	if (!a) {
		stats->ring_full[type]++;
		return 0;
	}
	stats->raised[type]++;
	__builtin_memset(a, 0, sizeof(*a));
	a->time_ns = d->now;
	a->observed = observed;
	a->suppressed = suppressed;
	a->threshold = PB_ALERT_HAS_THRESHOLD(type) ? d->cfg->type[type].threshold : 0;
	a->window_ms = window / 1000000;
	a->type = type;
	a->dir = d->dir;
	a->family = d->src.family;
	a->l4_proto = d->p->l4_proto;
	if (d->src.family)
		__builtin_memcpy(a->saddr, d->src.addr, sizeof(a->saddr));
	if (d->has_mac) {
		__builtin_memcpy(a->src_mac, d->mac, PB_ETH_ALEN);
		a->flags |= PB_ALERT_HAS_MAC;
	}
	return a;
}

/* Name the packet's destination (and port) as the alert's target: none when
 * the packet gave no destination address (malformed_burst), not 0.0.0.0. */
static __always_inline void pb_det_target(struct pb_alert *a, const struct pb_det_pkt *d,
					  int with_port)
{
	if (d->dst.family) {
		__builtin_memcpy(a->daddr, d->dst.addr, sizeof(a->daddr));
		a->flags |= PB_ALERT_HAS_TARGET;
	}
	if (with_port) {
		a->dport = d->p->dport;
		a->flags |= PB_ALERT_HAS_PORT;
	}
}

/* count: the window's after n events, this packet's among them. */
static __always_inline void pb_det_threshold_hit(struct pb_det_pkt *d, int type,
						 const struct pb_det_host *subject, __u8 by_dst,
						 __u32 count, __u32 n, int with_port, __u8 detail)
{
	__u32 threshold = d->cfg->type[type].threshold;
	struct pb_alert *a;

	if (count <= threshold)
		return;
	a = pb_det_raise(d, type, subject, by_dst, count,
			 count - threshold < n ? count - threshold : n);
	if (!a)
		return;
	pb_det_target(a, d, with_port);
	if (by_dst)
		a->flags |= PB_ALERT_BY_DST;
	a->detail = detail;
	pb_det_alert_end(d->env, a);
}

/* RFC 9293: every segment after the SYN carries ACK; these never occur. */
static __always_inline __u8 pb_tcp_bad_flags(__u8 f)
{
	if (!(f & 0x3f))
		return PB_BADF_NULL_SCAN;
	if ((f & PB_TCP_SYN) && (f & PB_TCP_FIN))
		return PB_BADF_SYN_FIN;
	if ((f & PB_TCP_SYN) && (f & PB_TCP_RST))
		return PB_BADF_SYN_RST;
	if (f & PB_TCP_ACK)
		return PB_BADF_NONE;
	if ((f & (PB_TCP_FIN | PB_TCP_PSH | PB_TCP_URG)) == (PB_TCP_FIN | PB_TCP_PSH | PB_TCP_URG))
		return PB_BADF_XMAS;
	if (f & PB_TCP_FIN)
		return PB_BADF_FIN_NO_ACK;
	return PB_BADF_NONE;
}

static __always_inline void pb_det_bad_flags(struct pb_det_pkt *d)
{
	__u8 class = pb_tcp_bad_flags(d->p->tcp_flags);
	struct pb_alert *a;

	if (class == PB_BADF_NONE)
		return;
	a = pb_det_raise(d, PB_ALERT_TCP_BAD_FLAGS, &d->src, 0, 1, 1);
	if (!a)
		return;
	pb_det_target(a, d, 1);
	a->detail = class;
	a->tcp_flags = d->p->tcp_flags;
	pb_det_alert_end(d->env, a);
}

/* Count a connection attempt (TCP SYN, ICMP echo) towards a port scan and a host sweep. */
static __always_inline void pb_det_attempt(struct pb_det_pkt *d, __u16 port)
{
	if (pb_det_on(d, PB_ALERT_PORT_SCAN) && d->p->l4_proto == PB_IPPROTO_TCP) {
		struct pb_det_scan_key key = { .src = d->src, .dst = d->dst };
		struct pb_det_distinct *s = pb_det_get(d->env, PB_DET_SCANS, &key, 1);

		if (s)
			pb_det_threshold_hit(d, PB_ALERT_PORT_SCAN, &d->src, 0,
					     pb_distinct_add(s, pb_det_bucket(port), d->now,
							     pb_det_window(d, PB_ALERT_PORT_SCAN)),
					     1, 0, 0);
	}
	if (pb_det_on(d, PB_ALERT_HOST_SWEEP)) {
		struct pb_det_sweep_key key = { .src = d->src, .port = port,
						.l4_proto = d->p->l4_proto };
		struct pb_det_distinct *s = pb_det_get(d->env, PB_DET_SWEEPS, &key, 1);
		struct pb_alert *a;
		__u32 n;

		if (!s)
			return;
		n = pb_distinct_add(s, pb_det_host_bucket(&d->dst), d->now,
				    pb_det_window(d, PB_ALERT_HOST_SWEEP));
		if (n <= d->cfg->type[PB_ALERT_HOST_SWEEP].threshold)
			return;
		a = pb_det_raise(d, PB_ALERT_HOST_SWEEP, &d->src, 0, n, 1);
		if (!a)
			return;
		a->dport = port;
		a->flags |= PB_ALERT_HAS_PORT;
		pb_det_alert_end(d->env, a);
	}
}

/*
 * An answer (SYN+ACK, echo reply) from the packet's source: that attempt
 * succeeded, so it is taken back out of the sets. Scans and sweeps are
 * attempts that fail or go unanswered; busy clients (a browser opening
 * connections to many servers, passive FTP to many ports) are answered.
 */
static __always_inline void pb_det_answer(struct pb_det_pkt *d, __u16 port)
{
	if (pb_det_on(d, PB_ALERT_PORT_SCAN) && d->p->l4_proto == PB_IPPROTO_TCP) {
		struct pb_det_scan_key key = { .src = d->dst, .dst = d->src };
		struct pb_det_distinct *s = pb_det_get(d->env, PB_DET_SCANS, &key, 0);

		if (s)
			pb_distinct_remove(s, pb_det_bucket(port));
	}
	if (pb_det_on(d, PB_ALERT_HOST_SWEEP)) {
		struct pb_det_sweep_key key = { .src = d->dst, .port = port,
						.l4_proto = d->p->l4_proto };
		struct pb_det_distinct *s = pb_det_get(d->env, PB_DET_SWEEPS, &key, 0);

		if (s)
			pb_distinct_remove(s, pb_det_host_bucket(&d->src));
	}
}

/* The detector whose window a host window is. */
static __always_inline int pb_det_win_type(__u8 win)
{
	switch (win) {
	case PB_WIN_ICMP_OUT:
		return PB_ALERT_ICMP_FLOOD;
	case PB_WIN_UDP_OUT:
		return PB_ALERT_UDP_FLOOD;
	case PB_WIN_MALFORMED_OUT:
		return PB_ALERT_MALFORMED_BURST;
	default:
		return PB_ALERT_SYN_FLOOD;
	}
}

/*
 * Count n events on host h's window win: packets for a rate window, ACKs
 * (cancelling SYNs) for a SYN window. Returns a rate window's count after
 * them, 0 otherwise.
 */
static __always_inline __u32 pb_det_apply(struct pb_det_pkt *d, __u8 win,
					  const struct pb_det_host *h, __u32 n)
{
	__u64 window = pb_det_window(d, pb_det_win_type(win));
	int rate = win < PB_WIN_SYN_OUT;
	struct pb_det_host_val *v = pb_det_get(d->env, PB_DET_HOSTS, h, rate);

	if (!v || win >= PB_WIN_MAX)
		return 0;
	if (rate)
		return pb_win_add(&v->win[win], d->now, window, n);
	pb_win_cancel(&v->win[win], d->now, window, n);
	return 0;
}

static __always_inline int pb_det_host_eq(const struct pb_det_host *a,
					  const struct pb_det_host *b)
{
	return a->addr[0] == b->addr[0] && a->addr[1] == b->addr[1] &&
	       a->addr[2] == b->addr[2] && a->addr[3] == b->addr[3] && a->family == b->family;
}

/*
 * Defer one event on host h's window win in this CPU's cache (see Batches
 * above). Returns how many of h's events on win to count now, this one
 * included, or 0 while they wait. A slot another host or window holds is
 * emptied first: its events are counted without a threshold check, which
 * their own host's next batch makes.
 */
static __always_inline __u32 pb_det_defer(struct pb_det_pkt *d, __u8 win,
					  const struct pb_det_host *h)
{
	int type = pb_det_win_type(win);
	__u32 batch = d->cfg->type[type].threshold / 16, n;
	__u64 max_age = pb_det_window(d, type) / 16;
	struct pb_det_pend *s;
	struct pb_det_host old;

	if (batch <= 1)
		return 1;
	if (batch > 64)
		batch = 64;
	s = pb_det_pend_slot(d->env, pb_det_pend_index(h, win));
	if (!s)
		return 1;
	if (s->n && s->win == win && pb_det_host_eq(&s->host, h)) {
		n = ++s->n;
		if (n < batch && d->now < s->since_ns + max_age)
			return 0;
		s->n = 0;
		return n;
	}
	if (s->n) {
		old = s->host;
		pb_det_apply(d, s->win, &old, s->n);
	}
	s->host = *h;
	s->win = win;
	s->n = 1;
	s->since_ns = d->now;
	return 0;
}

/*
 * SYNs without completion, per source and per destination. Completion is
 * counted without per-connection state, as ACK segments from the same source
 * (to the same destination) in the same window: every completed handshake
 * sends at least one, so healthy traffic keeps SYNs minus ACKs at or below 0.
 */
static __always_inline void pb_det_syn(struct pb_det_pkt *d, struct pb_det_host_val *src)
{
	struct pb_det_host_val *dst;
	__u64 window = pb_det_window(d, PB_ALERT_SYN_FLOOD);
	struct pb_det_win *w = &src->win[PB_WIN_SYN_OUT];

	pb_win_add(w, d->now, window, 1);
	pb_det_threshold_hit(d, PB_ALERT_SYN_FLOOD, &d->src, 0, pb_win_net(w), 1, 1, 0);
	dst = pb_det_get(d->env, PB_DET_HOSTS, &d->dst, 1);
	if (!dst)
		return;
	w = &dst->win[PB_WIN_SYN_IN];
	pb_win_add(w, d->now, window, 1);
	pb_det_threshold_hit(d, PB_ALERT_SYN_FLOOD, &d->dst, 1, pb_win_net(w), 1, 1, 0);
}

static __always_inline void pb_det_ack(struct pb_det_pkt *d)
{
	__u32 n = pb_det_defer(d, PB_WIN_SYN_OUT, &d->src);

	if (n)
		pb_det_apply(d, PB_WIN_SYN_OUT, &d->src, n);
	n = pb_det_defer(d, PB_WIN_SYN_IN, &d->dst);
	if (n)
		pb_det_apply(d, PB_WIN_SYN_IN, &d->dst, n);
}

static __always_inline void pb_det_tcp(struct pb_det_pkt *d)
{
	__u8 f = d->p->tcp_flags & (PB_TCP_SYN | PB_TCP_ACK | PB_TCP_FIN | PB_TCP_RST);
	struct pb_det_host_val *v;

	if (pb_det_on(d, PB_ALERT_TCP_BAD_FLAGS))
		pb_det_bad_flags(d);
	if (f == PB_TCP_SYN) {
		pb_det_attempt(d, d->p->dport);
		if (pb_det_on(d, PB_ALERT_SYN_FLOOD)) {
			v = pb_det_get(d->env, PB_DET_HOSTS, &d->src, 1);
			if (v)
				pb_det_syn(d, v);
		}
	} else if (f == (PB_TCP_SYN | PB_TCP_ACK)) {
		pb_det_answer(d, d->p->sport);
	} else if ((f & (PB_TCP_SYN | PB_TCP_ACK | PB_TCP_RST)) == PB_TCP_ACK &&
		   pb_det_on(d, PB_ALERT_SYN_FLOOD)) {
		pb_det_ack(d);
	}
}

/* Per-source rate of one kind of packet (ICMP, UDP, malformed). */
static __always_inline void pb_det_rate(struct pb_det_pkt *d, __u8 win, int with_port)
{
	__u32 n = pb_det_defer(d, win, &d->src);

	if (n)
		pb_det_threshold_hit(d, pb_det_win_type(win), &d->src, 0,
				     pb_det_apply(d, win, &d->src, n), n, with_port,
				     d->p->malformed);
}

/* Keeps a UDP port apart from the TCP port of the same number in a scan's set. */
#define PB_DET_UDP_PORT 0x10000u

/*
 * UDP port scans show in their answers: a closed port answers a datagram
 * with ICMP port unreachable (RFC 792: type 3 code 3; RFC 4443: type 1 code
 * 4), quoting the datagram's IP header and the UDP header behind it. Each
 * answer counts the quoted destination port towards a port scan by the host
 * the answer goes to. Ports that stay silent (open, or filtered) are not
 * seen; traceroute draws a few such answers, far below the threshold.
 */
static __always_inline void pb_det_udp_scan(struct pb_det_pkt *d, const __u8 *data,
					    const void *end)
{
	/* The headers before ICMP end well below 1 KiB; the mask tells the
	 * verifier so before it adds the offset to a packet pointer. */
	const __u8 *q = data + (d->p->l4_off & 0x3ff) + sizeof(struct pb_icmp), *udp;
	struct pb_det_scan_key key = { .src = d->dst, .dst = d->src };
	struct pb_det_distinct *s;
	struct pb_det_pkt u;
	struct pb_alert *a;
	__u32 n;

	if (d->p->l4_proto == PB_IPPROTO_ICMP) {
		if (PB_OUT(q, 20, end) || q[0] >> 4 != 4 || (q[0] & 0x0f) < 5 ||
		    q[9] != PB_IPPROTO_UDP)
			return;
		udp = q + (q[0] & 0x0f) * 4;
	} else {
		if (PB_OUT(q, 40, end) || q[0] >> 4 != 6 || q[6] != PB_IPPROTO_UDP)
			return;
		udp = q + 40;
	}
	if (PB_OUT(udp, 4, end))
		return;
	s = pb_det_get(d->env, PB_DET_SCANS, &key, 1);
	if (!s)
		return;
	n = pb_distinct_add(s, pb_det_bucket((udp[2] << 8 | udp[3]) | PB_DET_UDP_PORT), d->now,
			    pb_det_window(d, PB_ALERT_PORT_SCAN));
	if (n <= d->cfg->type[PB_ALERT_PORT_SCAN].threshold)
		return;
	/* The alert names the scanner as its source: the answer, turned round. */
	u = *d;
	u.src = d->dst;
	u.dst = d->src;
	u.has_mac = 0;
	a = pb_det_raise(&u, PB_ALERT_PORT_SCAN, &u.src, 0, n, 1);
	if (!a)
		return;
	pb_det_target(a, &u, 0);
	a->l4_proto = PB_IPPROTO_UDP;
	pb_det_alert_end(d->env, a);
}

static __always_inline int pb_icmp_port_unreachable(const struct pb_pkt *p)
{
	if (p->l4_proto == PB_IPPROTO_ICMPV6)
		return p->icmp_type == 1 && p->icmp_code == 4;
	return p->icmp_type == 3 && p->icmp_code == 3;
}

static __always_inline void pb_det_icmp(struct pb_det_pkt *d, const __u8 *data, const void *end)
{
	__u8 echo = d->p->l4_proto == PB_IPPROTO_ICMP ? PB_ICMP_ECHO : PB_ICMPV6_ECHO;
	__u8 reply = d->p->l4_proto == PB_IPPROTO_ICMP ? PB_ICMP_ECHO_REPLY : PB_ICMPV6_ECHO_REPLY;

	/* Echo replies and error messages answer someone else's packets: a
	 * flood's victim sends them, and must not be named the flooder. */
	if (pb_det_on(d, PB_ALERT_ICMP_FLOOD) && d->p->icmp_type != reply &&
	    !pb_icmp_is_error(d->p->l4_proto, d->p->icmp_type))
		pb_det_rate(d, PB_WIN_ICMP_OUT, 0);
	if (d->p->icmp_type == echo && !d->p->icmp_code)
		pb_det_attempt(d, 0);
	else if (d->p->icmp_type == reply && !d->p->icmp_code)
		pb_det_answer(d, 0);
	else if (pb_det_on(d, PB_ALERT_PORT_SCAN) && pb_icmp_port_unreachable(d->p))
		pb_det_udp_scan(d, data, end);
}

/*
 * ARP (RFC 826): every request and reply tells the sender's binding. A
 * binding that differs from the one learned is a spoof or a conflict
 * (gratuitous ARP included); the new binding is learned, so each change
 * alerts once. Sender address 0.0.0.0 is an RFC 5227 probe: nothing bound.
 */
static __always_inline void pb_det_arp(struct pb_det_pkt *d, const __u8 *data, const void *end)
{
	/* The link header and its VLAN tags end well below 256 bytes; the mask
	 * tells the verifier so before it adds the offset to a packet pointer. */
	const __u8 *sha = data + (d->p->l3_off & 0xff) + sizeof(struct pb_arp);
	__be32 spa = d->p->saddr[0];
	struct pb_det_mac *m;
	struct pb_alert *a;
	int i, same = 1;

	if (!spa || PB_OUT(sha, PB_ETH_ALEN, end))
		return;
	m = pb_det_get(d->env, PB_DET_ARP, &spa, 0);
	if (!m) {
		m = pb_det_get(d->env, PB_DET_ARP, &spa, 1);
		if (m)
			__builtin_memcpy(m->mac, sha, PB_ETH_ALEN);
		return;
	}
	for (i = 0; i < PB_ETH_ALEN; i++)
		if (m->mac[i] != sha[i])
			same = 0;
	if (same)
		return;
	__builtin_memcpy(d->mac, sha, PB_ETH_ALEN);
	d->has_mac = 1;
	a = pb_det_raise(d, PB_ALERT_ARP_SPOOF, &d->src, 0, 1, 1);
	if (a) {
		__builtin_memcpy(a->old_mac, m->mac, PB_ETH_ALEN);
		a->daddr[0] = d->p->daddr[0];
		a->flags |= PB_ALERT_HAS_TARGET;
		pb_det_alert_end(d->env, a);
	}
	__builtin_memcpy(m->mac, sha, PB_ETH_ALEN);
}

static __always_inline int pb_deny_net_match(const volatile struct pb_deny_net *n,
					     const struct pb_det_host *h)
{
	return (h->addr[0] & n->mask[0]) == n->addr[0] && (h->addr[1] & n->mask[1]) == n->addr[1] &&
	       (h->addr[2] & n->mask[2]) == n->addr[2] && (h->addr[3] & n->mask[3]) == n->addr[3];
}

static __always_inline __u8 pb_deny_l4_bit(__u8 proto)
{
	switch (proto) {
	case PB_IPPROTO_TCP:
		return PB_DENY_TCP;
	case PB_IPPROTO_UDP:
		return PB_DENY_UDP;
	case PB_IPPROTO_ICMP:
		return PB_DENY_ICMP;
	case PB_IPPROTO_ICMPV6:
		return PB_DENY_ICMP6;
	default:
		return 0;
	}
}

/* The meaning of each constraint is pcap-filter's (see user/policy/deny.c). */
static __always_inline int pb_deny_match(const volatile struct pb_deny_rule *r,
					 const struct pb_det_pkt *d)
{
	const struct pb_pkt *p = d->p;
	__u8 has = r->has;
	int ports = (p->flags & PB_PKT_L4) &&
		    (p->l4_proto == PB_IPPROTO_TCP || p->l4_proto == PB_IPPROTO_UDP);

	if (has & PB_DENY_NONE)
		return 0;
	if (r->family && r->family != d->src.family)
		return 0;
	if (r->l4 && !(r->l4 & pb_deny_l4_bit(p->l4_proto)))
		return 0;
	if ((has & (PB_DENY_SPORT | PB_DENY_DPORT | PB_DENY_PORT)) && !ports)
		return 0;
	if ((has & PB_DENY_SPORT) && p->sport != r->port[0])
		return 0;
	if ((has & PB_DENY_DPORT) && p->dport != r->port[1])
		return 0;
	if ((has & PB_DENY_PORT) && p->sport != r->port[2] && p->dport != r->port[2])
		return 0;
	if ((has & PB_DENY_SNET) && !pb_deny_net_match(&r->net[0], &d->src))
		return 0;
	if ((has & PB_DENY_DNET) && !pb_deny_net_match(&r->net[1], &d->dst))
		return 0;
	if ((has & PB_DENY_NET) && !pb_deny_net_match(&r->net[2], &d->src) &&
	    !pb_deny_net_match(&r->net[2], &d->dst))
		return 0;
	return 1;
}

static __always_inline void pb_det_deny(struct pb_det_pkt *d)
{
	struct pb_alert *a;
	__u32 i, n = d->cfg->n_rules;

	for (i = 0; i < PB_DENY_MAX_RULES; i++) {
		if (i >= n)
			return;
		if (!pb_deny_match(&d->cfg->rule[i], d))
			continue;
		a = pb_det_raise(d, PB_ALERT_DENIED_ACCESS, &d->src, 0, 1, 1);
		if (!a)
			return;
		pb_det_target(a, d, d->p->flags & PB_PKT_L4 && d->p->l4_proto != PB_IPPROTO_ICMP &&
					    d->p->l4_proto != PB_IPPROTO_ICMPV6);
		a->detail = i;
		pb_det_alert_end(d->env, a);
		return;
	}
}

static __always_inline void pb_det_host_ip(struct pb_det_host *h, const __be32 *addr, __u8 fam)
{
	h->addr[0] = addr[0];
	h->addr[1] = fam == 6 ? addr[1] : 0;
	h->addr[2] = fam == 6 ? addr[2] : 0;
	h->addr[3] = fam == 6 ? addr[3] : 0;
	h->family = fam;
	h->pad[0] = h->pad[1] = h->pad[2] = 0;
}

/*
 * Run every enabled detector over one parsed packet. data/end are the
 * captured bytes (ARP's sender hardware address is read from them); mac is
 * the Ethernet source address, or NULL on other link types.
 */
static __always_inline void pb_detect(struct pb_det_env *env,
				      const volatile struct pb_det_config *cfg,
				      const __u8 *data, const void *end, const __u8 *mac,
				      const struct pb_pkt *p, __u64 now, __u8 dir)
{
	struct pb_det_pkt d = { .env = env, .cfg = cfg, .p = p, .now = now, .dir = dir };
	__u8 fam = p->l3_proto == PB_ETH_P_IPV6 ? 6 : 4;

	if (mac) {
		__builtin_memcpy(d.mac, mac, PB_ETH_ALEN);
		d.has_mac = 1;
	}
	if (p->malformed) {
		if (!pb_det_on(&d, PB_ALERT_MALFORMED_BURST))
			return;
		if (p->flags & PB_PKT_IP)
			pb_det_host_ip(&d.src, p->saddr, fam);
		else
			/* No address to name the sender by: its MAC (or nothing) will do. */
			__builtin_memcpy(d.src.addr, d.mac, PB_ETH_ALEN);
		pb_det_rate(&d, PB_WIN_MALFORMED_OUT, 0);
		return;
	}
	if (p->l3_proto == PB_ETH_P_ARP) {
		if ((p->flags & PB_PKT_ARP_ADDRS) && pb_det_on(&d, PB_ALERT_ARP_SPOOF)) {
			pb_det_host_ip(&d.src, p->saddr, 4);
			pb_det_arp(&d, data, end);
		}
		return;
	}
	if (!(p->flags & PB_PKT_IP))
		return;
	pb_det_host_ip(&d.src, p->saddr, fam);
	pb_det_host_ip(&d.dst, p->daddr, fam);
	if (p->flags & PB_PKT_L4) {
		switch (p->l4_proto) {
		case PB_IPPROTO_TCP:
			pb_det_tcp(&d);
			break;
		case PB_IPPROTO_UDP:
			if (pb_det_on(&d, PB_ALERT_UDP_FLOOD))
				pb_det_rate(&d, PB_WIN_UDP_OUT, 1);
			break;
		case PB_IPPROTO_ICMP:
		case PB_IPPROTO_ICMPV6:
			pb_det_icmp(&d, data, end);
			break;
		}
	}
	if (pb_det_on(&d, PB_ALERT_DENIED_ACCESS))
		pb_det_deny(&d);
}

#endif /* PB_DETECT_H */
