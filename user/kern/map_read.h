/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef PB_MAP_READ_H
#define PB_MAP_READ_H

#include <stddef.h>
#include <linux/types.h>

/*
 * Every entry of a hash map (LRU and per-CPU ones too), read in batches of
 * keys and values (BPF_MAP_LOOKUP_BATCH, Linux 5.6; pktbpf needs 6.6): a few
 * syscalls for a full table, where walking it with get_next_key and lookup
 * takes two an entry. A per-CPU value comes as the lookup syscall gives it:
 * one copy per possible CPU, each 8-byte aligned.
 */
typedef int (*pb_map_entry_fn)(const void *key, const void *value, void *ctx);

/* fn for each entry (a non-zero return stops there and is returned);
 * fn NULL only counts them into *entries. 0 or -errno. */
int pb_map_each(int fd, pb_map_entry_fn fn, void *ctx, __u64 *entries);

static inline int pb_map_count(int fd, __u64 *entries)
{
	return pb_map_each(fd, 0, 0, entries);
}

/*
 * Add up the element at key of a per-CPU map made of __u64 counters (size
 * bytes, a multiple of 8) over every CPU, into out. 0 or -errno.
 */
int pb_percpu_sum(int fd, const void *key, void *out, size_t size);

#endif /* PB_MAP_READ_H */
