// SPDX-License-Identifier: BSD-2-Clause
#include "flow_list.h"
#include "pkt_fmt.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int pb_flow_sort_parse(const char *s)
{
	if (!strcmp(s, "bytes"))
		return PB_SORT_BYTES;
	if (!strcmp(s, "packets"))
		return PB_SORT_PACKETS;
	if (!strcmp(s, "duration"))
		return PB_SORT_DURATION;
	return -1;
}

void pb_flow_val_merge(struct pb_flow_val *dst, const struct pb_flow_val *src)
{
	int i;

	if (!src->first_ns)
		return; /* this CPU never saw the flow */
	for (i = 0; i < 2; i++) {
		dst->packets[i] += src->packets[i];
		dst->bytes[i] += src->bytes[i];
		dst->tcp_flags[i] |= src->tcp_flags[i];
	}
	if (!dst->first_ns || src->first_ns < dst->first_ns)
		dst->first_ns = src->first_ns;
	/* The initiator: who sent the packet that created the flow. */
	if (src->state & PB_FLOW_CREATOR)
		dst->state = (dst->state & ~PB_FLOW_END0_FIRST) |
			     (src->state & (PB_FLOW_END0_FIRST | PB_FLOW_CREATOR));
	if (src->last_ns > dst->last_ns)
		dst->last_ns = src->last_ns;
	dst->state |= src->state & PB_FLOW_ENDED;
}

int pb_flow_list_push(struct pb_flow_list *l, const struct pb_flow_key *k,
		      const struct pb_flow_val *v)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 256;
		struct pb_flow_entry *e = realloc(l->e, cap * sizeof(*e));

		if (!e)
			return -ENOMEM;
		l->e = e;
		l->cap = cap;
	}
	l->e[l->n].key = *k;
	l->e[l->n].val = *v;
	l->n++;
	return 0;
}

void pb_flow_list_free(struct pb_flow_list *l)
{
	free(l->e);
	memset(l, 0, sizeof(*l));
}

static __u64 flow_sort_value(const struct pb_flow_entry *e, enum pb_flow_sort by)
{
	switch (by) {
	case PB_SORT_PACKETS:
		return e->val.packets[0] + e->val.packets[1];
	case PB_SORT_DURATION:
		return e->val.last_ns - e->val.first_ns;
	default:
		return e->val.bytes[0] + e->val.bytes[1];
	}
}

static enum pb_flow_sort sort_by;

static int cmp_flows(const void *a, const void *b)
{
	__u64 x = flow_sort_value(a, sort_by), y = flow_sort_value(b, sort_by);

	if (x != y)
		return x < y ? 1 : -1;
	/* Ties in a stable, meaningful order: the key's bytes. */
	return memcmp(&((const struct pb_flow_entry *)a)->key,
		      &((const struct pb_flow_entry *)b)->key, sizeof(struct pb_flow_key));
}

void pb_flows_sort(struct pb_flow_list *l, enum pb_flow_sort by)
{
	sort_by = by;
	if (l->n)
		qsort(l->e, l->n, sizeof(*l->e), cmp_flows);
}

static int cmp_talker_addr(const void *a, const void *b)
{
	const struct pb_talker *x = a, *y = b;

	if (x->family != y->family)
		return x->family - y->family;
	return memcmp(x->addr, y->addr, sizeof(x->addr));
}

static int cmp_talker_bytes(const void *a, const void *b)
{
	const struct pb_talker *x = a, *y = b;

	if (x->bytes != y->bytes)
		return x->bytes < y->bytes ? 1 : -1;
	return cmp_talker_addr(a, b);
}

long pb_talkers(const struct pb_flow_list *l, bool by_dst, struct pb_talker **out)
{
	struct pb_talker *t;
	size_t i, n = 0, m;
	int end;

	*out = NULL;
	t = calloc(2 * l->n + 1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	/* Each flow gives each end's address what that end sent (or got). */
	for (i = 0; i < l->n; i++) {
		const struct pb_flow_entry *e = &l->e[i];

		for (end = 0; end < 2; end++) {
			int from = by_dst ? !end : end;

			if (!e->val.packets[from])
				continue;
			memcpy(t[n].addr, e->key.addr[end], sizeof(t[n].addr));
			t[n].family = e->key.family;
			t[n].packets = e->val.packets[from];
			t[n].bytes = e->val.bytes[from];
			t[n].flows = 1;
			n++;
		}
	}
	qsort(t, n, sizeof(*t), cmp_talker_addr);
	for (i = 0, m = 0; i < n; i++) {
		if (m && !cmp_talker_addr(&t[m - 1], &t[i])) {
			t[m - 1].packets += t[i].packets;
			t[m - 1].bytes += t[i].bytes;
			t[m - 1].flows++;
		} else {
			t[m++] = t[i];
		}
	}
	qsort(t, m, sizeof(*t), cmp_talker_bytes);
	*out = t;
	return m;
}

const char *pb_addr_str(__u8 family, const __be32 *addr, char *buf, size_t len)
{
	if (!inet_ntop(family == 4 ? AF_INET : AF_INET6, addr, buf, len))
		snprintf(buf, len, "?");
	return buf;
}

const char *pb_ipproto_name(__u8 proto, char *buf, size_t len)
{
	const char *name = pb_name_of(&pb_ip_proto_names, proto);

	if (name)
		return name;
	snprintf(buf, len, "proto-%u", proto);
	return buf;
}
