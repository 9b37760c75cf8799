#!/usr/bin/env bash
# Write tests/read/l3_len.tsv: for every frame of the shared corpus with an
# IP header, tshark's length of the outermost one (ip.len, ipv6.plen), the
# answer key of tests/unit/test_l3_end_corpus.c (where the parser says the
# IP packet ends). Made with TShark 4.0.17, the corpus oracles' version:
#   tests/read/make_l3_len.sh [CORPUS]     (default ../shared/corpus)
set -euo pipefail
cd "$(dirname "$0")/../.."
CORPUS=${1:-${PB_CORPUS:-../shared/corpus}}
out=tests/read/l3_len.tsv
{
	printf 'file\tframe.number\tip.len\tipv6.plen\n'
	for f in "$CORPUS"/pcap/*; do
		tshark -r "$f" -T fields -E separator=/t -E occurrence=f \
			-e frame.number -e ip.len -e ipv6.plen 2>/dev/null |
			awk -F'\t' -v file="${f##*/}" '$2 != "" || $3 != "" { print file "\t" $0 }'
	done
} >"$out"
echo "$out: $(($(wc -l <"$out") - 1)) frames"
