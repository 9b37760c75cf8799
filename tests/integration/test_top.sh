#!/usr/bin/env bash
# pktbpf top used as a person would: in a real terminal (a tmux pane), with
# known traffic on a test link. What the screen shows must match
# `stats --json`; the keys, resizing, Ctrl-C and SIGTERM work; the terminal
# is given back as it was; without a terminal there is a clear error.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/checks.sh"

FRAMES=("$PB_ROOT/tools/frames.py")
SCREEN=("$PB_PYTHON" "$PB_ROOT/tests/viz/top_screen.py")
# A tmux server per pane, each on its own socket: a server being killed can
# still answer on its socket for a moment, so names are never reused.
SOCK_N=0
kill_servers() {
	local s
	for s in "$PB_TMP"/sock.*; do
		[ -e "$s" ] && tmux -L "$(cat "$s")" kill-server 2>/dev/null
	done
	return 0
}
trap 'kill_servers; rm -rf "$PB_TMP"; pb_cleanup' EXIT

if [ "$(id -u)" -eq 0 ]; then
	pb_net top 101 || { echo "cannot build the test network" >&2; exit 1; }
fi

# The current tmux of our own (its own socket and no user config), in UTF-8.
tm() { LC_ALL=C.UTF-8 tmux -u -f /dev/null -L "$(cat "$PB_TMP/sock.$SOCK_N")" "$@"; }

# start_top [COLS ROWS]: top on the attached link in a fresh pane, through a
# wrapper that records the exit status and whether the terminal settings
# (stty -g) came back as they were before top started.
start_top() {
	local cols=${1:-110} rows=${2:-34}
	kill_servers
	SOCK_N=$((SOCK_N + 1))
	echo "pbtop-$PB_PREFIX-$BASHPID-$SOCK_N" >"$PB_TMP/sock.$SOCK_N"
	rm -f "$PB_TMP/result"
	cat >"$PB_TMP/wrap.sh" <<-EOF
		before=\$(stty -g)
		"$PKTBPF" top "$PB_A"
		rc=\$?
		after=\$(stty -g)
		echo "rc=\$rc tty=\$([ "\$before" = "\$after" ] && echo restored || echo changed)" >"$PB_TMP/result.tmp"
		mv "$PB_TMP/result.tmp" "$PB_TMP/result"
		exec sleep 600
	EOF
	tm new-session -d -x "$cols" -y "$rows" -e LC_ALL=C.UTF-8 "bash $PB_TMP/wrap.sh"
	tm set-option -g status off
	pb_wait 10 screen_has " q quit"
}

capture() { tm capture-pane -p >"$PB_TMP/screen"; }
screen_has() { capture && grep -qF -- "$1" "$PB_TMP/screen"; }
screen_lacks() { capture && ! grep -qF -- "$1" "$PB_TMP/screen"; }
field() { capture && "${SCREEN[@]}" field "$PB_TMP/screen" "$1"; }
field_is() { [ "$(field "$1")" = "$2" ]; }
pane() { tm display-message -p "#{$1}"; }

# The screen agrees with `stats --json` and `flows --json` read just before it
# was captured.
matches_stats() {
	"$PKTBPF" stats "$PB_A" --json >"$PB_TMP/stats.json" &&
		"$PKTBPF" flows "$PB_A" --json >"$PB_TMP/flows.json" && capture &&
		"${SCREEN[@]}" match "$PB_TMP/screen" "$PB_TMP/stats.json" "$PB_TMP/flows.json" \
			>"$PB_TMP/mismatch"
}

expect_match() {
	pb_wait 10 matches_stats ||
		pb_fail "the screen differs from stats --json: $(cat "$PB_TMP/mismatch")
$(cat "$PB_TMP/screen")"
}

# stays SECONDS CMD...: CMD keeps succeeding for that long (polled).
stays() {
	local end=$((SECONDS + $1))
	shift
	while [ $SECONDS -lt $end ]; do
		"$@" || pb_fail "no longer true: $*"
		sleep 0.2
	done
}

# After top ended: its status, the terminal as it was, the normal screen back
# and the cursor visible.
expect_restored() {
	pb_wait 10 test -e "$PB_TMP/result"
	grep -qx "rc=0 tty=restored" "$PB_TMP/result" || pb_fail "top ended: $(cat "$PB_TMP/result")"
	[ "$(pane alternate_on)" = 0 ] || pb_fail "still on the alternate screen"
	[ "$(pane cursor_flag)" = 1 ] || pb_fail "the cursor is still hidden"
}

attach() { "$PKTBPF" attach "$PB_A" >/dev/null || pb_fail "attach failed"; }

# Every traffic class: real ICMP and UDP through the stacks, crafted frames
# for the rest (to a MAC nobody has: nothing answers them).
send_mix() {
	pb_ping 6 ping "$PB_B4"
	"${FRAMES[@]}" udp-send "$PB_B4" 5001 -n 9 --size 40 >/dev/null
	"${FRAMES[@]}" send "$PB_A" tcp4 -n 7 --flags S --src4 "$PB_A4" --dst4 "$PB_B4" >/dev/null
	"${FRAMES[@]}" send "$PB_A" ipv4-frag-later -n 4 --src4 "$PB_A4" --dst4 "$PB_B4" >/dev/null
	"${FRAMES[@]}" send "$PB_A" other -n 2 >/dev/null
	ip netns exec "$PB_NS" "${FRAMES[@]}" send "$PB_B" arp -n 3 --src4 "$PB_B4" \
		--dst4 "$PB_A4" >/dev/null
	ip netns exec "$PB_NS" "${FRAMES[@]}" send "$PB_B" udp6 -n 5 >/dev/null
}

test_top_shows_what_stats_counts() {
	pb_need_root
	attach
	start_top
	send_mix
	expect_match
	for c in tcp udp icmp other_ip arp other; do
		grep -Eq "^$c +" "$PB_TMP/screen" || pb_fail "no $c row: $(cat "$PB_TMP/screen")"
	done
	# Idle again: the rates fall to 0, the history keeps the burst.
	pb_wait 10 field_is in_pps 0
	pb_wait 10 field_is out_pps 0
	[ -n "$(field in_spark)" ] || pb_fail "no history in the sparkline: $(cat "$PB_TMP/screen")"
	# Steady traffic shows as a rate.
	ping -q -n -c 20 -i 0.1 "$PB_B4" >/dev/null &
	pb_wait 10 eval '[ "$(field out_pps)" != 0 ]' || pb_fail "no rate shown during a ping"
	wait $!
	expect_match
	# An alert: a SYN+FIN segment (tcp_bad_flags), counted and shown.
	ip netns exec "$PB_NS" "${FRAMES[@]}" send "$PB_B" tcp4 --flags SF --src4 "$PB_B4" \
		--dst4 "$PB_A4" >/dev/null
	expect_match
	field latest_alert | grep -Eq "^[0-9:]{8} tcp_bad_flags: $PB_B4 sent a segment to $PB_A4 port 9: flags \\[SF\\] never occur" ||
		pb_fail "latest alert: $(field latest_alert)"
	tm send-keys q
	expect_restored
}

test_top_keys() {
	pb_need_root
	attach
	start_top
	field_is paused no || pb_fail "paused from the start"
	tm send-keys p
	pb_wait 5 field_is paused yes
	screen_has "p resume" || pb_fail "footer: $(tail -1 "$PB_TMP/screen")"
	field in_pps >/dev/null
	grep -E '^in ' "$PB_TMP/screen" >"$PB_TMP/in.paused"
	# Traffic while paused: counted by the kernel, not shown.
	pb_ping 4 ping "$PB_B4"
	stays 2 eval 'capture && grep -E "^in " "$PB_TMP/screen" | cmp -s - "$PB_TMP/in.paused"'
	tm send-keys p
	pb_wait 5 field_is paused no
	expect_match

	# Flows of different orders by bytes and by packets: 30 small UDP
	# datagrams (to a receiver: no ICMP errors back) against 3 large pings.
	ip netns exec "$PB_NS" "${FRAMES[@]}" udp-recv "$PB_B4" 5003 -n 30 \
		--ready "$PB_TMP/udp.ready" >/dev/null &
	pb_wait 10 test -e "$PB_TMP/udp.ready"
	"${FRAMES[@]}" udp-send "$PB_B4" 5003 -n 30 --size 20 >/dev/null
	wait $! || pb_fail "the UDP receiver did not get 30 datagrams"
	ping -q -n -c 3 -i 0.05 -s 1200 "$PB_B4" >/dev/null
	field_is sort bytes || pb_fail "sort: $(field sort)"
	expect_match
	grep -A2 "^Top flows by bytes" "$PB_TMP/screen" | tail -1 | grep -q "^icmp " ||
		pb_fail "by bytes, the pings first: $(grep -A4 "^Top flows" "$PB_TMP/screen")"
	tm send-keys s
	pb_wait 5 field_is sort packets
	expect_match
	grep -A2 "^Top flows by packets" "$PB_TMP/screen" | tail -1 | grep -q "^udp " ||
		pb_fail "by packets, the datagrams first: $(grep -A4 "^Top flows" "$PB_TMP/screen")"
	tm send-keys s
	pb_wait 5 field_is sort bytes

	tm send-keys h
	pb_wait 5 screen_has "pktbpf top: keys"
	screen_has "q   quit" || pb_fail "help without keys: $(cat "$PB_TMP/screen")"
	tm send-keys x # any key closes the help
	pb_wait 5 screen_lacks "pktbpf top: keys"
	tm send-keys q
	expect_restored
}

test_top_survives_resize() {
	pb_need_root
	attach
	start_top
	send_mix
	tm resize-window -x 80 -y 24
	# Redrawn to the new size: the key line is the last line, nothing wider.
	pb_wait 5 field_is footer_line 24
	[ "$(field width)" -le 80 ] || pb_fail "wider than 80: $(cat "$PB_TMP/screen")"
	expect_match
	tm resize-window -x 150 -y 45
	pb_wait 5 field_is footer_line 45
	expect_match
	tm resize-window -x 40 -y 10 # smaller than the layout: cut, not crashed
	pb_wait 5 field_is footer_line 10
	tm resize-window -x 100 -y 30
	pb_wait 5 field_is footer_line 30
	expect_match
	tm send-keys q
	expect_restored
}

# attach --replace under top: it goes on with the new maps (counting from 0);
# detach under it: it says so.
test_top_follows_replace_and_detach() {
	pb_need_root
	attach
	start_top
	send_mix
	expect_match
	"$PKTBPF" attach "$PB_A" --replace >/dev/null || pb_fail "attach --replace failed"
	pb_ping 2 ping "$PB_B4"
	expect_match
	grep -Eq "^icmp .* 100.0 % +4 " "$PB_TMP/screen" || pb_fail "after --replace: $(cat "$PB_TMP/screen")"
	"$PKTBPF" detach "$PB_A" >/dev/null || pb_fail "detach failed"
	pb_wait 5 screen_has ", detached"
	tm send-keys q
	expect_restored
}

test_top_ctrl_c_restores_terminal() {
	pb_need_root
	attach
	start_top
	tm send-keys C-c
	expect_restored
}

test_top_sigterm_restores_terminal() {
	pb_need_root
	local pid
	attach
	start_top
	pid=$(pgrep -P "$(pane pane_pid)" -x pktbpf) || pb_fail "no top under the pane"
	kill -TERM "$pid"
	expect_restored
}

test_top_needs_a_terminal() {
	pb_need_root
	attach
	pb_expect 2 "^pktbpf: top: standard output is not a terminal" "$PKTBPF" top "$PB_A"
	[ ! -s "$PB_TMP/out" ] || pb_fail "wrote to a non-terminal: $(od -c "$PB_TMP/out" | head -3)"
	grep -q "hint: .*stats $PB_A --interval 1" "$PB_TMP/err" || pb_fail "no hint: $(cat "$PB_TMP/err")"
}

test_top_bad_usage() {
	pb_need_root
	pb_expect 2 "which interface" "$PKTBPF" top
	# In a terminal (script(1) makes one): the interface is looked up first.
	local rc=0
	script -qec "$PKTBPF top ${PB_PREFIX}nope" /dev/null >"$PB_TMP/out" 2>&1 || rc=$?
	[ $rc -eq 2 ] && grep -q "pktbpf is not attached to this interface" "$PB_TMP/out" ||
		pb_fail "top of an unattached interface: exit $rc, $(cat "$PB_TMP/out")"
	pb_expect 2 "unrecognized option" "$PKTBPF" top "$PB_A" --bogus
	pb_expect 0 "" "$PKTBPF" top --help
	grep -q "^Usage: pktbpf top IFACE" "$PB_TMP/out" || pb_fail "help: $(cat "$PB_TMP/out")"
}

pb_run test_top_shows_what_stats_counts test_top_keys test_top_survives_resize \
	test_top_follows_replace_and_detach test_top_ctrl_c_restores_terminal test_top_sigterm_restores_terminal \
	test_top_needs_a_terminal test_top_bad_usage
pb_summary
