// SPDX-License-Identifier: BSD-2-Clause
/*
 * Our pcapng writer, read back by independent readers: tshark (interfaces,
 * direction flags, lengths, timestamps) and libpcap (bytes); the interface
 * statistics block's drop count read from the file. Then classic pcap
 * through libpcap's dumper, read back the same way.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capwrite.h"

static uint8_t pkt[3][300];
static const uint32_t cap[3] = { 60, 200, 128 }, wire[3] = { 60, 200, 1500 };
static const int dir[3] = { 0, 1, 0 }, ifc[3] = { 0, 1, 1 };
static const uint64_t ts0 = 1764283201123456789ull; /* ns since the epoch */

static void write_file(const char *path, bool classic, uint64_t drops)
{
	struct pb_capwrite *w = pb_capwrite_open(path, classic, 256);
	int i, j;

	assert_non_null(w);
	assert_int_equal(pb_capwrite_iface(w, "veth-a", 256), classic ? 0 : 0);
	assert_int_equal(pb_capwrite_iface(w, "veth-b", 256), classic ? 0 : 1);
	for (i = 0; i < 3; i++) {
		for (j = 0; j < 300; j++)
			pkt[i][j] = (uint8_t)(i * 31 + j);
		assert_int_equal(pb_capwrite_packet(w, classic ? 0 : ifc[i], dir[i], ts0 + i * 1000,
						    pkt[i], cap[i], wire[i]),
				 0);
	}
	pb_capwrite_drops(w, 1, ts0 + 5000, drops);
	assert_int_equal(pb_capwrite_close(w), 0);
}

static void read_back_libpcap(const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const uint8_t *data;
	pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, err);
	int i;

	assert_non_null(p);
	for (i = 0; i < 3; i++) {
		assert_int_equal(pcap_next_ex(p, &h, &data), 1);
		assert_int_equal(h->caplen, cap[i]);
		assert_int_equal(h->len, wire[i]);
		assert_memory_equal(data, pkt[i], cap[i]);
		assert_int_equal((uint64_t)h->ts.tv_sec * 1000000000ull + h->ts.tv_usec,
				 ts0 + i * 1000);
	}
	assert_int_equal(pcap_next_ex(p, &h, &data), PCAP_ERROR_BREAK);
	pcap_close(p);
}

/* tshark's fields for each frame, one line each. */
static char *tshark(const char *path, const char *fields)
{
	char cmd[1024], *out = calloc(1, 4096);
	FILE *f;
	size_t n;

	snprintf(cmd, sizeof(cmd), "tshark -r %s -T fields -E separator=, %s 2>/dev/null", path, fields);
	f = popen(cmd, "r");
	assert_non_null(f);
	n = fread(out, 1, 4095, f);
	out[n] = 0;
	assert_int_equal(pclose(f), 0);
	return out;
}

static void test_pcapng_read_back(void **state)
{
	char path[] = "/tmp/pb-pcapng-XXXXXX";
	int fd = mkstemp(path);
	FILE *f;
	uint8_t buf[4096];
	size_t n;
	uint64_t drops = 0;
	char *out;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	write_file(path, false, 4242);
	read_back_libpcap(path);
	out = tshark(path, "-e frame.interface_name -e frame.packet_flags_direction "
			   "-e frame.len -e frame.cap_len -e frame.time_epoch");
	assert_string_equal(out, "veth-a,0x00000001,60,60,1764283201.123456789\n"
				 "veth-b,0x00000002,200,200,1764283201.123457789\n"
				 "veth-b,0x00000001,1500,128,1764283201.123458789\n");
	free(out);
	/* The last block is the ISB: its isb_ifdrop option carries the losses. */
	f = fopen(path, "rb");
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_true(n > 40);
	memcpy(&drops, buf + n - 4 - 4 - 8, 8); /* ..., drop value, end option, length */
	assert_int_equal(drops, 4242);
	assert_int_equal(buf[n - 4 - 4 - 12], 5); /* option code isb_ifdrop */
	unlink(path);
}

static void test_pcap_classic(void **state)
{
	char path[] = "/tmp/pb-pcap-XXXXXX.pcap";
	int fd = mkstemps(path, 5);
	char *out;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_true(pb_capwrite_wants_pcap(path));
	assert_false(pb_capwrite_wants_pcap("x.pcapng"));
	write_file(path, true, 0);
	read_back_libpcap(path);
	out = tshark(path, "-e frame.len -e frame.cap_len");
	assert_string_equal(out, "60,60\n200,200\n1500,128\n");
	free(out);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pcapng_read_back),
		cmocka_unit_test(test_pcap_classic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
