#!/usr/bin/env bash
# watch, flows and samples on a real link: a DNS server (dnsmasq) and an HTTP
# server (python3 -m http.server) in a namespace, dig and curl as clients in
# the root namespace, pktbpf attached to the root end with --sample 1.
#   - watch -v -c N shows the real query name and answer, and the HTTP
#     request line and response status;
#   - watch -w writes pcapng (and --pcap classic pcap) holding the same
#     packets, byte for byte, as tcpdump captured on the same interface;
#   - flows lists the DNS and HTTP connections with the byte counts tcpdump saw,
#     and `read --flows` of tcpdump's capture gives the same flows;
#   - a 4 KiB ring buffer under a ping flood: shown + lost == selected.
. "$(dirname "$0")/lib.sh"

# Each test runs in a subshell (pb_run): what it starts, it stops there, also
# when it fails half-way (set -e), keeping the test's status.
BG=()
DNS_PID= HTTP_PID= WWW=
test_exit() {
	local rc=$?
	set +e
	[ ${#BG[@]} -gt 0 ] && kill "${BG[@]}" 2>/dev/null
	[ -n "$DNS_PID" ] && stop_servers
	pb_cleanup
	exit $rc
}

need_tools() {
	trap test_exit EXIT
	local t
	for t in dnsmasq dig curl tshark tcpdump python3; do
		command -v "$t" >/dev/null || pb_fail "$t is missing (tools/deps.sh installs it)"
	done
}

# A veth's qdisc is activated by linkwatch a moment after "up"; until then
# packets are dropped. Wait for both ends to be operationally up.
link_ready() {
	pb_wait 10 sh -c "ip link show $PB_A | grep -q 'state UP' &&
		ip -n $PB_NS link show $PB_B | grep -q 'state UP'"
}

# Servers in the namespace; the link stays quiet until a test speaks.
start_servers() {
	link_ready
	WWW=$(mktemp -d)
	echo "hello from pktbpf's test" > "$WWW/hello.txt"
	ip netns exec "$PB_NS" dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv \
		--no-hosts --bind-interfaces --listen-address="$PB_B4" --user=root \
		--pid-file= --address=/example.test/10.61.0.99 --log-facility=/dev/null &
	DNS_PID=$!
	ip netns exec "$PB_NS" python3 -m http.server 8080 --bind "$PB_B4" --directory "$WWW" \
		>/dev/null 2>&1 &
	HTTP_PID=$!
	pb_wait 10 sh -c "ip netns exec $PB_NS ss -lun | grep -q '$PB_B4:53 '"
	pb_wait 10 sh -c "ip netns exec $PB_NS ss -ltn | grep -q '$PB_B4:8080 '"
}

stop_servers() {
	kill "$DNS_PID" "$HTTP_PID" 2>/dev/null
	wait "$DNS_PID" "$HTTP_PID" 2>/dev/null
	rm -rf "$WWW"
	DNS_PID=
}

# Ask dnsmasq and fetch a page, as a client would.
traffic() {
	dig +tries=1 +time=3 @"$PB_B4" example.test A | grep -q '10.61.0.99' ||
		pb_fail "dig got no answer"
	curl -sf --max-time 5 "http://$PB_B4:8080/hello.txt" | grep -q "hello from" ||
		pb_fail "curl got no page"
}

test_watch_decodes_dns_and_http() {
	pb_need_root; need_tools
	pb_net web 61
	start_servers
	"$PKTBPF" attach "$PB_A" --sample 1 >/dev/null
	local out=$PB_TMP/watch.txt
	"$PKTBPF" watch "$PB_A" -v -c 2 >"$out" 2>"$PB_TMP/watch.err" &
	local w=$!
	BG+=($w)
	dig +tries=1 +time=3 @"$PB_B4" example.test A >/dev/null || pb_fail "dig got no answer"
	pb_wait 10 sh -c "! kill -0 $w 2>/dev/null"
	wait $w || pb_fail "watch -c 2 failed: $(cat "$PB_TMP/watch.err")"
	cat "$out"
	grep -q "dns: .*response=no" "$out" || pb_fail "no decoded DNS query"
	grep -q "questions: name=example.test type=A" "$out" || pb_fail "query name not shown"
	grep -q "answers: name=example.test type=A .*data=10.61.0.99" "$out" ||
		pb_fail "answer not shown"
	grep -q "^2 packets shown, 0 lost" "$PB_TMP/watch.err" || pb_fail "bad summary"

	"$PKTBPF" watch "$PB_A" -v >"$out" 2>"$PB_TMP/watch.err" &
	w=$!
	BG+=($w)
	curl -sf --max-time 5 "http://$PB_B4:8080/hello.txt" >/dev/null || pb_fail "curl failed"
	pb_wait 10 grep -q "http: .*status=200" "$out"
	kill -INT $w
	wait $w || pb_fail "watch did not end cleanly on Ctrl-C"
	cat "$out"
	grep -q "http: method=GET uri=/hello.txt version=HTTP/1.1 host=$PB_B4:8080 user_agent=curl/" \
		"$out" || pb_fail "HTTP request line not shown"
	grep -qE "^[0-9]+ packets shown, 0 lost" "$PB_TMP/watch.err" || pb_fail "bad summary"
}

# Has tcpdump written (-U: at once) every packet the kernel sampled?
same_count() {
	local n
	n=$(tshark -r "$1" 2>/dev/null | wc -l)
	"$PKTBPF" stats "$PB_A" --json | python3 -c '
import json, sys
s = json.load(sys.stdin)["samples"]
sys.exit(not (s["selected"] == s["delivered"] == int(sys.argv[1]) > 10))' "$n"
}

# Frames of a capture as "direction-less hex of the captured bytes", sorted.
frames_hex() {
	tshark -r "$1" -T json -x 2>/dev/null | python3 -c '
import json, sys
for p in json.load(sys.stdin):
    print(p["_source"]["layers"]["frame_raw"][0])' | sort
}

test_write_matches_tcpdump_and_flows() {
	pb_need_root; need_tools
	pb_net web 61
	start_servers
	"$PKTBPF" attach "$PB_A" --sample 1 --snaplen 256 >/dev/null
	local ng=$PB_TMP/out.pcapng ref=$PB_TMP/ref.pcap
	tcpdump -i "$PB_A" -s 256 -U -w "$ref" 2>"$PB_TMP/tcpdump.err" &
	local td=$!
	BG+=($td)
	pb_wait 10 grep -q "listening on" "$PB_TMP/tcpdump.err"
	"$PKTBPF" watch "$PB_A" -w "$ng" 2>"$PB_TMP/watch.err" &
	local w=$!
	BG+=($w)
	traffic
	# Every packet was selected (--sample 1): wait until tcpdump has written as
	# many as the kernel delivered (a last ACK may still be on its way).
	pb_wait 10 same_count "$ref"
	kill -INT $w $td
	wait $w || pb_fail "watch -w failed: $(cat "$PB_TMP/watch.err")"
	wait $td
	cat "$PB_TMP/watch.err"
	# Direction flags and interface name as tshark reads them.
	tshark -r "$ng" -T fields -e frame.interface_name -e frame.packet_flags_direction \
		2>/dev/null | sort | uniq -c
	[ "$(tshark -r "$ng" -T fields -e frame.interface_name 2>/dev/null | sort -u)" = "$PB_A" ] ||
		pb_fail "interface name not in the pcapng"
	diff <(frames_hex "$ref") <(frames_hex "$ng") || pb_fail "pcapng differs from tcpdump's capture"
	echo "$(frames_hex "$ng" | wc -l) frames identical to tcpdump's"

	# Flow byte counts against the same reference capture.
	"$PKTBPF" flows "$PB_A" --json >"$PB_TMP/flows.json"
	"$PKTBPF" flows "$PB_A"
	tshark -r "$ref" -T fields -e ip.src -e tcp.srcport -e udp.srcport -e frame.len \
		2>/dev/null >"$PB_TMP/ref.tsv"
	python3 - "$PB_TMP/flows.json" "$PB_TMP/ref.tsv" <<'PY' || pb_fail "flow bytes differ"
import json, sys
flows = json.load(open(sys.argv[1]))["flows"]
sent = {}
for line in open(sys.argv[2]):
    src, tport, uport, flen = (line.rstrip("\n").split("\t") + [""] * 4)[:4]
    key = (src, int(tport or uport or 0))
    sent[key] = sent.get(key, 0) + int(flen)
checked = 0
for f in flows:
    if f["protocol"] not in ("tcp", "udp") or f["dst_port"] not in (53, 8080):
        continue
    for side, port in (("src", f["src_port"]), ("dst", f["dst_port"])):
        want = sent.get((f[side], port), 0)
        if f[side + "_bytes"] != want:
            sys.exit(f"{f['protocol']} {f[side]}:{port}: flows says {f[side + '_bytes']}, tcpdump {want}")
    checked += 1
    print(f"{f['protocol']} {f['src']}:{f['src_port']} -> {f['dst']}:{f['dst_port']}: "
          f"{f['src_bytes']}/{f['dst_bytes']} bytes, as tcpdump saw")
http = [f for f in flows if f["dst_port"] == 8080]
assert http and http[0]["ended"] and "syn" in http[0]["src_tcp_flags"], http
sys.exit(0 if checked >= 2 else "DNS and HTTP flows not both found")
PY
	# read --flows builds the same flows from tcpdump's capture of the packets.
	"$PKTBPF" read "$ref" --flows --json >"$PB_TMP/read-flows.json" 2>/dev/null
	python3 - "$PB_TMP/flows.json" "$PB_TMP/read-flows.json" <<'PY' || pb_fail "read --flows differs"
import json, sys
def key(f):
    return (f["protocol"], f["src"], f["src_port"], f["dst"], f["dst_port"])
def counts(f):
    return (f["src_packets"], f["src_bytes"], f["dst_packets"], f["dst_bytes"], f["ended"])
live = {key(f): counts(f) for f in json.load(open(sys.argv[1]))["flows"]}
file = {key(f): counts(f) for f in json.load(open(sys.argv[2]))["flows"]}
assert live == file, (live, file)
print(f"read --flows: the same {len(file)} flows as the kernel's table")
PY
	# Classic pcap of the same kind of traffic.
	"$PKTBPF" watch "$PB_A" -c 4 --pcap -w "$PB_TMP/out.cap" 2>/dev/null &
	w=$!
	BG+=($w)
	traffic
	pb_wait 10 sh -c "! kill -0 $w 2>/dev/null"
	[ "$(tshark -r "$PB_TMP/out.cap" 2>/dev/null | wc -l)" -eq 4 ] || pb_fail "pcap: not 4 packets"
}

test_ring_overflow_counted() {
	pb_need_root; need_tools
	pb_net flood 62
	link_ready
	"$PKTBPF" attach "$PB_A" --sample 1 --snaplen 256 --ring-size "$(getconf PAGESIZE)" >/dev/null
	"$PKTBPF" watch "$PB_A" -w /dev/null 2>"$PB_TMP/watch.err" &
	local w=$!
	BG+=($w)
	ping -f -q -c 20000 -s 200 "$PB_B4" >/dev/null
	kill -INT $w
	wait $w || pb_fail "watch failed"
	cat "$PB_TMP/watch.err"
	local shown
	shown=$(sed -nE 's/^([0-9]+) packets? shown.*/\1/p' "$PB_TMP/watch.err")
	"$PKTBPF" stats "$PB_A" --json >"$PB_TMP/stats.json"
	python3 - "$PB_TMP/stats.json" "$shown" <<'PY' || pb_fail "samples not all accounted for"
import json, sys
s = json.load(open(sys.argv[1]))["samples"]
shown = int(sys.argv[2])
print(f"selected {s['selected']}, shown {shown}, lost {s['lost_ring_full']} + {s['lost_copy']}")
assert s["selected"] >= 40000, "the flood was not sampled"
assert s["lost_ring_full"] > 0, "a 4 KiB ring did not overflow"
assert s["delivered"] == shown, "delivered records not all shown"
assert shown + s["lost_ring_full"] + s["lost_copy"] == s["selected"]
PY
}

PB_TMP=$(mktemp -d)
pb_run ${PB_ONLY:-test_watch_decodes_dns_and_http test_write_matches_tcpdump_and_flows \
	test_ring_overflow_counted}
rm -rf "$PB_TMP"
pb_summary
