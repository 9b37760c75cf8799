// SPDX-License-Identifier: BSD-2-Clause
#include "httpd.h"
#include "log.h"
#include "metrics.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <microhttpd.h>

#ifndef PKTBPF_VERSION
#define PKTBPF_VERSION "0.1.0"
#endif

#define PROM_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

static const char index_html[] =
	"<!DOCTYPE html>\n"
	"<html><head><meta charset=\"utf-8\"><title>pktbpf exporter</title></head>\n"
	"<body><h1>pktbpf exporter</h1>\n"
	"<p>Packet counters of every interface pktbpf " PKTBPF_VERSION " is attached to,\n"
	"in Prometheus text format.</p>\n"
	"<p><a href=\"/metrics\">/metrics</a></p>\n"
	"</body></html>\n";

struct pb_httpd {
	struct MHD_Daemon *d;
	unsigned port;
	/* One scrape at a time: the scrape and its buffer are reused. */
	pthread_mutex_t lock;
	struct pb_scrape sc;
	struct pb_prom p;
	/* Fixed answers, built once and queued as often as asked. */
	struct MHD_Response *index, *not_found, *not_allowed, *failed;
};

int pb_listen_parse(const char *s, struct sockaddr_storage *out)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)out;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)out;
	char host[INET6_ADDRSTRLEN];
	const char *colon, *h = s;
	size_t hlen;
	char *end;
	unsigned long port;

	memset(out, 0, sizeof(*out));
	colon = s ? strrchr(s, ':') : NULL;
	if (!colon || colon[1] < '0' || colon[1] > '9')
		return -EINVAL;
	hlen = colon - s;
	if (*s == '[') { /* [IPv6]:PORT, as in URLs (RFC 3986, 3.2.2) */
		if (hlen < 2 || s[hlen - 1] != ']')
			return -EINVAL;
		h = s + 1;
		hlen -= 2;
	}
	if (!hlen || hlen >= sizeof(host))
		return -EINVAL;
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (errno || *end || port > 65535)
		return -EINVAL;
	if (*s != '[' && inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons(port);
		return 0;
	}
	if (*s == '[' && inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		return 0;
	}
	return -EINVAL;
}

static enum MHD_Result answer_metrics(struct pb_httpd *h, struct MHD_Connection *conn)
{
	struct MHD_Response *r = NULL;
	enum MHD_Result ret;
	int err;

	pthread_mutex_lock(&h->lock);
	err = pb_scrape_render(&h->sc, &h->p);
	if (!err)
		/* A copy: slow clients may still be reading it when the next scrape runs. */
		r = MHD_create_response_from_buffer(h->p.len, h->p.buf, MHD_RESPMEM_MUST_COPY);
	pthread_mutex_unlock(&h->lock);
	if (err)
		pb_err("serve", "scrape failed: %s", strerror(-err));
	if (!r)
		return MHD_queue_response(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, h->failed);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, PROM_CONTENT_TYPE);
	ret = MHD_queue_response(conn, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

/*
 * libmicrohttpd calls this once the headers are in, then once per piece of
 * body, then once more with none left. GET and HEAD are answered on that last
 * call, after any (ignored) body, so the connection can be kept alive for the
 * next scrape; other methods are refused at once, and the connection closed
 * instead of reading a body no route takes. Nothing is kept per connection.
 */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	static int headers_seen;
	struct pb_httpd *h = cls;

	(void)version, (void)upload_data;
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return MHD_queue_response(conn, MHD_HTTP_METHOD_NOT_ALLOWED, h->not_allowed);
	if (!*con_cls) {
		*con_cls = &headers_seen;
		return MHD_YES;
	}
	if (*upload_data_size) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (!strcmp(url, "/metrics"))
		return answer_metrics(h, conn);
	if (!strcmp(url, "/"))
		return MHD_queue_response(conn, MHD_HTTP_OK, h->index);
	return MHD_queue_response(conn, MHD_HTTP_NOT_FOUND, h->not_found);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[256];
	size_t n;

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	if (n && msg[n - 1] == '\n')
		msg[n - 1] = '\0';
	pb_debug("http: %s", msg);
}

static struct MHD_Response *fixed(const char *body, const char *type)
{
	struct MHD_Response *r =
		MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_PERSISTENT);

	if (r)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	return r;
}

static void free_httpd(struct pb_httpd *h)
{
	struct MHD_Response *fixed_ones[] = { h->index, h->not_found, h->not_allowed, h->failed };
	size_t i;

	for (i = 0; i < PB_ARRAY_SIZE(fixed_ones); i++)
		if (fixed_ones[i])
			MHD_destroy_response(fixed_ones[i]);
	pb_scrape_free(&h->sc);
	pb_prom_free(&h->p);
	pthread_mutex_destroy(&h->lock);
	free(h);
}

/* Our own listening socket, so that a failure to bind says exactly why. */
static int listen_on(const struct sockaddr_storage *addr, unsigned *port)
{
	socklen_t len = addr->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
						    : sizeof(struct sockaddr_in);
	struct sockaddr_storage bound;
	int fd, one = 1;

	fd = socket(addr->ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	/* Restarting must not wait for the old connections' TIME_WAIT. */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (addr->ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)addr, len) || listen(fd, 128) ||
	    getsockname(fd, (struct sockaddr *)&bound, &len)) {
		int err = -errno;

		close(fd);
		return err;
	}
	*port = ntohs(bound.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&bound)->sin6_port
						  : ((struct sockaddr_in *)&bound)->sin_port);
	return fd;
}

struct pb_httpd *pb_httpd_start(const struct sockaddr_storage *addr)
{
	struct pb_httpd *h = calloc(1, sizeof(*h));
	int fd;

	if (!h) {
		pb_err("serve", "out of memory");
		return NULL;
	}
	pthread_mutex_init(&h->lock, NULL);
	h->index = fixed(index_html, "text/html; charset=utf-8");
	h->not_found = fixed("Not found: try /metrics\n", "text/plain; charset=utf-8");
	h->not_allowed = fixed("Method not allowed: GET or HEAD only\n", "text/plain; charset=utf-8");
	h->failed = fixed("Scrape failed: see pktbpf serve's log\n", "text/plain; charset=utf-8");
	if (!h->index || !h->not_found || !h->not_allowed || !h->failed) {
		pb_err("serve", "out of memory");
		free_httpd(h);
		return NULL;
	}
	MHD_add_response_header(h->not_allowed, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");

	fd = listen_on(addr, &h->port);
	if (fd < 0) {
		pb_err("serve", "cannot listen: %s", strerror(-fd));
		if (fd == -EADDRINUSE)
			pb_hint("another program listens there; choose another with --listen");
		else if (fd == -EADDRNOTAVAIL)
			pb_hint("that address is not one of this host's");
		free_httpd(h);
		return NULL;
	}
	h->d = MHD_start_daemon(
		MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG |
			(addr->ss_family == AF_INET6 ? MHD_USE_IPv6 : 0),
		0, NULL, NULL, on_request, h, MHD_OPTION_LISTEN_SOCKET, fd,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)PB_HTTPD_MAX_CONNECTIONS,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)PB_HTTPD_MAX_PER_CLIENT,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)PB_HTTPD_IDLE_TIMEOUT_S,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)PB_HTTPD_REQUEST_MEMORY,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_END);
	if (!h->d) {
		close(fd);
		pb_err("serve", "cannot start the HTTP server (libmicrohttpd)");
		pb_hint("-vv shows libmicrohttpd's reason");
		free_httpd(h);
		return NULL;
	}
	return h;
}

unsigned pb_httpd_port(const struct pb_httpd *h)
{
	return h->port;
}

void pb_httpd_stop(struct pb_httpd *h)
{
	if (!h)
		return;
	MHD_stop_daemon(h->d);
	free_httpd(h);
}
