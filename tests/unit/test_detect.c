// SPDX-License-Identifier: BSD-2-Clause
/*
 * The detectors in userspace (what `read --alerts` runs) over the crafted
 * traces of tests/detect_traces.h, with the frames' timestamps as the clock:
 * each trace raises exactly the alerts it lists, in order, and nothing else;
 * and the alerts' JSON and text name no address they do not have.
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

#define BASE_NS 1700000000000000000ull /* 2023-11-14: any wall-clock time will do */
#define MAX_ALERTS 64

struct got {
	int n;
	struct pb_alert a[MAX_ALERTS];
};

static void collect(const struct pb_alert *a, void *ctx)
{
	struct got *g = ctx;

	if (g->n < MAX_ALERTS)
		g->a[g->n] = *a;
	g->n++;
}

static struct pb_detector *run_trace(const struct trace *t, struct got *g)
{
	struct pb_det_info info;
	struct pb_detector *d;
	struct pb_pkt p;
	int i;

	assert_int_equal(tr_config(t, &info), 0);
	d = pb_detector_new(&info.cfg, collect, g);
	assert_non_null(d);
	for (i = 0; i < t->n; i++) {
		const struct tr_frame *f = &t->f[i];

		pb_parse(f->data, f->data + f->len, f->len, &p);
		pb_detector_packet(d, f->data, f->len, true, &p, BASE_NS + f->t_ms * 1000000ull,
				   PB_DIR_INGRESS);
	}
	return d;
}

static void check_trace(void **state)
{
	void (*build)(struct trace *) = (void (*)(struct trace *))*state;
	static struct trace t;
	struct got g = { 0 };
	struct pb_detector *d;
	char why[256];
	int i;

	build(&t);
	d = run_trace(&t, &g);
	for (i = 0; i < g.n && i < t.n_expect; i++) {
		if (!tr_match(&g.a[i], &t.expect[i], why, sizeof(why)))
			fail_msg("%s: alert %d: %s", t.name, i, why);
		assert_int_equal(g.a[i].time_ns >= BASE_NS, 1);
		assert_int_equal(g.a[i].dir, PB_DIR_INGRESS);
	}
	if (g.n != t.n_expect) {
		if (g.n > t.n_expect) {
			tr_match(&g.a[t.n_expect], &t.expect[0], why, sizeof(why));
			fail_msg("%s: %d alerts, want %d; the first extra: %s", t.name, g.n,
				 t.n_expect, why);
		}
		fail_msg("%s: %d alerts, want %d", t.name, g.n, t.n_expect);
	}
	pb_detector_free(d);
}

/* The counters say what the alerts said: raised, and repeats suppressed. */
static void counters_match_alerts(void **state)
{
	struct pb_det_totals tot;
	static struct trace t;
	struct got g = { 0 };
	struct pb_detector *d;

	(void)state;
	trace_port_scan(&t);
	d = run_trace(&t, &g);
	pb_detector_totals(d, &tot);
	assert_true(tot.present);
	assert_int_equal(tot.s.raised[PB_ALERT_PORT_SCAN], 1);
	assert_int_equal(tot.s.suppressed[PB_ALERT_PORT_SCAN], 2); /* the 7th and 8th port */
	assert_int_equal(tot.entries[PB_DET_SCANS], 2);            /* two scanners */
	assert_int_equal(tot.s.inserted[PB_DET_SCANS], 2);
	assert_int_equal(tot.capacity[PB_DET_HOSTS], PB_DET_HOSTS_SIZE);
	pb_detector_free(d);
}

/* More sources than the table holds: the oldest go, and are counted. */
static void evictions_are_counted(void **state)
{
	struct pb_det_info info;
	struct pb_det_totals tot;
	static struct trace t;
	struct got g = { 0 };
	struct pb_detector *d;
	struct pb_pkt p;
	char src[32];
	int i;

	(void)state;
	pb_det_defaults(&info);
	/* Low enough to count packet by packet: each source takes its entry at once. */
	info.cfg.type[PB_ALERT_UDP_FLOOD].threshold = 16;
	d = pb_detector_new(&info.cfg, collect, &g);
	assert_non_null(d);
	for (i = 0; i < PB_DET_HOSTS_SIZE + 100; i++) {
		t.n = 0;
		snprintf(src, sizeof(src), "10.%d.%d.%d", 100 + (i >> 16), (i >> 8) & 0xff, i & 0xff);
		tr_udp(&t, 0, src, "10.1.0.1", 53);
		pb_parse(t.f[0].data, t.f[0].data + t.f[0].len, t.f[0].len, &p);
		pb_detector_packet(d, t.f[0].data, t.f[0].len, true, &p, BASE_NS + i, 0);
	}
	pb_detector_totals(d, &tot);
	assert_int_equal(tot.entries[PB_DET_HOSTS], PB_DET_HOSTS_SIZE);
	assert_int_equal(tot.s.inserted[PB_DET_HOSTS], PB_DET_HOSTS_SIZE + 100);
	assert_int_equal(g.n, 0);
	pb_detector_free(d);
}

/* Detectors that are off raise nothing, whatever the traffic. */
static void disabled_detectors_are_silent(void **state)
{
	static struct trace t;
	struct pb_det_info info;
	struct got g = { 0 };
	struct pb_detector *d;
	struct pb_pkt p;
	size_t k;
	int i, type;

	(void)state;
	for (k = 0; k < TR_COUNT; k++) {
		tr_all[k](&t);
		assert_int_equal(tr_config(&t, &info), 0);
		for (type = 0; type < PB_ALERT_MAX; type++)
			info.cfg.type[type].enabled = 0;
		d = pb_detector_new(&info.cfg, collect, &g);
		assert_non_null(d);
		for (i = 0; i < t.n; i++) {
			pb_parse(t.f[i].data, t.f[i].data + t.f[i].len, t.f[i].len, &p);
			pb_detector_packet(d, t.f[i].data, t.f[i].len, true, &p,
					   BASE_NS + t.f[i].t_ms * 1000000ull, 0);
		}
		pb_detector_free(d);
	}
	assert_int_equal(g.n, 0);
}

/*
 * Alerts as JSON and text (user/alert_fmt.c): an address the alert does not
 * have is null in JSON and "-" in text, never 0.0.0.0 or an empty word; for
 * every trace's alerts, and for records of every type with no address.
 */
static const char *const addr_fields[] = { "source_ip", "source_mac", "target_ip", "learned_mac" };

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
static void alert_addresses_of_every_trace(void **state)
{
	static struct trace t;
	size_t i;
	int k, n = 0;

	(void)state;
	for (i = 0; i < TR_COUNT; i++) {
		struct got g = { 0 };

		tr_all[i](&t);
		pb_detector_free(run_trace(&t, &g));
		for (k = 0; k < g.n && k < MAX_ALERTS; k++)
			check_alert(&g.a[k], t.name);
		n += g.n;
	}
	assert_true(n >= 20);
}

/* malformed_burst names a sender only: no target, by MAC or by address. */
static void malformed_burst_has_no_target(void **state)
{
	struct pb_alert_origin o = { 0 };
	static struct trace t;
	struct got g = { 0 };
	json_t *j;
	char msg[512];

	(void)state;
	trace_malformed(&t);
	pb_detector_free(run_trace(&t, &g));
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
static void alerts_without_addresses(void **state)
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
	struct CMUnitTest tests[TR_COUNT + 6];
	size_t i;

	for (i = 0; i < TR_COUNT; i++) {
		static struct trace names[TR_COUNT];

		tr_all[i](&names[i]);
		tests[i] = (struct CMUnitTest){ names[i].name, check_trace, NULL, NULL,
						(void *)tr_all[i] };
	}
	tests[i++] = (struct CMUnitTest)cmocka_unit_test(counters_match_alerts);
	tests[i++] = (struct CMUnitTest)cmocka_unit_test(evictions_are_counted);
	tests[i++] = (struct CMUnitTest)cmocka_unit_test(disabled_detectors_are_silent);
	tests[i++] = (struct CMUnitTest)cmocka_unit_test(alert_addresses_of_every_trace);
	tests[i++] = (struct CMUnitTest)cmocka_unit_test(malformed_burst_has_no_target);
	tests[i++] = (struct CMUnitTest)cmocka_unit_test(alerts_without_addresses);
	return _cmocka_run_group_tests("detect", tests, i, NULL, NULL);
}
