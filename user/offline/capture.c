// SPDX-License-Identifier: BSD-2-Clause
/*
 * libpcap reads the records; zlib sits under it as a stdio stream so that a
 * .gz capture (or a gzip stream on standard input) reads like a plain one.
 * zlib passes bytes that are not gzip through unchanged, so every input takes
 * the same path and none needs to be seekable.
 */
#define _GNU_SOURCE
#include "capture.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <pcap/pcap.h>
#include <zlib.h>

/* zlib's and stdio's buffers: large enough that refills are rare. */
#define GZ_BUF_SIZE (128 * 1024)
#define STDIO_BUF_SIZE (64 * 1024)

struct pb_capture {
	pcap_t *pcap;
	gzFile gz; /* closed by pcap_close through the stdio stream */
	const char *name;
	int linktype;
	__u64 time_out_of_range; /* frames before 1970 or after 2554, clamped */
	char err[PCAP_ERRBUF_SIZE + 64];
};

static ssize_t gz_read(void *cookie, char *buf, size_t size)
{
	struct pb_capture *c = cookie;
	int n;

	if (size > INT32_MAX)
		size = INT32_MAX;
	n = gzread(c->gz, buf, (unsigned int)size);
	if (n < 0) {
		errno = EIO;
		return -1;
	}
	return n;
}

static int gz_close(void *cookie)
{
	struct pb_capture *c = cookie;

	gzclose(c->gz);
	c->gz = NULL;
	return 0;
}

/*
 * zlib reports a gzip stream that ends early as Z_BUF_ERROR and otherwise
 * hands over what it could inflate, which libpcap sees as the end of the file.
 */
static const char *gz_problem(const struct pb_capture *c)
{
	int zerr = Z_OK;
	const char *msg;

	if (!c->gz)
		return NULL;
	msg = gzerror(c->gz, &zerr);
	if (zerr == Z_BUF_ERROR)
		return "gzip stream cut short (unexpected end of file)";
	if (zerr == Z_OK)
		return NULL;
	/* zlib names the stream "<fd:N>: "; the file's name is said already. */
	if (msg[0] == '<' && strstr(msg, ": "))
		msg = strstr(msg, ": ") + 2;
	return msg;
}

static int open_fail(struct pb_capture *c, const char *why, int code)
{
	pb_err(c->name, "%s", why);
	if (code == PB_EXIT_USAGE)
		pb_hint("pktbpf reads pcap and pcapng captures, plain or gzip-compressed");
	pb_capture_close(c);
	return code;
}

int pb_capture_open_fd(struct pb_capture **out, int fd, const char *name)
{
	static const cookie_io_functions_t io = { .read = gz_read, .close = gz_close };
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	struct pb_capture *c;
	const char *gzwhy;
	FILE *fp;

	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		pb_err(name, "out of memory");
		return PB_EXIT_FAIL;
	}
	c->name = name;
	c->gz = gzdopen(fd, "rb");
	if (!c->gz) {
		close(fd);
		return open_fail(c, "cannot read it (zlib)", PB_EXIT_FAIL);
	}
	gzbuffer(c->gz, GZ_BUF_SIZE);
	fp = fopencookie(c, "r", io);
	if (!fp)
		return open_fail(c, strerror(errno), PB_EXIT_FAIL);
	setvbuf(fp, NULL, _IOFBF, STDIO_BUF_SIZE);
	c->pcap = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO,
							   errbuf);
	if (!c->pcap) {
		/* zlib's message dies with the stream: keep a copy. */
		gzwhy = gz_problem(c);
		snprintf(c->err, sizeof(c->err), "%s", gzwhy ? gzwhy : errbuf);
		fclose(fp);
		return open_fail(c, c->err, PB_EXIT_USAGE);
	}
	c->linktype = pcap_datalink(c->pcap);
	if (!pb_linktype_supported(c->linktype)) {
		const char *lt = pcap_datalink_val_to_name(c->linktype);

		snprintf(c->err, sizeof(c->err), "link type %s (%d) is not supported",
			 lt ? lt : "unknown", c->linktype);
		pb_err(c->name, "%s", c->err);
		pb_hint("supported: EN10MB (Ethernet), LINUX_SLL, LINUX_SLL2, RAW, IPV4, IPV6, "
			"NULL and LOOP (BSD loopback)");
		pb_capture_close(c);
		return PB_EXIT_USAGE;
	}
	*out = c;
	return 0;
}

int pb_capture_open(struct pb_capture **out, const char *path)
{
	struct stat st;
	int fd;

	if (!strcmp(path, "-")) {
		fd = dup(STDIN_FILENO);
		path = "stdin";
	} else {
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd >= 0 && !fstat(fd, &st) && S_ISDIR(st.st_mode)) {
		close(fd);
		fd = -1;
		errno = EISDIR;
	}
	if (fd < 0) {
		int err = errno;

		*out = NULL;
		pb_err(path, "cannot open: %s", strerror(err));
		return err == ENOENT || err == EISDIR ? PB_EXIT_USAGE : PB_EXIT_FAIL;
	}
	return pb_capture_open_fd(out, fd, path);
}

/*
 * A record's time in ns since the epoch. With nanosecond precision asked,
 * tv_usec holds nanoseconds. A pcapng time can lie outside what 64 unsigned
 * bits of ns hold (a negative if_tsoffset puts it before 1970, a coarse
 * if_tsresol past 2554): the nearest end, counted, instead of a wrap.
 */
static __u64 ts_ns_of(struct pb_capture *c, const struct timeval *tv)
{
	const __u64 max_sec = UINT64_MAX / 1000000000ull;

	if (tv->tv_sec < 0 || tv->tv_usec < 0) {
		c->time_out_of_range++;
		return 0;
	}
	if ((__u64)tv->tv_sec > max_sec ||
	    (__u64)tv->tv_sec * 1000000000ull > UINT64_MAX - (__u64)tv->tv_usec) {
		c->time_out_of_range++;
		return UINT64_MAX;
	}
	return (__u64)tv->tv_sec * 1000000000ull + (__u64)tv->tv_usec;
}

__u64 pb_capture_time_out_of_range(const struct pb_capture *c)
{
	return c->time_out_of_range;
}

int pb_capture_next(struct pb_capture *c, struct pb_frame *f)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	const char *gzwhy;
	int r;

	r = pcap_next_ex(c->pcap, &h, &data);
	if (r == 1) {
		f->data = data;
		f->caplen = h->caplen;
		/* A record claiming fewer bytes on the wire than it holds is
		 * nonsense; the bytes present are the better bound. */
		f->len = h->len > h->caplen ? h->len : h->caplen;
		f->ts_ns = ts_ns_of(c, &h->ts);
		f->linktype = c->linktype;
		f->dir = pb_frame_link_dir(c->linktype, data, h->caplen);
		return 1;
	}
	gzwhy = gz_problem(c);
	if (gzwhy) {
		snprintf(c->err, sizeof(c->err), "%s", gzwhy);
		return -1;
	}
	if (r == PCAP_ERROR_BREAK)
		return 0;
	snprintf(c->err, sizeof(c->err), "%s", pcap_geterr(c->pcap));
	return -1;
}

const char *pb_capture_error(const struct pb_capture *c)
{
	return c->err;
}

const char *pb_capture_name(const struct pb_capture *c)
{
	return c->name;
}

int pb_capture_linktype(const struct pb_capture *c)
{
	return c->linktype;
}

int pb_capture_snaplen(const struct pb_capture *c)
{
	return pcap_snapshot(c->pcap);
}

bool pb_capture_compressed(const struct pb_capture *c)
{
	return c->gz && !gzdirect(c->gz);
}

void pb_capture_close(struct pb_capture *c)
{
	if (!c)
		return;
	if (c->pcap)
		pcap_close(c->pcap); /* closes the stream, which closes gz */
	else if (c->gz)
		gzclose(c->gz);
	free(c);
}
