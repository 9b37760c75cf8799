// SPDX-License-Identifier: BSD-2-Clause
/*
 * Our pcapng writer, read back by independent readers: tshark (interfaces,
 * direction flags, lengths, timestamps) and libpcap (bytes); the interface
 * statistics block's drop count read from the file. Then classic pcap
 * through libpcap's dumper, read back the same way. Times near now and far
 * from it (the 32-bit seconds of 2106, the signed 64-bit ns of 2262, the end
 * of unsigned 64-bit ns in 2554) read back the same with tshark and with
 * pktbpf's reader; a time before 1970 is clamped and counted, not wrapped.
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

#include "capture.h"
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

/* ns since the epoch as tshark's frame.time_epoch prints it. */
static void epoch_str(char *buf, size_t len, uint64_t ns)
{
	snprintf(buf, len, "%llu.%09llu\n", (unsigned long long)(ns / 1000000000ull),
		 (unsigned long long)(ns % 1000000000ull));
}

static void test_pcapng_far_times(void **state)
{
	static const uint64_t times[] = {
		1780000000123456789ull,  /* 2026-05-28 */
		4294967295999999999ull,  /* 2106-02-07T06:28:15.999999999: last 32-bit second */
		4294967296000000000ull,  /* the next nanosecond */
		9223372036854775807ull,  /* 2262-04-11: the last signed 64-bit ns */
		9223372036854775808ull,  /* the next */
		18446744073709551615ull, /* 2554-07-21: the last unsigned 64-bit ns */
	};
	char path[] = "/tmp/pb-pcapng-XXXXXX", want[64], *out;
	struct pb_capture *c;
	struct pb_frame f;
	uint8_t frame[60] = { 0 };
	size_t i;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	for (i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		struct pb_capwrite *w = pb_capwrite_open(path, false, 256);

		assert_non_null(w);
		assert_int_equal(pb_capwrite_iface(w, "veth-a", 256), 0);
		assert_int_equal(pb_capwrite_packet(w, 0, 0, times[i], frame, 60, 60), 0);
		assert_int_equal(pb_capwrite_close(w), 0);
		assert_int_equal(pb_capture_open(&c, path), 0);
		assert_int_equal(pb_capture_next(c, &f), 1);
		assert_int_equal(f.ts_ns, times[i]);
		assert_int_equal(pb_capture_time_out_of_range(c), 0);
		pb_capture_close(c);
		out = tshark(path, "-e frame.time_epoch");
		epoch_str(want, sizeof(want), times[i]);
		assert_string_equal(out, want);
		free(out);
	}
	unlink(path);
}

/* A pcapng block: type, length, body (padded to 4), length again. */
static size_t block(uint8_t *p, uint32_t type, const void *body, uint32_t n)
{
	uint32_t len = 12 + ((n + 3) & ~3u);

	memset(p, 0, len);
	memcpy(p, &type, 4);
	memcpy(p + 4, &len, 4);
	memcpy(p + 8, body, n);
	memcpy(p + len - 4, &len, 4);
	return len;
}

/* if_tsoffset -100 s and a packet 5 s after it: 95 s before 1970 (tshark: -95). */
static void test_pcapng_before_1970(void **state)
{
	static const uint8_t shb[] = { 0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0, 0xff, 0xff, 0xff,
				       0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0 };
	uint8_t idb[8 + 8 + 12 + 4] = { 1, 0, 0, 0, 0, 1, 0, 0, /* Ethernet, snaplen 256 */
					9, 0, 1, 0, 9, 0, 0, 0,  /* if_tsresol 9 */
					14, 0, 8, 0 };           /* if_tsoffset, 8 bytes */
	uint8_t epb[20 + 60] = { 0 }, file[512];
	int64_t offset = -100;
	uint32_t ts_low = 5000000000u & 0xffffffffu, ts_high = 5000000000ull >> 32, len = 60;
	char path[] = "/tmp/pb-pcapng-XXXXXX";
	struct pb_capture *c;
	struct pb_frame f;
	size_t n = 0;
	FILE *fp;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	memcpy(idb + 20, &offset, 8);
	memcpy(epb + 4, &ts_high, 4);
	memcpy(epb + 8, &ts_low, 4);
	memcpy(epb + 12, &len, 4);
	memcpy(epb + 16, &len, 4);
	n += block(file + n, 0x0A0D0D0Au, shb, sizeof(shb));
	n += block(file + n, 1, idb, sizeof(idb));
	n += block(file + n, 6, epb, sizeof(epb));
	fp = fopen(path, "wb");
	assert_int_equal(fwrite(file, 1, n, fp), n);
	fclose(fp);
	assert_int_equal(pb_capture_open(&c, path), 0);
	assert_int_equal(pb_capture_next(c, &f), 1);
	assert_int_equal(f.ts_ns, 0); /* 1970, the nearest time there is: not 2554 */
	assert_int_equal(pb_capture_time_out_of_range(c), 1);
	assert_int_equal(pb_capture_next(c, &f), 0);
	pb_capture_close(c);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pcapng_read_back),
		cmocka_unit_test(test_pcap_classic),
		cmocka_unit_test(test_pcapng_far_times),
		cmocka_unit_test(test_pcapng_before_1970),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
