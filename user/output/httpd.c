// SPDX-License-Identifier: BSD-2-Clause
#include "httpd.h"
#include "httpd_conns.h"
#include "log.h"
#include "metrics.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <time.h>
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

/*
 * One thread runs everything: libmicrohttpd (epoll, driven by serve_loop
 * with MHD_run), the connection table and the scrapes, so none of it needs
 * a lock.
 */
struct pb_httpd {
	struct MHD_Daemon *d;
	unsigned port;
	struct pb_conns *conns;
	pthread_t thread;
	bool thread_started;
	int epfd, stop_fd; /* serve_loop waits on both: MHD's epoll fd and a stop event */
	/* The scrape and its buffer are reused. */
	struct pb_scrape sc;
	struct pb_prom p;
	size_t answer_bytes; /* of /metrics bodies being sent, at most PB_HTTPD_ANSWER_MEMORY */
	/* Fixed answers, built once and queued as often as asked. */
	struct MHD_Response *index, *not_found, *not_allowed, *failed, *busy;
};

/* A /metrics body, counted in answer_bytes until libmicrohttpd lets it go. */
struct answer {
	struct pb_httpd *h;
	size_t len;
	char body[];
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

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

static void answer_free(void *cls)
{
	struct answer *a = cls;

	a->h->answer_bytes -= a->len;
	free(a);
}

static enum MHD_Result answer_metrics(struct pb_httpd *h, struct MHD_Connection *conn)
{
	struct MHD_Response *r = NULL;
	struct answer *a = NULL;
	enum MHD_Result ret;
	int err;

	err = pb_scrape_render(&h->sc, &h->p);
	if (err)
		pb_err("serve", "scrape failed: %s", strerror(-err));
	else if (h->answer_bytes + h->p.len > PB_HTTPD_ANSWER_MEMORY)
		/* Clients that do not read their answers hold this much already. */
		return MHD_queue_response(conn, MHD_HTTP_SERVICE_UNAVAILABLE, h->busy);
	/* A copy: slow clients may still be reading it when the next scrape runs. */
	if (!err && (a = malloc(sizeof(*a) + h->p.len))) {
		a->h = h;
		a->len = h->p.len;
		memcpy(a->body, h->p.buf, a->len);
		r = MHD_create_response_from_buffer_with_free_callback_cls(a->len, a->body,
									  answer_free, a);
		if (r)
			h->answer_bytes += a->len;
		else
			free(a);
	}
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

/* The connection table's shedding: libmicrohttpd then reads the end and closes it. */
static void shed_fd(int fd, void *cls)
{
	(void)cls;
	shutdown(fd, SHUT_RDWR);
}

static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr, socklen_t len)
{
	struct pb_httpd *h = cls;

	(void)len;
	return pb_conns_admit(h->conns, addr) ? MHD_YES : MHD_NO;
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	struct pb_httpd *h = cls;
	const union MHD_ConnectionInfo *fd, *peer;

	if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
		pb_conns_close(h->conns, *socket_context);
		return;
	}
	fd = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	peer = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	*socket_context = fd && peer ? pb_conns_open(h->conns, peer->client_addr, fd->connect_fd,
						       now_ms())
				     : NULL;
	if (fd && !peer)
		shutdown(fd->connect_fd, SHUT_RDWR);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct pb_httpd *h = cls;
	const union MHD_ConnectionInfo *ci;

	(void)con_cls;
	if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK)
		return;
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	if (ci)
		pb_conns_done(h->conns, ci->socket_context, now_ms());
}

/* The server's thread: wait for network events, a deadline or the stop event. */
static void *serve_loop(void *arg)
{
	struct pb_httpd *h = arg;
	struct epoll_event ev[2];
	int i, n, wait_ms;

	for (;;) {
		MHD_UNSIGNED_LONG_LONG mhd_ms;

		wait_ms = pb_conns_sweep(h->conns, now_ms());
		if (MHD_get_timeout(h->d, &mhd_ms) == MHD_YES &&
		    (wait_ms < 0 || mhd_ms < (MHD_UNSIGNED_LONG_LONG)wait_ms))
			wait_ms = mhd_ms > 60000 ? 60000 : (int)mhd_ms;
		n = epoll_wait(h->epfd, ev, PB_ARRAY_SIZE(ev), wait_ms);
		for (i = 0; i < n; i++)
			if (ev[i].data.fd == h->stop_fd)
				return NULL;
		MHD_run(h->d);
	}
}

/*
 * Descriptors for every connection the table can hold, and some for the
 * scrapes (pinned maps): the soft limit up to the hard one. Returns how many
 * connections fit under the limit it ends with.
 */
static unsigned fit_nofile(unsigned want)
{
	const rlim_t spare = 256;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return want;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want + spare) {
		rlim_t soft = rl.rlim_cur;

		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want + spare
				      ? want + spare
				      : rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl))
			rl.rlim_cur = soft;
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= want + spare)
		return want;
	return rl.rlim_cur > 2 * spare ? (unsigned)(rl.rlim_cur - spare) : spare;
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
	struct MHD_Response *fixed_ones[] = { h->index, h->not_found, h->not_allowed, h->failed,
					      h->busy };
	size_t i;

	for (i = 0; i < PB_ARRAY_SIZE(fixed_ones); i++)
		if (fixed_ones[i])
			MHD_destroy_response(fixed_ones[i]);
	pb_scrape_free(&h->sc);
	pb_prom_free(&h->p);
	pb_conns_free(h->conns);
	if (h->epfd >= 0)
		close(h->epfd);
	if (h->stop_fd >= 0)
		close(h->stop_fd);
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
	/* Room for a burst of connections while the server's thread catches up. */
	if (bind(fd, (const struct sockaddr *)addr, len) || listen(fd, PB_HTTPD_LISTEN_BACKLOG) ||
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
	struct epoll_event ev = { .events = EPOLLIN };
	const union MHD_DaemonInfo *di;
	unsigned max_conns;
	int fd, err;

	if (!h) {
		pb_err("serve", "out of memory");
		return NULL;
	}
	h->epfd = h->stop_fd = -1;
	max_conns = fit_nofile(PB_HTTPD_MAX_CONNECTIONS + PB_HTTPD_MAX_CONNECTIONS / 4 + 16);
	if (max_conns < PB_HTTPD_MAX_CONNECTIONS + PB_HTTPD_MAX_CONNECTIONS / 4 + 16) {
		max_conns = max_conns * 4 / 5;
		pb_info("serve: the open files limit (ulimit -n) leaves room for %u connections",
			max_conns);
	} else {
		max_conns = PB_HTTPD_MAX_CONNECTIONS;
	}
	h->conns = pb_conns_new(max_conns, PB_HTTPD_MAX_PER_CLIENT,
				PB_HTTPD_REQUEST_DEADLINE_S * 1000, shed_fd, h);
	h->index = fixed(index_html, "text/html; charset=utf-8");
	h->not_found = fixed("Not found: try /metrics\n", "text/plain; charset=utf-8");
	h->not_allowed = fixed("Method not allowed: GET or HEAD only\n", "text/plain; charset=utf-8");
	h->failed = fixed("Scrape failed: see pktbpf serve's log\n", "text/plain; charset=utf-8");
	h->busy = fixed("Busy: other clients are slow to read their answers; try again\n",
			"text/plain; charset=utf-8");
	if (!h->conns || !h->index || !h->not_found || !h->not_allowed || !h->failed || !h->busy) {
		pb_err("serve", "out of memory");
		free_httpd(h);
		return NULL;
	}
	MHD_add_response_header(h->not_allowed, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	MHD_add_response_header(h->busy, MHD_HTTP_HEADER_RETRY_AFTER, "1");

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
	/* No thread of libmicrohttpd's: serve_loop runs it, and sheds in between. */
	h->d = MHD_start_daemon(
		MHD_USE_EPOLL | MHD_USE_ERROR_LOG | (addr->ss_family == AF_INET6 ? MHD_USE_IPv6 : 0),
		0, on_accept, h, on_request, h, MHD_OPTION_LISTEN_SOCKET, fd,
		MHD_OPTION_CONNECTION_LIMIT, pb_conns_cap(h->conns),
		/* A backstop only: the table's deadline comes first. */
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)PB_HTTPD_REQUEST_DEADLINE_S + 1,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)PB_HTTPD_REQUEST_MEMORY,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, h,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_END);
	if (!h->d) {
		close(fd);
		pb_err("serve", "cannot start the HTTP server (libmicrohttpd)");
		pb_hint("-vv shows libmicrohttpd's reason");
		free_httpd(h);
		return NULL;
	}
	di = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_EPOLL_FD);
	h->epfd = epoll_create1(EPOLL_CLOEXEC);
	h->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	err = !di || h->epfd < 0 || h->stop_fd < 0;
	if (!err) {
		ev.data.fd = di->epoll_fd;
		err = epoll_ctl(h->epfd, EPOLL_CTL_ADD, di->epoll_fd, &ev);
	}
	if (!err) {
		ev.data.fd = h->stop_fd;
		err = epoll_ctl(h->epfd, EPOLL_CTL_ADD, h->stop_fd, &ev);
	}
	if (!err && (err = pthread_create(&h->thread, NULL, serve_loop, h)))
		errno = err;
	if (err) {
		pb_err("serve", "cannot start the HTTP server's thread: %s", strerror(errno));
		pb_httpd_stop(h);
		return NULL;
	}
	h->thread_started = true;
	return h;
}

unsigned pb_httpd_port(const struct pb_httpd *h)
{
	return h->port;
}

void pb_httpd_stop(struct pb_httpd *h)
{
	uint64_t one = 1;

	if (!h)
		return;
	if (h->thread_started) {
		if (write(h->stop_fd, &one, sizeof(one)) != sizeof(one))
			pb_err("serve", "cannot stop the HTTP server's thread: %s", strerror(errno));
		pthread_join(h->thread, NULL);
	}
	MHD_stop_daemon(h->d);
	free_httpd(h);
}
