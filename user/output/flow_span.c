// SPDX-License-Identifier: BSD-2-Clause
#include "flow_span.h"
#include "state.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int cmp_key(const void *a, const void *b)
{
	return memcmp(&((const struct pb_flow_entry *)a)->key,
		      &((const struct pb_flow_entry *)b)->key, sizeof(struct pb_flow_key));
}

void pb_flows_since(struct pb_flow_list *now, struct pb_flow_list *then)
{
	struct pb_flow_entry *e, *was;
	size_t i, n = 0;
	int k;

	/* qsort and bsearch take no NULL array, even of nothing. */
	if (then->n)
		qsort(then->e, then->n, sizeof(*then->e), cmp_key);
	for (i = 0; i < now->n; i++) {
		e = &now->e[i];
		was = then->n ? bsearch(e, then->e, then->n, sizeof(*e), cmp_key) : NULL;
		for (k = 0; was && k < 2; k++)
			if (e->val.packets[k] < was->val.packets[k] || e->val.bytes[k] < was->val.bytes[k])
				was = NULL;
		for (k = 0; was && k < 2; k++) {
			e->val.packets[k] -= was->val.packets[k];
			e->val.bytes[k] -= was->val.bytes[k];
		}
		if (e->val.packets[0] + e->val.packets[1])
			now->e[n++] = *e;
	}
	now->n = n;
}

static int open_table(struct pb_flow_span *f, const struct pb_state *s)
{
	int err;

	f->fd = pb_state_open_pin(s, PB_MAP_FLOWS);
	if (f->fd < 0)
		return f->fd;
	f->max_entries = s->info.flow_entries;
	err = pb_flows_read(f->fd, -1, f->max_entries, &f->start);
	if (err) {
		close(f->fd);
		f->fd = -1;
	}
	return err;
}

int pb_flow_span_begin(struct pb_flow_span *f, const struct pb_state *s)
{
	memset(f, 0, sizeof(*f));
	return open_table(f, s);
}

/* Append what the held table gained since it was opened to f->done. */
static int close_table(struct pb_flow_span *f)
{
	struct pb_flow_list now;
	size_t i;
	int err;

	if (f->fd < 0)
		return 0;
	err = pb_flows_read(f->fd, -1, f->max_entries, &now);
	if (!err)
		pb_flows_since(&now, &f->start);
	for (i = 0; !err && i < now.n; i++)
		err = pb_flow_list_push(&f->done, &now.e[i].key, &now.e[i].val);
	pb_flow_list_free(&now);
	pb_flow_list_free(&f->start);
	close(f->fd);
	f->fd = -1;
	return err;
}

int pb_flow_span_switch(struct pb_flow_span *f, const struct pb_state *s)
{
	int err = close_table(f);

	if (err)
		return err;
	err = open_table(f, s);
	/* The new table is empty at its start: all it holds is the span's. */
	pb_flow_list_free(&f->start);
	return err == -ENOENT ? 0 : err;
}

int pb_flow_span_end(struct pb_flow_span *f, struct pb_flow_list *out)
{
	size_t i, n = 0;
	int err = close_table(f);

	*out = f->done;
	memset(&f->done, 0, sizeof(f->done));
	if (err)
		return err;
	/* A flow in more than one table is one flow of the span. */
	if (out->n)
		qsort(out->e, out->n, sizeof(*out->e), cmp_key);
	for (i = 0; i < out->n; i++) {
		if (n && !cmp_key(&out->e[n - 1], &out->e[i]))
			pb_flow_val_merge(&out->e[n - 1].val, &out->e[i].val);
		else
			out->e[n++] = out->e[i];
	}
	out->n = n;
	return 0;
}

void pb_flow_span_free(struct pb_flow_span *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	pb_flow_list_free(&f->start);
	pb_flow_list_free(&f->done);
}
