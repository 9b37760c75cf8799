// SPDX-License-Identifier: BSD-2-Clause
/*
 * Differential test of tcpdump's filter language in the kernel: every
 * expression of tests/bpf/filter_exprs.txt is compiled by libpcap,
 * translated to eBPF, and run as an XDP and as a tc program
 * (bpf_prog_test_run_opts) on every Ethernet packet of the corpus; each
 * return value must equal libpcap's pcap_offline_filter on the same packet.
 *
 * "The same packet" is the bytes the kernel gets: a frame of the captured
 * length. For the few corpus packets cut by their capture's snaplen, libpcap
 * is told that length as the wire length too (the kernel cannot be handed a
 * frame longer than its bytes); frames shorter than an Ethernet header cannot
 * be handed to the kernel at all (bpf_prog_test_run refuses them) and are
 * counted apart, and so are the frames the kernel's tc test runner refuses
 * (an IPv4 ethertype with less than an IPv4 header after it): those run as
 * XDP only. The captures are the corpus's pcap/ (the corpus is
 * ../shared/corpus from the repository, or $PB_CORPUS).
 */
#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <pcap/dlt.h>

#include "capture.h"
#include "filter_compile.h"
#include "bpf/filter_run.h"

#define EXPRS_FILE "tests/bpf/filter_exprs.txt"
#define MIN_EXPRS 150
#define ETH_HLEN 14
#define SHOW_DISAGREEMENTS 20

struct packet {
	__u8 *data;
	__u32 len;
	const char *file;
	unsigned int index; /* 1-based, as tshark and tcpdump number frames */
	bool tc_refused;    /* bpf_prog_test_run refuses it as an skb */
};

static struct packet *pkts;
static size_t n_pkts, n_short, n_cut, n_files, n_tc_refused;
static char **exprs;
static size_t n_exprs;

static const char *corpus_dir(void)
{
	static char dir[512];
	const char *d = getenv("PB_CORPUS");

	snprintf(dir, sizeof(dir), "%s/pcap", d && *d ? d : "../shared/corpus");
	return dir;
}

static int add_packet(const struct pb_frame *f, const char *file, unsigned int index)
{
	struct packet *p;

	if (f->caplen < ETH_HLEN) {
		n_short++;
		return 0;
	}
	p = realloc(pkts, (n_pkts + 1) * sizeof(*pkts));
	if (!p)
		return -1;
	pkts = p;
	p = &pkts[n_pkts++];
	memset(p, 0, sizeof(*p));
	p->data = malloc(f->caplen);
	if (!p->data)
		return -1;
	memcpy(p->data, f->data, f->caplen);
	p->len = f->caplen;
	p->file = file;
	p->index = index;
	n_cut += f->caplen < f->len;
	return 0;
}

/* Every Ethernet frame of one capture file; other link types are left out. */
static int load_file(const char *dir, const char *name)
{
	char path[4096];
	struct pb_capture *c;
	struct pb_frame f;
	unsigned int i = 0;
	char *file;
	int r = -1;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (pb_capture_open(&c, path))
		return -1;
	if (pb_capture_linktype(c) != DLT_EN10MB) {
		printf("left out (link type %d, not Ethernet): %s\n", pb_capture_linktype(c), name);
		pb_capture_close(c);
		return 0;
	}
	file = strdup(name);
	n_files++;
	while (file && (r = pb_capture_next(c, &f)) == 1)
		if (add_packet(&f, file, ++i))
			r = -1;
	pb_capture_close(c);
	return file && r == 0 ? 0 : -1;
}

static int load_corpus(void **state)
{
	const char *dir = corpus_dir();
	struct dirent **names;
	int n, i, err = 0;

	(void)state;
	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0) {
		fprintf(stderr, "cannot read the corpus at %s (PB_CORPUS sets it)\n", dir);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.' && !err)
			err = load_file(dir, names[i]->d_name);
		free(names[i]);
	}
	free(names);
	printf("corpus: %zu Ethernet packets from %zu files (%zu cut by the capture's snaplen); "
	       "%zu frames shorter than an Ethernet header left out\n",
	       n_pkts, n_files, n_cut, n_short);
	return err;
}

static int load_exprs(void **state)
{
	char line[1024];
	FILE *f = fopen(EXPRS_FILE, "r");

	(void)state;
	if (!f) {
		perror(EXPRS_FILE);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		exprs = realloc(exprs, (n_exprs + 1) * sizeof(*exprs));
		if (!exprs || !(exprs[n_exprs++] = strdup(line))) {
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}

/* Find the frames the tc test runner refuses, with a program that reads nothing. */
static int probe_tc(void **state)
{
	const struct sock_filter nothing[] = { BPF_STMT(BPF_RET | BPF_K, 0) };
	struct pb_xlate_opts o = { .hook = PB_XLATE_TC };
	int fd = test_load(nothing, 1, &o);
	size_t i;

	(void)state;
	if (fd < 0)
		return -1;
	for (i = 0; i < n_pkts; i++) {
		LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = pkts[i].data,
			    .data_size_in = pkts[i].len, .repeat = 1);

		if (bpf_prog_test_run_opts(fd, &t) && errno == EINVAL) {
			pkts[i].tc_refused = true;
			n_tc_refused++;
			printf("the tc test runner refuses %s frame %u (%u bytes): XDP only\n",
			       pkts[i].file, pkts[i].index, pkts[i].len);
		}
	}
	close(fd);
	return 0;
}

static int setup(void **state)
{
	return load_exprs(state) || load_corpus(state) || probe_tc(state) ? -1 : 0;
}

struct tally {
	size_t pairs, matches, disagreements, exprs_matching;
};

/* One expression on one hook: the kernel's value against libpcap's, packet by packet. */
static int check_expr(const char *expr, const struct pb_cbpf *c, size_t h, struct tally *t,
		      size_t *matched)
{
	struct pb_xlate_opts o = { .hook = test_hooks[h] };
	int fd = test_load(c->insns, c->len, &o);
	size_t i;

	if (fd < 0) {
		fprintf(stderr, "'%s' (%s): not loaded\n", expr, test_hook_names[h]);
		return -1;
	}
	for (i = 0; i < n_pkts; i++) {
		const struct packet *p = &pkts[i];
		unsigned int want;
		long long got;

		if (p->tc_refused && test_hooks[h] == PB_XLATE_TC)
			continue;
		want = pb_cbpf_offline_filter(c, p->data, p->len, p->len);
		got = test_run(fd, p->data, p->len);
		t->pairs++;
		*matched += want != 0;
		if (got == (long long)want)
			continue;
		if (t->disagreements++ < SHOW_DISAGREEMENTS)
			fprintf(stderr,
				"DISAGREE '%s' (%s) on %s frame %u: kernel %lld, libpcap %u\n",
				expr, test_hook_names[h], p->file, p->index, got, want);
	}
	close(fd);
	return 0;
}

static void test_differential(void **state)
{
	struct tally t = { 0 };
	size_t e, h, not_loaded = 0;

	(void)state;
	assert_true(n_exprs >= MIN_EXPRS);
	assert_true(n_pkts > 0);
	for (e = 0; e < n_exprs; e++) {
		char why[512];
		struct pb_cbpf c;
		size_t matched = 0;

		if (pb_filter_compile(exprs[e], DLT_EN10MB, PB_NETMASK_UNKNOWN, &c, why, sizeof(why))) {
			fprintf(stderr, "'%s': libpcap refuses it: %s\n", exprs[e], why);
			not_loaded++;
			continue;
		}
		for (h = 0; h < PB_ARRAY_SIZE(test_hooks); h++)
			not_loaded += check_expr(exprs[e], &c, h, &t, &matched) != 0;
		t.matches += matched;
		t.exprs_matching += matched > 0;
		pb_cbpf_free(&c);
	}
	printf("differential: %zu expressions x %zu packets x (xdp, tc; %zu packets xdp only): "
	       "%zu pairs checked, %zu matches, %zu disagreements; "
	       "%zu expressions match at least one packet\n",
	       n_exprs, n_pkts, n_tc_refused, t.pairs, t.matches, t.disagreements,
	       t.exprs_matching);
	assert_int_equal(not_loaded, 0);
	assert_int_equal(t.disagreements, 0);
	assert_int_equal(t.pairs, n_exprs * (2 * n_pkts - n_tc_refused));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_differential),
	};

	if (geteuid() != 0) {
		printf("[  SKIPPED ] reason: loading BPF programs needs root\n");
		return 0;
	}
	return cmocka_run_group_tests(tests, setup, NULL);
}
