#!/usr/bin/env bash
# make bench section "serve_attack" (issue 22): pktbpf serve under attack on
# loopback (tools/bench/serve_attack.py): a slowloris of 500 connections from
# 249 source addresses trickling a header byte a second, and a burst of
# 10,000 connections, held to the end or closed at once, while a normal
# client scrapes /metrics once a second. One row per kind of burst: the
# share of scrapes answered within 1 s (target: at least 99%), their
# latency, and serve's resident memory before and at its peak (target:
# under 64 MiB). SERVE_ATTACK_SECONDS sets the length of a row (default 30).
. "$(dirname "$0")/../../tests/integration/lib.sh"
. "$(dirname "$0")/../../tests/integration/serve_lib.sh"
cd "$PB_ROOT" || exit 1

SECS=${SERVE_ATTACK_SECONDS:-30}

if [ "$(id -u)" -ne 0 ]; then
	echo "serve_attack: skipped: needs root (pktbpf serve reads pinned maps)"
	exit 0
fi
trap 'pb_bg_cleanup; pb_cleanup' EXIT
work=$(mktemp -d)
_pb_files+=("$work")

for mode in hold close; do
	pb_serve_start || exit 1
	"$PB_PYTHON" tools/bench/serve_attack.py --port "$PB_SERVE_PORT" --pid "$PB_SERVE_PID" \
		--seconds "$SECS" --burst-mode "$mode" >"$work/$mode.json" || exit 1
	pb_serve_stop TERM || exit 1
done

"$PB_PYTHON" - "$work" "$SECS" <<'PY'
import json, sys
work, secs = sys.argv[1], sys.argv[2]
print("%s s a row; slowloris 500 connections from 249 addresses + a burst of 10,000" % secs)
print("%-22s %10s %8s %10s %8s %8s %11s %11s  %s" % (
    "burst", "answered", "share", "median ms", "p99 ms", "max ms", "RSS before", "RSS peak",
    "targets (>= 99%, < 64 MiB)"))
bad = False
for mode in ("hold", "close"):
    d = json.load(open("%s/%s.json" % (work, mode)))
    ok = d["share"] >= 0.99 and d["rss_kib"]["peak"] < 64 * 1024
    bad |= not ok
    print("%-22s %10s %7.1f%% %10s %8s %8s %7d KiB %7d KiB  %s" % (
        "held" if mode == "hold" else "closed at once",
        "%d/%d" % (d["answered"], d["scrapes"]), 100 * d["share"], d["latency_ms"]["median"],
        d["latency_ms"]["p99"], d["latency_ms"]["max"], d["rss_kib"]["before"],
        d["rss_kib"]["peak"], "met" if ok else "**missed**"))
sys.exit(1 if bad else 0)
PY
