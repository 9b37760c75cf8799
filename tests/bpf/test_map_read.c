// SPDX-License-Identifier: BSD-2-Clause
/*
 * user/kern/map_read.c on real kernel maps, filled from userspace: pb_map_each and
 * pb_map_count on the types pktbpf walks, LRU hash (detector state) and
 * per-CPU LRU hash (the flow table), with more entries than one batch holds
 * (every entry comes exactly once, with every CPU's copy of its value); and
 * pb_percpu_sum on a per-CPU array. Needs root (BPF).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "map_read.h"

#define CAPACITY 20000
#define FILLED 15000 /* more than a batch (4096): several batches */

struct seen {
	unsigned char *hits; /* per key */
	int ncpu;
	bool percpu;
	int bad;
};

/* Value of key k on cpu c: both recognisable and different per CPU. */
static __u64 value_of(__u32 k, int c)
{
	return (__u64)k * 1000 + c;
}

static int check_entry(const void *key, const void *value, void *ctx)
{
	struct seen *s = ctx;
	__u32 k = *(const __u32 *)key;
	const __u64 *v = value;
	int c;

	if (k >= FILLED) {
		s->bad++;
		return 0;
	}
	s->hits[k]++;
	for (c = 0; c < (s->percpu ? s->ncpu : 1); c++)
		if (v[c] != value_of(k, s->percpu ? c : 0))
			s->bad++;
	return 0;
}

static int filled_map(enum bpf_map_type type, int ncpu)
{
	__u64 *vals = calloc(ncpu, sizeof(*vals));
	int fd = bpf_map_create(type, "pb_iter_test", sizeof(__u32), sizeof(__u64), CAPACITY,
				NULL);
	__u32 k;
	int c;

	assert_non_null(vals);
	assert_true(fd >= 0);
	for (k = 0; k < FILLED; k++) {
		for (c = 0; c < ncpu; c++)
			vals[c] = value_of(k, type == BPF_MAP_TYPE_LRU_PERCPU_HASH ? c : 0);
		assert_int_equal(bpf_map_update_elem(fd, &k, vals, BPF_NOEXIST), 0);
	}
	free(vals);
	return fd;
}

static void each_entry_once(enum bpf_map_type type)
{
	int ncpu = libbpf_num_possible_cpus();
	struct seen s = { .ncpu = ncpu, .percpu = type == BPF_MAP_TYPE_LRU_PERCPU_HASH };
	__u64 n = 0;
	int fd, k;

	assert_true(ncpu > 0);
	fd = filled_map(type, ncpu);
	s.hits = calloc(FILLED, 1);
	assert_non_null(s.hits);
	assert_int_equal(pb_map_each(fd, check_entry, &s, &n), 0);
	assert_int_equal(n, FILLED);
	assert_int_equal(s.bad, 0);
	for (k = 0; k < FILLED; k++)
		if (s.hits[k] != 1)
			fail_msg("key %d seen %d times", k, s.hits[k]);
	n = 0;
	assert_int_equal(pb_map_count(fd, &n), 0);
	assert_int_equal(n, FILLED);
	free(s.hits);
	close(fd);
}

static void lru_hash(void **state)
{
	(void)state;
	each_entry_once(BPF_MAP_TYPE_LRU_HASH);
}

static void lru_percpu_hash(void **state)
{
	(void)state;
	each_entry_once(BPF_MAP_TYPE_LRU_PERCPU_HASH);
}

static int stop_at_third(const void *key, const void *value, void *ctx)
{
	int *calls = ctx;

	(void)key;
	(void)value;
	return ++*calls == 3 ? -EINTR : 0;
}

/* The callback's non-zero return ends the walk and is what pb_map_each returns. */
static void callback_stops(void **state)
{
	int calls = 0, fd = filled_map(BPF_MAP_TYPE_LRU_HASH, 1);
	__u64 n;

	(void)state;
	assert_int_equal(pb_map_each(fd, stop_at_third, &calls, &n), -EINTR);
	assert_int_equal(calls, 3);
	close(fd);
}

static void empty_map(void **state)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_LRU_HASH, "pb_iter_empty", 4, 8, 64, NULL);
	__u64 n = 99;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(pb_map_count(fd, &n), 0);
	assert_int_equal(n, 0);
	close(fd);
}

/* Not a map: a clear error, not a count. */
static void bad_fd(void **state)
{
	__u64 n;

	(void)state;
	assert_true(pb_map_count(-1, &n) < 0);
}

/* pb_percpu_sum: every CPU's copy of each counter, added up, onto what out held. */
static void percpu_sum(void **state)
{
	int ncpu = libbpf_num_possible_cpus(), c, fd;
	__u64 (*vals)[2] = calloc(ncpu, sizeof(*vals)), sum[2] = { 5, 7 }, want[2] = { 5, 7 };
	__u32 key = 1;

	(void)state;
	assert_non_null(vals);
	fd = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "pb_sum_test", 4, sizeof(*vals), 2, NULL);
	assert_true(fd >= 0);
	for (c = 0; c < ncpu; c++) {
		vals[c][0] = value_of(c, 0);
		vals[c][1] = c + 1;
		want[0] += vals[c][0];
		want[1] += vals[c][1];
	}
	assert_int_equal(bpf_map_update_elem(fd, &key, vals, BPF_ANY), 0);
	assert_int_equal(pb_percpu_sum(fd, &key, sum, sizeof(sum)), 0);
	assert_int_equal(sum[0], want[0]);
	assert_int_equal(sum[1], want[1]);
	/* Not whole counters: refused, as the kernel would pad each copy. */
	assert_int_equal(pb_percpu_sum(fd, &key, sum, 12), -EINVAL);
	free(vals);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lru_hash),     cmocka_unit_test(lru_percpu_hash),
		cmocka_unit_test(callback_stops), cmocka_unit_test(empty_map),
		cmocka_unit_test(bad_fd),       cmocka_unit_test(percpu_sum),
	};

	return cmocka_run_group_tests_name("map_read", tests, NULL, NULL);
}
