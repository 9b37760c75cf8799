// SPDX-License-Identifier: BSD-2-Clause
/*
 * user/report*.c: the data behind each chart of a report built by hand (the
 * series, the axes and their labels, the bars), its JSON form, and images
 * read back by cairo at the size the layout says.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>
#include <cairo/cairo.h>
#include <fontconfig/fontconfig.h>

#include "flows.h"
#include "report.h"

#define MS 1000000ull
#define S 1000000000ull
#define T0 (1700000000ull * S) /* 2023-11-14 22:13:20 UTC */

static void one(struct pb_report *r, __u64 ts, int cls, __u64 bytes)
{
	struct pb_count c[PB_CLASS_MAX] = { 0 };

	c[cls].packets = 1;
	c[cls].bytes = bytes;
	if (!r->packets || ts < r->first_ns)
		r->first_ns = ts;
	if (ts > r->last_ns)
		r->last_ns = ts;
	assert_int_equal(pb_report_add(r, ts, c), 0);
}

/* 10 s: 300 TCP packets of 1000 bytes, 100 UDP of 100, 2 ARP of 60. */
static void sample(struct pb_report *r)
{
	int i;

	pb_report_init(r, "/captures/sample.pcap", 0);
	for (i = 0; i < 300; i++)
		one(r, T0 + (__u64)i * 10 * S / 300, PB_CLASS_TCP, 1000);
	for (i = 0; i < 100; i++)
		one(r, T0 + 5 * S + (__u64)i * 10 * MS, PB_CLASS_UDP, 100);
	one(r, T0 + 2 * S, PB_CLASS_ARP, 60);
	one(r, T0 + 9 * S, PB_CLASS_ARP, 60);
	pb_series_coarsen(&r->series, PB_REPORT_MIN_BINS);
}

static const struct pb_panel *panel(const struct pb_report_layout *l, const char *title)
{
	int i;

	for (i = 0; i < l->n_panels; i++)
		if (!strncmp(l->panels[i].title, title, strlen(title)))
			return &l->panels[i];
	fail_msg("no panel '%s'", title);
	return NULL;
}

static void test_time_panels(void **state)
{
	static struct pb_report r;
	static struct pb_report_layout l;
	const struct pb_panel *p;
	double sum[3] = { 0 }, top = 0, stack;
	size_t i;
	int s;

	(void)state;
	sample(&r);
	pb_report_layout(&r, &l);
	assert_int_equal(r.series.width_ns, 100 * MS);
	assert_int_equal(r.series.n, 100);

	p = panel(&l, "Packets per second");
	assert_int_equal(p->kind, PB_PANEL_TIME);
	/* Series: the classes with traffic, in class order. */
	assert_int_equal(p->n_series, 3);
	assert_int_equal(p->series[0], PB_CLASS_TCP);
	assert_int_equal(p->series[1], PB_CLASS_UDP);
	assert_int_equal(p->series[2], PB_CLASS_ARP);
	for (i = 0; i < r.series.n; i++) {
		for (stack = 0, s = 0; s < 3; s++) {
			sum[s] += pb_panel_value(&r, p, s, i) * 0.1; /* rate x bin = packets */
			stack += pb_panel_value(&r, p, s, i);
		}
		if (stack > top)
			top = stack;
	}
	assert_float_equal(sum[0], 300, 1e-9);
	assert_float_equal(sum[1], 100, 1e-9);
	assert_float_equal(sum[2], 2, 1e-9);
	/* UDP at 100/s on top of TCP at 30/s: the axis reaches past 130, a
	 * round step at a time, labelled as people write numbers. */
	assert_float_equal(top, 130, 1e-9);
	assert_true(p->yaxis.max >= top);
	assert_float_equal(p->yaxis.max, 150, 1e-9);
	assert_int_equal(p->yaxis.n_ticks, 4);
	assert_string_equal(p->yaxis.ticks[1].label, "50");
	assert_string_equal(p->yaxis.title, "packets/s");
	/* Time: 10 s from the first bin, in steps of 2 s. */
	assert_string_equal(p->xaxis.title, "time since 2023-11-14 22:13:20.000 UTC");
	assert_int_equal(p->xaxis.n_ticks, 6);
	assert_string_equal(p->xaxis.ticks[0].label, "0 s");
	assert_string_equal(p->xaxis.ticks[5].label, "10 s");

	p = panel(&l, "Bits per second");
	assert_string_equal(p->yaxis.title, "bit/s");
	/* TCP: 3 packets of 1000 bytes per 100 ms bin = 240 kbit/s. */
	assert_float_equal(pb_panel_value(&r, p, 0, 0), 240000, 1e-6);
	/* With UDP's 80 kbit/s on top: 320 kbit/s, axis to 400 k. */
	assert_float_equal(p->yaxis.max, 400000, 1e-6);
	assert_string_equal(p->yaxis.ticks[1].label, "100 k");

	assert_int_equal(l.width, 1200);
	assert_true(l.height > p->y + p->h);
	assert_string_equal(l.title, "pktbpf report: sample.pcap");
	assert_string_equal(l.subtitle, "2023-11-14 22:13:20.000 to 22:13:29.966 UTC (9.97 s)   "
					"402 packets, 310 kB   bins of 100 ms");
	pb_report_free(&r);
}

static void test_bar_panels(void **state)
{
	static struct pb_report r;
	static struct pb_report_layout l;
	const struct pb_panel *p;

	(void)state;
	sample(&r);
	r.have_flows = true;
	strcpy(r.talkers[0].label, "10.0.0.1");
	r.talkers[0].packets = 300;
	r.talkers[0].bytes = 300000;
	r.talkers[0].cls = r.talkers[1].cls = -1;
	strcpy(r.talkers[1].label, "10.0.0.2");
	r.talkers[1].packets = 100;
	r.talkers[1].bytes = 10000;
	r.n_talkers = 2;
	pb_report_layout(&r, &l);

	p = panel(&l, "Protocols");
	assert_int_equal(p->n_bars, 3);
	assert_string_equal(p->bars[0].label, "tcp");
	assert_string_equal(p->bars[0].value, "74.6 %  300 pkts  300 kB");
	assert_float_equal(p->bars[0].share, 1.0, 1e-12);
	assert_string_equal(p->bars[1].label, "udp");
	assert_float_equal(p->bars[1].share, 1.0 / 3, 1e-12);
	assert_string_equal(p->bars[2].value, "0.5 %  2 pkts  120 B");
	assert_int_equal(p->bars[2].color, PB_CLASS_ARP);

	p = panel(&l, "Top talkers");
	assert_int_equal(p->n_bars, 2);
	assert_null(p->empty);
	assert_string_equal(p->bars[1].label, "10.0.0.2");
	assert_string_equal(p->bars[1].value, "10.0 kB  3.2 %  100 pkts");
	assert_float_equal(p->bars[1].share, 10000.0 / 300000, 1e-12);

	p = panel(&l, "Top flows");
	assert_int_equal(p->n_bars, 0);
	assert_string_equal(p->empty, "no IP traffic");
	r.have_flows = false;
	pb_report_layout(&r, &l);
	assert_string_equal(panel(&l, "Top flows")->empty, "no flow data");
	pb_report_free(&r);
}

/* Flows to bars: the largest by bytes, labelled initiator first, colored by class. */
static void test_flows_and_talkers(void **state)
{
	static struct pb_report r;
	static struct pb_report_layout l;
	struct pb_flow_list fl = { 0 };
	struct pb_flow_key k = { .l4_proto = 17, .family = 6, .vlan_id = 7 };
	struct pb_flow_val v = { .packets = { 3, 1 }, .bytes = { 3000, 100 }, .first_ns = 1 };
	const struct pb_panel *p;
	int i;

	(void)state;
	sample(&r);
	/* end 1 sent first: 2001:db8::2 port 53 is the initiator. */
	k.addr[0][0] = htonl(0x20010db8);
	k.addr[0][3] = htonl(1);
	k.addr[1][0] = htonl(0x20010db8);
	k.addr[1][3] = htonl(2);
	k.port[0] = 5353;
	k.port[1] = 53;
	assert_int_equal(pb_flow_list_push(&fl, &k, &v), 0);
	for (i = 0; i < 12; i++) {
		struct pb_flow_key t = { .l4_proto = 6, .family = 4, .port = { 40000 + i, 80 } };
		struct pb_flow_val tv = { .packets = { 1, 1 }, .bytes = { 100 + i, 60 },
					  .first_ns = 1, .state = PB_FLOW_END0_FIRST };

		t.addr[0][0] = htonl(0x0a000001);
		t.addr[1][0] = htonl(0x0a000002);
		assert_int_equal(pb_flow_list_push(&fl, &t, &tv), 0);
	}
	assert_int_equal(pb_report_flows(&r, &fl), 0);
	pb_flow_list_free(&fl);
	assert_true(r.have_flows);
	assert_int_equal(r.n_flows, PB_REPORT_TOP);
	assert_string_equal(r.flows[0].label, "udp [2001:db8::2]:53 \u2194 [2001:db8::1]:5353 vlan 7");
	assert_int_equal(r.flows[0].bytes, 3100);
	assert_int_equal(r.flows[0].cls, PB_CLASS_UDP);
	assert_string_equal(r.flows[1].label, "tcp 10.0.0.1:40011 \u2194 10.0.0.2:80");
	assert_int_equal(r.flows[1].cls, PB_CLASS_TCP);
	/* Talkers by bytes sent: ::1 3000, 10.0.0.1 12 x ~105, ... */
	assert_int_equal(r.n_talkers, 4);
	assert_string_equal(r.talkers[0].label, "2001:db8::1");
	assert_int_equal(r.talkers[0].bytes, 3000);
	assert_string_equal(r.talkers[1].label, "10.0.0.1");
	assert_int_equal(r.talkers[1].packets, 12);
	assert_int_equal(r.talkers[1].bytes, 12 * 100 + 66);
	assert_int_equal(r.talkers[0].cls, -1);
	pb_report_layout(&r, &l);
	p = panel(&l, "Top flows");
	assert_int_equal(p->n_bars, PB_REPORT_TOP);
	assert_int_equal(p->bars[0].color, PB_CLASS_UDP);
	assert_null(p->empty);
	pb_report_free(&r);
}

/* A flow table with nothing in it: flow data, no rows. */
static void test_no_flows(void **state)
{
	static struct pb_report r;
	static struct pb_report_layout l;
	struct pb_flow_list fl = { 0 };

	(void)state;
	sample(&r);
	assert_int_equal(pb_report_flows(&r, &fl), 0);
	assert_true(r.have_flows);
	assert_int_equal(r.n_flows + r.n_talkers, 0);
	pb_report_layout(&r, &l);
	assert_string_equal(panel(&l, "Top flows")->empty, "no IP traffic");
	assert_string_equal(panel(&l, "Top talkers")->empty, "no IP traffic");
	pb_report_free(&r);
}

static void test_alerts_panel_only_with_alerts(void **state)
{
	static struct pb_report r;
	static struct pb_report_layout l;
	const struct pb_panel *p;
	double h;

	(void)state;
	sample(&r);
	pb_report_layout(&r, &l);
	h = l.height;
	assert_int_equal(l.n_panels, 5);
	assert_int_equal(pb_report_alerts(&r, T0 + 3 * S, PB_ALERT_SYN_FLOOD, 2), 0);
	assert_int_equal(pb_report_alerts(&r, T0 + 3 * S + 50 * MS, PB_ALERT_PORT_SCAN, 1), 0);
	assert_int_equal(pb_report_alerts(&r, T0 + 7 * S, PB_ALERT_PORT_SCAN, 1), 0);
	assert_int_equal(r.alerts, 4);
	pb_report_layout(&r, &l);
	assert_int_equal(l.n_panels, 6);
	assert_true(l.height > h);
	p = panel(&l, "Alerts");
	assert_true(p->alerts);
	/* One series per type raised, in type order, stacked. */
	assert_int_equal(p->n_series, 2);
	assert_string_equal(pb_panel_series_name(p, 0), "port_scan");
	assert_string_equal(pb_panel_series_name(p, 1), "syn_flood");
	assert_float_equal(pb_panel_value(&r, p, 0, 30), 1, 0);
	assert_float_equal(pb_panel_value(&r, p, 1, 30), 2, 0);
	assert_float_equal(pb_panel_value(&r, p, 0, 70), 1, 0);
	assert_float_equal(p->yaxis.max, 3, 0);
	assert_string_equal(p->yaxis.title, "alerts per 100 ms");
	/* Whole alerts: no tick at a fraction of one. */
	assert_float_equal(p->yaxis.ticks[1].v, 1, 0);
	pb_report_free(&r);
}

/* Round numbers as people write them: "0.5", "1 k", not "0.50", "1.00 k". */
static void test_axis_labels(void **state)
{
	static struct pb_report r;
	static struct pb_report_layout l;
	const struct pb_panel *p;

	(void)state;
	pb_report_init(&r, "two.pcap", 1 * S);
	one(&r, T0, PB_CLASS_UDP, 300);
	one(&r, T0 + 500 * MS, PB_CLASS_UDP, 300);
	pb_report_layout(&r, &l);
	p = panel(&l, "Packets");
	assert_float_equal(p->yaxis.max, 2, 0);
	assert_string_equal(p->yaxis.ticks[1].label, "0.5");
	assert_string_equal(p->yaxis.ticks[4].label, "2");
	p = panel(&l, "Bits");
	assert_float_equal(p->yaxis.max, 5000, 0);
	assert_string_equal(p->yaxis.ticks[1].label, "1 k");
	/* One bin of 1 s: ticks every 200 ms. */
	assert_string_equal(p->xaxis.ticks[1].label, "200 ms");
	assert_string_equal(l.subtitle, "2023-11-14 22:13:20.000 to 22:13:20.500 UTC (500 ms)   "
					"2 packets, 600 B   bins of 1 s");
	pb_report_free(&r);
}

static void test_no_packets(void **state)
{
	static struct pb_report r;
	static struct pb_report_layout l;

	(void)state;
	pb_report_init(&r, "empty.pcap", 0);
	pb_report_layout(&r, &l);
	assert_string_equal(l.subtitle, "no packets");
	assert_int_equal(panel(&l, "Packets")->n_series, 0);
	assert_float_equal(panel(&l, "Packets")->yaxis.max, 1, 0);
	assert_string_equal(panel(&l, "Protocols")->empty, "no packets");
	pb_report_free(&r);
}

static void test_json(void **state)
{
	static struct pb_report r;
	static struct pb_report_layout l;
	json_t *doc, *chart, *values;
	double sum = 0;
	size_t i;

	(void)state;
	sample(&r);
	pb_report_layout(&r, &l);
	doc = pb_report_json(&r, &l);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "source")),
			    "/captures/sample.pcap");
	assert_int_equal(json_integer_value(json_object_get(doc, "packets")), 402);
	assert_int_equal(json_integer_value(json_object_get(doc, "bins")), 100);
	assert_float_equal(json_real_value(json_object_get(doc, "bin_seconds")), 0.1, 1e-12);
	assert_int_equal(json_integer_value(json_object_get(
				 json_object_get(json_object_get(doc, "classes"), "udp"), "bytes")),
			 10000);
	assert_null(json_object_get(doc, "top_flows")); /* no flow data: no field */
	chart = json_array_get(json_object_get(doc, "charts"), 0);
	assert_int_equal(json_array_size(json_object_get(chart, "series")), 3);
	values = json_object_get(json_object_get(chart, "values"), "udp");
	assert_int_equal(json_array_size(values), 100);
	for (i = 0; i < json_array_size(values); i++)
		sum += json_real_value(json_array_get(values, i)) * 0.1;
	assert_float_equal(sum, 100, 1e-9);
	assert_int_equal(json_array_size(json_object_get(doc, "charts")), 5);
	assert_float_equal(json_real_value(json_object_get(json_object_get(doc, "image"), "width")),
			   1200, 0);
	json_decref(doc);
	pb_report_free(&r);
}

static void test_format_of(void **state)
{
	(void)state;
	assert_int_equal(pb_report_format_of("a.png"), PB_FMT_PNG);
	assert_int_equal(pb_report_format_of("dir.x/A.PNG"), PB_FMT_PNG);
	assert_int_equal(pb_report_format_of("a.svg"), PB_FMT_SVG);
	assert_int_equal(pb_report_format_of("a.pdf"), PB_FMT_PDF);
	assert_int_equal(pb_report_format_of("a.jpg"), -1);
	assert_int_equal(pb_report_format_of("png"), -1);
}

static cairo_status_t from_file(void *f, unsigned char *data, unsigned int len)
{
	return fread(data, 1, len, f) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_READ_ERROR;
}

/* Every format draws; the PNG reads back at the layout's size. */
static void test_draw(void **state)
{
	static struct pb_report r;
	static struct pb_report_layout l;
	static const char magic[3][5] = { "\x89PNG", "<?xm", "%PDF" };
	cairo_surface_t *img;
	const char *why = NULL;
	char head[5] = "";
	FILE *f;
	int fmt;

	(void)state;
	sample(&r);
	pb_report_layout(&r, &l);
	for (fmt = PB_FMT_PNG; fmt <= PB_FMT_PDF; fmt++) {
		f = tmpfile();
		assert_non_null(f);
		assert_int_equal(pb_report_draw(&r, &l, fmt, f, &why), 0);
		assert_true(ftell(f) > 1000);
		rewind(f);
		assert_int_equal(fread(head, 1, 4, f), 4);
		assert_memory_equal(head, magic[fmt], 4);
		if (fmt == PB_FMT_PNG) {
			rewind(f);
			img = cairo_image_surface_create_from_png_stream(from_file, f);
			assert_int_equal(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
			assert_int_equal(cairo_image_surface_get_width(img), (int)l.width);
			assert_int_equal(cairo_image_surface_get_height(img), (int)l.height);
			cairo_surface_destroy(img);
		}
		fclose(f);
	}
	pb_report_free(&r);
}

/* A full disk is an error with a reason, not a truncated image. */
static void test_draw_write_error(void **state)
{
	static struct pb_report r;
	static struct pb_report_layout l;
	const char *why = NULL;
	FILE *f = fopen("/dev/full", "wb");

	(void)state;
	if (!f)
		skip();
	sample(&r);
	pb_report_layout(&r, &l);
	assert_int_equal(pb_report_draw(&r, &l, PB_FMT_PNG, f, &why), -1);
	assert_non_null(why);
	fclose(f);
	pb_report_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_panels),
		cmocka_unit_test(test_bar_panels),
		cmocka_unit_test(test_flows_and_talkers),
		cmocka_unit_test(test_no_flows),
		cmocka_unit_test(test_alerts_panel_only_with_alerts),
		cmocka_unit_test(test_axis_labels),
		cmocka_unit_test(test_no_packets),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_format_of),
		cmocka_unit_test(test_draw),
		cmocka_unit_test(test_draw_write_error),
	};

	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	/* cairo keeps fonts (and fontconfig's patterns) for the life of the
	 * process: let go of them, so that LeakSanitizer sees only real leaks. */
	cairo_debug_reset_static_data();
	FcFini();
	return failed;
}
