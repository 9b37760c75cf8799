// SPDX-License-Identifier: BSD-2-Clause
#include "pcapng.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define PCAPNG_SHB 0x0A0D0D0Au
#define PCAPNG_IDB 0x00000001u
#define PCAPNG_ISB 0x00000005u
#define PCAPNG_EPB 0x00000006u
#define PCAPNG_BYTE_ORDER_MAGIC 0x1A2B3C4Du

#define OPT_ENDOFOPT 0
#define OPT_SHB_USERAPPL 4
#define OPT_IF_NAME 2
#define OPT_IF_TSRESOL 9
#define OPT_EPB_FLAGS 2
#define OPT_ISB_IFDROP 5

#define LINKTYPE_ETHERNET 1
/* epb_flags bits 0-1: 01 inbound, 10 outbound (section 4.3.1). */
#define EPB_INBOUND 1u
#define EPB_OUTBOUND 2u

struct pb_pcapng {
	FILE *f;
	int n_ifaces;
	int err;
};

static uint32_t pad4(uint32_t n)
{
	return (n + 3) & ~3u;
}

static void put(struct pb_pcapng *w, const void *p, size_t n)
{
	if (!w->err && n && fwrite(p, 1, n, w->f) != n)
		w->err = errno ? -errno : -EIO;
}

static void put32(struct pb_pcapng *w, uint32_t v)
{
	put(w, &v, 4);
}

static void put_zeros(struct pb_pcapng *w, size_t n)
{
	static const uint8_t zeros[4];

	put(w, zeros, n);
}

/* An option: code, length, value, padding to 32 bits. */
static void put_opt(struct pb_pcapng *w, uint16_t code, const void *val, uint16_t len)
{
	uint16_t hdr[2] = { code, len };

	put(w, hdr, sizeof(hdr));
	put(w, val, len);
	put_zeros(w, pad4(len) - len);
}

static uint32_t opt_size(uint32_t len)
{
	return 4 + pad4(len);
}

static void put_end(struct pb_pcapng *w)
{
	put_opt(w, OPT_ENDOFOPT, NULL, 0);
}

struct pb_pcapng *pb_pcapng_open(const char *path)
{
	static const char appl[] = "pktbpf";
	struct pb_pcapng *w = calloc(1, sizeof(*w));
	uint32_t len;
	uint16_t ver[2] = { 1, 0 };
	int64_t section_len = -1; /* unknown: written as we go */

	if (!w)
		return NULL;
	w->f = strcmp(path, "-") ? fopen(path, "wb") : stdout;
	if (!w->f) {
		free(w);
		return NULL;
	}
	len = 28 + opt_size(sizeof(appl) - 1) + opt_size(0);
	put32(w, PCAPNG_SHB);
	put32(w, len);
	put32(w, PCAPNG_BYTE_ORDER_MAGIC);
	put(w, ver, sizeof(ver));
	put(w, &section_len, sizeof(section_len));
	put_opt(w, OPT_SHB_USERAPPL, appl, sizeof(appl) - 1);
	put_end(w);
	put32(w, len);
	return w;
}

int pb_pcapng_add_iface(struct pb_pcapng *w, const char *name, uint32_t snaplen)
{
	uint16_t link[2] = { LINKTYPE_ETHERNET, 0 };
	uint8_t tsresol = 9; /* 10^-9 s: the kernel's ns stamps, undivided */
	size_t nlen = strnlen(name, 64);
	uint32_t len = 20 + opt_size(nlen) + opt_size(1) + opt_size(0);

	put32(w, PCAPNG_IDB);
	put32(w, len);
	put(w, link, sizeof(link));
	put32(w, snaplen);
	put_opt(w, OPT_IF_NAME, name, nlen);
	put_opt(w, OPT_IF_TSRESOL, &tsresol, 1);
	put_end(w);
	put32(w, len);
	return w->err ? -1 : w->n_ifaces++;
}

int pb_pcapng_packet(struct pb_pcapng *w, int iface, int dir, uint64_t ts_ns,
		     const void *data, uint32_t cap_len, uint32_t wire_len)
{
	uint32_t flags = dir ? EPB_OUTBOUND : EPB_INBOUND;
	uint32_t len = 32 + pad4(cap_len) + opt_size(4) + opt_size(0);

	put32(w, PCAPNG_EPB);
	put32(w, len);
	put32(w, iface);
	put32(w, ts_ns >> 32);
	put32(w, (uint32_t)ts_ns);
	put32(w, cap_len);
	put32(w, wire_len);
	put(w, data, cap_len);
	put_zeros(w, pad4(cap_len) - cap_len);
	put_opt(w, OPT_EPB_FLAGS, &flags, 4);
	put_end(w);
	put32(w, len);
	return w->err;
}

int pb_pcapng_iface_stats(struct pb_pcapng *w, int iface, uint64_t ts_ns, uint64_t dropped)
{
	uint32_t len = 24 + opt_size(8) + opt_size(0);

	put32(w, PCAPNG_ISB);
	put32(w, len);
	put32(w, iface);
	put32(w, ts_ns >> 32);
	put32(w, (uint32_t)ts_ns);
	put_opt(w, OPT_ISB_IFDROP, &dropped, 8);
	put_end(w);
	put32(w, len);
	return w->err;
}

int pb_pcapng_close(struct pb_pcapng *w)
{
	int err;

	if (!w)
		return 0;
	if (fflush(w->f) && !w->err)
		w->err = -errno;
	if (w->f != stdout && fclose(w->f) && !w->err)
		w->err = -errno;
	err = w->err;
	free(w);
	return err;
}
