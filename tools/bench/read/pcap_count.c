// SPDX-License-Identifier: BSD-2-Clause
/*
 * The floor for reading a capture: libpcap's pcap_next_ex over the file,
 * counting packets and nothing else.
 *   pcap_count FILE
 */
#include <stdio.h>
#include <pcap/pcap.h>

int main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	unsigned long n = 0;
	pcap_t *p;

	if (argc != 2) {
		fprintf(stderr, "usage: pcap_count FILE\n");
		return 2;
	}
	p = pcap_open_offline(argv[1], err);
	if (!p) {
		fprintf(stderr, "pcap_count: %s\n", err);
		return 1;
	}
	while (pcap_next_ex(p, &h, &data) == 1)
		n++;
	pcap_close(p);
	printf("%lu\n", n);
	return 0;
}
