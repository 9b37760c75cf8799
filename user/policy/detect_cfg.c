// SPDX-License-Identifier: BSD-2-Clause
#define _GNU_SOURCE
#include "detect_cfg.h"
#include "deny.h"
#include "log.h"

#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEC 1000000000ull
#define MAX_WINDOW_S 86400

/*
 * Defaults and where they come from (README.md, "Detectors", says the same):
 * Zeek's scan detection (policy/misc/scan.zeek) alerted on 15 ports of one
 * host or 25 hosts on one port within 5 minutes; ntopng flags hosts sending
 * more than 256 SYN/s; FastNetMon's per-host threshold is 20,000 packets/s.
 * The rest are pktbpf's: a minute between repeats of per-packet alerts, and
 * 100 malformed packets a second, far above what a healthy link shows.
 */
static const struct pb_det_type_cfg defaults[PB_ALERT_MAX] = {
	[PB_ALERT_PORT_SCAN] = { 300 * SEC, 15, 1 },
	[PB_ALERT_HOST_SWEEP] = { 300 * SEC, 25, 1 },
	[PB_ALERT_SYN_FLOOD] = { 1 * SEC, 256, 1 },
	[PB_ALERT_ICMP_FLOOD] = { 1 * SEC, 20000, 1 },
	[PB_ALERT_UDP_FLOOD] = { 1 * SEC, 20000, 1 },
	[PB_ALERT_TCP_BAD_FLAGS] = { 60 * SEC, 0, 1 },
	[PB_ALERT_ARP_SPOOF] = { 60 * SEC, 0, 1 },
	[PB_ALERT_DENIED_ACCESS] = { 60 * SEC, 0, 1 },
	[PB_ALERT_MALFORMED_BURST] = { 1 * SEC, 100, 1 },
};

int pb_alert_type_find(const char *name)
{
	int t;

	for (t = 0; t < PB_ALERT_MAX; t++)
		if (!strcmp(name, pb_alert_names[t]))
			return t;
	return -1;
}

void pb_det_defaults(struct pb_det_info *info)
{
	memset(info, 0, sizeof(*info));
	memcpy(info->cfg.type, defaults, sizeof(defaults));
}

static int why(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int why(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return -1;
}

/* "300", "300s", "1.5s", "500ms", "5m", "1h". */
static int parse_window(const char *s, __u64 *ns, char *w, size_t wl)
{
	static const struct {
		const char *suffix;
		double seconds;
	} units[] = { { "", 1 }, { "s", 1 }, { "ms", 1e-3 }, { "m", 60 }, { "h", 3600 } };
	char *end;
	double v;
	size_t i;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || !isfinite(v))
		return why(w, wl, "'%s' is not a duration (like 300s, 5m, 500ms)", s);
	for (i = 0; i < PB_ARRAY_SIZE(units) && strcmp(end, units[i].suffix); i++)
		;
	if (i == PB_ARRAY_SIZE(units))
		return why(w, wl, "'%s': unknown unit '%s' (ms, s, m or h)", s, end);
	v *= units[i].seconds;
	if (v < 0)
		return why(w, wl, "'%s' is negative; a window is a duration above 0", s);
	if (v < 1e-3)
		return why(w, wl, "'%s' is shorter than 1ms", s);
	if (v > MAX_WINDOW_S)
		return why(w, wl, "'%s' is longer than 24h", s);
	*ns = (__u64)(v * 1e9 + 0.5);
	return 0;
}

static int parse_threshold(int type, const char *s, __u32 *out, char *w, size_t wl)
{
	unsigned long max = type == PB_ALERT_PORT_SCAN || type == PB_ALERT_HOST_SWEEP
				    ? PB_DET_DISTINCT_MAX
				    : 0x7fffffff;
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s == '-')
		return why(w, wl, "'%s' is negative; a threshold is a count of at least 1", s);
	if (end == s || *end || errno)
		return why(w, wl, "'%s' is not a whole number", s);
	if (v == 0)
		return why(w, wl, "0 would alert on every packet; a threshold is at least 1");
	if (v > max)
		return why(w, wl, "'%s' is above %lu%s", s, max,
			    max == PB_DET_DISTINCT_MAX ? ", the most distinct values counted exactly" : "");
	*out = v;
	return 0;
}

static int parse_bool(const char *s, __u32 *out, char *w, size_t wl)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < PB_ARRAY_SIZE(yes); i++) {
		if (!strcasecmp(s, yes[i]) || !strcasecmp(s, no[i])) {
			*out = !strcasecmp(s, yes[i]);
			return 0;
		}
	}
	return why(w, wl, "'%s' is not yes or no", s);
}

int pb_det_set(struct pb_det_info *info, const char *type, const char *key, const char *value,
	       char *w, size_t wl)
{
	int t = pb_alert_type_find(type);
	struct pb_det_type_cfg *c;

	if (t < 0)
		return why(w, wl,
			   "unknown detector (port_scan, host_sweep, syn_flood, icmp_flood, "
			   "udp_flood, tcp_bad_flags, arp_spoof, denied_access, malformed_burst)");
	c = &info->cfg.type[t];
	if (!strcmp(key, "enabled"))
		return parse_bool(value, &c->enabled, w, wl);
	if (!strcmp(key, "window"))
		return parse_window(value, &c->window_ns, w, wl);
	if (!strcmp(key, "threshold") && PB_ALERT_HAS_THRESHOLD(t))
		return parse_threshold(t, value, &c->threshold, w, wl);
	if (!strcmp(key, "deny") && t == PB_ALERT_DENIED_ACCESS)
		return pb_deny_parse(info, value, w, wl);
	if (!strcmp(key, "threshold"))
		return why(w, wl, "%s has no threshold: every offending packet is a trigger "
				  "(window limits how often it alerts)", type);
	return why(w, wl, "unknown key (known here: enabled, %s)",
		   t == PB_ALERT_DENIED_ACCESS ? "window, deny"
		   : PB_ALERT_HAS_THRESHOLD(t) ? "threshold, window"
					       : "window");
}

/* inih reads line by line through this, so the handler knows its line. */
struct file_ctx {
	FILE *f;
	struct pb_det_info *info;
	int line, err_line;
	char err[256];
	char *buf;
	size_t cap;
};

static char *read_line(char *str, int num, void *stream)
{
	struct file_ctx *c = stream;
	ssize_t n = getline(&c->buf, &c->cap, c->f);

	if (n < 0)
		return NULL;
	c->line++;
	if (n >= num) {
		if (!c->err_line) {
			c->err_line = c->line;
			snprintf(c->err, sizeof(c->err), "line longer than %d characters", num - 2);
		}
		return NULL;
	}
	memcpy(str, c->buf, n + 1);
	return str;
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
	struct file_ctx *c = user;
	char w[192];

	if (!pb_det_set(c->info, section, name, value, w, sizeof(w)))
		return 1;
	if (!c->err_line) {
		c->err_line = c->line;
		snprintf(c->err, sizeof(c->err), "[%s] %s: %s", section, name, w);
	}
	return 0;
}

int pb_det_load_file(struct pb_det_info *info, const char *path)
{
	struct file_ctx c = { .info = info };
	int r;

	c.f = fopen(path, "r");
	if (!c.f) {
		pb_err(path, "cannot read the config file: %s", strerror(errno));
		return PB_EXIT_USAGE;
	}
	r = ini_parse_stream(read_line, &c, on_key, &c);
	fclose(c.f);
	free(c.buf);
	if (r > 0 && (!c.err_line || r < c.err_line)) {
		c.err_line = r;
		snprintf(c.err, sizeof(c.err), "expected '[detector]' or 'key = value'");
	}
	if (c.err_line || r) {
		fprintf(stderr, "pktbpf: %s:%d: %s\n", path, c.err_line, c.err);
		pb_hint("README.md, section 'Detectors', lists every section and key");
		return PB_EXIT_USAGE;
	}
	return 0;
}

int pb_det_flag(const char *cmd, int opt, const char *arg, struct pb_det_flags *f)
{
	switch (opt) {
	case PB_OPT_DET_CONFIG:
		f->config = arg;
		return 1;
	case PB_OPT_DET_THRESHOLD:
	case PB_OPT_DET_WINDOW:
	case PB_OPT_DET_DETECTORS:
	case PB_OPT_DET_DENY:
		if (f->n == PB_DET_MAX_FLAGS)
			return -(pb_usage_err(cmd, "more than %d detector flags", PB_DET_MAX_FLAGS) + 1);
		f->flag[f->n].opt = opt;
		f->flag[f->n++].arg = arg;
		return 1;
	default:
		return 0;
	}
}

/* "all", "none" or "name,name,...": exactly those on. */
static int set_detectors(struct pb_det_info *info, const char *list, char *w, size_t wl)
{
	char buf[256], *tok, *save;
	__u32 on[PB_ALERT_MAX] = { 0 };
	int t;

	if (snprintf(buf, sizeof(buf), "%s", list) >= (int)sizeof(buf))
		return why(w, wl, "too long");
	if (!strcmp(list, "all") || !strcmp(list, "none")) {
		for (t = 0; t < PB_ALERT_MAX; t++)
			info->cfg.type[t].enabled = !strcmp(list, "all");
		return 0;
	}
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		t = pb_alert_type_find(tok);
		if (t < 0)
			return why(w, wl, "'%s' is not a detector (all, none, or names from "
					  "'pktbpf alerts --help')", tok);
		on[t] = 1;
	}
	for (t = 0; t < PB_ALERT_MAX; t++)
		info->cfg.type[t].enabled = on[t];
	return 0;
}

/* TYPE=VALUE of --threshold or --window. */
static int set_pair(struct pb_det_info *info, const char *key, const char *arg, char *w,
		    size_t wl)
{
	char type[32];
	const char *eq = strchr(arg, '=');

	if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof(type))
		return why(w, wl, "'%s' is not TYPE=VALUE (like port_scan=%s)", arg,
			    !strcmp(key, "window") ? "60s" : "20");
	snprintf(type, sizeof(type), "%.*s", (int)(eq - arg), arg);
	return pb_det_set(info, type, key, eq + 1, w, wl);
}

int pb_det_build(const char *cmd, const struct pb_det_flags *f, struct pb_det_info *info)
{
	static const char *const names[] = { "--threshold", "--window", "--detectors", "--deny" };
	char w[256];
	int i, r;

	pb_det_defaults(info);
	if (f->config) {
		r = pb_det_load_file(info, f->config);
		if (r)
			return r;
	}
	for (i = 0; i < f->n; i++) {
		const char *arg = f->flag[i].arg;

		switch (f->flag[i].opt) {
		case PB_OPT_DET_THRESHOLD:
			r = set_pair(info, "threshold", arg, w, sizeof(w));
			break;
		case PB_OPT_DET_WINDOW:
			r = set_pair(info, "window", arg, w, sizeof(w));
			break;
		case PB_OPT_DET_DETECTORS:
			r = set_detectors(info, arg, w, sizeof(w));
			break;
		default:
			r = pb_deny_parse(info, arg, w, sizeof(w));
			break;
		}
		if (r)
			return pb_usage_err(cmd, "%s '%s': %s",
					      names[f->flag[i].opt - PB_OPT_DET_THRESHOLD], arg, w);
	}
	return 0;
}
