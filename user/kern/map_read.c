// SPDX-License-Identifier: BSD-2-Clause
#include "map_read.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

/* Entries a batch asks for, at most: big enough that a hash bucket never
 * overflows it (ENOSPC), small enough that its buffers stay a few MiB. A
 * smaller map asks for all its entries at once. */
#define BATCH 4096

struct iter {
	int fd;
	__u32 batch;
	__u32 key_size;
	size_t value_size; /* per-CPU: every CPU's copy */
	pb_map_entry_fn fn;
	void *ctx;
	__u64 *entries;
};

static int batches(const struct iter *it, char *keys, char *vals)
{
	__u32 n, i, token[2];
	bool first = true;
	int err, ret;

	/* A hash map's batch position is a bucket number (a __u32). */
	for (;;) {
		n = it->batch;
		err = bpf_map_lookup_batch(it->fd, first ? NULL : &token[0], &token[1], keys, vals,
					   &n, NULL) ? -errno : 0;
		if (err && err != -ENOENT)
			return err;
		*it->entries += n;
		for (i = 0; it->fn && i < n; i++)
			if ((ret = it->fn(keys + (size_t)i * it->key_size,
					  vals + (size_t)i * it->value_size, it->ctx)))
				return ret;
		if (err == -ENOENT)
			return 0; /* the end of the map */
		token[0] = token[1];
		first = false;
	}
}

int pb_percpu_sum(int fd, const void *key, void *out, size_t size)
{
	int ncpu = libbpf_num_possible_cpus(), cpu, err = 0;
	size_t words = size / sizeof(__u64), i;
	__u64 *vals, *sum = out;

	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	if (size % sizeof(__u64))
		return -EINVAL; /* the kernel would pad each CPU's copy */
	vals = calloc(ncpu, size);
	if (!vals)
		return -ENOMEM;
	if (bpf_map_lookup_elem(fd, key, vals))
		err = -errno;
	for (cpu = 0; !err && cpu < ncpu; cpu++)
		for (i = 0; i < words; i++)
			sum[i] += vals[(size_t)cpu * words + i];
	free(vals);
	return err;
}

int pb_map_each(int fd, pb_map_entry_fn fn, void *ctx, __u64 *entries)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info);
	struct iter it = { .fd = fd, .fn = fn, .ctx = ctx, .entries = entries };
	void *keys = NULL, *vals = NULL;
	int err, ncpu;

	*entries = 0;
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	it.batch = info.max_entries && info.max_entries < BATCH ? info.max_entries : BATCH;
	it.key_size = info.key_size;
	it.value_size = info.value_size;
	if (info.type == BPF_MAP_TYPE_PERCPU_HASH || info.type == BPF_MAP_TYPE_LRU_PERCPU_HASH) {
		ncpu = libbpf_num_possible_cpus();
		if (ncpu <= 0)
			return ncpu ? ncpu : -EINVAL;
		it.value_size = ((it.value_size + 7) & ~(size_t)7) * ncpu;
	}
	keys = malloc((size_t)it.batch * it.key_size);
	vals = malloc((size_t)it.batch * it.value_size);
	if (!keys || !vals) {
		err = -ENOMEM;
		goto out;
	}
	err = batches(&it, keys, vals);
out:
	free(keys);
	free(vals);
	return err;
}
