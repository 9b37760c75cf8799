#!/usr/bin/env bash
# pktbpf serve under load and abuse (all on loopback, bounded in time and
# connections): wrk scraping over 16 connections while another process sends
# garbage, half and oversized requests, resets, and holds slow connections.
# The server must keep answering every scrape, end the abuse with no
# connection left over, and keep its memory flat between a first and a
# longer second round.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve_lib.sh"

ABUSE=$(dirname "$0")/http_abuse.py

# One round of SECONDS: wrk + abuse + a prober that must always get a 200.
load_round() {
	local secs=$1 dir=$2 abuse prober
	python3 "$ABUSE" "$PB_SERVE_PORT" "$secs" 20 >"$dir/abuse.json" &
	abuse=$!
	pb_bg_track $abuse
	(
		end=$((SECONDS + secs))
		while [ $SECONDS -lt $end ]; do
			curl -s -o /dev/null -w '%{http_code}\n' --max-time 5 "$PB_SERVE_URL"
			sleep 0.2
		done
	) >"$dir/probe" &
	prober=$!
	pb_bg_track $prober
	wrk -t2 -c16 -d"${secs}s" --timeout 5s "$PB_SERVE_URL" >"$dir/wrk"
	wait $abuse
	wait $prober
	cat "$dir/abuse.json"
	grep -E 'requests in|Requests/sec' "$dir/wrk"
	pb_refute grep -E 'Non-2xx|Socket errors' "$dir/wrk"
	[ "$(sort -u "$dir/probe")" = 200 ] || pb_fail "a scrape during the abuse failed: $(sort "$dir/probe" | uniq -c)"
	[ "$(grep -c . "$dir/probe")" -ge 3 ]
	# the abuse got answers (400, 404, 405, 431, 505), not just silence
	pb_json "$dir/abuse.json" 'sum(v for k, v in d["codes"].items() if k != "None") > 0' | grep -q True
}

fd_count() { ls /proc/"$PB_SERVE_PID"/fd | wc -l; }

test_serve_load_and_abuse() {
	local dir fds0 rss1 rss2
	pb_need_root
	trap pb_test_cleanup EXIT
	dir=$(mktemp -d)
	pb_net l 95
	"$PKTBPF" attach "$PB_A" >/dev/null
	ping -c 3 -i 0.05 -q "$PB_B4" >/dev/null
	pb_serve_start
	fds0=$(fd_count)
	load_round 2 "$dir"
	# Idle and slow connections are closed by the server's timeout (10 s).
	pb_wait 30 bash -c "[ \$(ls /proc/$PB_SERVE_PID/fd | wc -l) -le $fds0 ]"
	rss1=$(pb_rss_kb "$PB_SERVE_PID")
	load_round 5 "$dir"
	pb_wait 30 bash -c "[ \$(ls /proc/$PB_SERVE_PID/fd | wc -l) -le $fds0 ]"
	rss2=$(pb_rss_kb "$PB_SERVE_PID")
	echo "RSS after the first round ${rss1} KiB, after the second (longer) ${rss2} KiB"
	# A leak of even 50 bytes a request would show over the ~20,000 requests.
	[ "$rss2" -le $((rss1 + 1024)) ] || pb_fail "RSS grew from $rss1 to $rss2 KiB"
	curl -sf --max-time 5 "$PB_SERVE_URL" | promtool check metrics
	pb_serve_stop TERM
	rm -rf "$dir"
}

# One client may hold at most 64 connections; others are still served.
test_serve_connection_limit() {
	local dir
	pb_need_root
	trap pb_test_cleanup EXIT
	dir=$(mktemp -d)
	pb_serve_start
	python3 - "$PB_SERVE_PORT" "$PB_SERVE_URL" >"$dir/out" <<'PY'
import socket, subprocess, sys, time
port, url = int(sys.argv[1]), sys.argv[2]
held = [socket.create_connection(("127.0.0.1", port), timeout=2) for _ in range(100)]
time.sleep(0.5)
closed = 0
for s in held:
    s.setblocking(False)
    try:
        closed += s.recv(1) == b""
    except BlockingIOError:
        pass
    except ConnectionResetError:
        closed += 1
# another client (another loopback address) is still served
other = subprocess.run(["curl", "-sf", "--max-time", "5", "--interface", "127.0.0.2", "-o",
                        "/dev/null", "-w", "%{http_code}", url], capture_output=True, text=True)
print(closed, other.stdout)
for s in held:
    s.close()
PY
	read -r closed code <"$dir/out"
	[ "$closed" -eq 36 ] || pb_fail "server closed $closed of 100 connections from one client, want 36"
	[ "$code" = 200 ] || pb_fail "another client got '$code' while one held 64 connections"
	curl -sf --max-time 5 -o /dev/null "$PB_SERVE_URL"
	pb_serve_stop TERM
	rm -rf "$dir"
}

pb_run test_serve_load_and_abuse test_serve_connection_limit
pb_summary
