// SPDX-License-Identifier: BSD-2-Clause
/*
 * pktbpf read: a capture file through the same parser and counting rule as
 * the kernel programs (include/pb_parse.h, include/pb_count.h).
 */
#include "capture.h"
#include "cli.h"
#include "filter_compile.h"
#include "log.h"
#include "pkt_fmt.h"
#include "flows_fmt.h"
#include "flowtab.h"
#include "read_alerts.h"
#include "show_pkt.h"
#include "stats_fmt.h"
#include "outcheck.h"
#include "utf8.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <pcap/pcap.h>

#include "pb_count.h"

static const char usage[] =
	"Usage: pktbpf read FILE [--filter EXPR] [--stats|--flows] [--alerts [DETECTOR FLAGS]]\n"
	"                        [--json] [-v|-vv] [-c N]\n"
	"\n"
	"Decode a pcap or pcapng capture (also gzip-compressed; FILE '-' is standard\n"
	"input) with the parser the kernel programs run. Link types: Ethernet,\n"
	"Linux cooked (SLL, SLL2), raw IPv4/IPv6, BSD loopback (NULL, LOOP).\n"
	"\n"
	"By default one line per packet on stdout (time, addresses and ports,\n"
	"protocol, TCP flags, length on the wire); a summary and any warning go to\n"
	"stderr, so '| wc -l' counts packets.\n"
	"\n"
	"  --filter EXPR  only the packets tcpdump's filter EXPR matches (man 7\n"
	"                 pcap-filter), as 'tcpdump -r FILE EXPR' selects them; the\n"
	"                 rest are neither printed nor counted. Packet numbers stay\n"
	"                 those of the file\n"
	"  --stats        no packet lines: the counters of 'pktbpf stats' (packets from\n"
	"                 a Linux cooked capture count by their direction, others as\n"
	"                 ingress) and capture facts (packets, bytes, time span)\n"
	"  --flows        no packet lines: the flows, built as the kernel's flow table\n"
	"                 builds them (pktbpf flows), largest first\n"
	"  --json         one JSON object per packet per line; with --stats or --flows\n"
	"                 one document\n"
	"                 (field names in README.md)\n"
	"  --alerts       no packet lines: the detectors of 'pktbpf alerts' over the file,\n"
	"                 its timestamps as their clock; a line per alert (a JSON object\n"
	"                 per line with --json); with --stats their counts instead\n"
	"  detector flags, with --alerts (as for attach):\n"
	PB_DETECT_USAGE
	"  -v, --verbose  every decoded header field under each packet line, and the\n"
	"                 payload decoded (DNS, HTTP, TLS ClientHello, DHCP, ARP, ICMP);\n"
	"                 -vv also each header's bytes in hex beside its fields\n"
	"  -c, --count N  stop after N packets\n"
	"  -h, --help     this text\n"
	"\n"
	"Exit status 2 when FILE is not a readable capture, or is damaged: then the\n"
	"packets before the damage are still printed and counted.\n";

enum { OPT_STATS = PB_OPT_FIRST_PRIVATE, OPT_FLOWS, OPT_ALERTS, OPT_FILTER };

/* What a capture file holds, beside the protocol counters. */
struct facts {
	__u64 packets;
	__u64 bytes;          /* on the wire */
	__u64 captured_bytes; /* in the file */
	__u64 cut;            /* records shorter than the packet on the wire */
	__u64 first_ns, last_ns;
	const char *damage;   /* libpcap's or zlib's word on the damaged record */
	__u64 read;           /* records read, matching the filter or not */
	const char *filter;   /* what the packets counted here matched, or NULL */
};

struct read_opts {
	bool stats, json, alerts;
	struct pb_flowtab *flows; /* --flows */
	struct pb_det_flags det;
	struct pb_read_alerts *ra; /* with --alerts */
	unsigned long count;
	enum pb_print_detail detail;
	const char *filter; /* the expression, or NULL */
	struct pb_cbpf prog; /* libpcap's program for it */
};

static void count_frame(struct pb_totals *t, struct facts *fx, const struct pb_frame *f,
			const struct pb_pkt *p)
{
	int dir = f->dir == PB_FRAME_NO_DIR ? PB_DIR_INGRESS : f->dir;

	pb_count(&t->dir[dir], p, f->len);
	t->dir[dir].filter_matched += fx->filter != NULL; /* only matches get here */
	if (pb_l3_counter(p) == PB_PROTO_OTHER_L3) {
		struct pb_count one = { .packets = 1, .bytes = f->len };

		pb_totals_add_ethertype(t, dir, p->l3_proto, &one);
	}
	if (!fx->packets || f->ts_ns < fx->first_ns)
		fx->first_ns = f->ts_ns;
	if (f->ts_ns > fx->last_ns)
		fx->last_ns = f->ts_ns;
	fx->packets++;
	fx->bytes += f->len;
	fx->captured_bytes += f->caplen;
	fx->cut += f->caplen < f->len;
}

static void print_packet(const struct read_opts *o, const struct pb_frame *f,
			 const struct pb_pkt *p, __u64 number)
{
	if (o->json) {
		pb_out_json(pb_show_pkt_json(f, p, number, o->detail), JSON_COMPACT);
	} else {
		pb_show_pkt(stdout, f, p, o->detail);
	}
}

static void read_all(struct pb_capture *c, const struct read_opts *o, struct pb_totals *t,
		     struct facts *fx)
{
	struct pb_frame f;
	struct pb_pkt p;
	int r;

	while ((!o->count || fx->packets < o->count) && (r = pb_capture_next(c, &f)) != 0) {
		if (r < 0) {
			fx->damage = pb_capture_error(c);
			return;
		}
		fx->read++;
		if (o->filter && !pb_cbpf_offline_filter(&o->prog, f.data, f.caplen, f.len))
			continue;
		pb_frame_parse(&f, &p);
		count_frame(t, fx, &f, &p);
		if (o->flows && pb_flowtab_add(o->flows, &p, f.len, f.ts_ns)) {
			fx->damage = "out of memory for flows";
			return;
		}
		if (o->ra)
			pb_read_alerts_frame(o->ra, f.data, f.caplen, f.linktype, &p, f.ts_ns, f.dir);
		if (!o->stats && !o->alerts && !o->flows)
			print_packet(o, &f, &p, fx->read);
		if (pb_out_failed())
			return; /* a full disk (main says so), a closed pipe */
	}
}

static double duration_s(const struct facts *fx)
{
	return fx->packets ? (double)(fx->last_ns - fx->first_ns) / 1e9 : 0.0;
}

static json_t *facts_json(const struct pb_capture *c, const struct facts *fx)
{
	const char *lt = pcap_datalink_val_to_name(pb_capture_linktype(c));
	char first[PB_TIME_STRLEN] = "", last[PB_TIME_STRLEN] = "";

	if (fx->packets) {
		pb_fmt_time_ns(first, fx->first_ns);
		pb_fmt_time_ns(last, fx->last_ns);
	}
	return json_pack("{s:o,s:s,s:i,s:b,s:I,s:I,s:I,s:I,s:s?,s:s?,s:f,s:o,s:o,s:I,s:I}", "file",
			 pb_json_str(pb_capture_name(c)), "link_type", lt ? lt : "unknown", "snaplen",
			 pb_capture_snaplen(c), "compressed", pb_capture_compressed(c), "packets",
			 (json_int_t)fx->packets, "bytes", (json_int_t)fx->bytes, "captured_bytes",
			 (json_int_t)fx->captured_bytes, "cut_by_capture", (json_int_t)fx->cut,
			 "first", fx->packets ? first : NULL, "last", fx->packets ? last : NULL,
			 "duration_seconds", duration_s(fx), "damaged", pb_json_str(fx->damage), "filter",
			 pb_json_str(fx->filter), "packets_read", (json_int_t)fx->read, "time_out_of_range",
			 (json_int_t)pb_capture_time_out_of_range(c));
}

static void print_stats(const struct pb_capture *c, const struct facts *fx,
			const struct pb_totals *t, bool json)
{
	const char *lt = pcap_datalink_val_to_name(pb_capture_linktype(c));
	char first[PB_TIME_STRLEN], last[PB_TIME_STRLEN];

	if (json) {
		json_t *doc = json_pack("{s:o}", "capture", facts_json(c, fx));
		json_t *totals = pb_totals_json(t);

		json_object_update(doc, totals);
		json_decref(totals);
		pb_out_json(doc, JSON_INDENT(2));
		return;
	}
	printf("%s: link type %s, snaplen %d%s\n", pb_capture_name(c), lt ? lt : "unknown",
	       pb_capture_snaplen(c), pb_capture_compressed(c) ? ", gzip" : "");
	printf("  %" PRIu64 " packets, %" PRIu64 " bytes on the wire, %" PRIu64
	       " captured, %" PRIu64 " cut by the capture\n",
	       (uint64_t)fx->packets, (uint64_t)fx->bytes, (uint64_t)fx->captured_bytes,
	       (uint64_t)fx->cut);
	if (fx->packets) {
		pb_fmt_time_ns(first, fx->first_ns);
		pb_fmt_time_ns(last, fx->last_ns);
		printf("  first %s, last %s, duration %.6f s\n", first, last, duration_s(fx));
	}
	if (fx->filter)
		printf("  filter '%s': %" PRIu64 " of %" PRIu64 " packets\n", fx->filter,
		       (uint64_t)fx->packets, (uint64_t)fx->read);
	if (fx->damage)
		printf("  damaged after %" PRIu64 " packets: %s\n", (uint64_t)fx->read,
		       fx->damage);
	putchar('\n');
	pb_totals_print(stdout, t);
}

static void print_summary(const struct pb_capture *c, const struct facts *fx,
			  const struct pb_totals *t)
{
	__u64 mal = 0, cut = 0;
	int dir;

	for (dir = 0; dir < PB_DIR_MAX; dir++) {
		mal += pb_malformed_total(&t->dir[dir]);
		cut += t->dir[dir].capture_truncated;
	}
	fprintf(stderr, "pktbpf: %s: %" PRIu64 " packets", pb_capture_name(c),
		(uint64_t)fx->packets);
	if (fx->filter)
		fprintf(stderr, " of %" PRIu64 " matched the filter", (uint64_t)fx->read);
	fprintf(stderr, ", %" PRIu64 " malformed, %" PRIu64 " with headers cut by the capture",
		(uint64_t)mal, (uint64_t)cut);
	if (pb_capture_time_out_of_range(c))
		fprintf(stderr, ", %" PRIu64 " with a time before 1970 or after 2554 (shown as "
				"the nearest)",
			(uint64_t)pb_capture_time_out_of_range(c));
	fputc('\n', stderr);
}

/* As tcpdump -r compiles it: for the file's link type, netmask 0. */
/* A file has no netmask: "ip broadcast" is refused, as by tcpdump -r. */
static int compile_filter(const struct pb_capture *c, struct read_opts *o)
{
	return o->filter ? pb_filter_compile_cli(o->filter, pb_capture_linktype(c), 0, &o->prog)
			 : 0;
}

static int parse_args(int argc, char **argv, struct read_opts *o, const char **path)
{
	static const struct option longopts[] = {
		PB_COMMON_LONGOPTS,
		{ "json", no_argument, NULL, PB_OPT_JSON },
		{ "stats", no_argument, NULL, OPT_STATS },
		{ "flows", no_argument, NULL, OPT_FLOWS },
		{ "alerts", no_argument, NULL, OPT_ALERTS },
		{ "filter", required_argument, NULL, OPT_FILTER },
		{ "count", required_argument, NULL, 'c' },
		PB_DETECT_LONGOPTS,
		{ 0 },
	};
	struct pb_common c = { 0 };
	int opt, r;

	while ((opt = getopt_long(argc, argv, "hvc:", longopts, NULL)) != -1) {
		r = pb_common_opt(&pb_cmd_read, opt, &c);
		if (r < 0)
			return -r - 1;
		if (opt == OPT_STATS)
			o->stats = true;
		if (opt == OPT_FILTER)
			o->filter = optarg;
		if (opt == OPT_FLOWS && !o->flows && !(o->flows = pb_flowtab_new()))
			return PB_EXIT_FAIL;
		if (opt == OPT_ALERTS)
			o->alerts = true;
		r = pb_det_flag(pb_cmd_read.name, opt, optarg, &o->det);
		if (r < 0)
			return -r - 1;
		if (opt == 'c' && !pb_parse_uint(&pb_cmd_read, "--count", optarg, &o->count))
			return PB_EXIT_USAGE;
	}
	if (c.netns)
		return pb_usage_error(&pb_cmd_read, "--netns means nothing to a capture file");
	if ((o->stats || o->alerts) && o->flows)
		return pb_usage_error(&pb_cmd_read, "--flows goes alone, without --stats or --alerts");
	if ((o->det.config || o->det.n) && !o->alerts)
		return pb_usage_error(&pb_cmd_read, "detector flags need --alerts");
	if (optind + 1 != argc)
		return pb_usage_error(&pb_cmd_read, optind == argc ? "which file? ('-' for stdin)"
								   : "one file at a time");
	o->json = c.json;
	o->detail = pb_verbosity >= 2 ? PB_PRINT_HEX : (enum pb_print_detail)pb_verbosity;
	*path = argv[optind];
	return -1;
}

static int run(int argc, char **argv)
{
	static char outbuf[1 << 16];
	struct read_opts o = { 0 };
	struct pb_read_alerts ra;
	struct facts fx = { 0 };
	struct pb_capture *c;
	struct pb_totals *t;
	const char *path = NULL;
	int r;

	r = parse_args(argc, argv, &o, &path);
	if (r >= 0)
		return r;
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	t = calloc(1, sizeof(*t));
	if (!t) {
		pb_err("read", "out of memory");
		return PB_EXIT_FAIL;
	}
	r = o.alerts ? pb_read_alerts_init(&ra, pb_cmd_read.name, &o.det, o.json, !o.stats) : 0;
	if (!r)
		r = pb_capture_open(&c, path);
	if (r) {
		if (o.alerts && ra.d)
			pb_read_alerts_finish(&ra, NULL);
		free(t);
		return r;
	}
	r = compile_filter(c, &o);
	if (r) {
		pb_capture_close(c);
		free(t);
		return r;
	}
	fx.filter = o.filter;
	o.ra = o.alerts ? &ra : NULL;
	read_all(c, &o, t, &fx);
	if (o.alerts) {
		pb_read_alerts_finish(&ra, &t->det);
		if (!o.stats)
			fprintf(stderr, "pktbpf: %s: %" PRIu64 " alerts\n", pb_capture_name(c),
				(uint64_t)ra.n);
	}
	if (o.stats)
		print_stats(c, &fx, t, o.json);
	else if (o.flows)
		pb_flowtab_print(o.flows, o.json, pb_capture_name(c));
	else
		print_summary(c, &fx, t);
	fflush(stdout);
	r = PB_EXIT_OK;
	if (fx.damage) {
		pb_err(pb_capture_name(c), "damaged after %" PRIu64 " packets: %s",
		       (uint64_t)fx.read, fx.damage);
		pb_hint("the packets before the damage were read and %s",
			o.stats ? "counted" : "printed");
		r = PB_EXIT_USAGE;
	}
	pb_capture_close(c);
	pb_cbpf_free(&o.prog);
	pb_flowtab_free(o.flows);
	free(t);
	return r;
}

const struct pb_cmd pb_cmd_read = { "read", run, usage,
				    "decode a pcap/pcapng file with the same parser" };
