#!/usr/bin/env bash
# pktbpf serve: routes and methods, attachments coming and going while it
# runs, clean ends on SIGTERM and SIGINT, clear refusals.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve_lib.sh"

# status code of a request: http_code METHOD PATH
http_code() {
	curl -s -o /dev/null -w '%{http_code}' --max-time 5 -X "$1" "http://127.0.0.1:$PB_SERVE_PORT$2"
}

test_serve_routes() {
	local dir
	pb_need_root
	trap pb_test_cleanup EXIT
	dir=$(mktemp -d)
	pb_serve_start
	curl -sf --max-time 5 -D "$dir/h" -o "$dir/body" "$PB_SERVE_URL"
	grep -qi '^content-type: text/plain; version=0.0.4; charset=utf-8' "$dir/h"
	promtool check metrics <"$dir/body"
	curl -sf --max-time 5 -D "$dir/h" -o "$dir/index" "http://127.0.0.1:$PB_SERVE_PORT/"
	grep -qi '^content-type: text/html' "$dir/h"
	grep -q '<a href="/metrics">' "$dir/index"
	[ "$(http_code GET /metrics?x=1)" = 200 ]
	[ "$(http_code GET /nope)" = 404 ]
	[ "$(http_code GET /metrics/)" = 404 ]
	[ "$(http_code POST /metrics)" = 405 ]
	[ "$(http_code DELETE /)" = 405 ]
	[ "$(http_code PUT /nope)" = 405 ]
	curl -s --max-time 5 -D "$dir/h" -o /dev/null -X POST --data 'x=1' "$PB_SERVE_URL"
	grep -qi '^allow: GET, HEAD' "$dir/h"
	# HEAD: the headers of GET, no body
	[ "$(curl -s --max-time 5 -I "$PB_SERVE_URL" | head -1 | tr -d '\r')" = "HTTP/1.1 200 OK" ]
	# keep-alive: two scrapes over one connection
	curl -s --max-time 5 -o /dev/null -o /dev/null -w '%{num_connects}\n' "$PB_SERVE_URL" "$PB_SERVE_URL" >"$dir/n"
	[ "$(paste -sd+ "$dir/n" | bc)" = 1 ] || pb_fail "connects: $(cat "$dir/n")"
	pb_serve_stop TERM
	rm -rf "$dir"
}

test_serve_follows_attachments() {
	local dir
	pb_need_root
	trap pb_test_cleanup EXIT
	dir=$(mktemp -d)
	pb_net f 93
	pb_serve_start
	curl -sf --max-time 5 "$PB_SERVE_URL" >"$dir/0"
	pb_refute grep -q "device=\"$PB_A\"" "$dir/0"
	"$PKTBPF" attach "$PB_A" >/dev/null
	"$PKTBPF" attach "$PB_B" --netns "$PB_NS" >/dev/null
	ping -c 3 -i 0.05 -q "$PB_B4" >/dev/null
	curl -sf --max-time 5 "$PB_SERVE_URL" >"$dir/1"
	promtool check metrics <"$dir/1"
	[ "$(pb_metric "$dir/1" pktbpf_packets_total device="$PB_A" direction=egress protocol=icmp)" -ge 3 ]
	[ "$(pb_metric "$dir/1" pktbpf_packets_total device="$PB_B" netns="$PB_NS" direction=ingress protocol=icmp)" -ge 3 ]
	"$PKTBPF" detach "$PB_A" >/dev/null
	curl -sf --max-time 5 "$PB_SERVE_URL" >"$dir/2"
	pb_refute grep -q "device=\"$PB_A\"" "$dir/2"
	grep -q "device=\"$PB_B\"" "$dir/2"
	# detach and attach again: a new attachment, counting from zero
	"$PKTBPF" attach "$PB_A" --no-egress >/dev/null
	curl -sf --max-time 5 "$PB_SERVE_URL" >"$dir/3"
	[ "$(pb_metric "$dir/3" pktbpf_packets_total device="$PB_A" direction=egress protocol=all)" = 0 ]
	[ "$(pb_metric "$dir/3" pktbpf_attached_info device="$PB_A" egress=false)" = 1 ]
	pb_serve_stop INT
	rm -rf "$dir"
}

test_serve_signals_free_the_port() {
	local port
	pb_need_root
	trap pb_test_cleanup EXIT
	pb_serve_start
	port=$PB_SERVE_PORT
	curl -sf --max-time 5 -o /dev/null "$PB_SERVE_URL"
	pb_serve_stop TERM
	# the same port again, at once
	"$PKTBPF" serve --listen "127.0.0.1:$port" 2>/dev/null &
	PB_SERVE_PID=$!
	pb_bg_track "$PB_SERVE_PID"
	pb_wait 10 curl -sf --max-time 1 -o /dev/null "$PB_SERVE_URL"
	pb_serve_stop INT
}

test_serve_usage() {
	local out rc
	pb_need_root
	trap pb_test_cleanup EXIT
	"$PKTBPF" serve --help | grep -q "Usage: pktbpf serve"
	for a in "--listen localhost:80" "--listen 127.0.0.1" "--listen 127.0.0.1:70000" \
		"--netns x" "extra"; do
		rc=0; out=$("$PKTBPF" serve $a 2>&1) || rc=$?
		[ "$rc" -eq 2 ] || pb_fail "serve $a: exit $rc, want 2"
		[[ $out == "pktbpf: "* ]] || pb_fail "serve $a: error form: $out"
	done
	rc=0; "$PKTBPF" serve --bogus >/dev/null 2>&1 || rc=$?
	[ "$rc" -eq 2 ] || pb_fail "serve --bogus: exit $rc, want 2"
	# a port already taken: a runtime failure that says so
	pb_serve_start
	rc=0; out=$("$PKTBPF" serve --listen "127.0.0.1:$PB_SERVE_PORT" 2>&1) || rc=$?
	[ "$rc" -eq 1 ] || pb_fail "port in use: exit $rc, want 1"
	grep -q "cannot listen: Address already in use" <<<"$out" || pb_fail "said: $out"
	# an address that is not this host's
	rc=0; out=$("$PKTBPF" serve --listen 192.0.2.1:9477 2>&1) || rc=$?
	[ "$rc" -eq 1 ] || pb_fail "foreign address: exit $rc, want 1"
	pb_serve_stop TERM
}

# Beyond loopback, one warning that the counters are exposed; on loopback none.
test_serve_warns_beyond_loopback() {
	local log pid a
	pb_need_root
	trap pb_test_cleanup EXIT
	log=$(mktemp)
	_pb_files+=("$log")
	pb_net w 97 # an address that only this test's namespace reaches
	for a in "$PB_A4:0" 127.0.0.2:0 "[::1]:0"; do
		"$PKTBPF" serve --listen "$a" 2>"$log" &
		pid=$!
		pb_bg_track $pid
		pb_wait 10 grep -q 'serving http' "$log"
		kill -TERM $pid
		wait $pid || pb_fail "serve --listen $a ended with status $?"
		if [ "$a" = "$PB_A4:0" ]; then
			[ "$(grep -c 'pktbpf: warning: ' "$log")" -eq 1 ] || pb_fail "want one warning: $(cat "$log")"
			grep -q "exposed to anyone who can reach that address" "$log"
		else
			pb_refute grep -q warning "$log"
		fi
	done
}

pb_run test_serve_routes test_serve_follows_attachments test_serve_signals_free_the_port test_serve_usage \
	test_serve_warns_beyond_loopback
pb_summary
