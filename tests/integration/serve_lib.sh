# Helpers for the metrics and serve tests; source after lib.sh.
#
# pb_run runs each test in a subshell, so what pb_net records there never
# reaches lib.sh's exit trap. Each test therefore starts with
# `trap pb_test_cleanup EXIT`: when its subshell ends, also on failure, the
# background processes it tracked (pb_bg_track PID) are killed and the
# namespaces and links it made are deleted.

_pb_bg_pids=()
pb_bg_track() { _pb_bg_pids+=("$1"); }
pb_bg_cleanup() {
	local p
	for p in "${_pb_bg_pids[@]}"; do kill -KILL "$p" 2>/dev/null; done
	for p in "${_pb_bg_pids[@]}"; do wait "$p" 2>/dev/null; done
	return 0
}
pb_test_cleanup() {
	local rc=$?
	set +e # the test's set -e would end the cleanup at its first miss
	pb_bg_cleanup
	pb_cleanup
	exit $rc
}

# A TCP port free on loopback now (the kernel's choice; a race with another
# program is possible but harmless: the start then fails loudly).
pb_free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# pb_serve_start [ARGS...]: pktbpf serve on a free loopback port (port 0);
# sets PB_SERVE_PID, PB_SERVE_PORT, PB_SERVE_URL (.../metrics), PB_SERVE_LOG.
pb_serve_start() {
	PB_SERVE_LOG=$(mktemp)
	_pb_files+=("$PB_SERVE_LOG")
	"$PKTBPF" serve --listen 127.0.0.1:0 "$@" 2>"$PB_SERVE_LOG" &
	PB_SERVE_PID=$!
	pb_bg_track "$PB_SERVE_PID"
	pb_wait 10 grep -q 'serving http' "$PB_SERVE_LOG" || { cat "$PB_SERVE_LOG" >&2; return 1; }
	PB_SERVE_PORT=$(sed -n 's|.*serving http://127\.0\.0\.1:\([0-9]*\)/metrics|\1|p' "$PB_SERVE_LOG")
	[ -n "$PB_SERVE_PORT" ] || pb_fail "no port in: $(cat "$PB_SERVE_LOG")"
	PB_SERVE_URL=http://127.0.0.1:$PB_SERVE_PORT/metrics
}

# pb_serve_stop SIGNAL: the server must end with status 0 within 10 s.
pb_serve_stop() {
	local sig=${1:-TERM} rc
	kill -"$sig" "$PB_SERVE_PID"
	pb_wait 10 bash -c "! kill -0 $PB_SERVE_PID 2>/dev/null" || return 1
	wait "$PB_SERVE_PID"
	rc=$?
	[ "$rc" -eq 0 ] || pb_fail "serve ended with status $rc after SIG$sig"
}

# Resident memory of a process in KiB.
pb_rss_kb() { awk '/^VmRSS:/ { print $2 }' /proc/"$1"/status; }

# pb_metric FILE NAME LABELS...: the value of one sample (labels as k=v, all
# of them must match), or nothing. Reads the exposition with Python.
pb_metric() {
	python3 - "$@" <<'PY'
import re, sys
path, name, want = sys.argv[1], sys.argv[2], dict(a.split("=", 1) for a in sys.argv[3:])
line_re = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
label_re = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')
for line in open(path):
    m = line_re.match(line.rstrip("\n"))
    if not m or m.group(1) != name:
        continue
    labels = dict(label_re.findall(m.group(2) or ""))
    if all(labels.get(k) == v for k, v in want.items()):
        print(m.group(3))
        break
PY
}

# pb_metrics_match_stats METRICS STATS_JSON: every counter of the `stats
# --json` document STATS_JSON has the same value in the exposition METRICS
# (device and netns from the document), and the exposition has no sample of
# that device that stats does not have. Prints the differences.
pb_metrics_match_stats() {
	python3 - "$@" <<'PY'
import json, re, sys
metrics, stats = sys.argv[1], json.load(open(sys.argv[2]))
dev = {"device": stats["interface"]}
if stats.get("netns"):
    dev["netns"] = stats["netns"]
line_re = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
label_re = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')
got = {}
for line in open(metrics):
    if line.startswith("#"):
        continue
    m = line_re.match(line.rstrip("\n"))
    assert m, "not a sample line: %r" % line
    labels = dict(label_re.findall(m.group(2) or ""))
    if {k: labels.get(k) for k in dev} != dev or "direction" not in labels:
        continue
    rest = tuple(sorted((k, v) for k, v in labels.items() if k not in dev))
    got[(m.group(1),) + rest] = int(m.group(3))
want = {}
for d in ("ingress", "egress"):
    s = stats[d]
    def put(name, value, **labels):
        want[(name,) + tuple(sorted(dict(labels, direction=d).items()))] = value
    for p, c in s["protocols"].items():
        if p.endswith("_fragment"):
            put("pktbpf_fragments_total", c["packets"], protocol=p[:-9])
            put("pktbpf_fragment_bytes_total", c["bytes"], protocol=p[:-9])
        else:
            put("pktbpf_packets_total", c["packets"], protocol=p)
            put("pktbpf_bytes_total", c["bytes"], protocol=p)
    for n, c in s["ip_protocols"].items():
        put("pktbpf_ip_protocol_packets_total", c["packets"], protocol=n)
        put("pktbpf_ip_protocol_bytes_total", c["bytes"], protocol=n)
    for e, c in s["ethertypes"].items():
        put("pktbpf_ethertype_packets_total", c["packets"], ethertype=e)
        put("pktbpf_ethertype_bytes_total", c["bytes"], ethertype=e)
    for f, n in s["tcp_flags"].items():
        put("pktbpf_tcp_flags_total", n, flag=f)
    for r, n in s["malformed"].items():
        if r != "total":
            put("pktbpf_malformed_packets_total", n, reason=r)
    put("pktbpf_capture_truncated_packets_total", s["capture_truncated"])
    put("pktbpf_filter_matched_packets_total", s["filter_matched"])
    put("pktbpf_ethertype_table_full_packets_total", s["ethertype_table_full"])
bad = 0
for k in sorted(set(want) | set(got)):
    if want.get(k) != got.get(k):
        print("%s: stats %s, metrics %s" % (k, want.get(k), got.get(k)))
        bad += 1
print("%d series compared, %d differ" % (len(want), bad))
sys.exit(1 if bad else 0)
PY
}

# pb_refute CMD...: fail when CMD succeeds (`! CMD` would not stop a set -e test).
pb_refute() { if "$@"; then pb_fail "unexpected success: $*"; fi; }
