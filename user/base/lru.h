/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A bounded hash table with least-recently-used eviction: the userspace
 * twin of a BPF LRU hash map, for state that `pktbpf read` keeps as the
 * kernel programs would. Keys and values are fixed-size byte strings.
 */
#ifndef PB_LRU_H
#define PB_LRU_H

#include <stddef.h>

struct pb_lru;

/* NULL when out of memory. */
struct pb_lru *pb_lru_new(size_t key_size, size_t val_size, size_t capacity);
void pb_lru_free(struct pb_lru *t);

/* The value stored for key (now the most recently used), or NULL. */
void *pb_lru_lookup(struct pb_lru *t, const void *key);

/*
 * Insert key with a zeroed value and return it; when the table is full the
 * least recently used entry makes room (pb_lru_evictions counts them).
 * key must not be present.
 */
void *pb_lru_insert(struct pb_lru *t, const void *key);

size_t pb_lru_count(const struct pb_lru *t);
size_t pb_lru_evictions(const struct pb_lru *t);

#endif /* PB_LRU_H */
