# Shared by the integration tests (source it). Each test script:
#   . "$(dirname "$0")/lib.sh"
#   test_something() { ...; }       # fail with pb_fail "why" (or any failing command)
#   pb_run test_something ...        # runs each test, prints cmocka-style lines
#   pb_summary                       # the summary tests/run.sh counts
#
# Every run gets its own prefix (namespaces, links) and its own pin root under
# /sys/fs/bpf, so runs can go in parallel and never touch a real attachment.
# Everything created is removed on exit, also on failure (trap). Set
# PB_KEEP=1 to keep the namespaces for debugging.

set -uo pipefail
PB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=${OUT:-build}
case $OUT in /*) ;; *) OUT=$PB_ROOT/$OUT ;; esac
PKTBPF=$OUT/pktbpf
# 24 random bits: concurrent runs (parallel CI jobs, developers) must not
# share names. PIDs alone collide once cut to fit 15-character link names.
PB_PREFIX=pb$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
export PKTBPF_PIN_ROOT=/sys/fs/bpf/pktbpf-test-$PB_PREFIX

_pb_passed=0 _pb_failed=0 _pb_skipped=0
_pb_failed_names=() _pb_skipped_names=()
_pb_netns=() _pb_links=() _pb_files=()

pb_fail() { echo "[  ERROR   ] --- $*" >&2; return 1; }

# pb_skip "reason": ends the current test as skipped, saying why.
pb_skip() { echo "[  SKIPPED ] reason: $*" >&2; exit 77; }

pb_run() {
	local t rc
	for t in "$@"; do
		echo "[ RUN      ] $t"
		# A test runs in a subshell: what it creates is recorded there, so
		# its own EXIT trap removes it (the script's trap removes the rest).
		# The lists start empty there: namespaces, links and files the
		# script made before pb_run outlive each test. errexit is off in the trap: a
		# cleanup step with nothing to remove must not fail the test.
		( _pb_netns=() _pb_links=() _pb_files=(); trap 'set +e; pb_cleanup' EXIT; set -e; "$t" )
		rc=$?
		if [ $rc -eq 0 ]; then
			echo "[       OK ] $t"; _pb_passed=$((_pb_passed + 1))
		elif [ $rc -eq 77 ]; then
			echo "[  SKIPPED ] $t"; _pb_skipped=$((_pb_skipped + 1)); _pb_skipped_names+=("$t")
		else
			echo "[  FAILED  ] $t"; _pb_failed=$((_pb_failed + 1)); _pb_failed_names+=("$t")
		fi
		pb_cleanup_attachments
	done
}

pb_summary() {
	local n
	echo "[==========] $((_pb_passed + _pb_failed + _pb_skipped)) test(s) run."
	echo "[  PASSED  ] $_pb_passed test(s)."
	if [ "$_pb_skipped" -gt 0 ]; then
		echo "[  SKIPPED ] $_pb_skipped test(s), listed below:"
		for n in "${_pb_skipped_names[@]}"; do echo "[  SKIPPED ] $n"; done
	fi
	if [ "$_pb_failed" -gt 0 ]; then
		echo "[  FAILED  ] $_pb_failed test(s), listed below:"
		for n in "${_pb_failed_names[@]}"; do echo "[  FAILED  ] $n"; done
	fi
	[ "$_pb_failed" -eq 0 ]
}

pb_cleanup_attachments() {
	"$PKTBPF" detach --all >/dev/null 2>&1
	rmdir "$PKTBPF_PIN_ROOT" 2>/dev/null
	return 0
}

pb_cleanup() {
	local ns l
	[ "${PB_KEEP:-0}" = 1 ] && { echo "PB_KEEP=1: keeping ${_pb_netns[*]}" >&2; return; }
	pb_cleanup_attachments
	for l in "${_pb_links[@]}"; do ip link del "$l" 2>/dev/null; done
	for ns in "${_pb_netns[@]}"; do ip netns del "$ns" 2>/dev/null; done
	[ ${#_pb_files[@]} -eq 0 ] || rm -rf "${_pb_files[@]}"
	[ -d "$PKTBPF_PIN_ROOT" ] && rm -rf "$PKTBPF_PIN_ROOT" 2>/dev/null
	return 0
}
trap pb_cleanup EXIT
trap 'exit 130' INT TERM

# pb_wait TIMEOUT_S CMD...: poll CMD every 50 ms until it succeeds; fail at TIMEOUT_S.
pb_wait() {
	local timeout=$1; shift
	local deadline=$((SECONDS + timeout))
	until "$@" >/dev/null 2>&1; do
		[ $SECONDS -ge $deadline ] && { pb_fail "timed out after ${timeout}s waiting for: $*"; return 1; }
		sleep 0.05
	done
}

# pb_net NAME X: a namespace NAME (prefixed) joined to the root namespace by a
# veth pair: root end ${PB_PREFIX}NAMEa (10.X.0.1), namespace end
# ${PB_PREFIX}NAMEb (10.X.0.2). IPv6 is disabled on both ends and the ARP
# entries are static, so the only packets on the link are those a test sends
# (IPv6 test traffic is injected as raw frames). PB_NET_QUEUES=N gives both
# ends N queues (default 1), so N CPUs can receive at once.
# Sets PB_NS, PB_A, PB_B, PB_A4, PB_B4, PB_MAC_A, PB_MAC_B.
pb_net() {
	local name=$1 x=$2 q=${PB_NET_QUEUES:-1}
	PB_NS=${PB_PREFIX}$name PB_A=${PB_PREFIX}${name}a PB_B=${PB_PREFIX}${name}b
	PB_A4=10.$x.0.1 PB_B4=10.$x.0.2
	ip netns add "$PB_NS" && _pb_netns+=("$PB_NS") || return 1
	ip link add "$PB_A" numtxqueues "$q" numrxqueues "$q" type veth \
		peer name "$PB_B" numtxqueues "$q" numrxqueues "$q" && _pb_links+=("$PB_A") || return 1
	ip link set "$PB_B" netns "$PB_NS"
	PB_MAC_A=$(cat /sys/class/net/"$PB_A"/address)
	PB_MAC_B=$(ip netns exec "$PB_NS" cat /sys/class/net/"$PB_B"/address)
	sysctl -qw net.ipv6.conf."$PB_A".disable_ipv6=1
	ip netns exec "$PB_NS" sysctl -qw net.ipv6.conf."$PB_B".disable_ipv6=1
	ip addr add "$PB_A4/24" dev "$PB_A"
	ip -n "$PB_NS" addr add "$PB_B4/24" dev "$PB_B"
	ip neigh replace "$PB_B4" lladdr "$PB_MAC_B" dev "$PB_A" nud permanent
	ip -n "$PB_NS" neigh replace "$PB_A4" lladdr "$PB_MAC_A" dev "$PB_B" nud permanent
	ip -n "$PB_NS" link set lo up
	ip link set "$PB_A" up
	ip -n "$PB_NS" link set "$PB_B" up
}

# Debian's python3 itself: a version manager's shim in PATH costs ~0.2 s a call.
PB_PYTHON=$(command -v /usr/bin/python3 || command -v python3)

# pb_json FILE_OR_- EXPR: evaluate a Python expression over the JSON document d.
pb_json() {
	"$PB_PYTHON" -c 'import json,sys; d=json.load(open(sys.argv[1]) if sys.argv[1]!="-" else sys.stdin); print(eval(sys.argv[2]))' "$@"
}

pb_need_root() { [ "$(id -u)" -eq 0 ] || pb_skip "needs root (BPF and network namespaces)"; }
