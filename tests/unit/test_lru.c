// SPDX-License-Identifier: BSD-2-Clause
/* The bounded LRU table under `read --alerts`: lookups, eviction order, counts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lru.h"

static void evicts_least_recently_used(void **state)
{
	struct pb_lru *t = pb_lru_new(sizeof(uint32_t), sizeof(uint64_t), 3);
	uint32_t k;
	uint64_t *v;

	(void)state;
	assert_non_null(t);
	for (k = 1; k <= 3; k++) {
		v = pb_lru_insert(t, &k);
		assert_int_equal(*v, 0); /* new values start zeroed */
		*v = k * 10;
	}
	k = 1;
	assert_non_null(pb_lru_lookup(t, &k)); /* 1 is now the most recent; 2 the oldest */
	k = 4;
	pb_lru_insert(t, &k);
	assert_int_equal(pb_lru_count(t), 3);
	assert_int_equal(pb_lru_evictions(t), 1);
	k = 2;
	assert_null(pb_lru_lookup(t, &k));
	for (k = 1; k <= 4; k += 2) {
		v = pb_lru_lookup(t, &k);
		assert_non_null(v);
		assert_int_equal(*v, k * 10);
	}
	pb_lru_free(t);
}

/* Many keys through a small table: it never holds more than its capacity,
 * and every key still in it maps to its own value. */
static void stays_bounded_and_consistent(void **state)
{
	struct pb_lru *t = pb_lru_new(20, 80, 100);
	unsigned char key[20] = { 0 };
	uint32_t i, found = 0;
	uint32_t *v;

	(void)state;
	for (i = 0; i < 10000; i++) {
		memcpy(key, &i, sizeof(i));
		v = pb_lru_insert(t, key);
		*v = i;
	}
	assert_int_equal(pb_lru_count(t), 100);
	assert_int_equal(pb_lru_evictions(t), 9900);
	for (i = 0; i < 10000; i++) {
		memcpy(key, &i, sizeof(i));
		v = pb_lru_lookup(t, key);
		if (v) {
			assert_int_equal(*v, i);
			assert_true(i >= 9900);
			found++;
		}
	}
	assert_int_equal(found, 100);
	pb_lru_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(evicts_least_recently_used),
		cmocka_unit_test(stays_bounded_and_consistent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
