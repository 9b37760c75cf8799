#!/usr/bin/env bash
# The long-running readers of an attachment follow it: watch (the samples
# ring buffer), alerts (the alerts ring buffer), stats --interval (the
# counters) and serve (each scrape) read the new maps after
# `attach --replace` and after a re-attach (detach, then attach, while the
# reader runs), and say so on stderr. When the attachment goes for good
# (detached, or the interface deleted), a reader ends within 2 s with a clear
# message and status 1.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/checks.sh"
. "$(dirname "$0")/serve_lib.sh"

FRAMES=("$PB_ROOT/tools/frames.py")

attach() { "$PKTBPF" attach "$PB_A" --sample 1 "$@" >/dev/null || pb_fail "attach $* failed"; }
reattach() {
	"$PKTBPF" detach "$PB_A" >/dev/null || pb_fail "detach failed"
	attach
}

# start_reader NAME CMD...: a reader in the background, its output in
# $PB_TMP/NAME.out and .err; sets READER to its pid.
start_reader() {
	local name=$1
	shift
	"$@" >"$PB_TMP/$name.out" 2>"$PB_TMP/$name.err" &
	READER=$!
	pb_bg_track "$READER"
}

# expect_said NAME ERE: the reader's stderr has a line matching ERE (polled).
expect_said() {
	pb_wait 10 grep -Eq "$2" "$PB_TMP/$1.err" ||
		pb_fail "$1 did not say /$2/: $(cat "$PB_TMP/$1.err")"
}

# ends_within NAME MS ERE: the reader ends within MS milliseconds of now, with
# status 1 and a last word matching ERE.
ends_within() {
	local name=$1 ms=$2 re=$3 t0 t1 rc=0
	t0=$(date +%s%N)
	pb_wait 5 eval "! kill -0 $READER 2>/dev/null" || pb_fail "$name still runs: $(cat "$PB_TMP/$name.err")"
	t1=$(date +%s%N)
	wait "$READER" || rc=$?
	[ "$rc" -eq 1 ] || pb_fail "$name ended with status $rc, not 1: $(cat "$PB_TMP/$name.err")"
	[ $(((t1 - t0) / 1000000)) -le "$ms" ] ||
		pb_fail "$name took $(((t1 - t0) / 1000000)) ms to end, more than $ms"
	grep -Eq "$re" "$PB_TMP/$name.err" || pb_fail "$name did not say /$re/: $(cat "$PB_TMP/$name.err")"
}

# bad_flags N: a SYN+FIN segment (a tcp_bad_flags alert, and a sample) from
# 10.x.0.N, a source of its own for each step (one alert per source and window).
bad_flags() {
	ip netns exec "$PB_NS" "${FRAMES[@]}" send "$PB_B" tcp4 --flags SF --src4 "${PB_A4%.1}.$1" \
		--dst4 "$PB_A4" >/dev/null || pb_fail "cannot send frames"
}

# What a reader says when it follows a change.
replaced() { echo "^pktbpf: $PB_A: attachment replaced; following the new one$"; }
reattached() { echo "^pktbpf: $PB_A: re-attached; following the new attachment$"; }

# sees NAME N: the reader's output has the segment from 10.x.0.N (polled).
sees() {
	pb_wait 10 grep -q "${PB_A4%.1}.$2\b" "$PB_TMP/$1.out" ||
		pb_fail "$1: nothing from ${PB_A4%.1}.$2: $(cat "$PB_TMP/$1.out" "$PB_TMP/$1.err")"
}

# follows_changes NAME N: the reader NAME, started, shows the segment sent
# from 10.x.0.N before any change, from N+1 after attach --replace and from
# N+2 after detach + attach, and says so after each change.
follows_changes() {
	bad_flags "$2"
	sees "$1" "$2"
	attach --replace
	bad_flags $(($2 + 1))
	sees "$1" $(($2 + 1))
	expect_said "$1" "$(replaced)"
	reattach
	bad_flags $(($2 + 2))
	sees "$1" $(($2 + 2))
	expect_said "$1" "$(reattached)"
}

# watch shows the samples of the new ring after each change; the interface
# deleted, it stops.
test_watch_follows() {
	pb_need_root
	trap pb_test_cleanup EXIT
	pb_net fwat 111
	attach
	start_reader watch "$PKTBPF" watch "$PB_A"
	follows_changes watch 11
	ip link del "$PB_A"
	ends_within watch 2000 "^pktbpf: $PB_A: the interface is gone; stopping$"
	grep -Eq "^[0-9]+ packets shown" "$PB_TMP/watch.err" || pb_fail "no summary: $(cat "$PB_TMP/watch.err")"
}

# alerts streams the alerts of the new detectors after each change; detached,
# it stops.
test_alerts_follow() {
	pb_need_root
	trap pb_test_cleanup EXIT
	pb_net fale 112
	attach
	start_reader alerts "$PKTBPF" alerts "$PB_A" --json
	follows_changes alerts 21
	[ "$(grep -c tcp_bad_flags "$PB_TMP/alerts.out")" -eq 3 ] ||
		pb_fail "want 3 alerts: $(cat "$PB_TMP/alerts.out")"
	"$PKTBPF" detach "$PB_A" >/dev/null
	ends_within alerts 2000 "^pktbpf: $PB_A: detached; stopping$"
}

# rates_from N: the ingress pkt/s of the JSON lines of stats --interval from
# line N on.
rates_from() { tail -n +"$1" "$PB_TMP/stats.out" | pb_json_lines; }
pb_json_lines() {
	"$PB_PYTHON" -c '
import json, sys
print(" ".join("%.1f" % json.loads(l)["ingress"]["packets_per_second"] for l in sys.stdin))'
}

# lines_past N: stats printed more than N lines.
lines_past() { [ "$(wc -l <"$PB_TMP/stats.out")" -gt "$1" ]; }

# After line N, two more intervals, each with 20 pings a second in them
# (replies in: from 5 pkt/s on a busy machine up to 40), and no line
# anywhere negative or above that (a spike from a stale baseline).
expect_rates_after() {
	local n=$1 r
	pb_wait 10 lines_past $((n + 2)) || pb_fail "stats printed no more: $(cat "$PB_TMP/stats.err")"
	for r in $(rates_from $((n + 2))); do
		awk -v r="$r" 'BEGIN { exit !(r >= 5 && r <= 40) }' ||
			pb_fail "rates after line $n: $(rates_from $((n + 1))) (all: $(rates_from 1)); $(cat "$PB_TMP/stats.err")"
	done
	for r in $(rates_from 1); do
		awk -v r="$r" 'BEGIN { exit !(r >= 0 && r <= 40) }' || pb_fail "a rate out of bounds: $(rates_from 1)"
	done
}

# stats --interval counts on the new maps after each change, with the
# baseline restarted (no negative or spiking rate); the interface deleted,
# it stops.
test_stats_interval_follows() {
	pb_need_root
	trap pb_test_cleanup EXIT
	pb_net fsta 113
	attach
	ping -q -n -i 0.05 -w 60 -I "$PB_A" "$PB_B4" >/dev/null 2>&1 &
	pb_bg_track $!
	start_reader stats "$PKTBPF" stats "$PB_A" --interval 0.5 --json
	expect_rates_after 0
	attach --replace
	expect_rates_after "$(wc -l <"$PB_TMP/stats.out")"
	expect_said stats "$(replaced)"
	reattach
	expect_rates_after "$(wc -l <"$PB_TMP/stats.out")"
	expect_said stats "$(reattached)"
	ip link del "$PB_A"
	ends_within stats 2000 "^pktbpf: $PB_A: the interface is gone; stopping$"
}

# scrape FILE: one scrape of serve; the ICMP packets in on the test link.
scrape() { curl -sf --max-time 5 "$PB_SERVE_URL" >"$1" || pb_fail "scrape failed"; }
icmp_in() { pb_metric "$1" pktbpf_packets_total device="$PB_A" direction=ingress protocol=icmp; }

# serve reads each scrape afresh: after a change, the counters of the new
# maps (from zero, a counter reset to Prometheus); detached, no series.
# (serve opens every attachment for each scrape: this held before readers
# followed, and guards it.)
test_serve_scrapes_follow() {
	pb_need_root
	trap pb_test_cleanup EXIT
	pb_net fser 114
	attach
	pb_serve_start
	# Through the test link itself (-I): another run's link can have the
	# same subnet, and its route be taken instead.
	pb_ping 10 ping -I "$PB_A" "$PB_B4"
	scrape "$PB_TMP/m1"
	[ "$(icmp_in "$PB_TMP/m1")" = 10 ] || pb_fail "first scrape: $(icmp_in "$PB_TMP/m1")"
	attach --replace
	pb_ping 3 ping -I "$PB_A" "$PB_B4"
	scrape "$PB_TMP/m2"
	[ "$(icmp_in "$PB_TMP/m2")" = 3 ] || pb_fail "after attach --replace: $(icmp_in "$PB_TMP/m2")"
	pb_ping 2 ping -I "$PB_A" "$PB_B4"
	scrape "$PB_TMP/m3"
	[ "$(icmp_in "$PB_TMP/m3")" = 5 ] || pb_fail "second scrape after --replace: $(icmp_in "$PB_TMP/m3")"
	reattach
	pb_ping 4 ping -I "$PB_A" "$PB_B4"
	scrape "$PB_TMP/m4"
	[ "$(icmp_in "$PB_TMP/m4")" = 4 ] || pb_fail "after detach + attach: $(icmp_in "$PB_TMP/m4")"
	"$PKTBPF" metrics "$PB_A" >"$PB_TMP/m5" || pb_fail "metrics failed"
	[ "$(icmp_in "$PB_TMP/m5")" = 4 ] || pb_fail "metrics after detach + attach: $(icmp_in "$PB_TMP/m5")"
	"$PKTBPF" detach "$PB_A" >/dev/null
	scrape "$PB_TMP/m6"
	[ -z "$(icmp_in "$PB_TMP/m6")" ] || pb_fail "detached, still counted: $(icmp_in "$PB_TMP/m6")"
	pb_serve_stop TERM
}

pb_run test_watch_follows test_alerts_follow test_stats_interval_follows test_serve_scrapes_follow
pb_summary
