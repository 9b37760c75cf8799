#!/usr/bin/env bash
# `pktbpf read FILE --alerts`: the kernel's detectors in userspace, with the
# capture's timestamps as the clock. Every corpus capture of ordinary traffic
# raises nothing; those holding attacks raise exactly the alerts listed in
# tests/detect_corpus_alerts.tsv; a generated capture shows the windows follow
# the file's time, and the same file always gives the same alerts.
. "$(dirname "$0")/lib.sh"

CORPUS=${PB_CORPUS:-$PB_ROOT/../shared/corpus}
EXPECT=$PB_ROOT/tests/detect_corpus_alerts.tsv
PB_TMP=$(mktemp -d)

need_corpus() {
	[ -d "$CORPUS/pcap" ] && return 0
	[ "${CI:-}" = true ] && { pb_fail "no corpus at $CORPUS (CI must have shared/ beside the clone)"; return 1; }
	pb_skip "no corpus at $CORPUS: shared/ is not beside this checkout (set PB_CORPUS)"
}

# alerts_of FILE: "type source_ip flags_class" per alert, sorted.
alerts_of() {
	"$PKTBPF" read "$1" --alerts --json 2>/dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    a = json.loads(line)
    print(a["type"], a["source_ip"], a.get("flags_class") or "-")' | sort
}

test_corpus_alerts_exactly_as_listed() {
	need_corpus
	local f name want got n=0 bad=0
	for f in "$CORPUS"/pcap/*; do
		name=$(basename "$f")
		want=$(awk -F'\t' -v n="$name" '$1 == n { print $2, $3, $4 }' "$EXPECT" | sort)
		got=$(alerts_of "$f")
		n=$((n + 1))
		if [ "$got" != "$want" ]; then
			echo "$name: got [$got], want [$want]" >&2
			bad=$((bad + 1))
		fi
	done
	[ "$n" -gt 40 ] || pb_fail "only $n captures in $CORPUS/pcap"
	[ "$bad" -eq 0 ] || pb_fail "$bad of $n captures raised other alerts than listed"
	# every listed file exists: a renamed capture must not pass silently
	awk -F'\t' '!/^#/ { print $1 }' "$EXPECT" | while read -r name; do
		[ -f "$CORPUS/pcap/$name" ] || { echo "listed but missing: $name" >&2; exit 1; }
	done
}

# A pcap from python: SYNs from 10.82.0.2 to 20 ports of 10.82.0.1, then ten
# minutes later 20 more; each burst is its own 5-minute window.
write_scan_pcap() {
	python3 - "$1" <<'PY'
import struct, sys
def frame(sport, dport):
    eth = bytes.fromhex("020000000001" "020000000002" "0800")
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40, 0, 0, 64, 6, 0,
                     bytes([10, 82, 0, 2]), bytes([10, 82, 0, 1]))
    tcp = struct.pack("!HHIIBBHHH", sport, dport, 1, 0, 0x50, 0x02, 1024, 0, 0)
    return eth + ip + tcp + bytes(6)
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    t0 = 1700000000
    for burst in range(2):
        for i in range(20):
            data = frame(40000 + i, 1000 + i)
            f.write(struct.pack("<IIII", t0 + burst * 600 + i, 0, len(data), len(data)) + data)
PY
}

test_file_time_drives_windows() {
	local times
	write_scan_pcap "$PB_TMP/scan.pcap"
	"$PKTBPF" read "$PB_TMP/scan.pcap" --alerts --json >"$PB_TMP/a.json"
	times=$(python3 -c '
import json, sys
for line in open(sys.argv[1]):
    a = json.loads(line)
    assert a["type"] == "port_scan" and a["source_ip"] == "10.82.0.2", a
    assert a["observed"] == 16 and a["interface"] is None, a
    print(a["time"][:19])' "$PB_TMP/a.json")
	# the 16th SYN of each burst: 15 s after its start, bursts 600 s apart
	[ "$times" = $'2023-11-14T22:13:35\n2023-11-14T22:23:35' ] ||
		pb_fail "alert times: $times"
	# the same file, the same alerts, byte for byte
	"$PKTBPF" read "$PB_TMP/scan.pcap" --alerts --json | cmp - "$PB_TMP/a.json"
	# settings apply as on attach: a threshold of 20 is never crossed
	[ -z "$("$PKTBPF" read "$PB_TMP/scan.pcap" --alerts --threshold port_scan=20)" ] ||
		pb_fail "alerts above threshold 20"
	# text form: one line per alert
	[ "$("$PKTBPF" read "$PB_TMP/scan.pcap" --alerts | grep -c 'port_scan: 10.82.0.2 tried 16 distinct TCP ports on 10.82.0.1')" -eq 2 ]
}

test_read_alerts_counts_in_stats() {
	write_scan_pcap "$PB_TMP/scan.pcap"
	"$PKTBPF" read "$PB_TMP/scan.pcap" --alerts --stats --json >"$PB_TMP/s.json"
	[ "$(pb_json "$PB_TMP/s.json" 'd["alerts"]["port_scan"]["raised"]')" = 2 ] ||
		pb_fail "stats: $(cat "$PB_TMP/s.json")"
	# repeats: the 17th to 20th SYN of each burst
	[ "$(pb_json "$PB_TMP/s.json" 'd["alerts"]["port_scan"]["suppressed"]')" = 8 ]
}

test_read_bad_config_is_usage_error() {
	local rc=0
	printf '[port_scan]\nthreshold = 0\n' >"$PB_TMP/bad.ini"
	write_scan_pcap "$PB_TMP/scan.pcap"
	"$PKTBPF" read "$PB_TMP/scan.pcap" --alerts --config "$PB_TMP/bad.ini" 2>"$PB_TMP/err" || rc=$?
	[ $rc -eq 2 ] || pb_fail "exit $rc, want 2"
	grep -q "bad.ini:2: \[port_scan\] threshold" "$PB_TMP/err" || pb_fail "$(cat "$PB_TMP/err")"
}

pb_run test_corpus_alerts_exactly_as_listed test_file_time_drives_windows \
	test_read_alerts_counts_in_stats test_read_bad_config_is_usage_error
rm -rf "$PB_TMP"
pb_summary
