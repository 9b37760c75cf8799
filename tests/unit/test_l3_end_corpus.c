// SPDX-License-Identifier: BSD-2-Clause
/*
 * Where the parser says the IP packet ends (pb_pkt.l3_end), against tshark
 * on the shared corpus: for each frame the parser accepts an IP header of,
 * l3_end - l3_off must be tshark's ip.len, or 40 + ipv6.plen. tshark's
 * answers are kept in tests/read/l3_len.tsv (tests/read/make_l3_len.sh
 * wrote it; running tshark here would take minutes), the captures are read
 * from the corpus (PB_CORPUS, else ../shared/corpus).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"

#define KEY "tests/read/l3_len.tsv"

static const char *corpus(void)
{
	const char *d = getenv("PB_CORPUS");

	return d ? d : "../shared/corpus";
}

struct key_row {
	char file[256];
	unsigned int frame;
	long ip_len, ip6_plen; /* -1: no such field */
};

static int read_row(FILE *f, struct key_row *r)
{
	char line[512], ip[32], ip6[32];
	char *tab1, *tab2, *tab3;

	if (!fgets(line, sizeof(line), f))
		return 0;
	line[strcspn(line, "\n")] = 0;
	tab1 = strchr(line, '\t');
	tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
	tab3 = tab2 ? strchr(tab2 + 1, '\t') : NULL;
	assert_non_null(tab3);
	*tab1 = *tab2 = *tab3 = 0;
	snprintf(r->file, sizeof(r->file), "%.255s", line);
	r->frame = strtoul(tab1 + 1, NULL, 10);
	snprintf(ip, sizeof(ip), "%.31s", tab2 + 1);
	snprintf(ip6, sizeof(ip6), "%.31s", tab3 + 1);
	r->ip_len = ip[0] ? strtol(ip, NULL, 10) : -1;
	r->ip6_plen = ip6[0] ? strtol(ip6, NULL, 10) : -1;
	return 1;
}

struct capture {
	char file[256];
	pcap_t *pc;
	unsigned int frame; /* the last one read */
};

/* Parse frame n of file (the frames of a file come in order in the key). */
static int parse_frame(struct capture *c, const char *file, unsigned int n, struct pb_pkt *p)
{
	char path[512], err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	struct pb_frame f;
	const u_char *data;

	if (strcmp(c->file, file)) {
		if (c->pc)
			pcap_close(c->pc);
		snprintf(c->file, sizeof(c->file), "%.255s", file);
		snprintf(path, sizeof(path), "%s/pcap/%s", corpus(), file);
		c->pc = pcap_open_offline(path, err);
		if (!c->pc)
			fail_msg("%s: %s", path, err);
		c->frame = 0;
	}
	do {
		if (pcap_next_ex(c->pc, &h, &data) != 1)
			return 0;
	} while (++c->frame < n);
	memset(&f, 0, sizeof(f));
	f.data = data;
	f.caplen = h->caplen;
	f.len = h->len;
	f.linktype = pcap_datalink(c->pc);
	f.dir = PB_FRAME_NO_DIR;
	pb_frame_parse(&f, p);
	return 1;
}

static void test_l3_end_is_tsharks_ip_length(void **state)
{
	struct capture c = { .file = "" };
	struct key_row r;
	struct pb_pkt p;
	int compared = 0, rejected = 0;
	long want;
	FILE *key = fopen(KEY, "r");
	char header[128];

	(void)state;
	if (!key)
		fail_msg("%s: not found (run from the repository root)", KEY);
	assert_non_null(fgets(header, sizeof(header), key));
	while (read_row(key, &r)) {
		if (!parse_frame(&c, r.file, r.frame, &p))
			fail_msg("%s: no frame %u", r.file, r.frame);
		if (!(p.flags & PB_PKT_IP)) {
			rejected++; /* a header the parser calls malformed, or not IP to it */
			continue;
		}
		if (p.l3_proto == PB_ETH_P_IPV4)
			want = r.ip_len;
		else
			want = r.ip6_plen > 0 ? 40 + r.ip6_plen : -1;
		if (want < 0)
			continue; /* a jumbogram, or IP in a link tshark reads otherwise */
		if ((long)(p.l3_end - p.l3_off) != want)
			fail_msg("%s frame %u: l3_end - l3_off = %u, tshark says %ld", r.file, r.frame,
				 p.l3_end - p.l3_off, want);
		compared++;
	}
	fclose(key);
	if (c.pc)
		pcap_close(c.pc);
	print_message("%d frames' IP length as tshark's, %d not accepted as IP\n", compared,
		      rejected);
	assert_true(compared >= 400);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_l3_end_is_tsharks_ip_length),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
