// SPDX-License-Identifier: BSD-2-Clause
/*
 * The decoders on the shared corpus of real captures, field by field against
 * tshark's answers (corpus/oracle/<name>.tsv): dns.qry.name,
 * http.request.method, http.host, http.request.uri, http.response.code and
 * the TLS server name. tshark reassembles TCP streams and shows such fields
 * on the segment that completes a message; a per-packet decoder sees them on
 * the first segment, so for TCP a field is matched within the same stream
 * rather than on the same frame. Every other frame of every capture is
 * decoded too, to prove that none of them crashes a decoder. pktbpf does not
 * look inside tunnels (GRE, VXLAN), so their inner fields are not compared.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"

#define MAX_FRAMES 256
#define NCOLS 33
enum { COL_IP_PROTO = 9, COL_UDP_DPORT = 18, COL_DNS_NAME = 25, COL_HTTP_METHOD = 27, COL_HTTP_HOST, COL_HTTP_URI, COL_HTTP_CODE,
       COL_TLS_SNI };

static const char *corpus(void)
{
	const char *d = getenv("PB_CORPUS");

	return d ? d : "../shared/corpus";
}

struct oracle {
	int n;
	char *cell[MAX_FRAMES][NCOLS];
};

static void load_oracle(const char *name, struct oracle *o)
{
	char path[512], line[8192];
	FILE *f;

	memset(o, 0, sizeof(*o));
	snprintf(path, sizeof(path), "%s/oracle/%s.tsv", corpus(), name);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f)); /* header */
	while (o->n < MAX_FRAMES && fgets(line, sizeof(line), f)) {
		char *s = line, *tab;
		int c;

		line[strcspn(line, "\n")] = 0;
		for (c = 0; c < NCOLS && s; c++) {
			tab = strchr(s, '\t');
			if (tab)
				*tab = 0;
			o->cell[o->n][c] = strdup(s);
			s = tab ? tab + 1 : NULL;
		}
		o->n++;
	}
	fclose(f);
}

static void free_oracle(struct oracle *o)
{
	int i, c;

	for (i = 0; i < o->n; i++)
		for (c = 0; c < NCOLS; c++)
			free(o->cell[i][c]);
}

/* What our decoders say of one frame, in the oracle's columns. */
struct ours {
	char *col[NCOLS];
	unsigned stream; /* TCP endpoints hashed, 0 for others */
};

static void set(struct ours *u, int col, const json_t *v)
{
	if (json_is_string(v) && !u->col[col])
		u->col[col] = strdup(json_string_value(v));
}

static void decode_frame(const struct pcap_pkthdr *h, const uint8_t *data, int linktype,
			 struct ours *u)
{
	struct pb_pkt p;
	json_t *d, *x;

	memset(u, 0, sizeof(*u));
	if (linktype == DLT_EN10MB) {
		pb_parse(data, data + h->caplen, h->len, &p);
	} else if (linktype == DLT_RAW || linktype == 101 /* LINKTYPE_RAW */) {
		memset(&p, 0, sizeof(p));
		if (!h->caplen)
			return;
		pb_parse_l3(data, data, data + h->caplen, h->len,
			    (data[0] >> 4) == 6 ? PB_ETH_P_IPV6 : PB_ETH_P_IPV4, &p);
	} else {
		return; /* cooked captures carry nothing these decoders read */
	}
	if (p.l4_proto == PB_IPPROTO_TCP && (p.flags & PB_PKT_L4))
		u->stream = (p.saddr[0] ^ p.daddr[0]) + (p.sport ^ p.dport) + 1;
	d = pb_decode(data, h->caplen, &p);
	if (!d)
		return;
	x = json_object_get(d, "dns");
	if (!x) /* a DNS message quoted by an ICMP error */
		x = json_object_get(json_object_get(json_object_get(d, "icmp"), "quoted"), "dns");
	if (x)
		set(u, COL_DNS_NAME,
		    json_object_get(json_array_get(json_object_get(x, "questions"), 0), "name"));
	x = json_object_get(d, "http");
	if (x) {
		set(u, COL_HTTP_METHOD, json_object_get(x, "method"));
		set(u, COL_HTTP_HOST, json_object_get(x, "host"));
		set(u, COL_HTTP_URI, json_object_get(x, "uri"));
		set(u, COL_HTTP_CODE, json_object_get(x, "status"));
	}
	x = json_object_get(d, "tls");
	if (x)
		set(u, COL_TLS_SNI, json_object_get(x, "sni"));
	json_decref(d);
}

static int checked;

/* Is value v in column col of some frame of the same TCP stream? */
static int in_stream(struct ours *u, int n, unsigned stream, int col, const char *v)
{
	int i;

	for (i = 0; i < n; i++)
		if (u[i].stream == stream && u[i].col[col] && !strcmp(u[i].col[col], v))
			return 1;
	return 0;
}

static void check_file(const char *file)
{
	static const int cols[] = { COL_DNS_NAME, COL_HTTP_METHOD, COL_HTTP_HOST,
				    COL_HTTP_URI, COL_HTTP_CODE,   COL_TLS_SNI };
	char path[512], err[PCAP_ERRBUF_SIZE], name[256];
	struct pcap_pkthdr *h;
	const uint8_t *data;
	struct oracle *o = malloc(sizeof(*o));
	struct ours *u = calloc(MAX_FRAMES, sizeof(*u));
	pcap_t *pc;
	int n = 0, i, c;

	snprintf(name, sizeof(name), "%.*s", (int)(strrchr(file, '.') - file), file);
	load_oracle(name, o);
	snprintf(path, sizeof(path), "%s/pcap/%s", corpus(), file);
	pc = pcap_open_offline(path, err);
	assert_non_null(pc);
	while (n < MAX_FRAMES && pcap_next_ex(pc, &h, &data) == 1)
		decode_frame(h, data, pcap_datalink(pc), &u[n++]);
	pcap_close(pc);
	assert_int_equal(n, o->n);
	for (i = 0; i < n; i++) {
		if (!strcmp(o->cell[i][COL_IP_PROTO], "47") ||
		    !strcmp(o->cell[i][COL_UDP_DPORT], "4789"))
			continue; /* tunnelled */
		for (c = 0; c < (int)(sizeof(cols) / sizeof(cols[0])); c++) {
			const char *want = o->cell[i][cols[c]];
			const char *got = u[i].col[cols[c]];

			if (!want || !*want)
				continue;
			if (!strcmp(want, "<Root>"))
				want = ".";
			if (u[i].stream ? in_stream(u, n, u[i].stream, cols[c], want)
					: got && !strcmp(got, want)) {
				checked++;
				continue;
			}
			fail_msg("%s frame %d column %d: tshark says '%s', we say '%s'", file, i + 1,
				 cols[c], want, got ? got : "(nothing)");
		}
	}
	for (i = 0; i < n; i++)
		for (c = 0; c < NCOLS; c++)
			free(u[i].col[c]);
	free(u);
	free_oracle(o);
	free(o);
}

static void test_corpus_against_tshark(void **state)
{
	char dir[512];
	struct dirent *e;
	DIR *d;
	int files = 0;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/pcap", corpus());
	d = opendir(dir);
	if (!d)
		fail_msg("no corpus at %s (set PB_CORPUS)", dir);
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		check_file(e->d_name);
		files++;
	}
	closedir(d);
	assert_true(files >= 40);
	/* DNS, HTTP and TLS frames of the corpus: not a vacuous pass */
	print_message("%d fields matched tshark in %d files\n", checked, files);
	assert_true(checked >= 50);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_against_tshark),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
