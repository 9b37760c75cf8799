// SPDX-License-Identifier: BSD-2-Clause
/* Text tables and JSON for flow lists and top talkers (flows, stats, read). */
#include "flows_fmt.h"
#include "flowtab.h"
#include "outcheck.h"
#include "units.h"
#include "utf8.h"
#include "stats.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ADDR_LEN 64

static double duration_s(const struct pb_flow_val *v)
{
	return (double)(v->last_ns - v->first_ns) / 1e9;
}

static void flags_str(__u8 flags, char *buf, size_t len)
{
	size_t n = 0;
	int i;

	buf[0] = 0;
	for (i = 0; i < PB_TCPF_MAX && n + 5 < len; i++)
		if (flags & (1u << i))
			n += snprintf(buf + n, len - n, "%s%s", n ? "," : "", pb_tcp_flag_names[i]);
}

static json_t *flags_json(__u8 flags)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < PB_TCPF_MAX; i++)
		if (flags & (1u << i))
			json_array_append_new(a, json_string(pb_tcp_flag_names[i]));
	return a;
}

void pb_flow_endpoint_str(const struct pb_flow_key *k, int end, char *buf, size_t len)
{
	char a[ADDR_LEN];

	pb_addr_str(k->family, k->addr[end], a, sizeof(a));
	if (k->port[0] || k->port[1])
		snprintf(buf, len, k->family == 6 ? "[%s]:%u" : "%s:%u", a, k->port[end]);
	else
		snprintf(buf, len, "%s", a);
}

void pb_flows_print(FILE *f, const struct pb_flow_list *l, size_t top)
{
	char src[ADDR_LEN + 8], dst[ADDR_LEN + 8], p[16], fl[64];
	size_t i, n = top && top < l->n ? top : l->n;

	fprintf(f, "%-6s %-24s %-24s %9s %11s %9s %11s %9s %s\n", "proto", "initiator", "responder",
		"pkts out", "bytes out", "pkts in", "bytes in", "seconds", "flags");
	for (i = 0; i < n; i++) {
		const struct pb_flow_entry *e = &l->e[i];
		int s = pb_flow_initiator(&e->val);

		pb_flow_endpoint_str(&e->key, s, src, sizeof(src));
		pb_flow_endpoint_str(&e->key, !s, dst, sizeof(dst));
		flags_str(e->val.tcp_flags[0] | e->val.tcp_flags[1], fl, sizeof(fl));
		fprintf(f, "%-6s %-24s %-24s %9" PRIu64 " %11" PRIu64 " %9" PRIu64 " %11" PRIu64
			   " %9.3f %s%s",
			pb_ipproto_name(e->key.l4_proto, p, sizeof(p)), src, dst,
			(uint64_t)e->val.packets[s], (uint64_t)e->val.bytes[s],
			(uint64_t)e->val.packets[!s], (uint64_t)e->val.bytes[!s], duration_s(&e->val),
			fl, e->val.state & PB_FLOW_ENDED ? " ended" : "");
		if (e->key.vlan_id)
			fprintf(f, " vlan %u", e->key.vlan_id);
		fputc('\n', f);
	}
	fprintf(f, "\n%zu of %zu flows shown", n, l->n);
	if (l->max_entries)
		fprintf(f, "; table size %u, %" PRIu64 " created, %" PRIu64 " evicted", l->max_entries,
			(uint64_t)l->created, (uint64_t)l->evicted);
	fputc('\n', f);
}

static void time_str(const struct pb_flow_list *l, __u64 ns, char *buf, size_t len)
{
	__u64 wall = ns + l->clock_to_realtime_ns;
	size_t n;

	pb_format_time(buf, len, wall);
	/* Milliseconds before the Z: flows are often shorter than a second. */
	n = strlen(buf);
	if (n && n + 4 < len)
		snprintf(buf + n - 1, len - n + 1, ".%03uZ", (unsigned)(wall / 1000000 % 1000));
}

static json_t *flow_json(const struct pb_flow_list *l, const struct pb_flow_entry *e)
{
	char a[ADDR_LEN], b[ADDR_LEN], p[16], first[40], last[40];
	const struct pb_flow_val *v = &e->val;
	int s = pb_flow_initiator(v);

	time_str(l, v->first_ns, first, sizeof(first));
	time_str(l, v->last_ns, last, sizeof(last));
	return json_pack("{s:s,s:i,s:s,s:i,s:s,s:i,s:i,s:I,s:I,s:I,s:I,s:I,s:I,s:s,s:s,s:f,s:o,s:o,s:b}",
			 "protocol", pb_ipproto_name(e->key.l4_proto, p, sizeof(p)), "ip_version",
			 e->key.family, "src", pb_addr_str(e->key.family, e->key.addr[s], a, sizeof(a)),
			 "src_port", e->key.port[s], "dst",
			 pb_addr_str(e->key.family, e->key.addr[!s], b, sizeof(b)), "dst_port",
			 e->key.port[!s], "vlan", e->key.vlan_id, "packets",
			 (json_int_t)(v->packets[0] + v->packets[1]), "bytes",
			 (json_int_t)(v->bytes[0] + v->bytes[1]), "src_packets",
			 (json_int_t)v->packets[s], "src_bytes", (json_int_t)v->bytes[s],
			 "dst_packets", (json_int_t)v->packets[!s], "dst_bytes",
			 (json_int_t)v->bytes[!s], "first_seen", first, "last_seen", last,
			 "duration_seconds", duration_s(v), "src_tcp_flags", flags_json(v->tcp_flags[s]),
			 "dst_tcp_flags", flags_json(v->tcp_flags[!s]), "ended",
			 !!(v->state & PB_FLOW_ENDED));
}

json_t *pb_flow_table_json(const struct pb_flow_list *l)
{
	return json_pack("{s:I,s:I,s:I,s:I,s:I}", "entries", (json_int_t)l->n, "max_entries",
			 (json_int_t)l->max_entries, "created", (json_int_t)l->created, "evicted",
			 (json_int_t)l->evicted, "insert_failed", (json_int_t)l->insert_failed);
}

json_t *pb_flows_json(const struct pb_flow_list *l, size_t top)
{
	json_t *a = json_array();
	size_t i, n = top && top < l->n ? top : l->n;

	for (i = 0; i < n; i++)
		json_array_append_new(a, flow_json(l, &l->e[i]));
	return json_pack("{s:o,s:o}", "table", pb_flow_table_json(l), "flows", a);
}

static json_t *talker_list_json(const struct pb_flow_list *l, bool by_dst, size_t top)
{
	struct pb_talker *t;
	json_t *a = json_array();
	char s[ADDR_LEN];
	long i, n = pb_talkers(l, by_dst, &t);

	for (i = 0; i < n && (!top || (size_t)i < top); i++)
		json_array_append_new(a, json_pack("{s:s,s:I,s:I,s:i}", "address",
						   pb_addr_str(t[i].family, t[i].addr, s, sizeof(s)),
						   "packets", (json_int_t)t[i].packets, "bytes",
						   (json_int_t)t[i].bytes, "flows", t[i].flows));
	free(t);
	return a;
}

json_t *pb_talkers_json(const struct pb_flow_list *l, size_t top)
{
	return json_pack("{s:o,s:o}", "by_source", talker_list_json(l, false, top),
			 "by_destination", talker_list_json(l, true, top));
}

static void talker_table(FILE *f, const struct pb_flow_list *l, bool by_dst, size_t top)
{
	struct pb_talker *t;
	char s[ADDR_LEN];
	long i, n = pb_talkers(l, by_dst, &t);

	fprintf(f, "  %-40s %12s %14s %8s\n", by_dst ? "top destinations" : "top sources",
		by_dst ? "packets in" : "packets out", by_dst ? "bytes in" : "bytes out", "flows");
	for (i = 0; i < n && (!top || (size_t)i < top); i++)
		fprintf(f, "  %-40s %12" PRIu64 " %14" PRIu64 " %8u\n",
			pb_addr_str(t[i].family, t[i].addr, s, sizeof(s)), (uint64_t)t[i].packets,
			(uint64_t)t[i].bytes, t[i].flows);
	free(t);
}

void pb_talkers_print(FILE *f, const struct pb_flow_list *l, size_t top)
{
	talker_table(f, l, false, top);
	fputc('\n', f);
	talker_table(f, l, true, top);
}

void pb_flowtab_print(const struct pb_flowtab *t, bool json, const char *file)
{
	struct pb_flow_list l;

	if (pb_flowtab_list(t, &l)) {
		pb_flow_list_free(&l);
		return;
	}
	pb_flows_sort(&l, PB_SORT_BYTES);
	if (json) {
		json_t *doc = pb_flows_json(&l, 0);

		json_object_set_new(doc, "file", pb_json_str(file));
		pb_out_json(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	} else {
		pb_flows_print(stdout, &l, 0);
	}
	pb_flow_list_free(&l);
}
