/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The /metrics HTTP server (libmicrohttpd): GET /metrics answers a fresh
 * scrape of every attachment, GET / a page that links to it, anything else
 * 404, any method but GET and HEAD 405. One thread of its own runs
 * libmicrohttpd (epoll) and the connection table (httpd_conns.h): a request
 * must be answered within PB_HTTPD_REQUEST_DEADLINE_S of the accept or of
 * the previous answer, whatever bytes trickle in; a client holds at most
 * PB_HTTPD_MAX_PER_CLIENT connections; past PB_HTTPD_MAX_CONNECTIONS a new
 * connection sheds the oldest request of the client holding the most.
 * Headers (PB_HTTPD_REQUEST_MEMORY a connection) and answers waiting for
 * slow readers (PB_HTTPD_ANSWER_MEMORY in all) are bounded, so slow or
 * hostile clients can neither hold every connection nor grow its memory.
 */
#ifndef PB_HTTPD_H
#define PB_HTTPD_H

#include <sys/socket.h>

#define PB_HTTPD_DEFAULT_LISTEN "127.0.0.1:9477"

/* Limits; README.md explains them. */
#define PB_HTTPD_MAX_CONNECTIONS 1024	/* past it, new ones shed old ones */
#define PB_HTTPD_MAX_PER_CLIENT 64	/* per IPv4 address or IPv6 /64 */
#define PB_HTTPD_REQUEST_DEADLINE_S 5	/* from accept or the last answer to the next answer */
#define PB_HTTPD_REQUEST_MEMORY (16 * 1024)	/* per connection: headers past it get 431 */
#define PB_HTTPD_ANSWER_MEMORY (16 << 20)	/* /metrics bodies being sent; past it 503 */
#define PB_HTTPD_LISTEN_BACKLOG 4096

struct pb_httpd;

/*
 * Parse "IPV4:PORT" or "[IPV6]:PORT" (PORT 0 picks a free one) into out.
 * Returns 0 or -EINVAL.
 */
int pb_listen_parse(const char *s, struct sockaddr_storage *out);

/* Start serving on addr; NULL after printing why it cannot. */
struct pb_httpd *pb_httpd_start(const struct sockaddr_storage *addr);

/* The port it listens on (the one picked, when asked for port 0). */
unsigned pb_httpd_port(const struct pb_httpd *h);

/* Stop: open connections are closed, everything freed. */
void pb_httpd_stop(struct pb_httpd *h);

#endif /* PB_HTTPD_H */
