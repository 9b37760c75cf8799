/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The /metrics HTTP server (libmicrohttpd): GET /metrics answers a fresh
 * scrape of every attachment, GET / a page that links to it, anything else
 * 404, any method but GET and HEAD 405. One internal thread serves every
 * connection; limits on connections, per-client connections, idle time and
 * request size keep slow or hostile clients from taking it down.
 */
#ifndef PB_HTTPD_H
#define PB_HTTPD_H

#include <sys/socket.h>

#define PB_HTTPD_DEFAULT_LISTEN "127.0.0.1:9477"

/* Limits; README.md explains them. */
#define PB_HTTPD_MAX_CONNECTIONS 128
#define PB_HTTPD_MAX_PER_CLIENT 64
#define PB_HTTPD_IDLE_TIMEOUT_S 10
#define PB_HTTPD_REQUEST_MEMORY (32 * 1024)

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
