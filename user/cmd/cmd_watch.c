// SPDX-License-Identifier: BSD-2-Clause
/*
 * watch: consume the samples ring buffer of one or more attachments, show
 * each sampled packet (line, JSON, decoded payload) or write them to a
 * capture file, and at the end say how many were shown and how many the
 * kernel lost meanwhile.
 */
#include "capwrite.h"
#include "cli.h"
#include "flows.h"
#include "log.h"
#include "outcheck.h"
#include "sample_stats.h"
#include "state_follow.h"
#include "show_pkt.h"
#include "utf8.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <pcap/dlt.h>

static const char usage[] =
	"Usage: pktbpf watch IFACE [IFACE...] [-c N] [-w FILE] [--pcap] [-v] [--json]\n"
	"                          [--netns NAME]\n"
	"\n"
	"Show the packets the kernel samples on attached interfaces (attach with\n"
	"--sample N), until Ctrl-C or -c N; then print how many were shown and how\n"
	"many the kernel lost meanwhile because the ring buffer was full.\n"
	"\n"
	"  -c, --count N  stop after N packets\n"
	"  -w, --write FILE  write the packets to FILE (pcapng; '-' is stdout)\n"
	"                 instead of printing them; losses go in its statistics\n"
	"  --pcap         write classic pcap (also when FILE ends in .pcap)\n"
	"  -v, --verbose  every header field, and payloads decoded: DNS, HTTP, TLS\n"
	"                 ClientHello, DHCP, ARP, ICMP; -vv adds the headers in hex\n"
	"  --json         one JSON object per packet per line\n"
	"  --netns NAME   the interfaces are in network namespace NAME\n"
	"  -h, --help     this text\n";

enum { OPT_PCAP = PB_OPT_FIRST_PRIVATE, OPT_COUNT };

struct watch;

/* One watched interface. */
struct watched {
	struct watch *wt;
	struct pb_state s;
	int ring_fd;
	int stats_fd;
	int iface; /* in the capture file */
	struct pb_sample_stats start;
	/* Selected and lost in the attachments followed before this one. */
	struct pb_sample_stats past;
	struct pb_follow fw;
	bool changed; /* followed to a new attachment: reopen its ring */
};

struct watch {
	struct watched *w;
	int n;
	unsigned long count, shown, bad_records;
	enum pb_print_detail detail; /* -v, -vv */
	bool json;
	struct pb_capwrite *out;
	__s64 to_wall;
	int write_err;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void show(struct watch *wt, struct watched *iw, const struct pb_sample *rec)
{
	struct pb_frame f = { .data = rec->data, .caplen = rec->cap_len, .len = rec->wire_len,
			      .ts_ns = rec->ts_ns + wt->to_wall, .linktype = DLT_EN10MB,
			      .dir = rec->dir };
	struct pb_pkt p;

	if (wt->out) {
		int err = pb_capwrite_packet(wt->out, iw->iface, rec->dir, f.ts_ns, rec->data,
					     rec->cap_len, rec->wire_len);

		if (err && !wt->write_err)
			wt->write_err = err;
		return;
	}
	pb_frame_parse(&f, &p);
	if (wt->json) {
		json_t *o = pb_show_pkt_json(&f, &p, 0, wt->detail);

		json_object_set_new(o, "interface", pb_json_str(iw->s.t.ifname));
		pb_out_json(o, JSON_COMPACT);
		return;
	}
	/* Which interface, when there are several (the line does not say). */
	if (wt->n > 1)
		printf("%s ", iw->s.t.ifname);
	pb_show_pkt(stdout, &f, &p, wt->detail);
}

/* The ring buffer callback: one record. A negative return stops consuming. */
static int on_sample(void *ctx, void *data, size_t size)
{
	struct watched *iw = ctx;
	struct watch *wt = iw->wt;
	const struct pb_sample *rec = data;

	if (size < sizeof(*rec) || rec->cap_len > size - sizeof(*rec) || rec->dir > 1) {
		wt->bad_records++;
		return 0;
	}
	show(wt, iw, rec);
	wt->shown++;
	/* Standard output failed: stop at once (main says why, if it matters). */
	if (!wt->out && pb_out_failed())
		return -ECANCELED;
	return wt->count && wt->shown >= wt->count ? -ECANCELED : 0;
}

/* Open the ring buffer and counters of the attachment iw holds; 0 or a
 * PB_EXIT_* code. */
static int open_rings(struct watched *iw)
{
	const char *ifname = iw->s.t.ifname;
	int err;

	if (!iw->s.info.sample_every) {
		pb_err(ifname, "sampling is off: no packets to watch");
		pb_hint("turn it on: pktbpf attach %s --replace --sample N", ifname);
		return PB_EXIT_USAGE;
	}
	iw->ring_fd = pb_state_open_pin(&iw->s, PB_MAP_SAMPLES);
	iw->stats_fd = pb_state_open_pin(&iw->s, PB_MAP_SAMPLE_STATS);
	err = iw->ring_fd < 0 ? iw->ring_fd : iw->stats_fd < 0 ? iw->stats_fd : 0;
	if (!err)
		err = pb_sample_stats_read(iw->stats_fd, &iw->start);
	if (err) {
		pb_err(ifname, "cannot open the samples ring buffer: %s", strerror(-err));
		if (pb_errno_hint(err))
			pb_hint("%s", pb_errno_hint(err));
		return PB_EXIT_FAIL;
	}
	return 0;
}

static void close_rings(struct watched *iw)
{
	if (iw->ring_fd >= 0)
		close(iw->ring_fd);
	if (iw->stats_fd >= 0)
		close(iw->stats_fd);
	iw->ring_fd = iw->stats_fd = -1;
}

/* Open interface i's attachment, ring buffer and counters; 0 or a PB_EXIT_* code. */
static int open_iface(struct watch *wt, struct watched *iw, const char *ifname, const char *netns)
{
	int r;

	iw->wt = wt;
	iw->ring_fd = iw->stats_fd = -1;
	iw->s.stats_fd = iw->s.ethtype_fd = -1;
	r = pb_state_open_cli(&iw->s, ifname, netns);
	if (r)
		return r;
	pb_state_warn(&iw->s);
	pb_follow_init(&iw->fw, &iw->s);
	return open_rings(iw);
}

static void close_iface(struct watched *iw)
{
	close_rings(iw);
	pb_state_close(&iw->s);
}

/* What the sampling counters of iw's attachment say since watching began. */
static void sampled(const struct watched *iw, struct pb_sample_stats *out)
{
	struct pb_sample_stats end;

	if (pb_sample_stats_read(iw->stats_fd, &end))
		end = iw->start;
	out->selected = iw->past.selected + end.selected - iw->start.selected;
	out->lost_ring_full = iw->past.lost_ring_full + end.lost_ring_full - iw->start.lost_ring_full;
	out->lost_copy = iw->past.lost_copy + end.lost_copy - iw->start.lost_copy;
}

/* One ring buffer manager over every interface's ring; NULL after saying why. */
static struct ring_buffer *map_rings(struct watch *wt)
{
	struct ring_buffer *rb = NULL;
	int i, err;

	for (i = 0; i < wt->n; i++) {
		err = 0;
		if (!rb) {
			rb = ring_buffer__new(wt->w[i].ring_fd, on_sample, &wt->w[i], NULL);
			if (!rb)
				err = -errno;
		} else {
			err = ring_buffer__add(rb, wt->w[i].ring_fd, on_sample, &wt->w[i]);
		}
		if (err) {
			pb_err(wt->w[i].s.t.ifname, "cannot map the ring buffer: %s", strerror(-err));
			ring_buffer__free(rb);
			return NULL;
		}
	}
	return rb;
}

/*
 * Follow each attachment: after an `attach --replace` or a re-attach, what
 * the old ring still holds is shown, then the new one is read. 0 to go on,
 * 1 when watching ends (said why: an interface is gone).
 */
static int follow(struct watch *wt, struct ring_buffer **rb)
{
	struct pb_sample_stats was;
	bool any = false;
	int i;

	for (i = 0; i < wt->n; i++) {
		enum pb_follow_state st = pb_follow_check(&wt->w[i].fw);

		if (st == PB_FOLLOW_GONE)
			return 1;
		wt->w[i].changed = st == PB_FOLLOW_NEW;
		any |= wt->w[i].changed;
	}
	if (!any)
		return 0;
	ring_buffer__consume(*rb);
	ring_buffer__free(*rb);
	*rb = NULL;
	for (i = 0; i < wt->n; i++) {
		struct watched *iw = &wt->w[i];

		if (!iw->changed)
			continue;
		/* The new counters start from zero, like the new ring. */
		sampled(iw, &was);
		iw->past = was;
		memset(&iw->start, 0, sizeof(iw->start));
		close_rings(iw);
		if (open_rings(iw))
			return 1;
	}
	*rb = map_rings(wt);
	return *rb ? 0 : 1;
}

/*
 * Poll until Ctrl-C, -c N, an error or an attachment gone; 0, -errno, or 1
 * when an attachment is gone (said).
 */
static int consume(struct watch *wt, struct ring_buffer **rb)
{
	int err = 0, ended = 0;

	while (!stop && !ended) {
		/* The kernel wakes us only every few records (sample.bpf.h): the
		 * timeout, then consume(), picks up the rest of a quiet link. */
		err = ring_buffer__poll(*rb, 100);
		if (err >= 0 || err == -EINTR)
			err = ring_buffer__consume(*rb);
		if (err == -ECANCELED)
			return 0;
		if (err < 0 && err != -EINTR)
			return err;
		if (wt->write_err)
			return wt->write_err;
		if (!wt->out && !wt->json)
			fflush(stdout);
		if (!wt->out && pb_out_failed())
			return 0;
		ended = follow(wt, rb);
		if (wt->count && wt->shown >= wt->count)
			return 0;
		if (!*rb)
			return 1;
	}
	/* Ctrl-C or gone: take what is already in the ring, so nothing
	 * selected before the stop is neither shown nor counted lost. */
	err = ring_buffer__consume(*rb);
	return err == -ECANCELED || err >= 0 ? ended : err;
}

/* Per interface and in total: shown, lost since we started. */
static void summary(struct watch *wt)
{
	__u64 lost_all = 0, selected_all = 0;
	struct timespec now;
	int i;

	clock_gettime(CLOCK_REALTIME, &now);
	for (i = 0; i < wt->n; i++) {
		struct pb_sample_stats since;
		__u64 lost;

		sampled(&wt->w[i], &since);
		lost = since.lost_ring_full + since.lost_copy;
		lost_all += lost;
		selected_all += since.selected;
		if (wt->out)
			pb_capwrite_drops(wt->out, wt->w[i].iface,
					  (__u64)now.tv_sec * 1000000000ull + now.tv_nsec, lost);
	}
	fprintf(stderr, "%lu packet%s shown, %" PRIu64 " lost (ring buffer full or copy failed)",
		wt->shown, wt->shown == 1 ? "" : "s", (uint64_t)lost_all);
	fprintf(stderr, ", %" PRIu64 " selected by the kernel meanwhile", (uint64_t)selected_all);
	if (wt->bad_records)
		fprintf(stderr, ", %lu bad records", wt->bad_records);
	fputc('\n', stderr);
}

static int watch_run(struct watch *wt, const char *path, bool pcap)
{
	struct ring_buffer *rb = NULL;
	__u32 snaplen = 0;
	int i, err, ret = PB_EXIT_FAIL;

	for (i = 0; i < wt->n; i++)
		if (wt->w[i].s.info.snaplen > snaplen)
			snaplen = wt->w[i].s.info.snaplen;
	if (path) {
		wt->out = pb_capwrite_open(path, pcap || pb_capwrite_wants_pcap(path), snaplen);
		if (!wt->out) {
			pb_err(path, "cannot write: %s", strerror(errno));
			return PB_EXIT_FAIL;
		}
		for (i = 0; i < wt->n; i++)
			wt->w[i].iface =
				pb_capwrite_iface(wt->out, wt->w[i].s.t.ifname, wt->w[i].s.info.snaplen);
	}
	rb = map_rings(wt);
	if (!rb)
		goto out;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	wt->to_wall = pb_mono_to_realtime_ns();
	pb_info("watching %d interface%s", wt->n, wt->n == 1 ? "" : "s");
	err = consume(wt, &rb);
	fflush(stdout);
	summary(wt);
	if (err < 0)
		pb_err(path ? path : "watch", "%s", strerror(-err));
	if (err) /* an attachment gone said why */
		goto out;
	ret = PB_EXIT_OK;
out:
	ring_buffer__free(rb);
	if (wt->out && (err = pb_capwrite_close(wt->out)) && ret == PB_EXIT_OK) {
		pb_err(path, "cannot write: %s", strerror(-err));
		ret = PB_EXIT_FAIL;
	}
	return ret;
}

static int run(int argc, char **argv)
{
	static const struct option longopts[] = {
		PB_COMMON_LONGOPTS,
		{ "json", no_argument, NULL, PB_OPT_JSON },
		{ "count", required_argument, NULL, OPT_COUNT },
		{ "write", required_argument, NULL, 'w' },
		{ "pcap", no_argument, NULL, OPT_PCAP },
		{ 0 },
	};
	struct pb_common c = { 0 };
	struct watch wt = { 0 };
	const char *path = NULL;
	bool pcap = false;
	int opt, r, i;

	while ((opt = getopt_long(argc, argv, "hvc:w:", longopts, NULL)) != -1) {
		/* -v here means more detail; libbpf's log stays at its default. */
		if (opt == PB_OPT_VERBOSE) {
			if (wt.detail < PB_PRINT_HEX)
				wt.detail++;
			continue;
		}
		r = pb_common_opt(&pb_cmd_watch, opt, &c);
		if (r < 0)
			return -r - 1;
		if ((opt == 'c' || opt == OPT_COUNT) &&
		    !pb_parse_uint(&pb_cmd_watch, "-c", optarg, &wt.count))
			return PB_EXIT_USAGE;
		if (opt == 'w')
			path = optarg;
		if (opt == OPT_PCAP)
			pcap = true;
	}
	if (optind == argc)
		return pb_usage_error(&pb_cmd_watch, "which interface?");
	if (pcap && !path)
		return pb_usage_error(&pb_cmd_watch, "--pcap needs -w FILE");
	wt.json = c.json;
	r = pb_common_enter(&c);
	if (r)
		return r;
	wt.w = calloc(argc - optind, sizeof(*wt.w));
	if (!wt.w)
		return PB_EXIT_FAIL;
	for (i = optind, r = 0; i < argc && !r; i++, wt.n++)
		r = open_iface(&wt, &wt.w[wt.n], argv[i], c.netns);
	if (!r)
		r = watch_run(&wt, path, pcap);
	for (i = 0; i < wt.n; i++)
		close_iface(&wt.w[i]);
	free(wt.w);
	return r;
}

const struct pb_cmd pb_cmd_watch = { "watch", run, usage,
				     "show sampled packets, decoded, or write them to a file" };
