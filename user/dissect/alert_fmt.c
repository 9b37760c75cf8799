// SPDX-License-Identifier: BSD-2-Clause
#include "alert_fmt.h"
#include "names.h"
#include "pkt_fmt.h"
#include "stats.h"
#include "utf8.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>

struct names {
	char time[PB_TIME_STRLEN], src[PB_ADDR_STRLEN], mac[PB_ADDR_STRLEN];
	char dst[PB_ADDR_STRLEN], old_mac[PB_ADDR_STRLEN];
	char window[24], flags[16];
	const char *proto, *rule, *reason;
};

/* An address of family 4 or 6; any other family is no address: "". */
static void fmt_ip(char *buf, const __be32 *addr, __u8 family)
{
	if ((family != 4 && family != 6) ||
	    !inet_ntop(family == 6 ? AF_INET6 : AF_INET, addr, buf, PB_ADDR_STRLEN))
		buf[0] = '\0';
}

/* Text names an absent address "-" (JSON: null). */
static const char *or_dash(const char *s)
{
	return *s ? s : "-";
}

/* "300s", "1.5s", "500ms": as short as the value allows. */
static void fmt_window(char *buf, size_t len, __u32 ms)
{
	if (ms < 1000)
		snprintf(buf, len, "%ums", ms);
	else if (ms % 1000)
		snprintf(buf, len, "%gs", ms / 1000.0);
	else
		snprintf(buf, len, "%us", ms / 1000);
}

static void names_of(struct names *n, const struct pb_alert *a, const struct pb_alert_origin *o)
{
	memset(n, 0, sizeof(*n));
	pb_fmt_time_ns(n->time, a->time_ns + o->clock_offset_ns);
	if (a->family)
		fmt_ip(n->src, a->saddr, a->family);
	if (a->flags & PB_ALERT_HAS_MAC)
		pb_fmt_mac(n->mac, a->src_mac);
	if (a->flags & PB_ALERT_HAS_TARGET)
		fmt_ip(n->dst, a->daddr, a->family); /* arp_spoof: 4 */
	if (a->type == PB_ALERT_ARP_SPOOF)
		pb_fmt_mac(n->old_mac, a->old_mac);
	fmt_window(n->window, sizeof(n->window), a->window_ms);
	n->proto = a->type == PB_ALERT_ARP_SPOOF ? "arp"
		   : a->family			 ? pb_name_of(&pb_ip_proto_names, a->l4_proto)
						 : NULL;
	if (a->type == PB_ALERT_TCP_BAD_FLAGS)
		pb_fmt_tcp_flags(n->flags, a->tcp_flags);
	if (a->type == PB_ALERT_DENIED_ACCESS)
		n->rule = o->info && a->detail < o->info->cfg.n_rules ? o->info->rule_text[a->detail]
								       : "?";
	if (a->type == PB_ALERT_MALFORMED_BURST)
		n->reason = a->detail < PB_MAL_MAX ? pb_malformed_names[a->detail] : "?";
}

static const char *who(const struct names *n)
{
	return n->src[0] ? n->src : n->mac[0] ? n->mac : "an unknown sender";
}

static void message(char *buf, size_t len, const struct pb_alert *a, const struct names *n)
{
	unsigned long long obs = a->observed;
	unsigned int thr = a->threshold;

	switch (a->type) {
	case PB_ALERT_PORT_SCAN:
		if (a->l4_proto == PB_IPPROTO_UDP)
			snprintf(buf, len, "%s tried %llu distinct ports on %s within %s, the last a "
					   "UDP port that answered port unreachable (threshold %u)",
				 who(n), obs, or_dash(n->dst), n->window, thr);
		else
			snprintf(buf, len, "%s tried %llu distinct TCP ports on %s within %s "
					   "(threshold %u)",
				 who(n), obs, or_dash(n->dst), n->window, thr);
		break;
	case PB_ALERT_HOST_SWEEP:
		if (a->dport || a->l4_proto == 6)
			snprintf(buf, len, "%s tried TCP port %u on %llu distinct hosts within %s "
					   "(threshold %u)",
				 who(n), a->dport, obs, n->window, thr);
		else
			snprintf(buf, len, "%s pinged %llu distinct hosts within %s (threshold %u)",
				 who(n), obs, n->window, thr);
		break;
	case PB_ALERT_SYN_FLOOD:
		if (a->flags & PB_ALERT_BY_DST)
			snprintf(buf, len, "%s received %llu SYNs without handshake completion within "
					   "%s (threshold %u), the last from %s",
				 or_dash(n->dst), obs, n->window, thr, who(n));
		else
			snprintf(buf, len, "%s sent %llu SYNs without handshake completion within %s "
					   "(threshold %u), the last to %s",
				 who(n), obs, n->window, thr, or_dash(n->dst));
		break;
	case PB_ALERT_ICMP_FLOOD:
	case PB_ALERT_UDP_FLOOD:
		snprintf(buf, len, "%s sent %llu %s packets within %s (threshold %u), the last to %s",
			 who(n), obs, a->type == PB_ALERT_UDP_FLOOD ? "UDP" : "ICMP", n->window, thr,
			 or_dash(n->dst));
		break;
	case PB_ALERT_TCP_BAD_FLAGS:
		snprintf(buf, len, "%s sent %s to %s port %u: flags [%s] never occur in TCP",
			 who(n),
			 a->detail == PB_BADF_NULL_SCAN ? "a NULL segment"
			 : a->detail == PB_BADF_XMAS    ? "an Xmas segment"
							: "a segment",
			 or_dash(n->dst), a->dport, n->flags);
		break;
	case PB_ALERT_ARP_SPOOF:
		snprintf(buf, len, "%s is now claimed by %s; it was learned as %s", or_dash(n->src),
			 or_dash(n->mac), or_dash(n->old_mac));
		break;
	case PB_ALERT_DENIED_ACCESS:
		if (a->flags & PB_ALERT_HAS_PORT)
			snprintf(buf, len, "%s sent %s to %s port %u, denied by '%s'", who(n),
				 n->proto ? n->proto : "a packet", or_dash(n->dst), a->dport, n->rule);
		else
			snprintf(buf, len, "%s sent %s to %s, denied by '%s'", who(n),
				 n->proto ? n->proto : "a packet", or_dash(n->dst), n->rule);
		break;
	default:
		snprintf(buf, len, "%s sent %llu malformed packets within %s (threshold %u), the "
				   "last %s",
			 who(n), obs, n->window, thr, n->reason);
		break;
	}
}

void pb_alert_message(char *buf, size_t len, const struct pb_alert *a,
		      const struct pb_alert_origin *o)
{
	struct names n;

	names_of(&n, a, o);
	message(buf, len, a, &n);
}

static const char *type_name(const struct pb_alert *a)
{
	return a->type < PB_ALERT_MAX ? pb_alert_names[a->type] : "unknown";
}

void pb_alert_print(FILE *f, const struct pb_alert *a, const struct pb_alert_origin *o)
{
	char msg[512];
	struct names n;

	names_of(&n, a, o);
	message(msg, sizeof(msg), a, &n);
	fprintf(f, "%s %s%s%s: %s", n.time, o->ifname ? o->ifname : "", o->ifname ? " " : "",
		type_name(a), msg);
	if (a->suppressed)
		fprintf(f, " (%" PRIu64 " repeats suppressed since the last)", (uint64_t)a->suppressed);
	fputc('\n', f);
}

static json_t *str_or_null(const char *s)
{
	return s && *s ? pb_json_str(s) : json_null();
}

json_t *pb_alert_json(const struct pb_alert *a, const struct pb_alert_origin *o)
{
	char msg[512];
	struct names n;
	json_t *j;

	names_of(&n, a, o);
	message(msg, sizeof(msg), a, &n);
	j = json_object();
	json_object_set_new(j, "time", json_string(n.time));
	json_object_set_new(j, "interface", str_or_null(o->ifname));
	json_object_set_new(j, "direction",
			    str_or_null(a->dir < PB_DIR_MAX ? pb_dir_names[a->dir] : NULL));
	json_object_set_new(j, "type", json_string(type_name(a)));
	json_object_set_new(j, "source_ip", str_or_null(n.src));
	json_object_set_new(j, "source_mac", str_or_null(n.mac));
	json_object_set_new(j, "target_ip", str_or_null(n.dst));
	json_object_set_new(j, "target_port", a->flags & PB_ALERT_HAS_PORT ? json_integer(a->dport)
									 : json_null());
	json_object_set_new(j, "protocol", str_or_null(n.proto));
	json_object_set_new(j, "scope", json_string(a->flags & PB_ALERT_BY_DST ? "destination"
									       : "source"));
	json_object_set_new(j, "observed", json_integer(a->observed));
	json_object_set_new(j, "threshold", json_integer(a->threshold));
	json_object_set_new(j, "window_seconds", json_real(a->window_ms / 1000.0));
	json_object_set_new(j, "suppressed", json_integer(a->suppressed));
	if (a->type == PB_ALERT_TCP_BAD_FLAGS) {
		json_object_set_new(j, "tcp_flags", json_string(n.flags));
		json_object_set_new(j, "flags_class",
				    json_string(a->detail < PB_BADF_MAX ? pb_bad_flags_names[a->detail]
									: "?"));
	}
	if (a->type == PB_ALERT_ARP_SPOOF)
		json_object_set_new(j, "learned_mac", json_string(n.old_mac));
	if (n.rule)
		json_object_set_new(j, "rule", pb_json_str(n.rule));
	if (n.reason)
		json_object_set_new(j, "malformed_reason", json_string(n.reason));
	json_object_set_new(j, "message", json_string(msg));
	return j;
}
