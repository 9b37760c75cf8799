// SPDX-License-Identifier: BSD-2-Clause
/*
 * trafficgen: drive the test network at kernel speed (issue 9). Crafted
 * frames (tools/lib/craft.c) leave an interface through the pb_trafficgen
 * XDP program run in BPF_PROG_RUN's live-frames mode (send.c), never one
 * syscall per packet. It reports what it sent, and on a veth what the peer
 * accepted: the peer refuses frames when it has no NAPI (no XDP program and
 * GRO off) or its ring is full.
 */
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <jansson.h>
#include <bpf/libbpf.h>

#include "bpf_log.h"
#include "craft.h"
#include "ifstats.h"
#include "log.h"
#include "netns.h"
#include "send.h"
#include "trafficgen.skel.h"

static const char usage[] =
	"Usage: trafficgen IFACE [OPTIONS]\n"
	"\n"
	"Send crafted frames out of IFACE at kernel speed: an XDP program run with\n"
	"BPF_PROG_RUN in live-frames mode transmits them (XDP_TX), so on a veth\n"
	"pair the peer receives them. Frames are well formed (lengths, checksums).\n"
	"\n"
	"  -s, --size BYTES    frame size without FCS (default 64; raised to what\n"
	"                      the headers need, at most 1518)\n"
	"  -m, --mix LIST      KIND[=WEIGHT],... of udp tcp icmp udp6 tcp6 icmp6\n"
	"                      vlan qinq (default udp); e.g. udp=6,tcp=3,icmp=1\n"
	"  -f, --flows N       distinct flows: source ports (ICMP: echo ids)\n"
	"                      1024 .. 1023+N (default 1)\n"
	"  -n, --count N       stop after N packets\n"
	"  -d, --duration S    stop after S seconds (default 1 without --count)\n"
	"  -t, --threads N     sending threads, one per CPU (default 1); the peer\n"
	"                      needs as many receive queues to spread the load\n"
	"      --dst-mac MAC   destination MAC (default 02:00:00:00:00:02; the\n"
	"                      peer's stack drops frames not addressed to it)\n"
	"      --src-mac MAC   source MAC (default IFACE's)\n"
	"      --src A --dst A IPv4 addresses (default 10.0.0.1 -> 10.0.0.2)\n"
	"      --src6 A --dst6 A  IPv6 addresses (default 2001:db8::1 -> ::2)\n"
	"      --netns NAME    IFACE is in network namespace NAME\n"
	"      --json          the report as one JSON object\n"
	"  -h, --help          this text\n"
	"\n"
	"Report: packets and bytes sent per kind, seconds, packets per second,\n"
	"the sending threads' CPU seconds (on a veth the peer's receive path runs\n"
	"on the same CPU, inside them) and, on a veth, frames the peer accepted\n"
	"and refused (driver counters tx_queue_N_xdp_xmit[_errors]).\n";

enum {
	OPT_DST_MAC = 0x100,
	OPT_SRC_MAC,
	OPT_SRC,
	OPT_DST,
	OPT_SRC6,
	OPT_DST6,
	OPT_NETNS,
	OPT_JSON,
};

static const struct option longopts[] = {
	{ "size", required_argument, NULL, 's' },
	{ "mix", required_argument, NULL, 'm' },
	{ "flows", required_argument, NULL, 'f' },
	{ "count", required_argument, NULL, 'n' },
	{ "duration", required_argument, NULL, 'd' },
	{ "threads", required_argument, NULL, 't' },
	{ "dst-mac", required_argument, NULL, OPT_DST_MAC },
	{ "src-mac", required_argument, NULL, OPT_SRC_MAC },
	{ "src", required_argument, NULL, OPT_SRC },
	{ "dst", required_argument, NULL, OPT_DST },
	{ "src6", required_argument, NULL, OPT_SRC6 },
	{ "dst6", required_argument, NULL, OPT_DST6 },
	{ "netns", required_argument, NULL, OPT_NETNS },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct options {
	const char *ifname;
	const char *netns;
	const char *mix;
	struct pb_craft_spec spec; /* all but the kind */
	bool src_mac_set;
	unsigned long flows, threads;
	unsigned long long count;
	double duration;
	bool json;
};

static int bad(const char *fmt, const char *opt, const char *arg)
{
	fprintf(stderr, "pktbpf: trafficgen: %s: ", opt);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\npktbpf: try 'trafficgen --help'\n");
	return PB_EXIT_USAGE;
}

static int parse_ulong(const char *opt, const char *s, unsigned long long max,
		       unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || !*out || *out > max)
		return bad("'%s' is not a whole number in range", opt, s);
	return 0;
}

static int parse_mac(const char *opt, const char *s, __u8 *mac)
{
	unsigned int b[PB_ETH_ALEN];
	char tail;
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
		   &tail) != PB_ETH_ALEN)
		return bad("'%s' is not a MAC address", opt, s);
	for (i = 0; i < PB_ETH_ALEN; i++) {
		if (b[i] > 0xff)
			return bad("'%s' is not a MAC address", opt, s);
		mac[i] = b[i];
	}
	return 0;
}

static int parse_addr(const char *opt, const char *s, int af, void *out)
{
	return inet_pton(af, s, out) == 1 ? 0 : bad("'%s' is not an address", opt, s);
}

static int parse_args(int argc, char **argv, struct options *o)
{
	unsigned long long v;
	char *end;
	int c, err = 0;

	memset(o, 0, sizeof(*o));
	pb_craft_spec_init(&o->spec, NULL);
	o->mix = "udp";
	o->flows = o->threads = 1;
	while (!err && (c = getopt_long(argc, argv, "s:m:f:n:d:t:h", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			err = parse_ulong("--size", optarg, TG_MAX_FRAME, &v);
			o->spec.size = v;
			break;
		case 'm':
			o->mix = optarg;
			break;
		case 'f':
			err = parse_ulong("--flows", optarg, 65536 - 1024, &v);
			o->flows = v;
			break;
		case 'n':
			err = parse_ulong("--count", optarg, ~0ull, &o->count);
			break;
		case 'd':
			errno = 0;
			o->duration = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(o->duration > 0) ||
			    o->duration > 86400)
				err = bad("'%s' is not a number of seconds in (0, 86400]",
					  "--duration", optarg);
			break;
		case 't':
			err = parse_ulong("--threads", optarg, TG_MAX_THREADS, &v);
			o->threads = v;
			break;
		case OPT_DST_MAC:
			err = parse_mac("--dst-mac", optarg, o->spec.dst_mac);
			break;
		case OPT_SRC_MAC:
			err = parse_mac("--src-mac", optarg, o->spec.src_mac);
			o->src_mac_set = true;
			break;
		case OPT_SRC:
			err = parse_addr("--src", optarg, AF_INET, &o->spec.saddr4);
			break;
		case OPT_DST:
			err = parse_addr("--dst", optarg, AF_INET, &o->spec.daddr4);
			break;
		case OPT_SRC6:
			err = parse_addr("--src6", optarg, AF_INET6, o->spec.saddr6);
			break;
		case OPT_DST6:
			err = parse_addr("--dst6", optarg, AF_INET6, o->spec.daddr6);
			break;
		case OPT_NETNS:
			o->netns = optarg;
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case 'h':
			fputs(usage, stdout);
			exit(PB_EXIT_OK);
		default:
			fprintf(stderr, "pktbpf: try 'trafficgen --help'\n");
			return PB_EXIT_USAGE;
		}
	}
	if (err)
		return err;
	if (optind != argc - 1) {
		fprintf(stderr, "pktbpf: trafficgen: %s\npktbpf: try 'trafficgen --help'\n",
			optind >= argc ? "IFACE is missing" : "one IFACE only");
		return PB_EXIT_USAGE;
	}
	o->ifname = argv[optind];
	if (!o->count && !o->duration)
		o->duration = 1;
	return 0;
}

/* "udp=6,tcp=3,icmp": one template per kind, built from o->spec. */
static int parse_mix(const struct options *o, struct tg_run *run)
{
	char buf[256], *save = NULL, *item;
	unsigned long long w;

	if (strlen(o->mix) >= sizeof(buf))
		return bad("'%s' is too long", "--mix", o->mix);
	strcpy(buf, o->mix);
	for (item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(item, '=');
		struct pb_craft_spec spec = o->spec;
		struct tg_template *t;

		if (eq)
			*eq = '\0';
		spec.kind = pb_craft_kind_find(item);
		if (!spec.kind)
			return bad("'%s' is not a kind of frame (see --help)", "--mix", item);
		if (run->n_tmpl == TG_MAX_KINDS)
			return bad("'%s' has too many kinds", "--mix", o->mix);
		w = 1;
		if (eq && parse_ulong("--mix", eq + 1, 1000000, &w))
			return PB_EXIT_USAGE;
		t = &run->tmpl[run->n_tmpl++];
		t->kind = spec.kind;
		t->weight = w;
		t->len = pb_craft_build(&spec, t->frame, sizeof(t->frame));
		if (!t->len)
			return bad("%s frames do not fit in the --size limit", "--mix", item);
		tg_template_init(t);
	}
	if (!run->n_tmpl)
		return bad("'%s' names no kind of frame", "--mix", o->mix);
	return 0;
}

static int iface_mac(const char *ifname, __u8 *mac)
{
	struct ifreq ifr;
	int fd, err = 0;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr))
		err = -errno;
	else
		memcpy(mac, ifr.ifr_hwaddr.sa_data, PB_ETH_ALEN);
	close(fd);
	return err;
}

/* Frames the peer took and refused so far, or -errno if IFACE does not say. */
static int peer_counters(const char *ifname, __u64 *accepted, __u64 *refused)
{
	int err = pb_ifstats_sum(ifname, "_xdp_xmit", accepted);

	return err ? err : pb_ifstats_sum(ifname, "_xdp_xmit_errors", refused);
}

static void report(const struct options *o, const struct tg_run *run, bool peer, __u64 accepted,
		   __u64 refused)
{
	double pps = run->seconds > 0 ? run->packets / run->seconds : 0;
	double per_cpu = run->cpu_seconds > 0 ? run->packets / run->cpu_seconds : 0;
	unsigned i;

	if (o->json) {
		json_t *kinds = json_object();
		json_t *doc;

		for (i = 0; i < run->n_tmpl; i++)
			json_object_set_new(kinds, run->tmpl[i].kind->name,
					    json_pack("{s:I,s:I}", "packets",
						      (json_int_t)run->tmpl[i].sent, "frame_bytes",
						      (json_int_t)run->tmpl[i].len));
		doc = json_pack("{s:s,s:I,s:I,s:f,s:f,s:f,s:f,s:i,s:i,s:o}", "interface",
				o->ifname, "packets", (json_int_t)run->packets, "bytes",
				(json_int_t)run->bytes, "seconds", run->seconds,
				"packets_per_second", pps, "cpu_seconds", run->cpu_seconds,
				"packets_per_cpu_second", per_cpu, "threads", (int)o->threads,
				"flows", (int)o->flows, "kinds", kinds);
		json_object_set_new(doc, "peer_accepted",
				    peer ? json_integer(accepted) : json_null());
		json_object_set_new(doc, "peer_refused", peer ? json_integer(refused) : json_null());
		json_dumpf(doc, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(doc);
		return;
	}
	printf("sent %llu packets, %llu bytes out of %s in %.3f s: %.3f Mpps, %.3f Gbit/s\n",
	       (unsigned long long)run->packets, (unsigned long long)run->bytes, o->ifname,
	       run->seconds, pps / 1e6, run->seconds > 0 ? run->bytes * 8 / run->seconds / 1e9 : 0);
	for (i = 0; i < run->n_tmpl; i++)
		printf("  %-6s %zu-byte %-14s %llu\n", run->tmpl[i].kind->name, run->tmpl[i].len,
		       run->tmpl[i].kind->label, (unsigned long long)run->tmpl[i].sent);
	printf("%lu thread(s), %lu flow(s), %.3f CPU s (sending and the peer's receive path): "
	       "%.3f Mpps per CPU\n",
	       o->threads, o->flows, run->cpu_seconds, per_cpu / 1e6);
	if (peer)
		printf("peer accepted %llu, refused %llu\n", (unsigned long long)accepted,
		       (unsigned long long)refused);
}

int main(int argc, char **argv)
{
	static struct tg_run run;
	struct trafficgen *skel = NULL;
	__u64 acc0 = 0, ref0 = 0, acc1 = 0, ref1 = 0;
	struct options o;
	bool peer;
	int err;

	pb_log_init(0);
	pb_libbpf_log_init();
	err = parse_args(argc, argv, &o);
	if (err)
		return err;
	if (o.netns && (err = pb_netns_enter(o.netns)))
		return err;
	run.ifindex = if_nametoindex(o.ifname);
	if (!run.ifindex) {
		pb_err(o.ifname, "no such interface%s%s", o.netns ? " in netns " : "",
		       o.netns ? o.netns : "");
		return PB_EXIT_USAGE;
	}
	if (o.threads > (unsigned long)sysconf(_SC_NPROCESSORS_ONLN)) {
		fprintf(stderr, "pktbpf: trafficgen: --threads: %lu is more than the %ld CPUs\n"
				"pktbpf: try 'trafficgen --help'\n",
			o.threads, sysconf(_SC_NPROCESSORS_ONLN));
		return PB_EXIT_USAGE;
	}
	if (!o.src_mac_set && (err = iface_mac(o.ifname, o.spec.src_mac))) {
		pb_err(o.ifname, "cannot read its MAC address: %s", strerror(-err));
		return PB_EXIT_FAIL;
	}
	err = parse_mix(&o, &run);
	if (err)
		return err;

	skel = trafficgen__open();
	if (!skel) {
		pb_err("trafficgen", "cannot open the BPF program: %s", strerror(errno));
		return PB_EXIT_FAIL;
	}
	skel->rodata->flows = o.flows;
	skel->rodata->flow_base = o.spec.sport;
	err = trafficgen__load(skel);
	if (err) {
		pb_err("trafficgen", "cannot load the BPF program: %s", strerror(-err));
		if (pb_errno_hint(err))
			pb_hint("%s", pb_errno_hint(err));
		goto out;
	}
	run.prog_fd = bpf_program__fd(skel->progs.pb_trafficgen);
	run.slots = skel->bss->tmpl;
	run.threads = o.threads;
	run.count = o.count;
	run.duration = o.duration;

	peer = !peer_counters(o.ifname, &acc0, &ref0);
	err = tg_send(&run);
	if (err) {
		pb_err(o.ifname, "cannot send: %s", strerror(-err));
		if (err == -EINVAL || err == -ENODEV)
			pb_hint("live frames need XDP support in IFACE's driver (a veth works)");
		goto out;
	}
	if (peer)
		peer = !peer_counters(o.ifname, &acc1, &ref1);
	report(&o, &run, peer, acc1 - acc0, ref1 - ref0);
	if (peer && run.packets && acc1 == acc0) {
		pb_err(o.ifname, "the peer accepted none of the frames");
		pb_hint("attach an XDP program to the peer or turn on its GRO "
			"(ethtool -K PEER gro on): a veth takes XDP frames only then");
		err = -EIO;
	}
out:
	trafficgen__destroy(skel);
	return err ? PB_EXIT_FAIL : PB_EXIT_OK;
}
