#!/usr/bin/env bash
# make bench, samples under load (issue 4): the receive rate of a veth end
# with pktbpf attached and --sample 0, 64 and 1, each with
# `pktbpf watch -w /dev/null` consuming the ring buffer; samples delivered
# per second to watch, and the loss ratio (ring buffer full).
#
# Traffic: build/trafficgen (issue 9's kernel-speed generator; TRAFFICGEN=
# overrides) sends 64-byte UDP frames at its highest rate from the root end;
# the namespace end, where pktbpf is attached, receives them. Rows run
# interleaved, round after round; figures are medians over SAMPLE_RUNS rounds
# (default 5) of SAMPLE_SECONDS (default 1). One sending thread: the other
# CPU is left to watch, as on a machine where the reader has a core.
#
# Target (issue 4): sampling every 64th packet costs at most 10% of the
# receive rate; every sample lost is counted (shown + lost == selected).
. "$(dirname "$0")/../../tests/integration/lib.sh"
cd "$PB_ROOT" || exit 1

RUNS=${SAMPLE_RUNS:-5}
SECS=${SAMPLE_SECONDS:-1}
GEN=${TRAFFICGEN:-$OUT/trafficgen}
ROWS=(0 64 1)

if [ "$(id -u)" -ne 0 ]; then
	echo "sample_live: skipped: needs root (BPF, network namespaces)"
	exit 0
fi
if [ ! -x "$GEN" ]; then
	echo "sample_live: $GEN is missing: run 'make bench'" >&2
	exit 1
fi
work=$(mktemp -d)
trap 'pb_cleanup; rm -rf "$work"' EXIT
pb_net smp 63 || exit 1
pb_wait 10 sh -c "ip -n $PB_NS link show $PB_B | grep -q 'state UP'" || exit 1
runs=$work/runs.txt
: >"$runs"

stat_of() { # stat_of EXPR: a number from `stats --json` of the receiving end
	"$PKTBPF" stats "$PB_B" --netns "$PB_NS" --json | pb_json - "$1"
}

measure() { # measure N ROUND: one line "N rx_pps delivered_per_s selected lost shown"
	local n=$1 w= before after out=$work/gen.json secs shown=0
	"$PKTBPF" attach "$PB_B" --netns "$PB_NS" --sample "$n" >/dev/null || return 1
	if [ "$n" -gt 0 ]; then
		"$PKTBPF" watch "$PB_B" --netns "$PB_NS" -w /dev/null 2>"$work/watch.err" &
		w=$!
	fi
	before=$(stat_of 'd["ingress"]["packets"]')
	"$GEN" "$PB_A" --json -d "$SECS" -t 1 -s 64 --src "$PB_A4" --dst "$PB_B4" >"$out" || return 1
	after=$(stat_of 'd["ingress"]["packets"]')
	secs=$(pb_json "$out" 'd["seconds"]')
	if [ -n "$w" ]; then
		kill -INT "$w"
		wait "$w"
		shown=$(sed -nE 's/^([0-9]+) packets? shown.*/\1/p' "$work/watch.err")
	fi
	local sel lost
	sel=$(stat_of 'd["samples"]["selected"]')
	lost=$(stat_of 'd["samples"]["lost_ring_full"] + d["samples"]["lost_copy"]')
	"$PKTBPF" detach "$PB_B" --netns "$PB_NS" >/dev/null
	python3 -c 'import sys; n,b,a,s,sh,sel,lost=sys.argv[1:]; s=float(s)
print(n, (int(a)-int(b))/s, int(sh)/s, sel, lost, sh)' "$n" "$before" "$after" "$secs" \
		"${shown:-0}" "$sel" "$lost" >>"$runs"
}

echo "sample_live: ${#ROWS[@]} rows x $RUNS rounds of ${SECS}s, 64-byte UDP, 1 sending thread"
for ((r = 1; r <= RUNS; r++)); do
	for n in "${ROWS[@]}"; do
		measure "$n" || echo "sample_live: --sample $n run failed" >&2
	done
done
python3 - "$runs" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    n, rx, dps, sel, lost, shown = line.split()
    rows.setdefault(int(n), []).append((float(rx), float(dps), int(sel), int(lost), int(shown)))
base = statistics.median(r[0] for r in rows.get(0, [(0,)]))
print(f"{'attach':<12} {'rx Mpps':>8} {'vs none':>8} {'samples/s':>11} {'loss':>7}  accounted")
for n in sorted(rows, key=lambda n: (n != 0, -n)):
    rs = rows[n]
    rx = statistics.median(r[0] for r in rs)
    dps = statistics.median(r[1] for r in rs)
    loss = statistics.median(r[3] / r[2] if r[2] else 0 for r in rs)
    ok = all(r[4] + r[3] == r[2] for r in rs) if n else True
    print(f"--sample {n:<3} {rx / 1e6:8.3f} {rx / base if base else 0:8.3f} {dps:11.0f} "
          f"{100 * loss:6.2f}%  {'yes' if ok else 'NO'}")
r64 = statistics.median(r[0] for r in rows.get(64, [(0,)]))
cost = 1 - r64 / base if base else 1
print(f"\ntarget (issue 4): --sample 64 costs <= 10% of the receive rate: "
      f"{100 * cost:.1f}%, {'met' if cost <= 0.10 else 'MISSED'}")
PY
