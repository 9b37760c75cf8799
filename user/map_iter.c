// SPDX-License-Identifier: BSD-2-Clause
#include "map_iter.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

/* Entries a batch asks for: big enough that a hash bucket never overflows it
 * (ENOSPC), small enough that its buffers stay a few MiB. */
#define BATCH 4096

struct iter {
	int fd;
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
		n = BATCH;
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
	it.key_size = info.key_size;
	it.value_size = info.value_size;
	if (info.type == BPF_MAP_TYPE_PERCPU_HASH || info.type == BPF_MAP_TYPE_LRU_PERCPU_HASH) {
		ncpu = libbpf_num_possible_cpus();
		if (ncpu <= 0)
			return ncpu ? ncpu : -EINVAL;
		it.value_size = ((it.value_size + 7) & ~(size_t)7) * ncpu;
	}
	keys = malloc((size_t)BATCH * it.key_size);
	vals = malloc((size_t)BATCH * it.value_size);
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
