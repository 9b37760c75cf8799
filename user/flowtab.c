// SPDX-License-Identifier: BSD-2-Clause
#include "flowtab.h"
#include "outcheck.h"
#include "pb_flow.h"
#include "utf8.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Open addressing over an index of entry numbers + 1 (0: empty slot). */
struct pb_flowtab {
	struct pb_flow_list l;
	__u32 *slot;
	size_t mask;
};

static __u64 key_hash(const struct pb_flow_key *k)
{
	const __u8 *b = (const __u8 *)k;
	__u64 h = 0xcbf29ce484222325ull; /* FNV-1a */
	size_t i;

	for (i = 0; i < sizeof(*k); i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

struct pb_flowtab *pb_flowtab_new(void)
{
	struct pb_flowtab *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->mask = 1023;
	t->slot = calloc(t->mask + 1, sizeof(*t->slot));
	if (!t->slot) {
		free(t);
		return NULL;
	}
	return t;
}

void pb_flowtab_free(struct pb_flowtab *t)
{
	if (!t)
		return;
	pb_flow_list_free(&t->l);
	free(t->slot);
	free(t);
}

static size_t find(const struct pb_flowtab *t, const struct pb_flow_key *k)
{
	size_t i = key_hash(k) & t->mask;

	while (t->slot[i] && memcmp(&t->l.e[t->slot[i] - 1].key, k, sizeof(*k)))
		i = (i + 1) & t->mask;
	return i;
}

/* Keep the index at most half full. */
static int grow(struct pb_flowtab *t)
{
	size_t n = 2 * (t->mask + 1), i;
	__u32 *old = t->slot;
	size_t old_n = t->mask + 1;

	t->slot = calloc(n, sizeof(*t->slot));
	if (!t->slot) {
		t->slot = old;
		return -ENOMEM;
	}
	t->mask = n - 1;
	for (i = 0; i < old_n; i++)
		if (old[i])
			t->slot[find(t, &t->l.e[old[i] - 1].key)] = old[i];
	free(old);
	return 0;
}

int pb_flowtab_add(struct pb_flowtab *t, const struct pb_pkt *p, __u64 len, __u64 ts_ns)
{
	struct pb_flow_key k;
	struct pb_flow_val v;
	int sender = pb_flow_key_of(p, &k), err;
	size_t i;

	if (sender < 0)
		return 0;
	i = find(t, &k);
	if (t->slot[i]) {
		pb_flow_add(&t->l.e[t->slot[i] - 1].val, p, sender, len, ts_ns);
		return 0;
	}
	if (2 * (t->l.n + 1) > t->mask + 1) {
		err = grow(t);
		if (err)
			return err;
		i = find(t, &k);
	}
	pb_flow_init(&v, sender, ts_ns);
	pb_flow_add(&v, p, sender, len, ts_ns);
	err = pb_flow_list_push(&t->l, &k, &v);
	if (err)
		return err;
	t->slot[i] = t->l.n;
	t->l.created++;
	return 0;
}

int pb_flowtab_list(const struct pb_flowtab *t, struct pb_flow_list *out)
{
	size_t i;
	int err = 0;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < t->l.n && !err; i++)
		err = pb_flow_list_push(out, &t->l.e[i].key, &t->l.e[i].val);
	out->created = t->l.created;
	return err;
}

void pb_flowtab_print(const struct pb_flowtab *t, bool json, const char *file)
{
	struct pb_flow_list l;

	if (pb_flowtab_list(t, &l)) {
		pb_flow_list_free(&l);
		return;
	}
	pb_flows_sort(&l, PB_SORT_BYTES);
	if (json) {
		json_t *doc = pb_flows_json(&l, 0);

		json_object_set_new(doc, "file", pb_json_str(file));
		pb_out_json(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	} else {
		pb_flows_print(stdout, &l, 0);
	}
	pb_flow_list_free(&l);
}
