/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The connection table of pktbpf serve: every connection the HTTP server
 * holds, grouped by client (an IPv4 address, or an IPv6 /64: one host's
 * share), each with the deadline of its current request. It decides which
 * connections to shed; the caller does the shedding through a callback
 * (serve shuts the socket down, and the HTTP server then closes it).
 *
 *   - A request must be answered within the deadline of its start: the
 *     accept, or the end of the previous answer on a kept-alive connection.
 *     No byte a client sends moves it. pb_conns_sweep sheds the late.
 *   - A client holds at most per_client connections (pb_conns_admit).
 *   - Past max_live connections, each new one sheds the oldest request of
 *     the client that holds the most (of all, when every client holds one):
 *     a newcomer is served, and the ones shed are those of whoever takes
 *     the most room.
 * Memory is fixed at creation: cap entries, no allocation afterwards. All of
 * it is for one thread.
 */
#ifndef PB_HTTPD_CONNS_H
#define PB_HTTPD_CONNS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

struct pb_conns;
struct pb_conn;

/* Called once per connection shed, with the fd given to pb_conns_open. */
typedef void (*pb_conns_shed_fn)(int fd, void *cls);

/*
 * A table for max_live connections in use plus room for those shed but not
 * yet closed (pb_conns_cap). NULL when out of memory.
 */
struct pb_conns *pb_conns_new(unsigned max_live, unsigned per_client, unsigned deadline_ms,
			      pb_conns_shed_fn shed, void *cls);
void pb_conns_free(struct pb_conns *t);

/* Entries in all: the most connections the server may hold open at once. */
unsigned pb_conns_cap(const struct pb_conns *t);

/* Connections in use (not shed). */
unsigned pb_conns_live(const struct pb_conns *t);

/* May this client open one more connection? (false also for a family but IPv4/IPv6) */
bool pb_conns_admit(const struct pb_conns *t, const struct sockaddr *peer);

/*
 * A connection accepted at now_ms. Its entry, or NULL when the table is
 * full or the client over its limit: fd is then shed at once. May shed
 * another connection to make room.
 */
struct pb_conn *pb_conns_open(struct pb_conns *t, const struct sockaddr *peer, int fd,
			      uint64_t now_ms);

/* c answered a request at now_ms: the next one has a deadline of its own. */
void pb_conns_done(struct pb_conns *t, struct pb_conn *c, uint64_t now_ms);

/* c is closed (shed or not): its entry is free again. */
void pb_conns_close(struct pb_conns *t, struct pb_conn *c);

/*
 * Shed every connection past its deadline at now_ms. Returns the
 * milliseconds until the next deadline, or -1 when none is pending.
 */
int pb_conns_sweep(struct pb_conns *t, uint64_t now_ms);

#endif /* PB_HTTPD_CONNS_H */
