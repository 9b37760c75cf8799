// SPDX-License-Identifier: BSD-2-Clause
/*
 * Alerts as JSON and text (user/alert_fmt.c): an address the alert does not
 * have is null in JSON and "-" in text, never 0.0.0.0 or an empty word. The
 * alerts come from the userspace detectors over every crafted trace of
 * tests/detect_traces.h, and from hand-made records of every type with no
 * address at all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "alert_fmt.h"
#include "detect.h"
#include "detect_traces.h"

#define BASE_NS 1700000000000000000ull
#define MAX_ALERTS 64

static const char *const addr_fields[] = { "source_ip", "source_mac", "target_ip", "learned_mac" };

struct got {
	int n;
	struct pb_alert a[MAX_ALERTS];
};

static void collect(const struct pb_alert *a, void *ctx)
{
	struct got *g = ctx;

	if (g->n < MAX_ALERTS)
		g->a[g->n++] = *a;
}

static void run(const struct trace *t, struct got *g)
{
	struct pb_det_info info;
	struct pb_detector *d;
	struct pb_pkt p;
	int i;

	assert_int_equal(tr_config(t, &info), 0);
	d = pb_detector_new(&info.cfg, collect, g);
	assert_non_null(d);
	for (i = 0; i < t->n; i++) {
		pb_parse(t->f[i].data, t->f[i].data + t->f[i].len, t->f[i].len, &p);
		pb_detector_packet(d, t->f[i].data, t->f[i].len, true, &p,
				   BASE_NS + t->f[i].t_ms * 1000000ull, PB_DIR_INGRESS);
	}
	pb_detector_free(d);
}

static const char *field(json_t *j, const char *name)
{
	json_t *v = json_object_get(j, name);

	assert_non_null(v); /* present, as null or as a string */
	return json_is_null(v) ? NULL : json_string_value(v);
}

/* No address field is an all-zero address; the text has no empty word. */
static void check_alert(const struct pb_alert *a, const char *what)
{
	struct pb_alert_origin o = { .ifname = "eth0" };
	char msg[512];
	json_t *j = pb_alert_json(a, &o);
	size_t i;

	for (i = 0; i < 3; i++)
		field(j, addr_fields[i]); /* present, null or not */
	for (i = 0; i < sizeof(addr_fields) / sizeof(addr_fields[0]); i++) {
		/* learned_mac is arp_spoof's only */
		const char *v = json_string_value(json_object_get(j, addr_fields[i]));

		if (v && (!strcmp(v, "0.0.0.0") || !strcmp(v, "::") ||
			  !strcmp(v, "00:00:00:00:00:00") || !*v))
			fail_msg("%s (%s): %s is \"%s\", not null", what,
				 pb_alert_names[a->type], addr_fields[i], v);
	}
	json_decref(j);
	pb_alert_message(msg, sizeof(msg), a, &o);
	if (strstr(msg, "0.0.0.0") || strstr(msg, "  ") || strstr(msg, " ;") ||
	    strstr(msg, " ,") || msg[strlen(msg) - 1] == ' ')
		fail_msg("%s (%s): message \"%s\"", what, pb_alert_names[a->type], msg);
}

/* Every alert the traces raise. */
static void test_trace_alerts(void **state)
{
	static struct trace t;
	size_t i;
	int k, n = 0;

	(void)state;
	for (i = 0; i < TR_COUNT; i++) {
		struct got g = { 0 };

		tr_all[i](&t);
		run(&t, &g);
		for (k = 0; k < g.n; k++)
			check_alert(&g.a[k], t.name);
		n += g.n;
	}
	assert_true(n >= 20);
}

/* malformed_burst names a sender only: no target, by MAC or by address. */
static void test_malformed_burst_has_no_target(void **state)
{
	struct pb_alert_origin o = { 0 };
	static struct trace t;
	struct got g = { 0 };
	json_t *j;
	char msg[512];

	(void)state;
	trace_malformed(&t);
	run(&t, &g);
	assert_int_equal(g.n, 2);
	j = pb_alert_json(&g.a[0], &o);
	assert_null(field(j, "source_ip"));
	assert_string_equal(field(j, "source_mac"), "02:00:00:00:00:0b");
	assert_null(field(j, "target_ip"));
	assert_null(field(j, "target_port"));
	json_decref(j);
	j = pb_alert_json(&g.a[1], &o);
	assert_string_equal(field(j, "source_ip"), "10.6.0.1");
	assert_null(field(j, "target_ip"));
	json_decref(j);
	/* A sender with neither address nor MAC (not Ethernet). */
	g.a[0].flags &= ~PB_ALERT_HAS_MAC;
	j = pb_alert_json(&g.a[0], &o);
	assert_null(field(j, "source_ip"));
	assert_null(field(j, "source_mac"));
	json_decref(j);
	pb_alert_message(msg, sizeof(msg), &g.a[0], &o);
	assert_non_null(strstr(msg, "an unknown sender sent 6 malformed packets"));
}

/* Every type with no address at all: null in JSON, "-" in text. */
static void test_no_addresses(void **state)
{
	struct pb_alert_origin o = { 0 };
	struct pb_alert a;
	char msg[512];
	int type;

	(void)state;
	for (type = 0; type < PB_ALERT_MAX; type++) {
		memset(&a, 0, sizeof(a));
		a.type = type;
		a.observed = 7;
		a.flags = PB_ALERT_HAS_TARGET; /* a target flag with no family: still none */
		memset(a.old_mac, 0x02, sizeof(a.old_mac)); /* arp_spoof always has one */
		check_alert(&a, "no addresses");
		pb_alert_message(msg, sizeof(msg), &a, &o);
		if (type != PB_ALERT_HOST_SWEEP && type != PB_ALERT_MALFORMED_BURST &&
		    !strstr(msg, " -") && strncmp(msg, "- ", 2))
			fail_msg("%s: absent address not '-': \"%s\"", pb_alert_names[type], msg);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trace_alerts),
		cmocka_unit_test(test_malformed_burst_has_no_target),
		cmocka_unit_test(test_no_addresses),
	};

	(void)tr_match; /* the traces' matcher, for test_detect.c */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
