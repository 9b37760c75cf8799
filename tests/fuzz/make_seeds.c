// SPDX-License-Identifier: BSD-2-Clause
/*
 * Seed corpora for the fuzzers from the shared capture corpus: every frame
 * to seeds/frame/, and each payload to the seeds of the decoder it is routed
 * to (seeds/dns/, seeds/http/, ...). Usage: make_seeds CORPUS_DIR OUT_DIR
 */
#include <dirent.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "decode.h"

static int n_written;

static void put(const char *out, const char *kind, const uint8_t *d, size_t n)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", out, kind);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/%d", out, kind, n_written++);
	f = fopen(path, "wb");
	if (f) {
		fwrite(d, 1, n, f);
		fclose(f);
	}
}

int main(int argc, char **argv)
{
	char path[1024], err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const uint8_t *data;
	struct dirent *e;
	DIR *dir;

	if (argc != 3) {
		fprintf(stderr, "usage: make_seeds CORPUS_DIR OUT_DIR\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/pcap", argv[1]);
	dir = opendir(path);
	if (!dir) {
		perror(path);
		return 1;
	}
	mkdir(argv[2], 0755);
	while ((e = readdir(dir))) {
		pcap_t *pc;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/pcap/%s", argv[1], e->d_name);
		pc = pcap_open_offline(path, err);
		if (!pc || pcap_datalink(pc) != DLT_EN10MB) {
			if (pc)
				pcap_close(pc);
			continue;
		}
		while (pcap_next_ex(pc, &h, &data) == 1) {
			struct pb_pkt p;
			size_t off = 0, len = 0;
			enum pb_decoder d;

			put(argv[2], "frame", data, h->caplen);
			pb_parse(data, data + h->caplen, h->len, &p);
			d = pb_decode_route(data, h->caplen, &p, &off, &len);
			if (d != PB_DEC_NONE)
				put(argv[2], d == PB_DEC_DNS_TCP ? "dns_tcp" : pb_decoder_names[d],
				    data + off, len);
		}
		pcap_close(pc);
	}
	closedir(dir);
	printf("%d seeds\n", n_written);
	return 0;
}
