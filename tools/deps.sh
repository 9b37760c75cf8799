#!/usr/bin/env bash
# Install the Debian packages pktbpf needs to build, test and run its demo,
# and only those that are missing. Idempotent; needs root to install.
#   tools/deps.sh           install what is missing
#   tools/deps.sh --check   exit 1 (and name them) if any are missing
set -euo pipefail

PACKAGES=(
	# build
	make gcc clang llvm pkg-config bpftool libbpf-dev libelf-dev zlib1g-dev
	libpcap-dev libjansson-dev libinih-dev
	libmicrohttpd-dev # pktbpf serve
	libcairo2-dev libfontconfig-dev fonts-dejavu-core # pktbpf report
	libncurses-dev # pktbpf top
	# tests and demo
	libcmocka-dev iproute2 iputils-ping python3 procps strace
	tmux # pktbpf top's test drives it in a real terminal
	# pktbpf read: libFuzzer runtime for its fuzzer; tcpdump and tshark for its benchmark
	libclang-rt-dev tcpdump tshark
	prometheus wrk curl # metrics: promtool, a real scraper, load
	# watch/flows tests: tshark reads our captures back; real DNS and HTTP
	# servers and clients in the test network
	tshark dnsmasq-base bind9-dnsutils curl busybox
	# traffic generator tests and benchmarks (make bench)
	tcpdump ethtool time
	nmap hping3 arping # detectors: real scanners and flooders in the test network
)

missing=()
for p in "${PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
if [ "${1:-}" = "--check" ]; then
	echo "missing packages: ${missing[*]}" >&2
	exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "pktbpf: deps: missing packages: ${missing[*]}" >&2
	echo "pktbpf: hint: run 'make deps' as root, or: apt-get install ${missing[*]}" >&2
	exit 1
fi
echo "pktbpf: deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has no package lists yet; an old list may name gone versions.
if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
