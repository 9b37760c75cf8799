#!/usr/bin/env bash
# make demo: pktbpf at work on a throwaway network, narrated step by step.
#
# A network namespace joined to this one by a veth pair (unique names, an
# unused 10.X.0.0/24), pktbpf attached to the near end, mixed traffic (ping,
# UDP, an HTTP fetch over TCP, a small SYN port scan, crafted IPv6, VLAN and
# malformed frames), then status and stats, detach, and the network removed.
# Everything the demo creates goes away on exit, also on Ctrl-C or failure.
#
# Each step is a function step_NAME listed in STEPS, run in order: later
# features add their own step (and, if they start something, its cleanup).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-build}
case $OUT in /*) ;; *) OUT=$PWD/$OUT ;; esac
PKTBPF=$OUT/pktbpf
FRAMES=$PWD/tools/frames.py

STEPS=(network attach report_start ping udp tcp scan crafted status stats metrics samples flows report detach
	teardown report_where)

if [ "$(id -u)" -ne 0 ]; then
	echo "pktbpf: demo: needs root (BPF programs and network namespaces)" >&2
	echo "pktbpf: hint: sudo make demo" >&2
	exit 1
fi

ID=pbd$$
ID=${ID:0:9}
NS=$ID A=${ID}a B=${ID}b # A: this namespace's end, B: the namespace's end
TMP=$(mktemp -d)
PIDS=()
N=0

say() {
	N=$((N + 1))
	if [ -t 1 ]; then printf '\n\033[1m[%d] %s\033[0m\n' "$N" "$*"; else printf '\n[%d] %s\n' "$N" "$*"; fi
}

# show CMD...: print a command, then run it.
show() {
	printf '$ %s\n' "$*" | sed "s|$PKTBPF|pktbpf|g"
	"$@"
}

cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	"$PKTBPF" detach "$A" >/dev/null 2>&1 || true
	ip link del "$A" 2>/dev/null || true
	ip netns del "$NS" 2>/dev/null || true
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'echo; echo "demo interrupted; cleaning up" >&2; exit 130' INT TERM

# An unused 10.X.0.0/24, so that the demo can run beside the tests.
pick_subnet() {
	local x
	for x in 49 48 47 46; do
		ip -4 -o addr show | grep -q " inet 10\.$x\.0\." || { echo "$x"; return; }
	done
	echo "pktbpf: demo: 10.46-49.0.0/24 are all in use here" >&2
	return 1
}

step_network() {
	X=$(pick_subnet)
	A4=10.$X.0.1 B4=10.$X.0.2
	say "Build a throwaway network: namespace $NS, veth $A ($A4) <-> $B ($B4)"
	ip netns add "$NS"
	ip link add "$A" type veth peer name "$B" netns "$NS"
	# No IPv6 on the link: no router or multicast chatter, only the demo's packets.
	sysctl -qw net.ipv6.conf."$A".disable_ipv6=1
	ip netns exec "$NS" sysctl -qw net.ipv6.conf."$B".disable_ipv6=1
	ip addr add "$A4/24" dev "$A"
	ip -n "$NS" addr add "$B4/24" dev "$B"
	ip link set "$A" up
	ip -n "$NS" link set "$B" up
	ip -n "$NS" link set lo up
}

step_attach() {
	say "Attach pktbpf to $A: XDP counts what arrives, tcx what leaves"
	show "$PKTBPF" attach "$A"
}

step_ping() {
	say "Ping $B4 five times (ARP first, then ICMP echo both ways)"
	show ping -q -c 5 -i 0.2 -W 2 "$B4"
}

step_udp() {
	say "Send 20 UDP datagrams to a receiver in the namespace"
	ip netns exec "$NS" "$FRAMES" udp-recv "$B4" 5353 -n 20 --ready "$TMP/udp.ready" \
		>"$TMP/udp.got" &
	PIDS+=($!)
	wait_for test -e "$TMP/udp.ready"
	"$FRAMES" udp-send "$B4" 5353 -n 20 --size 64 >/dev/null
	wait "${PIDS[-1]}"
	echo "received $(cat "$TMP/udp.got") of 20"
}

step_tcp() {
	say "Fetch a page over TCP from a web server in the namespace (python3 -m http.server)"
	mkdir "$TMP/www"
	echo "hello from $NS" >"$TMP/www/index.html"
	ip netns exec "$NS" python3 -m http.server 8080 --bind "$B4" --directory "$TMP/www" \
		>/dev/null 2>&1 &
	PIDS+=($!)
	wait_for listening 8080
	show python3 -c "import urllib.request as u; print(u.urlopen('http://$B4:8080/', timeout=5).read().decode().strip())"
}

step_scan() {
	say "Port-scan $B4: one TCP SYN to each of 20 closed ports (each answered by RST)"
	local p open=0
	for p in $(seq 2000 2019); do
		(exec 3<>"/dev/tcp/$B4/$p") 2>/dev/null && open=$((open + 1))
	done
	echo "20 ports tried, $open open"
	say "The port_scan detector noticed (more than 15 unanswered ports of one host in 5 minutes)"
	show timeout 5 "$PKTBPF" alerts "$A" -c 1
}

step_crafted() {
	say "Send crafted frames: IPv6/UDP, VLAN, QinQ, a bad IPv4 header, an unknown ethertype"
	local k
	for k in udp6 vlan-udp4 qinq-udp4 ipv4-bad-ihl other; do
		"$FRAMES" send "$A" "$k" -n 3 >/dev/null
	done
	echo "5 kinds x 3 frames out of $A (to a MAC nobody has: the namespace ignores them)"
}

step_status() {
	say "What is attached where"
	show "$PKTBPF" status
}

step_stats() {
	say "The counters: per direction and protocol, TCP flags, malformed by reason"
	show "$PKTBPF" stats "$A"
}

step_metrics() {
	say "The same counters for Prometheus (pktbpf serve answers /metrics with them): a few families"
	"$PKTBPF" metrics "$A" >"$TMP/metrics.txt"
	grep -E '^pktbpf_(packets_total\{.*protocol="(all|tcp|udp|icmp)"|alerts_total\{.*type="port_scan"|flows\{)' \
		"$TMP/metrics.txt"
	echo "($(grep -vc '^#' "$TMP/metrics.txt") series in all)"
}

step_samples() {
	say "Sample packets to userspace (--sample 1): DNS lookups (dig, dnsmasq) and a fetch (curl), decoded by watch -v"
	show "$PKTBPF" attach "$A" --replace --sample 1
	ip netns exec "$NS" dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv \
		--no-hosts --bind-interfaces --listen-address="$B4" --user=root --pid-file= \
		--address=/demo.test/"$B4" --log-facility=/dev/null &
	PIDS+=($!)
	wait_for sh -c "ip netns exec $NS ss -Hlun 'sport = :53' | grep -q ."
	"$PKTBPF" watch "$A" -v >"$TMP/watch.txt" 2>"$TMP/watch.err" &
	local w=$!
	PIDS+=($w)
	show dig +short @"$B4" www.demo.test
	show dig +short @"$B4" mail.demo.test
	show curl -s "http://$B4:8080/"
	wait_for grep -q "status=200" "$TMP/watch.txt"
	kill -INT "$w"
	wait "$w"
	echo "\$ pktbpf watch $A -v   (the DNS and HTTP packets, decoded; Ctrl-C ends it)"
	grep -B1 -A2 -E "^ +(dns|http):" "$TMP/watch.txt" | grep -v "^--" | head -n 24
	cat "$TMP/watch.err"
}

step_flows() {
	say "The flows the kernel keeps: each connection once, both directions counted"
	show "$PKTBPF" flows "$A"
}

# The report samples the counters from here to step_report, where Ctrl-C's
# signal ends the sampling and the charts of the demo traffic are drawn.
step_report_start() {
	say "Start a report: the counters sampled while the demo runs, drawn at the end"
	REPORT=$OUT/demo-report.png
	printf '$ pktbpf report %s --duration 600 -o %s --data-json %s &\n' "$A" "$REPORT" \
		"${REPORT%.png}.json"
	"$PKTBPF" -v report "$A" --duration 600 -o "$REPORT" --data-json "${REPORT%.png}.json" \
		2>"$TMP/report.err" &
	REPORT_PID=$!
	PIDS+=($REPORT_PID)
	wait_for grep -q "sampling for" "$TMP/report.err"
}

step_report() {
	say "Stop the report's sampling (SIGINT, as Ctrl-C): it draws what it sampled"
	kill -INT "$REPORT_PID"
	wait "$REPORT_PID" || { cat "$TMP/report.err" >&2; return 1; }
	python3 -c 'import json, sys; d = json.load(open(sys.argv[1]))
print("%s: %d packets over %.1f s in bins of %g s; %s" % (d["image"]["title"], d["packets"],
      d["duration_seconds"], d["bin_seconds"], ", ".join(c["title"] for c in d["charts"])))' \
		"${REPORT%.png}.json"
}

step_report_where() {
	say "The report of the demo traffic"
	echo "$REPORT (numbers behind the charts: ${REPORT%.png}.json)"
}

step_detach() {
	say "Detach: programs, links and pins go; the link is as it was"
	show "$PKTBPF" detach "$A"
	show ip -br link show "$A"
}

step_teardown() {
	say "Remove the network"
	cleanup
	trap - EXIT
	! ip netns list | grep -qw "$NS" && [ ! -e /sys/class/net/"$A" ] &&
		! "$PKTBPF" status | grep -qw "$A" ||
		{ echo "pktbpf: demo: something was left behind" >&2; return 1; }
	echo "done: nothing of the demo is left"
}

# listening PORT: a TCP socket listens on PORT in the namespace. Asked of the
# socket table rather than by connecting, so no extra SYNs go on the wire.
listening() {
	[ -n "$(ip netns exec "$NS" ss -Hltn "sport = :$1")" ]
}

# wait_for CMD...: poll CMD for up to 5 s (servers take a moment to listen).
wait_for() {
	local i
	for i in $(seq 100); do
		"$@" 2>/dev/null && return 0
		sleep 0.05
	done
	echo "pktbpf: demo: timed out waiting for: $*" >&2
	return 1
}

echo "pktbpf demo: a throwaway network, some traffic, and what pktbpf saw of it."
for s in "${STEPS[@]}"; do "step_$s"; done
