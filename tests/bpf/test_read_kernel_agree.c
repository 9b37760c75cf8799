// SPDX-License-Identifier: BSD-2-Clause
/*
 * The kernel program and `pktbpf read` agree packet for packet (docs/ARCHITECTURE.md,
 * "One parser, two targets"): every frame of every capture in the shared corpus
 * (../shared/corpus, or $PB_CORPUS) goes through the compiled XDP program with
 * BPF_PROG_TEST_RUN and through the userspace build of the parser and
 * counting rule, and after each frame the kernel's maps (summed over CPUs)
 * must equal the userspace counters exactly.
 *
 * Frames of other link types reach the XDP program as Ethernet frames: their
 * network header behind an Ethernet header carrying the ethertype that their
 * link header names, while userspace parses the original frame through its
 * link-type mapping. Both count the same bytes (the kernel input's length),
 * so this also proves the mapping lands where the kernel's parser does. The
 * link types the corpus lacks (SLL2, NULL, LOOP, raw IPv6) get crafted frames.
 *
 * Both sides see a frame's captured bytes as the whole packet, since that is
 * all an XDP program is given. A frame shorter than an Ethernet header never
 * reaches XDP and test_run refuses it (EINVAL), which is checked and reported.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <pcap/dlt.h>

#include "capture.h"
#include "pb_count.h"
#include "state.h"
#include "stats_read.h"
#include "pktbpf.skel.h"

#define MAX_FRAME 4096

struct agree {
	struct pktbpf *skel;
	struct pb_state maps; /* only the two fds pb_stats_read needs */
	struct pb_totals user, kern;
	__u64 ran, refused;
};

static struct agree *A;

static int setup(void **state)
{
	(void)state;
	A = calloc(1, sizeof(*A));
	if (!A)
		return -1;
	if (geteuid() != 0) {
		fprintf(stderr, "[  SKIPPED ] reason: not root: loading the XDP program needs root\n");
		return 0;
	}
	A->skel = pktbpf__open_and_load();
	if (!A->skel) {
		fprintf(stderr, "[  SKIPPED ] reason: loading build/pktbpf.bpf.o failed: %s\n",
			strerror(errno));
		return 0;
	}
	A->maps.stats_fd = bpf_map__fd(A->skel->maps.pktbpf_stats);
	A->maps.ethtype_fd = bpf_map__fd(A->skel->maps.pktbpf_ethtype);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	pktbpf__destroy(A->skel);
	free(A);
	return 0;
}

static const struct pb_count *find_ethertype(const struct pb_totals *t, __u16 type)
{
	int i;

	for (i = 0; i < t->n_ethertypes[PB_DIR_INGRESS]; i++)
		if (t->ethertypes[PB_DIR_INGRESS][i].ethertype == type)
			return &t->ethertypes[PB_DIR_INGRESS][i].c;
	return NULL;
}

/* Name the first counter where kernel and userspace part, for the message. */
static void explain(const char *where)
{
	const __u64 *k = (const __u64 *)&A->kern.dir[PB_DIR_INGRESS];
	const __u64 *u = (const __u64 *)&A->user.dir[PB_DIR_INGRESS];
	size_t i;

	for (i = 0; i < sizeof(struct pb_dir_stats) / sizeof(__u64); i++)
		if (k[i] != u[i])
			fail_msg("%s: pb_dir_stats word %zu (byte offset %zu): kernel %llu, "
				 "userspace %llu",
				 where, i, i * sizeof(__u64), (unsigned long long)k[i],
				 (unsigned long long)u[i]);
}

/*
 * One frame: the Ethernet frame the XDP program gets (klen bytes) and the
 * frame userspace parses (f, with its link type).
 */
static void agree_on(const char *where, const __u8 *kframe, __u32 klen, struct pb_frame *f)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = kframe, .data_size_in = klen,
		    .repeat = 1);
	struct pb_count one = { .packets = 1, .bytes = klen };
	const struct pb_count *kc;
	struct pb_pkt p;
	int err, i;

	err = bpf_prog_test_run_opts(bpf_program__fd(A->skel->progs.pktbpf_xdp), &opts);
	if (klen < sizeof(struct pb_eth)) {
		/* Nothing that short reaches XDP; neither side counts it. */
		if (err != -EINVAL)
			fail_msg("%s: %u-byte frame: test_run said %d, want -EINVAL", where, klen,
				 err);
		A->refused++;
		printf("    %s: %u bytes, shorter than an Ethernet header: not run (EINVAL)\n",
		       where, klen);
		return;
	}
	if (err || opts.retval != XDP_PASS)
		fail_msg("%s: test_run: err %d, verdict %u", where, err, opts.retval);
	A->ran++;

	f->len = f->caplen; /* the kernel's view: all it has is all there is */
	pb_frame_parse(f, &p);
	pb_count(&A->user.dir[PB_DIR_INGRESS], &p, klen);
	if (pb_l3_counter(&p) == PB_PROTO_OTHER_L3)
		pb_totals_add_ethertype(&A->user, PB_DIR_INGRESS, p.l3_proto, &one);

	err = pb_stats_read(&A->maps, &A->kern);
	if (err)
		fail_msg("reading the maps: %s", strerror(-err));
	if (memcmp(&A->kern.dir[PB_DIR_INGRESS], &A->user.dir[PB_DIR_INGRESS],
		   sizeof(struct pb_dir_stats)))
		explain(where);
	assert_int_equal(A->kern.n_ethertypes[PB_DIR_INGRESS],
			 A->user.n_ethertypes[PB_DIR_INGRESS]);
	for (i = 0; i < A->user.n_ethertypes[PB_DIR_INGRESS]; i++) {
		const struct pb_ethertype_count *u = &A->user.ethertypes[PB_DIR_INGRESS][i];

		kc = find_ethertype(&A->kern, u->ethertype);
		if (!kc || kc->packets != u->c.packets || kc->bytes != u->c.bytes)
			fail_msg("%s: ethertype 0x%04x counted differently", where, u->ethertype);
	}
}

/* The Ethernet frame the kernel would get for f's network layer. */
static __u32 as_ethernet(const struct pb_frame *f, __u8 *out)
{
	struct pb_eth eth = { 0 };
	struct pb_pkt p;
	__u32 hlen = pb_linktype_hdr_len(f->linktype);

	if (f->linktype == DLT_EN10MB) {
		memcpy(out, f->data, f->caplen);
		return f->caplen;
	}
	assert_true(f->caplen >= hlen);
	pb_frame_parse(f, &p);
	eth.proto = htobe16(p.l3_proto);
	memcpy(out, &eth, sizeof(eth));
	memcpy(out + sizeof(eth), f->data + hlen, f->caplen - hlen);
	return sizeof(eth) + f->caplen - hlen;
}

static void run_file(const char *path, const char *name)
{
	static __u8 kframe[MAX_FRAME];
	struct pb_capture *c;
	struct pb_frame f;
	char where[512];
	__u64 n = 0;
	int r;

	assert_int_equal(pb_capture_open(&c, path), 0);
	while ((r = pb_capture_next(c, &f)) == 1) {
		__u32 klen;

		n++;
		assert_true(f.caplen + sizeof(struct pb_eth) <= MAX_FRAME);
		klen = as_ethernet(&f, kframe);
		snprintf(where, sizeof(where), "%s frame %llu", name, (unsigned long long)n);
		agree_on(where, kframe, klen, &f);
	}
	if (r < 0)
		fail_msg("%s: %s", name, pb_capture_error(c));
	pb_capture_close(c);
}

static int is_capture(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

static void corpus_agrees(void **state)
{
	const char *corpus = getenv("PB_CORPUS") ?: "../shared/corpus";
	const char *ci = getenv("CI");
	struct dirent **names;
	char dir[512], path[1024];
	int i, n;

	(void)state;
	if (!A->skel)
		skip();
	snprintf(dir, sizeof(dir), "%s/pcap", corpus);
	n = scandir(dir, &names, is_capture, alphasort);
	if (n <= 0) {
		/* CI lays shared/ beside the clone: there a missing corpus fails. */
		if (ci && !strcmp(ci, "true"))
			fail_msg("no corpus at %s (CI must have shared/ beside the clone)", dir);
		fprintf(stderr, "[  SKIPPED ] reason: no corpus at %s (set PB_CORPUS)\n", dir);
		skip();
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		run_file(path, names[i]->d_name);
		free(names[i]);
	}
	free(names);
	printf("    %d captures: %llu frames agree, %llu refused by test_run (listed above)\n",
	       n, (unsigned long long)A->ran, (unsigned long long)A->refused);
	assert_true(A->ran > 0);
}

/*
 * Link types the corpus lacks, on crafted frames: IPv4/UDP and IPv6/TCP
 * behind each header (10.0.0.0/8 and 2001:db8::/32 only).
 */
static void other_link_types_agree(void **state)
{
	static const __u8 ip4_udp[] = {
		0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0, 10, 8, 0, 1, 10, 8, 0, 2,
		0x13, 0x88, 0x00, 0x35, 0, 8, 0, 0,
	};
	static const __u8 ip6_tcp[] = {
		0x60, 0, 0, 0, 0, 20, 6, 64,
		0x20, 0x01, 0x0d, 0xb8, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
		0x20, 0x01, 0x0d, 0xb8, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
		0x9c, 0x40, 0x00, 0x16, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x12, 4, 0, 0, 0, 0, 0,
	};
	static const struct {
		int linktype;
		__u8 hdr[20];
		unsigned int hlen;
		const __u8 *l3;
		unsigned int l3len;
	} cases[] = {
		{ DLT_LINUX_SLL2, { 0x08, 0x00, [8] = 0, 1, 4, 6 }, 20, ip4_udp, sizeof(ip4_udp) },
		{ DLT_LINUX_SLL2, { 0x86, 0xdd, [9] = 1, 0, 6 }, 20, ip6_tcp, sizeof(ip6_tcp) },
		{ DLT_LINUX_SLL, { 0, 4, 0, 1, 0, 6, [14] = 0x86, 0xdd }, 16, ip6_tcp,
		  sizeof(ip6_tcp) },
		{ DLT_NULL, { 2, 0, 0, 0 }, 4, ip4_udp, sizeof(ip4_udp) },
		{ DLT_NULL, { 0, 0, 0, 30 }, 4, ip6_tcp, sizeof(ip6_tcp) },
		{ DLT_LOOP, { 0, 0, 0, 24 }, 4, ip6_tcp, sizeof(ip6_tcp) },
		{ DLT_LOOP, { 0, 0, 0, 2 }, 4, ip4_udp, sizeof(ip4_udp) },
		{ DLT_RAW, { 0 }, 0, ip6_tcp, sizeof(ip6_tcp) },
		{ DLT_RAW, { 0 }, 0, ip4_udp, sizeof(ip4_udp) },
		{ DLT_IPV6, { 0 }, 0, ip6_tcp, sizeof(ip6_tcp) },
		{ DLT_IPV4, { 0 }, 0, ip4_udp, sizeof(ip4_udp) },
	};
	__u8 frame[128], kframe[128];
	struct pb_totals before;
	char where[64];
	size_t i;

	(void)state;
	if (!A->skel)
		skip();
	for (i = 0; i < PB_ARRAY_SIZE(cases); i++) {
		struct pb_frame f = { .data = frame, .linktype = cases[i].linktype };
		__u32 klen;

		memcpy(frame, cases[i].hdr, cases[i].hlen);
		memcpy(frame + cases[i].hlen, cases[i].l3, cases[i].l3len);
		f.caplen = cases[i].hlen + cases[i].l3len;
		klen = as_ethernet(&f, kframe);
		before = A->user;
		snprintf(where, sizeof(where), "crafted case %zu (link type %d)", i,
			 cases[i].linktype);
		agree_on(where, kframe, klen, &f);
		/* Each case must have reached its L4 header, not just agreed on nothing. */
		assert_int_equal(A->user.dir[0].proto[PB_PROTO_ALL].packets,
				 before.dir[0].proto[PB_PROTO_ALL].packets + 1);
		assert_true(A->user.dir[0].proto[PB_PROTO_TCP].packets +
				    A->user.dir[0].proto[PB_PROTO_UDP].packets >
			    before.dir[0].proto[PB_PROTO_TCP].packets +
				    before.dir[0].proto[PB_PROTO_UDP].packets);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(corpus_agrees),
		cmocka_unit_test(other_link_types_agree),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
