// SPDX-License-Identifier: BSD-2-Clause
/*
 * Write a mixed Ethernet capture for the read benchmark: TCP (flags varied,
 * some with options), UDP, ICMP, IPv6 with and without a hop-by-hop header,
 * ICMPv6, 802.1Q and QinQ tags, ARP, IPv4 fragments, an LLDP ethertype and a
 * few malformed headers, mostly small frames with some full-size ones, among
 * FLOWS conversations (as on a real link: a tool that tracks connections
 * should not meet a new one in every packet). The mix is fixed by a seeded
 * generator, so every run reads the same file.
 * Addresses are 10.0.0.0/8 and 2001:db8::/32.
 *   gen_pcap OUT.pcap PACKETS
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FLOWS 1024

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static unsigned int flow; /* of the packet being built */
static uint32_t next_seq[FLOWS]; /* TCP sequence numbers advance as on a real link */

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

static uint8_t *put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
	return p + 2;
}

static uint8_t *eth(uint8_t *p, uint16_t type, int tags)
{
	static const uint8_t macs[12] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 };
	int i;

	memcpy(p, macs, 12);
	p += 12;
	for (i = 0; i < tags; i++) {
		p = put16(p, i == 0 && tags == 2 ? 0x88a8 : 0x8100);
		p = put16(p, 100 + i);
	}
	return put16(p, type);
}

static uint8_t *ipv4(uint8_t *p, uint8_t proto, unsigned int l4len, uint16_t frag)
{
	uint32_t src = 0x0a000000 | flow, dst = 0x0a010000 | (flow % 64);

	p[0] = 0x45;
	p[1] = 0;
	put16(p + 2, 20 + l4len);
	put16(p + 4, (uint16_t)rnd(65536)); /* IP id */
	put16(p + 6, frag);
	p[8] = 64;
	p[9] = proto;
	put16(p + 10, 0);
	put16(p + 12, src >> 16);
	put16(p + 14, src & 0xffff);
	put16(p + 16, dst >> 16);
	put16(p + 18, dst & 0xffff);
	return p + 20;
}

static uint8_t *ipv6(uint8_t *p, uint8_t nexthdr, unsigned int len, int hbh)
{
	memset(p, 0, 40);
	p[0] = 0x60;
	put16(p + 4, len + (hbh ? 8 : 0));
	p[6] = hbh ? 0 : nexthdr;
	p[7] = 64;
	put16(p + 8, 0x2001);
	put16(p + 10, 0x0db8);
	put16(p + 22, (uint16_t)flow);
	put16(p + 24, 0x2001);
	put16(p + 26, 0x0db8);
	p[39] = 1 + flow % 64;
	p += 40;
	if (hbh) {
		memset(p, 0, 8);
		p[0] = nexthdr;
		p[2] = 1; /* PadN filling the rest */
		p[3] = 4;
		p += 8;
	}
	return p;
}

static uint8_t *tcp(uint8_t *p, int opts, unsigned int payload)
{
	static const uint8_t flags[] = { 0x02, 0x12, 0x10, 0x18, 0x11, 0x04, 0x14, 0x10 };
	uint32_t seq = next_seq[flow];

	next_seq[flow] += payload;
	memset(p, 0, 20 + (opts ? 12 : 0));
	put16(p, 1024 + flow);
	put16(p + 2, flow % 4 ? 443 : 80);
	put16(p + 4, seq >> 16);
	put16(p + 6, seq & 0xffff);
	p[12] = (opts ? 8 : 5) << 4;
	p[13] = flags[rnd(sizeof(flags))];
	return p + 20 + (opts ? 12 : 0);
}

static uint8_t *udp(uint8_t *p, unsigned int payload)
{
	put16(p, 1024 + flow);
	put16(p + 2, flow % 2 ? 53 : 443);
	put16(p + 4, 8 + payload);
	put16(p + 6, 0);
	return p + 8;
}

static uint8_t *icmp(uint8_t *p, uint8_t type)
{
	memset(p, 0, 8);
	p[0] = type;
	return p + 8;
}

/* Payload bytes: mostly small, one in 16 near a full 1500-byte MTU. */
static unsigned int payload_len(void)
{
	return rnd(16) ? rnd(160) : 1300 + rnd(100);
}

static size_t build(uint8_t *f)
{
	unsigned int pl = payload_len(), kind = rnd(100);
	uint8_t *p = f;

	flow = rnd(FLOWS);
	if (kind < 35) {
		int opts = rnd(3) == 0;

		p = ipv4(eth(p, 0x0800, 0), 6, 20 + (opts ? 12 : 0) + pl, 0x4000);
		p = tcp(p, opts, pl);
	} else if (kind < 50) {
		p = udp(ipv4(eth(p, 0x0800, 0), 17, 8 + pl, 0), pl);
	} else if (kind < 55) {
		p = icmp(ipv4(eth(p, 0x0800, 0), 1, 8 + pl, 0), rnd(2) ? 8 : 0);
	} else if (kind < 63) {
		p = tcp(ipv6(eth(p, 0x86dd, 0), 6, 20 + pl, 0), 0, pl);
	} else if (kind < 68) {
		p = udp(ipv6(eth(p, 0x86dd, 0), 17, 8 + pl, rnd(2)), pl);
	} else if (kind < 72) {
		p = icmp(ipv6(eth(p, 0x86dd, 0), 58, 8 + pl, rnd(4) == 0), 128 + rnd(9));
	} else if (kind < 80) {
		p = tcp(ipv4(eth(p, 0x0800, 1 + rnd(2)), 6, 20 + pl, 0x4000), 0, pl);
	} else if (kind < 85) {
		memset(eth(p, 0x0806, 0), 0, 28);
		p[14] = 0, p[15] = 1, p[16] = 8, p[17] = 0, p[18] = 6, p[19] = 4, p[21] = 1 + rnd(2);
		p += 14 + 28;
		pl = 0;
	} else if (kind < 87) {
		/* A fragment: the first (MF set, the UDP header covering the whole
		 * datagram) or a later one (offset 185 * 8, no UDP header). */
		if (rnd(2)) {
			p = udp(ipv4(eth(p, 0x0800, 0), 17, 8 + pl, 0x2000), 1480 + pl);
		} else {
			p = ipv4(eth(p, 0x0800, 0), 17, pl, 185);
		}
	} else if (kind < 99) {
		p = eth(p, 0x88cc, 0); /* LLDP: an ethertype counted by number */
	} else {
		p = ipv4(eth(p, 0x0800, 0), 6, 20 + pl, 0);
		f[14] = 0x43; /* IHL 3: malformed */
		p = tcp(p, 0, pl);
	}
	memset(p, 0, pl);
	p += pl;
	while (p - f < 60)
		*p++ = 0; /* Ethernet minimum frame without FCS */
	return (size_t)(p - f);
}

int main(int argc, char **argv)
{
	static uint8_t frame[2048];
	uint32_t hdr[6] = { 0xa1b2c3d4, 2 | 4 << 16, 0, 0, 65535, 1 };
	unsigned long n, i;
	FILE *out;

	if (argc != 3) {
		fprintf(stderr, "usage: gen_pcap OUT.pcap PACKETS\n");
		return 2;
	}
	n = strtoul(argv[2], NULL, 10);
	out = fopen(argv[1], "wb");
	if (!out) {
		perror(argv[1]);
		return 1;
	}
	fwrite(hdr, sizeof(hdr), 1, out);
	for (i = 0; i < n; i++) {
		uint32_t rec[4];
		size_t len = build(frame);

		rec[0] = 1700000000 + (uint32_t)(i / 100000);
		rec[1] = (uint32_t)(i % 100000) * 10;
		rec[2] = rec[3] = (uint32_t)len;
		fwrite(rec, sizeof(rec), 1, out);
		fwrite(frame, len, 1, out);
	}
	return fclose(out) ? 1 : 0;
}
