// SPDX-License-Identifier: BSD-2-Clause
/*
 * Entries live in one array allocated up front (as a preallocated BPF map),
 * chained per hash bucket and linked in recency order; indexes, not
 * pointers, so the whole table is three allocations.
 */
#include "lru.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NIL UINT32_MAX

struct node {
	uint32_t next;           /* in the bucket's chain, or in the free list */
	uint32_t newer, older;   /* recency list */
};

struct pb_lru {
	size_t key_size, val_size, stride, capacity, count, evictions;
	uint32_t n_buckets; /* a power of two */
	uint32_t *bucket;
	struct node *node;
	unsigned char *data; /* key then value, per node */
	uint32_t newest, oldest, free;
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
	return t->data + (size_t)i * t->stride;
}

struct pb_lru *pb_lru_new(size_t key_size, size_t val_size, size_t capacity)
{
	struct pb_lru *t;
	uint32_t i;

	if (!capacity || capacity >= NIL / 2)
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
	t->bucket = malloc(t->n_buckets * sizeof(*t->bucket));
	t->node = malloc(capacity * sizeof(*t->node));
	t->data = malloc(capacity * t->stride);
	if (!t->bucket || !t->node || !t->data) {
		pb_lru_free(t);
		return NULL;
	}
	memset(t->bucket, 0xff, t->n_buckets * sizeof(*t->bucket));
	for (i = 0; i < capacity; i++)
		t->node[i].next = i + 1 < capacity ? i + 1 : NIL;
	t->free = 0;
	t->newest = t->oldest = NIL;
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
	struct node *n = &t->node[i];

	if (n->newer != NIL)
		t->node[n->newer].older = n->older;
	else
		t->newest = n->older;
	if (n->older != NIL)
		t->node[n->older].newer = n->newer;
	else
		t->oldest = n->newer;
}

static void make_newest(struct pb_lru *t, uint32_t i)
{
	t->node[i].newer = NIL;
	t->node[i].older = t->newest;
	if (t->newest != NIL)
		t->node[t->newest].newer = i;
	t->newest = i;
	if (t->oldest == NIL)
		t->oldest = i;
}

static uint32_t *slot_of(struct pb_lru *t, const void *key)
{
	uint32_t *slot = &t->bucket[hash(key, t->key_size) & (t->n_buckets - 1)];

	while (*slot != NIL && memcmp(key_of(t, *slot), key, t->key_size))
		slot = &t->node[*slot].next;
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

	*slot = t->node[i].next;
	unlink_recency(t, i);
	t->node[i].next = t->free;
	t->free = i;
	t->count--;
	t->evictions++;
}

void *pb_lru_insert(struct pb_lru *t, const void *key)
{
	uint32_t *slot, i;
	unsigned char *k;

	if (t->free == NIL)
		evict_oldest(t);
	i = t->free;
	t->free = t->node[i].next;
	k = key_of(t, i);
	memcpy(k, key, t->key_size);
	memset(k + (t->key_size + 7) / 8 * 8, 0, t->val_size);
	slot = slot_of(t, key);
	t->node[i].next = *slot; /* NIL: the key was not there */
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
