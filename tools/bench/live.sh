#!/usr/bin/env bash
# make bench, live section (issue 9): pktbpf under real load on one veth pair.
#
# build/trafficgen sends 64-byte UDP frames at its highest rate out of the
# root end of a veth pair; the namespace end receives them with, in turn, no
# program, an empty XDP program, pktbpf (as shipped, with a filter, with all
# detectors, without detectors, without the flow table), tcpdump capturing to /dev/null
# (default buffer and -B large), and, with verdicts forced to drop, an empty
# XDP_DROP program and a benchmark-only pktbpf build. Rows run interleaved,
# round after round, so that the load of a shared machine falls on all alike;
# each figure is a median over the rounds. It prints one table and writes it,
# with the machine it ran on, to bench/RESULTS.md (tools/bench/live_report.py).
#
# The generator's threads run the receive path too (the veth peer's NAPI runs
# in softirq on the sending CPU), so "Mpps per CPU" (packets per CPU-second of
# those threads) is the rate one CPU sustains for send plus receive: it moves
# little with other load, while the wall-clock rate moves with it.
#
# Settings (environment): LIVE_RUNS (rounds, default 5), LIVE_SECONDS (per run,
# default 1), LIVE_THREADS (default: every CPU), LIVE_SIZE (default 64),
# LIVE_DST=other|host (frames for another MAC, dropped early by the stack
# after XDP and taps saw them: the strictest case for an analyzer's share of
# the cost; or for the receiver's MAC and IP, a closed UDP port), LIVE_FILTER
# (default 'udp port 53': matches none of this traffic, so it measures the
# filter's evaluation), LIVE_DETECT_ARGS (default '--detectors all'; a row
# with '--detectors none' beside it when attach has that option),
# LIVE_RESULTS (default bench/RESULTS.md; empty: print only), LIVE_ONLY (an
# extended regular expression: run only the rows whose label matches, plus
# the baselines). The raw figures stay in $OUT/live/ (runs.jsonl, one line a
# run, and the rest): 'python3 tools/bench/live_report.py --dir $OUT/live'
# prints the table again.
#
# Scaling (issue 4: receive capacity grows with CPUs, 2 CPUs >= 1.7x one):
# with more than one thread, each round also runs no program, the empty
# XDP_PASS program and pktbpf as shipped with one sending thread, so one CPU
# sends and receives; the report sets their rates beside the full runs'.
. "$(dirname "$0")/../../tests/integration/lib.sh"
cd "$PB_ROOT" || exit 1

RUNS=${LIVE_RUNS:-5}
SECONDS_PER_RUN=${LIVE_SECONDS:-1}
THREADS=${LIVE_THREADS:-$(nproc)}
SIZE=${LIVE_SIZE:-64}
DST=${LIVE_DST:-other}
FILTER=${LIVE_FILTER:-udp port 53}
DETECT_ARGS=${LIVE_DETECT_ARGS:---detectors all}
RESULTS=${LIVE_RESULTS-bench/RESULTS.md}
FLOWS=(1 10000)
GEN=$OUT/trafficgen
DROP_PKTBPF=$OUT/bench-drop/pktbpf
TCPDUMP_BIG_KIB=262144

if [ "$(id -u)" -ne 0 ]; then
	echo "live: skipped: needs root (BPF, network namespaces)"
	exit 0
fi
for f in "$GEN" "$PKTBPF" "$DROP_PKTBPF" "$OUT/bench_empty.bpf.o" "$OUT/bench_drop.bpf.o"; do
	[ -e "$f" ] || { echo "live: $f is missing: run 'make bench'" >&2; exit 1; }
done
for t in tcpdump ethtool bpftool /usr/bin/time; do
	command -v "$t" >/dev/null || { echo "live: $t is missing: run 'make deps'" >&2; exit 1; }
done

work=$OUT/live
rm -rf "$work"
mkdir -p "$work"
trap 'pb_cleanup' EXIT
runs=$work/runs.jsonl
notes=$work/notes.txt
: >"$runs"
: >"$notes"
note() { echo "$*" >>"$notes"; }

PB_NET_QUEUES=$THREADS pb_net live 59 || { echo "live: cannot build the test network" >&2; exit 1; }
# A veth takes XDP frames only with NAPI on the receiving end: an XDP program
# gives it that, GRO does for the rows without one. On for every row alike.
ip netns exec "$PB_NS" ethtool -K "$PB_B" gro on >/dev/null
if [ "$DST" = host ]; then
	dst_mac=$PB_MAC_B
else
	dst_mac=02:00:00:00:00:02
fi

# --- the rows ---------------------------------------------------------------
# Each row: label, kind (none|xdp|pktbpf|tcpdump), what (object, binary or
# tcpdump options), and for pktbpf an extra attach option and its value.
labels=() kinds=() whats=() opts=() vals=()
row() { labels+=("$1"); kinds+=("$2"); whats+=("$3"); opts+=("${4:-}"); vals+=("${5:-}"); }
wanted() { [[ $1 == "no program" || $1 == "XDP_PASS empty" || $1 =~ ${LIVE_ONLY:-.} ]]; }

row "no program" none ""
row "XDP_PASS empty" xdp "$OUT/bench_empty.bpf.o"
row "pktbpf" pktbpf "$PKTBPF"
shipped=$((${#labels[@]} - 1))
if "$PKTBPF" attach --help 2>/dev/null | grep -q -- '--filter'; then
	row "pktbpf + filter" pktbpf "$PKTBPF" --filter "$FILTER"
else
	note "pktbpf + filter: skipped: 'pktbpf attach --help' has no --filter yet (issue 5)"
fi
if "$PKTBPF" attach --help 2>/dev/null | grep -q -- "${DETECT_ARGS%% *}"; then
	row "pktbpf + detectors" pktbpf "$PKTBPF" "${DETECT_ARGS%% *}" "${DETECT_ARGS#* }"
	if [ "${DETECT_ARGS%% *}" = --detectors ]; then
		row "pktbpf, no detectors" pktbpf "$PKTBPF" --detectors none
	fi
else
	note "pktbpf + detectors: skipped: 'pktbpf attach --help' has no ${DETECT_ARGS%% *} yet (issue 6)"
fi
# The flow table's share: a lookup per packet, memory-bound with many flows.
row "pktbpf, no flow table" pktbpf "$PKTBPF" --flows 0
row "tcpdump" tcpdump ""
row "tcpdump -B $TCPDUMP_BIG_KIB" tcpdump "-B $TCPDUMP_BIG_KIB"
row "XDP_DROP empty" xdp "$OUT/bench_drop.bpf.o"
row "pktbpf, drop build" pktbpf "$DROP_PKTBPF"

setup() {
	local i=$1
	case ${kinds[$i]} in
	xdp) ip -n "$PB_NS" link set dev "$PB_B" xdpdrv obj "${whats[$i]}" sec xdp ;;
	pktbpf)
		if [ -n "${opts[$i]}" ]; then
			"${whats[$i]}" attach "$PB_B" --netns "$PB_NS" "${opts[$i]}" "${vals[$i]}"
		else
			"${whats[$i]}" attach "$PB_B" --netns "$PB_NS"
		fi >/dev/null ;;
	*) true ;;
	esac
}

teardown() {
	case ${kinds[$1]} in
	xdp) ip -n "$PB_NS" link set dev "$PB_B" xdpdrv off ;;
	pktbpf) "$PKTBPF" detach "$PB_B" --netns "$PB_NS" >/dev/null ;;
	*) true ;;
	esac
}

ingress_packets() {
	"$PKTBPF" stats "$PB_B" --netns "$PB_NS" --json | pb_json - 'd["ingress"]["packets"]'
}

# gen FLOWS [THREADS]
gen() {
	"$GEN" "$PB_A" --json -d "$SECONDS_PER_RUN" -t "${2:-$THREADS}" -s "$SIZE" -f "$1" \
		--dst-mac "$dst_mac" --src "$PB_A4" --dst "$PB_B4" 2>"$work/gen.err" ||
		{ echo "live: trafficgen failed: $(tr '\n' ' ' <"$work/gen.err")" >&2; return 1; }
}

# tcpdump's own CPU time so far, in ns (/proc/PID/schedstat).
cpu_ns() { cut -d' ' -f1 "/proc/$1/schedstat"; }

# The last of tcpdump's "N packets <what>" reports in file (at exit, one a
# line; on SIGUSR1, all three on one line).
tcpdump_stat() { grep -oE "[0-9]+ packets? $2" "$1" | tail -n1 | cut -d' ' -f1; }

# Have tcpdump report its counters now: SIGUSR1 makes it print them and go on.
tcpdump_report() {
	local pid=$1 err=$2 reports
	reports=$(grep -c "packets captured" "$err")
	kill -USR1 "$pid"
	pb_wait 5 eval '[ "$(grep -c "packets captured" "$err")" -gt "$reports" ]'
}

# Ready when a probe frame has reached tcpdump's socket ("listening on" alone
# does not prove it). Probes are counted, to take them off its figures.
probes=0
tcpdump_ready() {
	"$GEN" "$PB_A" -n 1 --dst-mac "$dst_mac" --src "$PB_A4" --dst "$PB_B4" >/dev/null || return 1
	probes=$((probes + 1))
	tcpdump_report "$1" "$2" && [ "$(tcpdump_stat "$2" "received by filter")" -ge 1 ]
}

# Wait until tcpdump has taken out of its ring every packet that reached it
# (captured + dropped = received): it holds a partly filled ring block until
# its timeout, and SIGINT alone would not drain the ring.
tcpdump_drained() {
	local pid=$1 err=$2 cap drop recv
	tcpdump_report "$pid" "$err" || return 1
	cap=$(tcpdump_stat "$err" captured)
	drop=$(tcpdump_stat "$err" "dropped by kernel")
	recv=$(tcpdump_stat "$err" "received by filter")
	[ -n "$cap" ] && [ -n "$drop" ] && [ -n "$recv" ] && [ $((cap + drop)) -ge "$recv" ]
}

# One run of row i with the given flows (and threads, default THREADS): one
# JSON line in $runs.
measure() {
	local i=$1 flows=$2 round=$3 threads=${4:-$THREADS} out before after tpid terr c0 c1 counted=null
	local captured=null received=null dropped=null tool_ns=null
	out=$work/gen.json
	case ${kinds[$i]} in
	pktbpf)
		before=$(ingress_packets) || return 1
		gen "$flows" "$threads" >"$out" || return 1
		after=$(ingress_packets) || return 1
		counted=$((after - before)) ;;
	tcpdump)
		terr=$work/tcpdump.err
		: >"$terr" # not the last run's "listening on"
		# shellcheck disable=SC2086 # whats holds tcpdump's options
		ip netns exec "$PB_NS" tcpdump -i "$PB_B" -n -w /dev/null ${whats[$i]} 2>"$terr" &
		tpid=$!
		probes=0
		if ! pb_wait 10 grep -q "listening on" "$terr" ||
			! pb_wait 10 tcpdump_ready "$tpid" "$terr"; then
			echo "live: tcpdump not ready after $probes probe(s): $(tail -n2 "$terr" | tr '\n' ' ')" >&2
			kill "$tpid"
			return 1
		fi
		c0=$(cpu_ns "$tpid")
		gen "$flows" >"$out" || { kill "$tpid"; return 1; }
		pb_wait 10 tcpdump_drained "$tpid" "$terr" ||
			echo "live: tcpdump did not drain its ring in 10 s" >&2
		c1=$(cpu_ns "$tpid")
		kill -INT "$tpid"
		wait "$tpid"
		captured=$(($(tcpdump_stat "$terr" captured) - probes))
		received=$(($(tcpdump_stat "$terr" "received by filter") - probes))
		dropped=$(tcpdump_stat "$terr" "dropped by kernel")
		tool_ns=$((c1 - c0)) ;;
	*)
		gen "$flows" "$threads" >"$out" || return 1 ;;
	esac
	printf '{"row": %d, "label": "%s", "flows": %d, "threads": %d, "round": %d, "counted": %s, "captured": %s, "received": %s, "dropped": %s, "tool_cpu_ns": %s, "gen": %s}\n' \
		"$i" "${labels[$i]}" "$flows" "$threads" "$round" "$counted" "${captured:-null}" \
		"${received:-null}" "${dropped:-null}" "$tool_ns" "$(cat "$out")" >>"$runs"
}

load_before=$(cat /proc/loadavg)
echo "live: ${#labels[@]} rows x ${#FLOWS[@]} flow counts x $RUNS rounds of ${SECONDS_PER_RUN}s," \
	"$THREADS sending thread(s), $SIZE-byte UDP frames"
for ((round = 1; round <= RUNS; round++)); do
	for flows in "${FLOWS[@]}"; do
		for i in "${!labels[@]}"; do
			wanted "${labels[$i]}" || continue
			if ! setup "$i"; then
				echo "live: cannot set up '${labels[$i]}'" >&2
				exit 1
			fi
			measure "$i" "$flows" "$round" || echo "live: '${labels[$i]}' run failed" >&2
			if [ "$THREADS" -gt 1 ] && { [ "$i" -le 1 ] || [ "$i" -eq "$shipped" ]; }; then
				measure "$i" "$flows" "$round" 1 ||
					echo "live: '${labels[$i]}' run on one thread failed" >&2
			fi
			teardown "$i"
		done
	done
	echo "live: round $round of $RUNS done (load $(cut -d' ' -f1-3 /proc/loadavg))"
done

# --- pktbpf's own figures: program run time, map memory, CLI memory ---------
extra=$work/extra.json

# The XDP program's own time per packet: BPF run-time statistics over runs
# of pktbpf and of the empty program, whose figure is the statistics' own cost
# (two clock reads), in turn. They cost every BPF program on the machine that
# much, so they are on for those runs only. One JSON line per run.
xdp_prog_id() { ip -n "$PB_NS" -j link show dev "$PB_B" | pb_json - 'd[0]["xdp"]["prog"]["id"]'; }
stats_was=$(cat /proc/sys/kernel/bpf_stats_enabled)
: >"$work/prog.jsonl"
for ((round = 1; round <= RUNS; round++)); do
	for i in 1 "$shipped"; do
		setup "$i"
		id=$(xdp_prog_id)
		sysctl -qw kernel.bpf_stats_enabled=1
		gen 1 >/dev/null
		sysctl -qw kernel.bpf_stats_enabled="$stats_was"
		printf '{"label": "%s", "prog": %s}\n' "${labels[$i]}" \
			"$(bpftool prog show id "$id" -j)" >>"$work/prog.jsonl"
		teardown "$i"
	done
done

# Memory: as shipped, plus sampling for 'watch' to decode where attach has it.
if "$PKTBPF" attach --help 2>/dev/null | grep -q -- '--sample'; then
	row "pktbpf --sample 1000" pktbpf "$PKTBPF" --sample 1000
	memrow=$((${#labels[@]} - 1))
	note "memory: measured attached with --sample 1000, so that 'watch' has packets to decode"
else
	memrow=$shipped
fi
setup "$memrow"
status=$("$PKTBPF" status --json)
xdp_id=$(pb_json - 'd["attachments"][0]["xdp_prog_id"]' <<<"$status")
tc_id=$(pb_json - 'd["attachments"][0]["tc_prog_id"]' <<<"$status")

maps_json=$work/maps.json
echo "[" >"$maps_json"
sep=""
for id in $( (bpftool prog show id "$xdp_id" -j; bpftool prog show id "$tc_id" -j) |
	python3 -c 'import json,sys
ids=set()
for line in sys.stdin:
    ids.update(json.loads(line).get("map_ids", []))
print(" ".join(map(str, sorted(ids))))'); do
	printf '%s' "$sep" >>"$maps_json"
	bpftool map show id "$id" -j >>"$maps_json"
	sep=","
done
echo "]" >>"$maps_json"

# Peak RSS (KiB) of the CLI: stats exits by itself; watch and serve run
# during a traffic run until stopped, their VmHWM read just before.
rss_json=$work/rss.json
stats_rss=()
for ((r = 0; r < RUNS; r++)); do
	stats_rss+=("$(/usr/bin/time -f %M "$PKTBPF" stats "$PB_B" --netns "$PB_NS" 2>&1 >/dev/null | tail -n1)")
done
SERVE_AT=127.0.0.1:19559
fetch_metrics() {
	python3 -c 'import sys, urllib.request
urllib.request.urlopen("http://%s/metrics" % sys.argv[1], timeout=5).read()' "$SERVE_AT"
}
# long_running_rss CMD ARGS...: peak RSS (KiB) of 'pktbpf CMD ARGS' running
# through a traffic run (serve: answering a scrape during it).
long_running_rss() {
	local cmd=$1; shift
	local pid hwm
	if ! "$PKTBPF" "$cmd" --help >/dev/null 2>&1; then
		echo "\"skipped: no 'pktbpf $cmd' yet\""
		return
	fi
	"$PKTBPF" "$cmd" "$@" >/dev/null 2>"$work/$cmd.err" &
	pid=$!
	if [ "$cmd" = serve ] && ! pb_wait 10 fetch_metrics; then
		kill -INT "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		echo "\"failed: no answer at $SERVE_AT\""
		return
	fi
	gen 1 >/dev/null
	[ "$cmd" = serve ] && fetch_metrics
	hwm=$(sed -nE 's/^VmHWM:\s+([0-9]+) kB/\1/p' "/proc/$pid/status" 2>/dev/null)
	kill -INT "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	if [ -n "$hwm" ]; then echo "$hwm"; else echo "\"failed: $(head -c 200 "$work/$cmd.err" | tr -d '"\n')\""; fi
}
watch_rss=$(long_running_rss watch "$PB_B" --netns "$PB_NS")
serve_rss=$(long_running_rss serve --listen "$SERVE_AT")
teardown "$memrow"
printf '{"stats": [%s], "watch": %s, "serve": %s}\n' "$(IFS=,; echo "${stats_rss[*]}")" \
	"$watch_rss" "$serve_rss" >"$rss_json"

cat >"$extra" <<EOF
{"runs": $RUNS, "seconds": $SECONDS_PER_RUN, "threads": $THREADS, "size": $SIZE,
 "dst": "$DST", "filter": "$FILTER", "detect_args": "$DETECT_ARGS",
 "load_before": "$load_before", "load_after": "$(cat /proc/loadavg)",
 "tcpdump_version": "$(tcpdump --version 2>&1 | head -n1)",
 "commit": "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"}
EOF
python3 tools/bench/live_report.py --dir "$work" ${RESULTS:+--write "$RESULTS"}
