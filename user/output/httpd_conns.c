// SPDX-License-Identifier: BSD-2-Clause
#include "httpd_conns.h"

#include <netinet/in.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Circular doubly linked lists with a head of their own. */
struct link {
	struct link *prev, *next;
};

static void list_init(struct link *h)
{
	h->prev = h->next = h;
}

static bool list_empty(const struct link *h)
{
	return h->next == h;
}

static void list_del(struct link *l)
{
	l->prev->next = l->next;
	l->next->prev = l->prev;
	list_init(l);
}

static void list_add_tail(struct link *h, struct link *l)
{
	l->prev = h->prev;
	l->next = h;
	h->prev->next = l;
	h->prev = l;
}

#define entry_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))

/* IPv4 address or IPv6 /64, with the family in front: 1 + 8 bytes at most. */
#define KEY_LEN 9

struct client {
	uint8_t key[KEY_LEN];
	unsigned n;		/* connections in use */
	struct link conns;	/* its connections, oldest request first */
	struct link by_count;	/* in t->by_count[n] */
	struct client *hnext;	/* hash chain, or the free list */
};

struct pb_conn {
	struct link all;	/* in t->all, oldest request first */
	struct link mine;	/* in its client's conns */
	struct client *cl;	/* NULL once shed */
	uint64_t start_ms;	/* the current request's start */
	int fd;
	bool used;
	struct pb_conn *free_next;
};

struct pb_conns {
	unsigned max_live, per_client, deadline_ms, cap, live, nhash;
	pb_conns_shed_fn shed;
	void *cls;
	struct link all;
	struct link *by_count;	/* [per_client + 1] */
	struct client **hash;	/* [nhash], a power of 2 */
	struct pb_conn *conns, *free_conns;
	struct client *clients, *free_clients;
};

struct pb_conns *pb_conns_new(unsigned max_live, unsigned per_client, unsigned deadline_ms,
			      pb_conns_shed_fn shed, void *cls)
{
	struct pb_conns *t = calloc(1, sizeof(*t));
	unsigned i;

	if (!t)
		return NULL;
	t->max_live = max_live ? max_live : 1;
	t->per_client = per_client ? per_client : 1;
	t->deadline_ms = deadline_ms;
	/* Shed connections keep their entry until the server closes them, which
	 * it does on its next turn: a quarter more covers the accepts of one. */
	t->cap = t->max_live + t->max_live / 4 + 16;
	for (t->nhash = 16; t->nhash < t->cap; t->nhash *= 2)
		;
	t->shed = shed;
	t->cls = cls;
	list_init(&t->all);
	t->by_count = calloc(t->per_client + 1, sizeof(*t->by_count));
	t->hash = calloc(t->nhash, sizeof(*t->hash));
	t->conns = calloc(t->cap, sizeof(*t->conns));
	t->clients = calloc(t->cap, sizeof(*t->clients));
	if (!t->by_count || !t->hash || !t->conns || !t->clients) {
		pb_conns_free(t);
		return NULL;
	}
	for (i = 0; i <= t->per_client; i++)
		list_init(&t->by_count[i]);
	for (i = t->cap; i-- > 0;) {
		t->conns[i].free_next = t->free_conns;
		t->free_conns = &t->conns[i];
		t->clients[i].hnext = t->free_clients;
		t->free_clients = &t->clients[i];
	}
	return t;
}

void pb_conns_free(struct pb_conns *t)
{
	if (!t)
		return;
	free(t->by_count);
	free(t->hash);
	free(t->conns);
	free(t->clients);
	free(t);
}

unsigned pb_conns_cap(const struct pb_conns *t)
{
	return t->cap;
}

unsigned pb_conns_live(const struct pb_conns *t)
{
	return t->live;
}

static bool key_of(const struct sockaddr *sa, uint8_t key[KEY_LEN])
{
	memset(key, 0, KEY_LEN);
	key[0] = sa->sa_family;
	if (sa->sa_family == AF_INET)
		memcpy(key + 1, &((const struct sockaddr_in *)sa)->sin_addr, 4);
	else if (sa->sa_family == AF_INET6)
		memcpy(key + 1, &((const struct sockaddr_in6 *)sa)->sin6_addr, 8);
	else
		return false;
	return true;
}

static unsigned hash_of(const struct pb_conns *t, const uint8_t key[KEY_LEN])
{
	uint32_t h = 2166136261u; /* FNV-1a */
	int i;

	for (i = 0; i < KEY_LEN; i++)
		h = (h ^ key[i]) * 16777619u;
	return h & (t->nhash - 1);
}

static struct client *find(const struct pb_conns *t, const uint8_t key[KEY_LEN])
{
	struct client *c;

	for (c = t->hash[hash_of(t, key)]; c; c = c->hnext)
		if (!memcmp(c->key, key, KEY_LEN))
			return c;
	return NULL;
}

bool pb_conns_admit(const struct pb_conns *t, const struct sockaddr *peer)
{
	uint8_t key[KEY_LEN];
	struct client *c;

	if (!key_of(peer, key))
		return false;
	c = find(t, key);
	return !c || c->n < t->per_client;
}

/* Move cl to the list of clients with n connections (n 0: none, it is freed). */
static void set_count(struct pb_conns *t, struct client *cl, unsigned n)
{
	list_del(&cl->by_count);
	cl->n = n;
	if (n) {
		list_add_tail(&t->by_count[n], &cl->by_count);
		return;
	}
	struct client **p = &t->hash[hash_of(t, cl->key)];

	while (*p != cl)
		p = &(*p)->hnext;
	*p = cl->hnext;
	cl->hnext = t->free_clients;
	t->free_clients = cl;
}

/* Take c out of use (it stays allocated until pb_conns_close) and shed it. */
static void shed(struct pb_conns *t, struct pb_conn *c)
{
	struct client *cl = c->cl;

	list_del(&c->all);
	list_del(&c->mine);
	c->cl = NULL;
	t->live--;
	set_count(t, cl, cl->n - 1);
	t->shed(c->fd, t->cls);
}

/* The oldest request of the client with the most connections, of all on a tie at one. */
static struct pb_conn *victim(struct pb_conns *t)
{
	unsigned n;

	for (n = t->per_client; n >= 2; n--)
		if (!list_empty(&t->by_count[n])) {
			struct client *cl = entry_of(t->by_count[n].next, struct client, by_count);

			return entry_of(cl->conns.next, struct pb_conn, mine);
		}
	return list_empty(&t->all) ? NULL : entry_of(t->all.next, struct pb_conn, all);
}

struct pb_conn *pb_conns_open(struct pb_conns *t, const struct sockaddr *peer, int fd,
			      uint64_t now_ms)
{
	uint8_t key[KEY_LEN];
	struct client *cl;
	struct pb_conn *c = t->free_conns;

	if (!c || !key_of(peer, key))
		goto refuse;
	cl = find(t, key);
	if (cl && cl->n >= t->per_client)
		goto refuse;
	if (!cl) {
		cl = t->free_clients; /* never short: no more clients than entries */
		t->free_clients = cl->hnext;
		memcpy(cl->key, key, KEY_LEN);
		cl->n = 0;
		list_init(&cl->conns);
		list_init(&cl->by_count);
		cl->hnext = t->hash[hash_of(t, key)];
		t->hash[hash_of(t, key)] = cl;
	}
	t->free_conns = c->free_next;
	c->used = true;
	c->cl = cl;
	c->fd = fd;
	c->start_ms = now_ms;
	list_add_tail(&t->all, &c->all);
	list_add_tail(&cl->conns, &c->mine);
	set_count(t, cl, cl->n + 1);
	t->live++;
	if (t->live > t->max_live)
		shed(t, victim(t));
	return c;
refuse:
	t->shed(fd, t->cls);
	return NULL;
}

void pb_conns_done(struct pb_conns *t, struct pb_conn *c, uint64_t now_ms)
{
	if (!c || !c->cl)
		return;
	c->start_ms = now_ms;
	list_del(&c->all);
	list_add_tail(&t->all, &c->all);
	list_del(&c->mine);
	list_add_tail(&c->cl->conns, &c->mine);
}

void pb_conns_close(struct pb_conns *t, struct pb_conn *c)
{
	if (!c || !c->used)
		return;
	if (c->cl) { /* closed by the server or the client, not shed */
		list_del(&c->all);
		list_del(&c->mine);
		t->live--;
		set_count(t, c->cl, c->cl->n - 1);
		c->cl = NULL;
	}
	c->used = false;
	c->free_next = t->free_conns;
	t->free_conns = c;
}

int pb_conns_sweep(struct pb_conns *t, uint64_t now_ms)
{
	while (!list_empty(&t->all)) {
		struct pb_conn *c = entry_of(t->all.next, struct pb_conn, all);
		uint64_t due = c->start_ms + t->deadline_ms;

		if (due > now_ms)
			return due - now_ms > 60000 ? 60000 : (int)(due - now_ms);
		shed(t, c);
	}
	return -1;
}
