#!/usr/bin/env bash
# `read -v` decodes payloads with watch's decoders, and `read --flows` builds
# flows from a capture: checked on the shared corpus against tshark's own
# reading of the same files.
. "$(dirname "$0")/lib.sh"
CORPUS=${PB_CORPUS:-$PB_ROOT/../shared/corpus}

test_read_v_decodes() {
	local out
	out=$("$PKTBPF" read "$CORPUS/pcap/chrissanders__dns_query_response.pcapng" -v 2>/dev/null)
	grep -q "questions: name=wireshark.org type=A" <<<"$out" || pb_fail "DNS question"
	grep -q "dns: id=.* response=yes" <<<"$out" || pb_fail "DNS response"
	out=$("$PKTBPF" read "$CORPUS/pcap/zeek__tls__tls12-decryption.pcap" -v --json 2>/dev/null)
	grep -q '"sni": *"heise.de"' <<<"$out" || pb_fail "TLS SNI in --json"
}

test_read_flows_match_tshark() {
	local f
	for f in chrissanders__http_google.pcapng tcpdump__dns_tcp.pcap zeek__http__post.pcap \
		chrissanders__icmp_echo.pcapng; do
		"$PKTBPF" read "$CORPUS/pcap/$f" --flows --json >"$PB_TMP/flows.json" 2>/dev/null
		tshark -r "$CORPUS/pcap/$f" -T fields -e ip.src -e tcp.srcport -e udp.srcport \
			-e ip.proto -e frame.len 2>/dev/null >"$PB_TMP/ref.tsv"
		python3 - "$PB_TMP/flows.json" "$PB_TMP/ref.tsv" "$f" <<'PY' || pb_fail "$f"
import json, sys
flows = json.load(open(sys.argv[1]))["flows"]
sent = {}
for line in open(sys.argv[2]):
    src, tp, up, proto, flen = (line.rstrip("\n").split("\t") + [""] * 5)[:5]
    if not src:
        continue
    k = (src, int(tp or up or 0), int(proto.split(",")[0]))
    sent[k] = sent.get(k, [0, 0])
    sent[k][0] += 1
    sent[k][1] += int(flen)
assert flows, "no flows"
for fl in flows:
    proto = {"tcp": 6, "udp": 17, "icmp": 1}[fl["protocol"]]
    for side in ("src", "dst"):
        k = (fl[side], fl[side + "_port"], proto)
        assert [fl[side + "_packets"], fl[side + "_bytes"]] == sent.get(k, [0, 0]), (k, fl, sent)
print(f"{sys.argv[3]}: {len(flows)} flow(s), packets and bytes each way as tshark counts them")
PY
	done
}

PB_TMP=$(mktemp -d)
pb_run test_read_v_decodes test_read_flows_match_tshark
rm -rf "$PB_TMP"
pb_summary
