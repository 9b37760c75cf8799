// SPDX-License-Identifier: BSD-2-Clause
#include "metrics.h"
#include "stats_read.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int pb_scrape_add(struct pb_scrape *sc, const struct pb_target *t)
{
	struct pb_metrics_dev *d;
	int err;

	if (sc->n == sc->cap) {
		size_t cap = sc->cap ? 2 * sc->cap : 8;
		struct pb_metrics_dev **dev = realloc(sc->dev, cap * sizeof(*dev));

		if (!dev)
			return -ENOMEM;
		memset(dev + sc->cap, 0, (cap - sc->cap) * sizeof(*dev));
		sc->dev = dev;
		sc->cap = cap;
	}
	/* Device slots stay allocated from one scrape to the next. */
	if (!sc->dev[sc->n]) {
		sc->dev[sc->n] = malloc(sizeof(*d));
		if (!sc->dev[sc->n])
			return -ENOMEM;
	}
	d = sc->dev[sc->n];
	err = pb_state_open(&d->st, t);
	if (err)
		return err;
	d->read_err = pb_stats_read(&d->st, &d->tot);
	if (d->read_err)
		sc->read_errors++;
	d->flows_err = d->read_err ? d->read_err : pb_flows_count_pinned(&d->st, &d->flows);
	sc->n++;
	return 0;
}

struct add_ctx {
	struct pb_scrape *sc;
	const char *netns;
};

static int add_one(const struct pb_target *t, void *arg)
{
	struct add_ctx *a = arg;
	int err;

	if (a->netns && strcmp(a->netns, t->netns))
		return 0;
	err = pb_scrape_add(a->sc, t);
	/* Detached between listing and opening: it is simply gone. */
	return err == -ENOENT ? 0 : err;
}

static int by_target(const void *a, const void *b)
{
	const struct pb_target *x = &(*(struct pb_metrics_dev *const *)a)->st.t;
	const struct pb_target *y = &(*(struct pb_metrics_dev *const *)b)->st.t;
	int r = strcmp(x->netns, y->netns);

	return r ? r : strcmp(x->ifname, y->ifname);
}

int pb_scrape_add_all(struct pb_scrape *sc, const char *netns)
{
	struct add_ctx a = { sc, netns };
	int err = pb_target_foreach(add_one, &a, 0);

	/* Stable order: outputs can be compared, and series stay in place. */
	if (sc->n > 1)
		qsort(sc->dev, sc->n, sizeof(*sc->dev), by_target);
	return err;
}

void pb_scrape_write(const struct pb_scrape *sc, struct pb_prom *p)
{
	struct pb_metrics_ctx c = { .p = p, .sc = sc };
	size_t i, k;

	for (i = 0; i < pb_metric_families_n; i++) {
		c.f = &pb_metric_families[i];
		pb_prom_family(p, c.f->name, c.f->type, c.f->help);
		if (c.f->scope == PB_SCOPE_HOST) {
			c.ls.n = 0;
			c.f->write(&c, NULL);
			continue;
		}
		for (k = 0; k < sc->n; k++) {
			const struct pb_metrics_dev *d = sc->dev[k];

			if (c.f->scope == PB_SCOPE_DEVICE && d->read_err)
				continue;
			c.ls.n = 0;
			pb_labels_push(&c.ls, "device", d->st.t.ifname);
			if (d->st.t.netns[0])
				pb_labels_push(&c.ls, "netns", d->st.t.netns);
			c.f->write(&c, d);
		}
	}
}

void pb_scrape_release(struct pb_scrape *sc)
{
	size_t k;

	for (k = 0; k < sc->n; k++)
		pb_state_close(&sc->dev[k]->st);
	sc->n = 0;
}

void pb_scrape_free(struct pb_scrape *sc)
{
	size_t k;

	pb_scrape_release(sc);
	for (k = 0; k < sc->cap; k++)
		free(sc->dev[k]);
	free(sc->dev);
	memset(sc, 0, sizeof(*sc));
}

int pb_scrape_render(struct pb_scrape *sc, struct pb_prom *p)
{
	int err;

	pb_prom_reset(p);
	err = pb_scrape_add_all(sc, NULL);
	if (!err)
		pb_scrape_write(sc, p);
	pb_scrape_release(sc);
	if (!err && p->failed)
		err = -ENOMEM;
	return err;
}
