// SPDX-License-Identifier: BSD-2-Clause
/* Text tables and JSON documents for pb_totals (live stats and read --stats). */
#include "stats_fmt.h"
#include "detect_stats.h"
#include "flows.h"
#include "flows_fmt.h"
#include "sample_stats.h"
#include "state.h"

#include <inttypes.h>
#include <stdio.h>
#include <time.h>

static json_t *count_json(const struct pb_count *c)
{
	return json_pack("{s:I,s:I}", "packets", (json_int_t)c->packets, "bytes",
			 (json_int_t)c->bytes);
}

static json_t *dir_json(const struct pb_totals *t, int dir)
{
	const struct pb_dir_stats *d = &t->dir[dir];
	json_t *o = json_object(), *protos = json_object(), *ipp = json_object();
	json_t *eth = json_object(), *flags = json_object(), *mal = json_object();
	char key[16];
	int i;

	json_object_set_new(o, "packets", json_integer(d->proto[PB_PROTO_ALL].packets));
	json_object_set_new(o, "bytes", json_integer(d->proto[PB_PROTO_ALL].bytes));
	for (i = 0; i < PB_PROTO_MAX; i++)
		json_object_set_new(protos, pb_proto_names[i], count_json(&d->proto[i]));
	for (i = 0; i < 256; i++) {
		if (!d->ip_proto[i].packets)
			continue;
		snprintf(key, sizeof(key), "%d", i);
		json_object_set_new(ipp, key, count_json(&d->ip_proto[i]));
	}
	for (i = 0; i < t->n_ethertypes[dir]; i++) {
		snprintf(key, sizeof(key), "0x%04x", t->ethertypes[dir][i].ethertype);
		json_object_set_new(eth, key, count_json(&t->ethertypes[dir][i].c));
	}
	for (i = 0; i < PB_TCPF_MAX; i++)
		json_object_set_new(flags, pb_tcp_flag_names[i], json_integer(d->tcp_flags[i]));
	json_object_set_new(mal, "total", json_integer(pb_malformed_total(d)));
	for (i = 1; i < PB_MAL_MAX; i++)
		json_object_set_new(mal, pb_malformed_names[i], json_integer(d->malformed[i]));
	json_object_set_new(o, "protocols", protos);
	json_object_set_new(o, "ip_protocols", ipp);
	json_object_set_new(o, "ethertypes", eth);
	json_object_set_new(o, "tcp_flags", flags);
	json_object_set_new(o, "malformed", mal);
	json_object_set_new(o, "capture_truncated", json_integer(d->capture_truncated));
	json_object_set_new(o, "filter_matched", json_integer(d->filter_matched));
	json_object_set_new(o, "ethertype_table_full", json_integer(d->ethertype_table_full));
	return o;
}

json_t *pb_totals_json(const struct pb_totals *t)
{
	json_t *o = json_object();
	int dir;

	for (dir = 0; dir < PB_DIR_MAX; dir++)
		json_object_set_new(o, pb_dir_names[dir], dir_json(t, dir));
	pb_det_totals_json(o, &t->det);
	return o;
}

static void row2(FILE *f, const char *name, const struct pb_count *in, const struct pb_count *out)
{
	fprintf(f, "  %-18s %12" PRIu64 " %14" PRIu64 " %12" PRIu64 " %14" PRIu64 "\n", name,
		(uint64_t)in->packets, (uint64_t)in->bytes, (uint64_t)out->packets,
		(uint64_t)out->bytes);
}

static void row1(FILE *f, const char *name, __u64 in, __u64 out)
{
	fprintf(f, "  %-18s %12" PRIu64 " %12" PRIu64 "\n", name, (uint64_t)in, (uint64_t)out);
}

static const struct pb_count *find_ethertype(const struct pb_totals *t, int dir, __u16 type)
{
	static const struct pb_count none;
	int i;

	for (i = 0; i < t->n_ethertypes[dir]; i++)
		if (t->ethertypes[dir][i].ethertype == type)
			return &t->ethertypes[dir][i].c;
	return &none;
}

void pb_totals_print(FILE *f, const struct pb_totals *t)
{
	const struct pb_dir_stats *in = &t->dir[PB_DIR_INGRESS], *out = &t->dir[PB_DIR_EGRESS];
	char name[32];
	int i, dir;

	fprintf(f, "  %-18s %12s %14s %12s %14s\n", "protocol", "in packets", "in bytes",
		"out packets", "out bytes");
	for (i = 0; i < PB_PROTO_MAX; i++)
		if (i == PB_PROTO_ALL || in->proto[i].packets || out->proto[i].packets)
			row2(f, pb_proto_names[i], &in->proto[i], &out->proto[i]);
	for (i = 0; i < 256; i++) {
		if (i == 1 || i == 6 || i == 17 || i == 58)
			continue; /* already on the icmp/tcp/udp/icmpv6 rows */
		if (!in->ip_proto[i].packets && !out->ip_proto[i].packets)
			continue;
		snprintf(name, sizeof(name), "ip proto %d", i);
		row2(f, name, &in->ip_proto[i], &out->ip_proto[i]);
	}
	for (dir = 0; dir < PB_DIR_MAX; dir++) {
		for (i = 0; i < t->n_ethertypes[dir]; i++) {
			__u16 type = t->ethertypes[dir][i].ethertype;

			/* an ethertype seen both ways is printed once, from ingress */
			if (dir == PB_DIR_EGRESS && find_ethertype(t, PB_DIR_INGRESS, type)->packets)
				continue;
			snprintf(name, sizeof(name), "ethertype 0x%04x", type);
			row2(f, name, find_ethertype(t, PB_DIR_INGRESS, type),
			     find_ethertype(t, PB_DIR_EGRESS, type));
		}
	}

	fprintf(f, "\n  %-18s %12s %12s\n", "tcp flags", "in", "out");
	for (i = 0; i < PB_TCPF_MAX; i++)
		row1(f, pb_tcp_flag_names[i], in->tcp_flags[i], out->tcp_flags[i]);

	fprintf(f, "\n  %-18s %12s %12s\n", "malformed", "in", "out");
	row1(f, "total", pb_malformed_total(in), pb_malformed_total(out));
	for (i = 1; i < PB_MAL_MAX; i++)
		if (in->malformed[i] || out->malformed[i])
			row1(f, pb_malformed_names[i], in->malformed[i], out->malformed[i]);
	row1(f, "capture_truncated", in->capture_truncated, out->capture_truncated);
	row1(f, "ethertype_table_full", in->ethertype_table_full, out->ethertype_table_full);
	pb_det_totals_print(f, &t->det);
}

static double rate(__u64 a, __u64 b, double elapsed)
{
	return elapsed > 0 && b >= a ? (double)(b - a) / elapsed : 0.0;
}

json_t *pb_rates_json(const struct pb_totals *prev, const struct pb_totals *cur, double elapsed)
{
	json_t *o = json_object();
	int dir;

	json_object_set_new(o, "interval_seconds", json_real(elapsed));
	for (dir = 0; dir < PB_DIR_MAX; dir++) {
		const struct pb_count *a = &prev->dir[dir].proto[PB_PROTO_ALL];
		const struct pb_count *b = &cur->dir[dir].proto[PB_PROTO_ALL];

		json_object_set_new(
			o, pb_dir_names[dir],
			json_pack("{s:f,s:f,s:f}", "packets_per_second",
				  rate(a->packets, b->packets, elapsed), "bits_per_second",
				  8 * rate(a->bytes, b->bytes, elapsed), "malformed_per_second",
				  rate(pb_malformed_total(&prev->dir[dir]),
				       pb_malformed_total(&cur->dir[dir]), elapsed)));
	}
	return o;
}

void pb_rates_print_header(FILE *f)
{
	fprintf(f, "%-8s %12s %14s %12s %14s %12s\n", "time", "in pkt/s", "in bit/s", "out pkt/s",
		"out bit/s", "malformed/s");
}

void pb_rates_print(FILE *f, const struct pb_totals *prev, const struct pb_totals *cur,
		    double elapsed)
{
	const struct pb_count *ai = &prev->dir[0].proto[PB_PROTO_ALL];
	const struct pb_count *bi = &cur->dir[0].proto[PB_PROTO_ALL];
	const struct pb_count *ao = &prev->dir[1].proto[PB_PROTO_ALL];
	const struct pb_count *bo = &cur->dir[1].proto[PB_PROTO_ALL];
	__u64 ma = pb_malformed_total(&prev->dir[0]) + pb_malformed_total(&prev->dir[1]);
	__u64 mb = pb_malformed_total(&cur->dir[0]) + pb_malformed_total(&cur->dir[1]);
	char when[16];
	time_t now = time(NULL);

	strftime(when, sizeof(when), "%H:%M:%S", localtime(&now));
	fprintf(f, "%-8s %12.1f %14.0f %12.1f %14.0f %12.1f\n", when,
		rate(ai->packets, bi->packets, elapsed), 8 * rate(ai->bytes, bi->bytes, elapsed),
		rate(ao->packets, bo->packets, elapsed), 8 * rate(ao->bytes, bo->bytes, elapsed),
		rate(ma, mb, elapsed));
}

json_t *pb_capture_json(const struct pb_state *s, size_t top)
{
	struct pb_sample_stats st;
	struct pb_flow_list l;
	json_t *o = json_object();

	if (!pb_flows_of(s, &l)) {
		json_object_set_new(o, "flow_table", pb_flow_table_json(&l));
		json_object_set_new(o, "top_talkers", pb_talkers_json(&l, top));
		pb_flow_list_free(&l);
	}
	if (!pb_sample_stats_of(s, &st))
		json_object_set_new(o, "samples", pb_sample_stats_json(s, &st));
	return o;
}

void pb_capture_print(FILE *f, const struct pb_state *s, size_t top)
{
	struct pb_sample_stats st;
	struct pb_flow_list l;

	if (!pb_flows_of(s, &l)) {
		fprintf(f, "\n  flows: %zu in the table (size %u), %" PRIu64 " created, %" PRIu64
			   " evicted\n\n",
			l.n, l.max_entries, (uint64_t)l.created, (uint64_t)l.evicted);
		pb_talkers_print(f, &l, top);
		pb_flow_list_free(&l);
	}
	if (!pb_sample_stats_of(s, &st)) {
		fputc('\n', f);
		pb_sample_stats_print(f, s, &st);
	}
}
