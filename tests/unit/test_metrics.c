// SPDX-License-Identifier: BSD-2-Clause
/*
 * The metric families over made-up attachments (no maps needed): every line
 * has the exposition format's form, families come whole and in table order,
 * names follow the conventions, and the values are the counters'.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "metrics.h"

#define MAX_LABELS 16

struct sample {
	char name[128];
	int n;
	char key[MAX_LABELS][64];
	char val[MAX_LABELS][128];
	char value[64];
};

static bool name_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
	       (!first && c >= '0' && c <= '9');
}

/* Parse `name{k="v",...} value` strictly (unescaping values); false if malformed. */
static bool parse_sample(const char *l, struct sample *s)
{
	size_t i = 0, k;

	memset(s, 0, sizeof(*s));
	while (name_char(*l, i == 0) && i < sizeof(s->name) - 1)
		s->name[i++] = *l++;
	if (!i)
		return false;
	if (*l == '{') {
		l++;
		while (*l != '}') {
			if (s->n == MAX_LABELS)
				return false;
			for (k = 0; name_char(*l, k == 0) && *l != ':'; k++)
				s->key[s->n][k] = *l++;
			if (!k || *l++ != '=' || *l++ != '"')
				return false;
			for (k = 0; *l != '"'; k++) {
				if (!*l || *l == '\n' || k == sizeof(s->val[0]) - 1)
					return false;
				if (*l == '\\') {
					l++;
					if (*l != '\\' && *l != '"' && *l != 'n')
						return false;
					s->val[s->n][k] = *l == 'n' ? '\n' : *l;
					l++;
				} else {
					s->val[s->n][k] = *l++;
				}
			}
			l++;
			s->n++;
			if (*l == ',')
				l++;
			else if (*l != '}')
				return false;
		}
		l++;
	}
	if (*l++ != ' ')
		return false;
	for (k = 0; *l && *l != ' ' && k < sizeof(s->value) - 1; k++)
		s->value[k] = *l++;
	if (*l || !k)
		return false;
	return true;
}

static const char *label(const struct sample *s, const char *key)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->key[i], key))
			return s->val[i];
	return NULL;
}

static bool is_number(const char *v)
{
	char *end;

	if (!strcmp(v, "NaN") || !strcmp(v, "+Inf") || !strcmp(v, "-Inf"))
		return true;
	strtod(v, &end);
	return !*end;
}

static struct pb_metrics_dev *make_dev(const char *ifname, const char *netns, __u64 seed)
{
	struct pb_metrics_dev *d = calloc(1, sizeof(*d));
	__u64 *w;
	size_t i;
	int dir;

	assert_non_null(d);
	assert_int_equal(pb_target_init(&d->st.t, ifname, netns), 0);
	d->st.stats_fd = d->st.ethtype_fd = -1;
	d->st.health = PB_HEALTH_OK;
	d->st.info.abi_version = PB_ABI_VERSION;
	d->st.info.xdp_mode = PB_MODE_NATIVE;
	d->st.info.flags = PB_ATTACH_EGRESS;
	d->st.info.xdp_prog_id = 11;
	d->st.info.tc_prog_id = 12;
	d->st.info.attach_time_ns = 1700000000500000000ull;
	if (!seed)
		return d;
	/* Every counter a distinct value: a swapped field shows. */
	for (dir = 0; dir < PB_DIR_MAX; dir++) {
		w = (__u64 *)&d->tot.dir[dir];
		for (i = 0; i < sizeof(d->tot.dir[dir]) / sizeof(*w); i++)
			w[i] = seed + dir * 100000 + i;
	}
	d->tot.ethertypes[PB_DIR_INGRESS][0].ethertype = 0x88cc;
	d->tot.ethertypes[PB_DIR_INGRESS][0].c.packets = 3;
	d->tot.ethertypes[PB_DIR_INGRESS][0].c.bytes = 180;
	d->tot.n_ethertypes[PB_DIR_INGRESS] = 1;
	return d;
}

struct fixture {
	struct pb_scrape sc;
	struct pb_prom p;
	char *text;
};

/* Three attachments: one healthy, one in a namespace, one unreadable. */
static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct pb_metrics_dev *broken;

	assert_non_null(f);
	f->sc.cap = f->sc.n = 3;
	f->sc.dev = calloc(3, sizeof(*f->sc.dev));
	f->sc.dev[0] = make_dev("eth0", NULL, 1000);
	f->sc.dev[1] = make_dev("veth1", "blue\"ns", 0);
	f->sc.dev[1]->tot.dir[PB_DIR_EGRESS].ip_proto[47].packets = 9;
	f->sc.dev[1]->tot.dir[PB_DIR_EGRESS].ip_proto[47].bytes = 900;
	broken = f->sc.dev[2] = make_dev("gone0", NULL, 0);
	broken->read_err = -EIO;
	broken->st.health = PB_HEALTH_IFACE_GONE;
	f->sc.read_errors = 4;
	pb_scrape_write(&f->sc, &f->p);
	assert_false(f->p.failed);
	f->text = strndup(f->p.buf, f->p.len);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < f->sc.n; i++)
		free(f->sc.dev[i]);
	free(f->sc.dev);
	pb_prom_free(&f->p);
	free(f->text);
	free(f);
	return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

static void test_family_table(void **state)
{
	size_t i, k;

	(void)state;
	assert_true(pb_metric_families_n > 0);
	for (i = 0; i < pb_metric_families_n; i++) {
		const struct pb_metric_family *f = &pb_metric_families[i];

		assert_true(pb_prom_valid_name(f->name, false));
		assert_true(!strncmp(f->name, "pktbpf_", 7));
		assert_non_null(f->write);
		assert_true(f->help && *f->help && !strchr(f->help, '\n'));
		/* Counters end in _total, and nothing else does. */
		assert_int_equal(ends_with(f->name, "_total"), f->type == PB_PROM_COUNTER);
		if (strstr(f->name, "bytes"))
			assert_true(ends_with(f->name, "_bytes_total"));
		for (k = 0; k < i; k++)
			assert_string_not_equal(f->name, pb_metric_families[k].name);
	}
}

/*
 * Every line is a HELP, then the TYPE of the same family, then samples of that
 * family only; families come in table order, each once; no series twice.
 */
static void test_every_line(void **state)
{
	struct fixture *f = *state;
	char *save = NULL, *line, *copy = strdup(f->text), seen[64][512];
	const struct pb_metric_family *fam = NULL;
	size_t next = 0, nseen = 0, i;
	bool want_type = false;
	struct sample s;

	assert_true(f->text[strlen(f->text) - 1] == '\n');
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char expect[256];

		if (!strncmp(line, "# HELP ", 7)) {
			assert_false(want_type);
			assert_true(next < pb_metric_families_n);
			fam = &pb_metric_families[next++];
			snprintf(expect, sizeof(expect), "# HELP %s %s", fam->name, fam->help);
			assert_string_equal(line, expect);
			want_type = true;
			nseen = 0;
			continue;
		}
		assert_non_null(fam);
		if (want_type) {
			snprintf(expect, sizeof(expect), "# TYPE %s %s", fam->name,
				 fam->type == PB_PROM_COUNTER ? "counter" : "gauge");
			assert_string_equal(line, expect);
			want_type = false;
			continue;
		}
		assert_true(parse_sample(line, &s));
		assert_string_equal(s.name, fam->name);
		assert_true(is_number(s.value));
		for (i = 0; i < (size_t)s.n; i++)
			assert_true(pb_prom_valid_name(s.key[i], false));
		if (fam->scope != PB_SCOPE_HOST) {
			assert_string_equal(s.key[0], "device");
			assert_int_equal(!!label(&s, "netns"), !strcmp(s.val[0], "veth1"));
		}
		if (fam->scope == PB_SCOPE_DEVICE)
			assert_string_not_equal(label(&s, "device"), "gone0");
		/* The same label set twice in a family would be a duplicate series. */
		*strrchr(line, ' ') = '\0';
		for (i = 0; i < nseen && nseen < 64; i++)
			assert_string_not_equal(seen[i], line);
		if (nseen < 64)
			snprintf(seen[nseen++], sizeof(seen[0]), "%s", line);
	}
	assert_false(want_type);
	assert_int_equal(next, pb_metric_families_n);
	free(copy);
}

static void assert_line(const struct fixture *f, const char *line)
{
	char want[512];

	snprintf(want, sizeof(want), "\n%s\n", line);
	if (!strstr(f->text, want))
		fail_msg("missing line: %s", line);
}

static void refute_text(const struct fixture *f, const char *s)
{
	if (strstr(f->text, s))
		fail_msg("unexpected: %s", s);
}

static void test_values(void **state)
{
	struct fixture *f = *state;
	const struct pb_metrics_dev *d = f->sc.dev[0];
	const struct pb_dir_stats *in = &d->tot.dir[PB_DIR_INGRESS], *out = &d->tot.dir[PB_DIR_EGRESS];
	char l[512];

	assert_line(f, "pktbpf_build_info{version=\"" PKTBPF_VERSION "\"} 1");
	assert_line(f, "pktbpf_scrape_read_errors_total 4");
	assert_line(f, "pktbpf_attached_info{device=\"eth0\",state=\"attached\",mode=\"native\","
		       "egress=\"true\",xdp_prog_id=\"11\",tc_prog_id=\"12\"} 1");
	assert_line(f, "pktbpf_attached_info{device=\"gone0\",state=\"interface-gone\","
		       "mode=\"native\",egress=\"true\",xdp_prog_id=\"11\",tc_prog_id=\"12\"} 1");
	assert_line(f, "pktbpf_attach_time_seconds{device=\"eth0\"} 1700000000.5");
	snprintf(l, sizeof(l),
		 "pktbpf_packets_total{device=\"eth0\",direction=\"ingress\",protocol=\"tcp\"} %llu",
		 (unsigned long long)in->proto[PB_PROTO_TCP].packets);
	assert_line(f, l);
	snprintf(l, sizeof(l),
		 "pktbpf_bytes_total{device=\"eth0\",direction=\"egress\",protocol=\"all\"} %llu",
		 (unsigned long long)out->proto[PB_PROTO_ALL].bytes);
	assert_line(f, l);
	snprintf(l, sizeof(l),
		 "pktbpf_fragments_total{device=\"eth0\",direction=\"ingress\",protocol=\"ipv6\"} %llu",
		 (unsigned long long)in->proto[PB_PROTO_IPV6_FRAG].packets);
	assert_line(f, l);
	snprintf(l, sizeof(l),
		 "pktbpf_fragment_bytes_total{device=\"eth0\",direction=\"egress\",protocol=\"ipv4\"} %llu",
		 (unsigned long long)out->proto[PB_PROTO_IPV4_FRAG].bytes);
	assert_line(f, l);
	/* Fragments have a family of their own, not a protocol value. */
	refute_text(f, "protocol=\"ipv4_fragment\"");
	snprintf(l, sizeof(l),
		 "pktbpf_tcp_flags_total{device=\"eth0\",direction=\"egress\",flag=\"syn\"} %llu",
		 (unsigned long long)out->tcp_flags[PB_TCPF_SYN]);
	assert_line(f, l);
	snprintf(l, sizeof(l),
		 "pktbpf_malformed_packets_total{device=\"eth0\",direction=\"ingress\","
		 "reason=\"udp_bad_length\"} %llu",
		 (unsigned long long)in->malformed[PB_MAL_UDP_BAD_LENGTH]);
	assert_line(f, l);
	refute_text(f, "reason=\"none\"");
	snprintf(l, sizeof(l),
		 "pktbpf_capture_truncated_packets_total{device=\"eth0\",direction=\"egress\"} %llu",
		 (unsigned long long)out->capture_truncated);
	assert_line(f, l);
	snprintf(l, sizeof(l),
		 "pktbpf_filter_matched_packets_total{device=\"eth0\",direction=\"ingress\"} %llu",
		 (unsigned long long)in->filter_matched);
	assert_line(f, l);
	snprintf(l, sizeof(l),
		 "pktbpf_ethertype_table_full_packets_total{device=\"eth0\",direction=\"egress\"} "
		 "%llu",
		 (unsigned long long)out->ethertype_table_full);
	assert_line(f, l);
	snprintf(l, sizeof(l),
		 "pktbpf_ip_protocol_packets_total{device=\"eth0\",direction=\"ingress\",protocol=\"255\"} %llu",
		 (unsigned long long)in->ip_proto[255].packets);
	assert_line(f, l);
	assert_line(f, "pktbpf_ethertype_packets_total{device=\"eth0\",direction=\"ingress\","
		       "ethertype=\"0x88cc\"} 3");
	assert_line(f, "pktbpf_ethertype_bytes_total{device=\"eth0\",direction=\"ingress\","
		       "ethertype=\"0x88cc\"} 180");
}

/* A namespace's name is a label value: escaped. Only IP protocols seen appear. */
static void test_netns_device(void **state)
{
	struct fixture *f = *state;

	assert_line(f, "pktbpf_packets_total{device=\"veth1\",netns=\"blue\\\"ns\","
		       "direction=\"ingress\",protocol=\"all\"} 0");
	assert_line(f, "pktbpf_ip_protocol_packets_total{device=\"veth1\",netns=\"blue\\\"ns\","
		       "direction=\"egress\",protocol=\"47\"} 9");
	assert_line(f, "pktbpf_ip_protocol_bytes_total{device=\"veth1\",netns=\"blue\\\"ns\","
		       "direction=\"egress\",protocol=\"47\"} 900");
	refute_text(f, "device=\"veth1\",netns=\"blue\\\"ns\",direction=\"ingress\",protocol=\"6\"");
}

/* An empty scrape still has every family's HELP and TYPE, and the host ones. */
static void test_no_attachments(void **state)
{
	struct pb_scrape sc = { 0 };
	struct pb_prom p = { 0 };
	size_t i, lines = 0, host = 0;

	(void)state;
	pb_scrape_write(&sc, &p);
	assert_false(p.failed);
	for (i = 0; i < p.len; i++)
		lines += p.buf[i] == '\n';
	for (i = 0; i < pb_metric_families_n; i++)
		host += pb_metric_families[i].scope == PB_SCOPE_HOST;
	/* HELP + TYPE per family, and one sample per host-wide family. */
	assert_int_equal(lines, 2 * pb_metric_families_n + host);
	pb_prom_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_family_table),
		cmocka_unit_test_setup_teardown(test_every_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_netns_device, setup, teardown),
		cmocka_unit_test(test_no_attachments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
