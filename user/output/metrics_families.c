// SPDX-License-Identifier: BSD-2-Clause
/*
 * The metric families pktbpf exports, in exposition order (README.md lists
 * them). Labels have bounded values only: names from pb_abi.h's lists, IP
 * protocol numbers (at most 256) and ethertypes (at most
 * PB_MAX_OTHER_ETHERTYPES, the size of the kernel map that counts them).
 * Addresses and ports never become labels: per-host detail is for `flows`.
 */
#include "capture_metrics.h"
#include "metrics.h"
#include "detect_cfg.h"
#include "detect_stats.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#ifndef PKTBPF_VERSION
#define PKTBPF_VERSION "0.1.0"
#endif

enum { PB_PACKETS, PB_BYTES };

static __u64 count_of(const struct pb_count *c, int what)
{
	return what == PB_BYTES ? c->bytes : c->packets;
}

static void write_build_info(struct pb_metrics_ctx *c, const struct pb_metrics_dev *d)
{
	(void)d;
	pb_labels_push(&c->ls, "version", PKTBPF_VERSION);
	pb_metric_u64(c, 1);
	pb_labels_pop(&c->ls);
}

static void write_read_errors(struct pb_metrics_ctx *c, const struct pb_metrics_dev *d)
{
	(void)d;
	pb_metric_u64(c, c->sc->read_errors);
}

static void write_attached_info(struct pb_metrics_ctx *c, const struct pb_metrics_dev *d)
{
	const struct pb_attach_info *i = &d->st.info;
	char xdp[16], tc[16];

	snprintf(xdp, sizeof(xdp), "%u", i->xdp_prog_id);
	snprintf(tc, sizeof(tc), "%u", i->tc_prog_id);
	pb_labels_push(&c->ls, "state", pb_health_str(d->st.health));
	pb_labels_push(&c->ls, "mode", pb_mode_str(i->xdp_mode));
	pb_labels_push(&c->ls, "egress", i->flags & PB_ATTACH_EGRESS ? "true" : "false");
	pb_labels_push(&c->ls, "xdp_prog_id", xdp);
	pb_labels_push(&c->ls, "tc_prog_id", tc);
	pb_metric_u64(c, 1);
	c->ls.n -= 5;
}

static void write_attach_time(struct pb_metrics_ctx *c, const struct pb_metrics_dev *d)
{
	if (d->st.info.attach_time_ns)
		pb_metric_f64(c, d->st.info.attach_time_ns / 1e9);
}

static bool is_fragment_counter(int proto)
{
	return proto == PB_PROTO_IPV4_FRAG || proto == PB_PROTO_IPV6_FRAG;
}

static void write_protocols(struct pb_metrics_ctx *c, const struct pb_metrics_dev *d)
{
	int dir, i;

	for (dir = 0; dir < PB_DIR_MAX; dir++) {
		pb_labels_push(&c->ls, "direction", pb_dir_names[dir]);
		for (i = 0; i < PB_PROTO_MAX; i++) {
			if (is_fragment_counter(i))
				continue;
			pb_labels_push(&c->ls, "protocol", pb_proto_names[i]);
			pb_metric_u64(c, count_of(&d->tot.dir[dir].proto[i], c->f->arg));
			pb_labels_pop(&c->ls);
		}
		pb_labels_pop(&c->ls);
	}
}

static void write_fragments(struct pb_metrics_ctx *c, const struct pb_metrics_dev *d)
{
	static const int frag[][2] = { { PB_PROTO_IPV4_FRAG, PB_PROTO_IPV4 },
				       { PB_PROTO_IPV6_FRAG, PB_PROTO_IPV6 } };
	size_t dir, i;

	for (dir = 0; dir < PB_DIR_MAX; dir++) {
		pb_labels_push(&c->ls, "direction", pb_dir_names[dir]);
		for (i = 0; i < PB_ARRAY_SIZE(frag); i++) {
			pb_labels_push(&c->ls, "protocol", pb_proto_names[frag[i][1]]);
			pb_metric_u64(c, count_of(&d->tot.dir[dir].proto[frag[i][0]], c->f->arg));
			pb_labels_pop(&c->ls);
		}
		pb_labels_pop(&c->ls);
	}
}

/* Only the numbers seen: at most 256 series per direction. */
static void write_ip_protocols(struct pb_metrics_ctx *c, const struct pb_metrics_dev *d)
{
	char num[4];
	int dir, i;

	for (dir = 0; dir < PB_DIR_MAX; dir++) {
		pb_labels_push(&c->ls, "direction", pb_dir_names[dir]);
		for (i = 0; i < 256; i++) {
			const struct pb_count *n = &d->tot.dir[dir].ip_proto[i];

			if (!n->packets)
				continue;
			snprintf(num, sizeof(num), "%d", i);
			pb_labels_push(&c->ls, "protocol", num);
			pb_metric_u64(c, count_of(n, c->f->arg));
			pb_labels_pop(&c->ls);
		}
		pb_labels_pop(&c->ls);
	}
}

static void write_ethertypes(struct pb_metrics_ctx *c, const struct pb_metrics_dev *d)
{
	char hex[8];
	int dir, i;

	for (dir = 0; dir < PB_DIR_MAX; dir++) {
		pb_labels_push(&c->ls, "direction", pb_dir_names[dir]);
		for (i = 0; i < d->tot.n_ethertypes[dir]; i++) {
			const struct pb_ethertype_count *e = &d->tot.ethertypes[dir][i];

			snprintf(hex, sizeof(hex), "0x%04x", e->ethertype);
			pb_labels_push(&c->ls, "ethertype", hex);
			pb_metric_u64(c, count_of(&e->c, c->f->arg));
			pb_labels_pop(&c->ls);
		}
		pb_labels_pop(&c->ls);
	}
}

static void write_tcp_flags(struct pb_metrics_ctx *c, const struct pb_metrics_dev *d)
{
	int dir, i;

	for (dir = 0; dir < PB_DIR_MAX; dir++) {
		pb_labels_push(&c->ls, "direction", pb_dir_names[dir]);
		for (i = 0; i < PB_TCPF_MAX; i++) {
			pb_labels_push(&c->ls, "flag", pb_tcp_flag_names[i]);
			pb_metric_u64(c, d->tot.dir[dir].tcp_flags[i]);
			pb_labels_pop(&c->ls);
		}
		pb_labels_pop(&c->ls);
	}
}

static void write_malformed(struct pb_metrics_ctx *c, const struct pb_metrics_dev *d)
{
	int dir, i;

	for (dir = 0; dir < PB_DIR_MAX; dir++) {
		pb_labels_push(&c->ls, "direction", pb_dir_names[dir]);
		for (i = 1; i < PB_MAL_MAX; i++) { /* 0 is "none" */
			pb_labels_push(&c->ls, "reason", pb_malformed_names[i]);
			pb_metric_u64(c, d->tot.dir[dir].malformed[i]);
			pb_labels_pop(&c->ls);
		}
		pb_labels_pop(&c->ls);
	}
}

/* One u64 of struct pb_dir_stats per direction; arg is its offset. */
static void write_dir_counter(struct pb_metrics_ctx *c, const struct pb_metrics_dev *d)
{
	int dir;

	for (dir = 0; dir < PB_DIR_MAX; dir++) {
		__u64 v;

		memcpy(&v, (const char *)&d->tot.dir[dir] + c->f->arg, sizeof(v));
		pb_labels_push(&c->ls, "direction", pb_dir_names[dir]);
		pb_metric_u64(c, v);
		pb_labels_pop(&c->ls);
	}
}

enum { PB_RAISED, PB_SUPPRESSED, PB_LOST };

/* Attachments made before the detectors existed have none: no series. */
static void write_alerts(struct pb_metrics_ctx *c, const struct pb_metrics_dev *d)
{
	const struct pb_det_stats *s = &d->tot.det.s;
	const __u64 *v = c->f->arg == PB_RAISED ? s->raised
			 : c->f->arg == PB_SUPPRESSED ? s->suppressed
						      : s->ring_full;
	int i;

	for (i = 0; d->tot.det.present && i < PB_ALERT_MAX; i++) {
		pb_labels_push(&c->ls, "type", pb_alert_names[i]);
		pb_metric_u64(c, v[i]);
		pb_labels_pop(&c->ls);
	}
}

static void write_det_state(struct pb_metrics_ctx *c, const struct pb_metrics_dev *d)
{
	int i;

	for (i = 0; d->tot.det.present && i < PB_DET_TABLE_MAX; i++) {
		pb_labels_push(&c->ls, "table", pb_det_table_names[i]);
		pb_metric_u64(c, c->f->arg ? pb_det_evicted(&d->tot.det, i) : d->tot.det.entries[i]);
		pb_labels_pop(&c->ls);
	}
}

#define C PB_PROM_COUNTER
#define G PB_PROM_GAUGE
const struct pb_metric_family pb_metric_families[] = {
	{ "pktbpf_build_info", G, PB_SCOPE_HOST, write_build_info, 0,
	  "pktbpf version, as the value 1." },
	{ "pktbpf_scrape_read_errors_total", C, PB_SCOPE_HOST, write_read_errors, 0,
	  "Attachments whose counters could not be read, over this exporter's life." },
	{ "pktbpf_attached_info", G, PB_SCOPE_ATTACHMENT, write_attached_info, 0,
	  "An attachment: health state, XDP mode, egress, program ids; value 1." },
	{ "pktbpf_attach_time_seconds", G, PB_SCOPE_ATTACHMENT, write_attach_time, 0,
	  "When the programs were attached (Unix time); counters start at 0 then." },
	{ "pktbpf_packets_total", C, PB_SCOPE_DEVICE, write_protocols, PB_PACKETS,
	  "Packets by direction and protocol; a packet counts once per layer it carries, "
	  "protocol=\"all\" counts each once." },
	{ "pktbpf_bytes_total", C, PB_SCOPE_DEVICE, write_protocols, PB_BYTES,
	  "Bytes on the wire by direction and protocol, counted as pktbpf_packets_total." },
	{ "pktbpf_ip_protocol_packets_total", C, PB_SCOPE_DEVICE, write_ip_protocols, PB_PACKETS,
	  "IP packets by IP protocol number (after IPv6 extension headers); numbers seen only." },
	{ "pktbpf_ip_protocol_bytes_total", C, PB_SCOPE_DEVICE, write_ip_protocols, PB_BYTES,
	  "Bytes of IP packets by IP protocol number; numbers seen only." },
	{ "pktbpf_ethertype_packets_total", C, PB_SCOPE_DEVICE, write_ethertypes, PB_PACKETS,
	  "Packets of ethertypes pktbpf does not parse, by ethertype; ethertypes seen only." },
	{ "pktbpf_ethertype_bytes_total", C, PB_SCOPE_DEVICE, write_ethertypes, PB_BYTES,
	  "Bytes of ethertypes pktbpf does not parse, by ethertype; ethertypes seen only." },
	{ "pktbpf_fragments_total", C, PB_SCOPE_DEVICE, write_fragments, PB_PACKETS,
	  "IP fragments (first and later ones) by direction and IP version." },
	{ "pktbpf_fragment_bytes_total", C, PB_SCOPE_DEVICE, write_fragments, PB_BYTES,
	  "Bytes of IP fragments by direction and IP version." },
	{ "pktbpf_tcp_flags_total", C, PB_SCOPE_DEVICE, write_tcp_flags, 0,
	  "TCP segments with each flag set, by direction and flag." },
	{ "pktbpf_malformed_packets_total", C, PB_SCOPE_DEVICE, write_malformed, 0,
	  "Malformed packets by direction and the first reason their parse met." },
	{ "pktbpf_capture_truncated_packets_total", C, PB_SCOPE_DEVICE, write_dir_counter,
	  offsetof(struct pb_dir_stats, capture_truncated),
	  "Packets whose headers the capture cut (not the sender), by direction." },
	{ "pktbpf_filter_matched_packets_total", C, PB_SCOPE_DEVICE, write_dir_counter,
	  offsetof(struct pb_dir_stats, filter_matched),
	  "Packets the capture filter (attach --filter, pktbpf filter) matched, by direction." },
	{ "pktbpf_ethertype_table_full_packets_total", C, PB_SCOPE_DEVICE, write_dir_counter,
	  offsetof(struct pb_dir_stats, ethertype_table_full),
	  "Packets of an unparsed ethertype the full ethertype table could not add (counted in "
	  "other_l3 only), by direction." },
	{ "pktbpf_flows", G, PB_SCOPE_DEVICE, pb_write_flows, PB_FLOWS_ENTRIES,
	  "Flows in the flow table now." },
	{ "pktbpf_flows_created_total", C, PB_SCOPE_DEVICE, pb_write_flows, PB_FLOWS_CREATED,
	  "Flows inserted into the flow table." },
	{ "pktbpf_flows_evicted_total", C, PB_SCOPE_DEVICE, pb_write_flows, PB_FLOWS_EVICTED,
	  "Flows the full table dropped (least recently used): created minus present." },
	{ "pktbpf_samples_selected_total", C, PB_SCOPE_DEVICE, pb_write_samples, PB_SAMPLES_SELECTED,
	  "Packets chosen by attach --sample N for the samples ring buffer." },
	{ "pktbpf_samples_delivered_total", C, PB_SCOPE_DEVICE, pb_write_samples,
	  PB_SAMPLES_DELIVERED, "Sampled packets written to the ring buffer." },
	{ "pktbpf_samples_lost_total", C, PB_SCOPE_DEVICE, pb_write_samples, PB_SAMPLES_LOST,
	  "Sampled packets lost: ring buffer full, or copying the bytes failed." },
	{ "pktbpf_alerts_total", C, PB_SCOPE_DEVICE, write_alerts, PB_RAISED,
	  "Alerts the detectors raised, by type." },
	{ "pktbpf_alerts_suppressed_total", C, PB_SCOPE_DEVICE, write_alerts, PB_SUPPRESSED,
	  "Detector triggers not alerted (one alert per type and source per window), by type." },
	{ "pktbpf_alerts_lost_total", C, PB_SCOPE_DEVICE, write_alerts, PB_LOST,
	  "Alerts lost because the alerts ring buffer was full, by type." },
	{ "pktbpf_detector_state_entries", G, PB_SCOPE_DEVICE, write_det_state, 0,
	  "Entries in each detector state table (LRU map)." },
	{ "pktbpf_detector_state_evictions_total", C, PB_SCOPE_DEVICE, write_det_state, 1,
	  "Detector state entries evicted from a full table (LRU), by table." },
};
#undef C
#undef G
const size_t pb_metric_families_n = PB_ARRAY_SIZE(pb_metric_families);
