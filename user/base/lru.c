// SPDX-License-Identifier: BSD-2-Clause
/*
 * Entries live in one array allocated up front (as a preallocated BPF map),
 * chained per hash bucket and linked in recency order; indexes, not
 * pointers, so the whole table is three allocations. Links hold index + 1,
 * 0 for none, so that calloc's zeroed (and untouched) pages are an empty
 * table: a big table costs nothing until it fills.
 */
#include "lru.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NIL 0

struct node {
	uint32_t next;           /* in the bucket's chain, or in the free list */
	uint32_t newer, older;   /* recency list */
};

struct pb_lru {
	size_t key_size, val_size, stride, capacity, count, evictions;
	uint32_t n_buckets; /* a power of two */
	uint32_t *bucket;
	struct node *node;   /* node[i - 1] is entry i */
	unsigned char *data; /* key then value, per entry */
	uint32_t newest, oldest, free;
	uint32_t unused; /* entries never used yet: unused + 1 ... capacity */
};

/* FNV-1a: keys are short and fixed-size. */
static uint32_t hash(const void *key, size_t len)
{
	const unsigned char *p = key;
	uint32_t h = 2166136261u;

	while (len--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

static unsigned char *key_of(const struct pb_lru *t, uint32_t i)
{
	return t->data + (size_t)(i - 1) * t->stride;
}

static struct node *node_of(struct pb_lru *t, uint32_t i)
{
	return &t->node[i - 1];
}

struct pb_lru *pb_lru_new(size_t key_size, size_t val_size, size_t capacity)
{
	struct pb_lru *t;

	if (!capacity || capacity >= UINT32_MAX / 4)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->key_size = key_size;
	t->val_size = val_size;
	/* Values hold u64 fields: keep each one 8-byte aligned. */
	t->stride = (key_size + 7) / 8 * 8 + (val_size + 7) / 8 * 8;
	t->capacity = capacity;
	for (t->n_buckets = 1; t->n_buckets < 2 * capacity; t->n_buckets <<= 1)
		;
	t->bucket = calloc(t->n_buckets, sizeof(*t->bucket));
	t->node = calloc(capacity, sizeof(*t->node));
	t->data = calloc(capacity, t->stride);
	if (!t->bucket || !t->node || !t->data) {
		pb_lru_free(t);
		return NULL;
	}
	return t;
}

void pb_lru_free(struct pb_lru *t)
{
	if (!t)
		return;
	free(t->bucket);
	free(t->node);
	free(t->data);
	free(t);
}

static void unlink_recency(struct pb_lru *t, uint32_t i)
{
	struct node *n = node_of(t, i);

	if (n->newer != NIL)
		node_of(t, n->newer)->older = n->older;
	else
		t->newest = n->older;
	if (n->older != NIL)
		node_of(t, n->older)->newer = n->newer;
	else
		t->oldest = n->newer;
}

static void make_newest(struct pb_lru *t, uint32_t i)
{
	node_of(t, i)->newer = NIL;
	node_of(t, i)->older = t->newest;
	if (t->newest != NIL)
		node_of(t, t->newest)->newer = i;
	t->newest = i;
	if (t->oldest == NIL)
		t->oldest = i;
}

static uint32_t *slot_of(struct pb_lru *t, const void *key)
{
	uint32_t *slot = &t->bucket[hash(key, t->key_size) & (t->n_buckets - 1)];

	while (*slot != NIL && memcmp(key_of(t, *slot), key, t->key_size))
		slot = &node_of(t, *slot)->next;
	return slot;
}

void *pb_lru_lookup(struct pb_lru *t, const void *key)
{
	uint32_t i = *slot_of(t, key);

	if (i == NIL)
		return NULL;
	unlink_recency(t, i);
	make_newest(t, i);
	return key_of(t, i) + (t->key_size + 7) / 8 * 8;
}

static void evict_oldest(struct pb_lru *t)
{
	uint32_t i = t->oldest;
	uint32_t *slot = slot_of(t, key_of(t, i));

	*slot = node_of(t, i)->next;
	unlink_recency(t, i);
	node_of(t, i)->next = t->free;
	t->free = i;
	t->count--;
	t->evictions++;
}

void *pb_lru_insert(struct pb_lru *t, const void *key)
{
	uint32_t *slot, i;
	unsigned char *k;

	if (t->unused < t->capacity) {
		i = ++t->unused;
	} else {
		if (t->free == NIL)
			evict_oldest(t);
		i = t->free;
		t->free = node_of(t, i)->next;
	}
	k = key_of(t, i);
	memcpy(k, key, t->key_size);
	memset(k + (t->key_size + 7) / 8 * 8, 0, t->val_size);
	slot = slot_of(t, key);
	node_of(t, i)->next = *slot; /* NIL: the key was not there */
	*slot = i;
	make_newest(t, i);
	t->count++;
	return k + (t->key_size + 7) / 8 * 8;
}

size_t pb_lru_count(const struct pb_lru *t)
{
	return t->count;
}

size_t pb_lru_evictions(const struct pb_lru *t)
{
	return t->evictions;
}
