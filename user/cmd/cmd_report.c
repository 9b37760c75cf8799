// SPDX-License-Identifier: BSD-2-Clause
/* pktbpf report: charts of a capture file or of an attached interface. */
#include "cli.h"
#include "log.h"
#include "outfile.h"
#include "pin.h"
#include "report_src.h"
#include "state.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

static const char usage[] =
	"Usage: pktbpf report (IFACE [--duration S] | FILE [--filter EXPR] [DETECTOR FLAGS])\n"
	"                     -o OUT.png|OUT.svg|OUT.pdf [--data-json FILE] [--netns NAME]\n"
	"\n"
	"Charts of the traffic, in one image: packets and bits per second over time\n"
	"(stacked by protocol), alerts over time (when there are any), the protocol\n"
	"distribution, the top talkers and the top flows by bytes. The title names\n"
	"the interface or file and the time span.\n"
	"\n"
	"FILE is a pcap or pcapng capture (also gzip-compressed; '-' is standard\n"
	"input): the charts follow the capture's own timestamps; its flows are those\n"
	"of 'pktbpf read FILE --flows', its alerts those of 'read FILE --alerts'.\n"
	"IFACE is an attached interface: its counters are sampled for S seconds\n"
	"(Ctrl-C ends the sampling early and still writes the report), its flows are\n"
	"what the flow table gained meanwhile. An argument that names an existing\n"
	"file is a FILE.\n"
	"\n"
	"  -o, --output OUT   the image; its extension picks the format (.png, .svg, .pdf)\n"
	"  --duration S       sample IFACE for S seconds (default 10)\n"
	"  --filter EXPR      only the packets of FILE that tcpdump's filter EXPR\n"
	"                     selects (man 7 pcap-filter), as 'read --filter' does\n"
	"  --data-json FILE   also write the numbers behind every chart as JSON ('-' for\n"
	"                     stdout; field names in README.md)\n"
	"  --netns NAME       IFACE is in network namespace NAME\n"
	"  -v, --verbose      say more\n"
	"  -h, --help         this text\n"
	"detector flags, for a FILE (as for attach; an interface has its own):\n"
	PB_DETECT_USAGE;

enum { OPT_DURATION = PB_OPT_FIRST_PRIVATE, OPT_DATA_JSON, OPT_FILTER };

#define DEFAULT_DURATION 10.0

struct report_opts {
	const char *source, *out, *data_json, *filter;
	double duration;
	bool duration_given;
	struct pb_common c;
	struct pb_det_flags det;
	enum pb_report_format fmt;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int parse_args(int argc, char **argv, struct report_opts *o)
{
	static const struct option longopts[] = {
		PB_COMMON_LONGOPTS,
		{ "output", required_argument, NULL, 'o' },
		{ "duration", required_argument, NULL, OPT_DURATION },
		{ "data-json", required_argument, NULL, OPT_DATA_JSON },
		{ "filter", required_argument, NULL, OPT_FILTER },
		PB_DETECT_LONGOPTS,
		{ 0 },
	};
	int opt, r, fmt;

	o->duration = DEFAULT_DURATION;
	while ((opt = getopt_long(argc, argv, "hvo:", longopts, NULL)) != -1) {
		r = pb_common_opt(&pb_cmd_report, opt, &o->c);
		if (!r)
			r = pb_det_flag(pb_cmd_report.name, opt, optarg, &o->det);
		if (r < 0)
			return -r - 1;
		if (opt == 'o')
			o->out = optarg;
		if (opt == OPT_DATA_JSON)
			o->data_json = optarg;
		if (opt == OPT_FILTER)
			o->filter = optarg;
		if (opt == OPT_DURATION) {
			if (!pb_parse_double(&pb_cmd_report, "--duration", optarg, &o->duration))
				return PB_EXIT_USAGE;
			o->duration_given = true;
		}
	}
	if (optind + 1 != argc)
		return pb_usage_error(&pb_cmd_report, optind == argc
							      ? "which interface or capture file?"
							      : "one interface or file at a time");
	o->source = argv[optind];
	if (!o->out)
		return pb_usage_error(&pb_cmd_report, "where to? (-o OUT.png, .svg or .pdf)");
	fmt = pb_report_format_of(o->out);
	if (fmt < 0)
		return pb_usage_error(&pb_cmd_report,
				      "%s: the name must end in .png, .svg or .pdf (the format)",
				      o->out);
	o->fmt = fmt;
	return -1;
}

/* Open the image file before any work: a long sampling must not end in "cannot write". */
static int open_out(struct pb_outfile *out, const char *path)
{
	int err = pb_outfile_open(out, path);

	if (!err)
		return 0;
	pb_err(path, "cannot write: %s", strerror(-err));
	return err == -ENOENT || err == -EISDIR ? PB_EXIT_USAGE : PB_EXIT_FAIL;
}

/* FILE when the name is "-" or an existing file, else an attached IFACE. */
static bool is_file(const char *source)
{
	struct stat st;

	return !strcmp(source, "-") || stat(source, &st) == 0;
}

static int from_iface(struct pb_report *r, const struct report_opts *o)
{
	struct pb_target t;
	struct pb_state s;
	int ret;

	ret = pb_common_enter(&o->c);
	if (ret)
		return ret;
	if (pb_target_init(&t, o->source, o->c.netns) || !pb_target_exists(&t)) {
		pb_err(o->source, "no such capture file, nor an attached interface of that name");
		pb_hint("'pktbpf status' lists the attached interfaces");
		return PB_EXIT_USAGE;
	}
	ret = pb_state_open_cli(&s, o->source, o->c.netns);
	if (ret)
		return ret;
	pb_state_warn(&s);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	pb_info("%s: sampling for %g s", o->source, o->duration);
	ret = pb_report_from_iface(r, &s, o->duration, &stop);
	pb_state_close(&s);
	return ret;
}

static int write_json(const struct pb_report *r, const struct pb_report_layout *l,
		      const char *path)
{
	json_t *doc = pb_report_json(r, l);
	struct pb_outfile out;
	int err;

	if (!doc) {
		pb_err(path, "cannot build the chart data: out of memory");
		return PB_EXIT_FAIL;
	}
	err = open_out(&out, path);
	if (err) {
		json_decref(doc);
		return err;
	}
	/* What does not reach the file, the close tells. */
	json_dumpf(doc, out.f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', out.f);
	json_decref(doc);
	err = pb_outfile_close(&out, true);
	if (err) {
		pb_err(path, "cannot write the chart data: %s", strerror(-err));
		return PB_EXIT_FAIL;
	}
	return 0;
}

static int run(int argc, char **argv)
{
	struct report_opts o = { 0 };
	struct pb_report_layout *l = NULL;
	struct pb_report r;
	struct pb_outfile out;
	const char *why;
	bool file;
	int ret, err;

	ret = parse_args(argc, argv, &o);
	if (ret >= 0)
		return ret;
	file = is_file(o.source);
	if (file && o.c.netns)
		return pb_usage_error(&pb_cmd_report, "--netns means nothing to a capture file");
	if (file && o.duration_given)
		return pb_usage_error(&pb_cmd_report, "--duration is for an interface; %s is a file",
				      o.source);
	if (!file && o.filter)
		return pb_usage_error(&pb_cmd_report,
				      "--filter is for a capture file: an interface's counters "
				      "count every packet ('attach --filter' picks what is sampled)");
	if (!file && (o.det.config || o.det.n))
		return pb_usage_error(&pb_cmd_report,
				      "detector flags are for a capture file: an interface's "
				      "detectors run in the kernel, set at attach");
	ret = open_out(&out, o.out);
	if (ret)
		return ret;
	pb_report_init(&r, o.source, 0);
	ret = file ? pb_report_from_file(&r, o.source, o.filter, &o.det) : from_iface(&r, &o);
	if (!ret && !(l = malloc(sizeof(*l)))) {
		pb_err("report", "out of memory");
		ret = PB_EXIT_FAIL;
	}
	if (!ret) {
		pb_series_coarsen(&r.series, PB_REPORT_MIN_BINS);
		pb_report_layout(&r, l);
		if (pb_report_draw(&r, l, o.fmt, out.f, &why)) {
			pb_err(o.out, "cannot draw the report: %s", why);
			ret = PB_EXIT_FAIL;
		}
	}
	err = pb_outfile_close(&out, !ret);
	if (err && !ret) {
		pb_err(o.out, "cannot write: %s", strerror(-err));
		ret = PB_EXIT_FAIL;
	}
	if (!ret && o.data_json)
		ret = write_json(&r, l, o.data_json);
	if (!ret) {
		pb_info("%s: %.0f x %.0f, %zu bins", o.out, l->width, l->height, r.series.n);
		if (r.damage[0]) {
			pb_err(o.source, "%s", r.damage);
			pb_hint("the report shows the packets before the damage");
			ret = PB_EXIT_USAGE;
		}
	}
	free(l);
	pb_report_free(&r);
	return ret;
}

const struct pb_cmd pb_cmd_report = { "report", run, usage,
				      "charts (PNG, SVG, PDF) of a capture or an interface" };
