#!/usr/bin/env bash
# A real Prometheus server (on loopback, its own config and data directory)
# scrapes `pktbpf serve`; after known traffic its query API must give the
# numbers `stats --json` gives. The shipped deploy/ files are checked too:
# the example config by promtool, the systemd units by systemd-analyze, and
# every query of the Grafana dashboard by this Prometheus.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve_lib.sh"

# prom_query PROMQL: the API's JSON answer (instant query, now).
prom_query() {
	curl -sf --max-time 5 --get --data-urlencode "query=$1" "http://127.0.0.1:$PROM_PORT/api/v1/query"
}

# The series of pktbpf_packets_total and pktbpf_bytes_total of device $1, as
# Prometheus has them now and as `stats --json` has them, are the same;
# prints the first difference.
prom_matches_stats() {
	local dev=$1 dir=$2
	"$PKTBPF" stats "$dev" --json >"$dir/stats.json" || return 1
	prom_query "{__name__=~\"pktbpf_(packets|bytes)_total\",device=\"$dev\"}" >"$dir/q.json" || return 1
	python3 - "$dir/stats.json" "$dir/q.json" <<'PY'
import json, sys
stats, q = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert q["status"] == "success", q
got = {(r["metric"]["__name__"], r["metric"]["direction"], r["metric"]["protocol"]): int(r["value"][1])
       for r in q["data"]["result"]}
want = {}
for d in ("ingress", "egress"):
    for p, c in stats[d]["protocols"].items():
        if not p.endswith("_fragment"):
            want[("pktbpf_packets_total", d, p)] = c["packets"]
            want[("pktbpf_bytes_total", d, p)] = c["bytes"]
diff = [(k, want.get(k), got.get(k)) for k in sorted(set(want) | set(got)) if want.get(k) != got.get(k)]
if diff:
    print("stats vs prometheus:", diff[0], "(%d differ)" % len(diff))
    sys.exit(1)
print("prometheus has all %d series of stats" % len(want))
PY
}

test_prometheus_scrapes_serve() {
	local dir deadline n
	pb_need_root
	trap pb_test_cleanup EXIT
	dir=$(mktemp -d)
	pb_net p 94
	"$PKTBPF" attach "$PB_A" >/dev/null
	pb_serve_start
	PROM_PORT=$(pb_free_port)
	cat >"$dir/prometheus.yml" <<-YML
	global:
	  scrape_interval: 1s
	  scrape_timeout: 1s
	scrape_configs:
	  - job_name: pktbpf
	    static_configs:
	      - targets: ["127.0.0.1:$PB_SERVE_PORT"]
	YML
	promtool check config "$dir/prometheus.yml" >/dev/null
	prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
		--web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn >"$dir/prom.log" 2>&1 &
	pb_bg_track $!
	pb_wait 60 curl -sf --max-time 2 "http://127.0.0.1:$PROM_PORT/-/ready" ||
		{ cat "$dir/prom.log" >&2; return 1; }
	# Scraping works before the traffic: the target is up.
	pb_wait 30 bash -c "curl -sf --get --data-urlencode 'query=up{job=\"pktbpf\"} == 1' \
		http://127.0.0.1:$PROM_PORT/api/v1/query | grep -q '\"value\"'"

	ping -c 20 -i 0.02 -q "$PB_B4" >/dev/null
	python3 -c 'import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(7): s.sendto(b"y" * (100 + i), (sys.argv[1], 9))' "$PB_B4"

	# Bounded wait for a scrape after the last packet: then both agree.
	deadline=$((SECONDS + 30))
	until prom_matches_stats "$PB_A" "$dir" >"$dir/cmp" 2>&1; do
		[ $SECONDS -lt $deadline ] || { cat "$dir/cmp" >&2; pb_fail "Prometheus never had stats' numbers"; return 1; }
		sleep 0.2
	done
	cat "$dir/cmp"
	n=$(pb_json "$dir/stats.json" 'd["egress"]["protocols"]["icmp"]["packets"]')
	[ "$n" -ge 20 ] || pb_fail "the pings did not count: $n"
	n=$(pb_json "$dir/stats.json" 'd["egress"]["protocols"]["udp"]["packets"]')
	[ "$n" -eq 7 ] || pb_fail "egress udp $n, want 7"

	# Every query of the shipped dashboard runs, and finds data.
	python3 - "$PB_ROOT/deploy/grafana/pktbpf-dashboard.json" "$PROM_PORT" <<'PY'
import json, sys, urllib.parse, urllib.request
dash, port = json.load(open(sys.argv[1])), sys.argv[2]
exprs = [t["expr"] for p in dash["panels"] for t in p.get("targets", [])]
exprs += [v["query"]["query"].replace("label_values(", "").rsplit(",", 1)[0]
          for v in dash["templating"]["list"] if v["type"] == "query"]
empty = []
for e in exprs:
    q = e.replace("$__rate_interval", "1m").replace("$instance", ".*").replace("$device", ".*")
    url = "http://127.0.0.1:%s/api/v1/query?%s" % (port, urllib.parse.urlencode({"query": q}))
    r = json.load(urllib.request.urlopen(url, timeout=5))
    assert r["status"] == "success", (e, r)
    if not r["data"]["result"]:
        empty.append(e)
print("%d dashboard queries ran, %d without data now" % (len(exprs), len(empty)))
# Rates need two scrapes, and malformed or ethertype panels may rightly be
# empty; the core panels must not be.
assert not [e for e in empty if "protocol=\"all\"" in e or "attached_info" in e], empty
PY
	rm -rf "$dir"
}

test_deploy_files() {
	local dir u out caps
	pb_need_root
	trap pb_test_cleanup EXIT
	dir=$(mktemp -d)
	promtool check config "$PB_ROOT/deploy/prometheus/prometheus.yml" >/dev/null
	command -v systemd-analyze >/dev/null || pb_skip "systemd-analyze is not installed"
	for u in "$PB_ROOT"/deploy/systemd/*.service; do
		sed "s|/usr/local/bin/pktbpf|$PKTBPF|g" "$u" >"$dir/$(basename "$u")"
	done
	out=$(systemd-analyze verify "$dir/pktbpf-serve.service" "$dir/pktbpf-attach@lo.service" 2>&1)
	[ -z "$out" ] || { echo "$out" >&2; pb_fail "systemd-analyze verify complained"; }
	# The serve unit's capabilities are enough, also for an interface in a namespace.
	caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$PB_ROOT/deploy/systemd/pktbpf-serve.service")
	caps=-all$(printf ',+%s' $(tr 'A-Z' 'a-z' <<<"${caps//CAP_/}"))
	pb_net d 98
	"$PKTBPF" attach "$PB_A" >/dev/null
	"$PKTBPF" attach "$PB_B" --netns "$PB_NS" >/dev/null
	setpriv --bounding-set "$caps" "$PKTBPF" metrics >"$dir/caps.prom"
	[ "$(grep -c '^pktbpf_attached_info{.*state="attached"' "$dir/caps.prom")" -eq 2 ] ||
		pb_fail "with $caps: $(grep attached_info "$dir/caps.prom")"
	grep -q '^ExecStart=/usr/local/bin/pktbpf attach %I' "$PB_ROOT/deploy/systemd/pktbpf-attach@.service"
	grep -q '^ExecStop=/usr/local/bin/pktbpf detach %I' "$PB_ROOT/deploy/systemd/pktbpf-attach@.service"
	# The dashboard uses only metric names pktbpf exports.
	"$PKTBPF" metrics >"$dir/m.prom"
	python3 - "$PB_ROOT/deploy/grafana/pktbpf-dashboard.json" "$dir/m.prom" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
json.loads(text)
known = {l.split()[2] for l in open(sys.argv[2]) if l.startswith("# TYPE ")}
used = set(re.findall(r"\bpktbpf_[a-z0-9_]+", text))
assert used and used <= known, used - known
print("dashboard uses %d of %d families" % (len(used), len(known)))
PY
	rm -rf "$dir"
}

pb_run test_prometheus_scrapes_serve test_deploy_files
pb_summary
