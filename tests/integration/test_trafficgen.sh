#!/usr/bin/env bash
# tools/trafficgen: sends exactly what it says, well formed, in the mix and
# the number of flows asked for; pktbpf on the receiving end counts it all.
. "$(dirname "$0")/lib.sh"
GEN=$OUT/trafficgen

# One network for every test, with a receive queue per CPU (namespaces made
# inside a test's subshell would escape lib.sh's cleanup); pb_run detaches
# pktbpf after each test.
gen_net() {
	pb_need_root
	[ -x "$GEN" ] || pb_fail "$GEN is missing (make $GEN)"
	[ -n "${PB_NS:-}" ] || pb_fail "no test network"
}

# Every frame of a mixed, multi-flow, multi-thread run reaches the peer and
# pktbpf counts each as the kind it is.
test_mix_counted_exactly() {
	local out=$PB_TMP/gen.json st=$PB_TMP/stats.json threads
	gen_net
	"$PKTBPF" attach "$PB_B" --netns "$PB_NS" >/dev/null
	threads=$(nproc)
	"$GEN" "$PB_A" --json -n 3000 -t "$threads" -f 100 -m udp=3,tcp=2,icmp,udp6,tcp6,icmp6,vlan,qinq \
		--src "$PB_A4" --dst "$PB_B4" >"$out"
	[ "$(pb_json "$out" 'd["packets"]')" = 3000 ] || pb_fail "sent $(pb_json "$out" 'd["packets"]'), not 3000"
	[ "$(pb_json "$out" 'd["peer_accepted"]')" = 3000 ] || pb_fail "peer accepted $(pb_json "$out" 'd["peer_accepted"]')"
	# The split follows the weights: 3/11, 2/11, then 1/11 each.
	pb_json "$out" 'all(abs(d["kinds"][k]["packets"] - 3000 * w / 11) <= 1 for k, w in
		{"udp": 3, "tcp": 2, "icmp": 1, "udp6": 1, "tcp6": 1, "icmp6": 1, "vlan": 1, "qinq": 1}.items())' |
		grep -qx True || pb_fail "mix not split by weight: $(cat "$out")"
	"$PKTBPF" stats "$PB_B" --netns "$PB_NS" --json >"$st"
	python3 - "$out" "$st" <<'EOF' || pb_fail "pktbpf's counters do not match what was sent"
import json, sys
g = json.load(open(sys.argv[1]))
k = {n: v["packets"] for n, v in g["kinds"].items()}
p = json.load(open(sys.argv[2]))["ingress"]
want = {
    "all": 3000,
    "udp": k["udp"] + k["udp6"] + k["vlan"] + k["qinq"],
    "tcp": k["tcp"] + k["tcp6"],
    "icmp": k["icmp"],
    "icmpv6": k["icmp6"],
    "ipv6": k["udp6"] + k["tcp6"] + k["icmp6"],
    "vlan": k["vlan"] + k["qinq"],
}
got = {n: p["protocols"][n]["packets"] for n in want}
print("want", want, "\ngot ", got, "\nmalformed", p["malformed"]["total"])
sys.exit(0 if got == want and p["malformed"]["total"] == 0 else 1)
EOF
}

# Capture N packets arriving at the receiver into file while running the generator.
capture() {
	local n=$1 file=$2 err=$PB_TMP/tcpdump.err pid
	shift 2
	ip netns exec "$PB_NS" timeout 20 tcpdump -i "$PB_B" -Q in -c "$n" -w "$file" 2>"$err" &
	pid=$!
	pb_wait 10 grep -q "listening on" "$err"
	"$GEN" "$PB_A" "$@" --src "$PB_A4" --dst "$PB_B4" >/dev/null
	wait "$pid" || pb_fail "tcpdump did not capture $n packets: $(cat "$err")"
}

src_ports() { tcpdump -r "$1" -nn 2>/dev/null | sed -nE 's/.* IP [0-9.]+\.([0-9]+) > .*/\1/p'; }

# --flows N sets the source port to N values in turn, keeping the checksum right.
test_flows_spread_evenly() {
	local pcap=$PB_TMP/flows.pcap counts
	gen_net
	"$PKTBPF" attach "$PB_B" --netns "$PB_NS" >/dev/null
	capture 400 "$pcap" -n 400 -t 1 -f 100 -m udp
	[ "$(tcpdump -r "$pcap" -nn -vv 2>/dev/null | grep -c "udp sum ok")" = 400 ] ||
		pb_fail "not every UDP checksum is right"
	counts=$(src_ports "$pcap" | sort -n | uniq -c | awk '{print $1}' | sort -u | tr '\n' ' ')
	[ "$counts" = "4 " ] || pb_fail "not 100 flows of 4 packets: packets per port '$counts'"
	[ "$(src_ports "$pcap" | sort -un | sed -n '1p;$p' | tr '\n' ' ')" = "1024 1123 " ] ||
		pb_fail "source ports are not 1024..1123"
}

# Every kind of frame arrives well formed, flows rewritten, also after the
# receiver took VLAN tags off (which changes the frame the generator reuses).
test_every_kind_well_formed() {
	local pcap=$PB_TMP/kinds.pcap txt=$PB_TMP/kinds.txt
	gen_net
	"$PKTBPF" attach "$PB_B" --netns "$PB_NS" >/dev/null
	capture 1600 "$pcap" -n 1600 -t 1 -f 3 -m vlan,qinq,udp,tcp,icmp,udp6,tcp6,icmp6 -s 90
	tcpdump -r "$pcap" -nn -vv -e >"$txt" 2>/dev/null
	[ "$(grep -c "udp sum ok" "$txt")" = 800 ] || pb_fail "UDP checksums: $(grep -c "udp sum ok" "$txt") of 800 right"
	[ "$(grep -cE "cksum 0x[0-9a-f]+ \(correct\)" "$txt")" = 400 ] || pb_fail "TCP checksums not all right"
	[ "$(grep -c "icmp6 sum ok" "$txt")" = 200 ] || pb_fail "ICMPv6 checksums not all right"
	[ "$(grep -c "ICMP echo request, id 102[456]," "$txt")" = 200 ] || pb_fail "ICMP echo ids not 1024..1026"
	! grep -qiE "wrong|incorrect|bad" "$txt" || pb_fail "a malformed frame: $(grep -iE "wrong|incorrect|bad" "$txt" | head -n1)"
	[ "$(grep -c "length 90:" "$txt")" = 1600 ] || pb_fail "not every frame is 90 bytes"
	[ "$(grep -c "vlan 100, p 0, ethertype IPv4" "$txt")" = 200 ] || pb_fail "802.1Q frames changed"
	[ "$(grep -c "ethertype 802.1Q-QinQ (0x88a8), length 90: vlan 100, p 0, ethertype 802.1Q (0x8100), vlan 101" "$txt")" = 200 ] ||
		pb_fail "QinQ frames changed"
}

test_duration_bounds_the_run() {
	local out=$PB_TMP/gen.json
	gen_net
	"$PKTBPF" attach "$PB_B" --netns "$PB_NS" >/dev/null
	"$GEN" "$PB_A" --json -d 0.3 >"$out"
	pb_json "$out" '0.3 <= d["seconds"] < 3 and d["packets"] > 0 and d["packets"] == d["peer_accepted"]' |
		grep -qx True || pb_fail "a 0.3 s run reported: $(cat "$out")"
}

# A veth peer without XDP or GRO takes no XDP frames: say so, exit 1.
test_peer_refusing_is_an_error() {
	local rc=0 err=$PB_TMP/err
	gen_net
	ip netns exec "$PB_NS" ethtool -K "$PB_B" gro off >/dev/null
	"$GEN" "$PB_A" -n 100 >/dev/null 2>"$err" || rc=$?
	[ "$rc" = 1 ] || pb_fail "exit $rc, not 1"
	grep -q "accepted none" "$err" && grep -q "hint:" "$err" || pb_fail "no clear message: $(cat "$err")"
}

test_bad_usage_exits_2() {
	local rc args
	pb_need_root
	for args in "" "lo --mix sctp" "lo --size 0" "lo --size 9000" "lo --flows x" \
		"lo --threads 999" "lo --dst-mac 1:2:3" "lo --src 300.1.1.1" "lo lo" "no-such-if0"; do
		rc=0
		# shellcheck disable=SC2086 # word splitting wanted
		"$GEN" $args >/dev/null 2>"$PB_TMP/err" || rc=$?
		[ "$rc" = 2 ] || pb_fail "'trafficgen $args' exited $rc, not 2"
		grep -q "^pktbpf: " "$PB_TMP/err" || pb_fail "'trafficgen $args' said: $(cat "$PB_TMP/err")"
	done
	"$GEN" --help | grep -q "^Usage: trafficgen" || pb_fail "--help"
}

PB_TMP=$(mktemp -d)
trap 'pb_cleanup; rm -rf "$PB_TMP"' EXIT
if [ "$(id -u)" -eq 0 ]; then
	PB_NET_QUEUES=$(nproc) pb_net tg 51 || { echo "cannot build the test network" >&2; exit 1; }
fi
pb_run test_mix_counted_exactly test_flows_spread_evenly test_every_kind_well_formed \
	test_duration_bounds_the_run \
	test_peer_refusing_is_an_error test_bad_usage_exits_2
pb_summary
