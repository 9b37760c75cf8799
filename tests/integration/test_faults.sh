#!/usr/bin/env bash
# Bad input and faults, each with its exact exit status and message: unknown
# or down interface, not root, no BPF filesystem, not attached, another XDP
# program, attach killed at every step, interface or namespace deleted while
# attached. Never a crash or hang, never a leftover that detach cannot remove.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/checks.sh"

if [ "$(id -u)" -eq 0 ]; then
	# One network for most tests, two more that tests delete.
	pb_net gone 44 && GONE_NS=$PB_NS GONE_A=$PB_A GONE_B=$PB_B &&
		pb_net nsgone 45 && NSGONE_NS=$PB_NS NSGONE_B=$PB_B &&
		pb_net flt 43 || { echo "cannot build the test networks" >&2; exit 1; }
fi

test_unknown_interface() {
	pb_need_root
	local bad=nosuch$PB_PREFIX
	pb_expect 2 "^pktbpf: $bad: no such interface$" "$PKTBPF" attach "$bad"
	grep -q "^pktbpf: hint: 'ip link show' lists interfaces" "$PB_TMP/err" || pb_fail "no hint"
	pb_expect 2 "^pktbpf: $bad: no such interface in network namespace $PB_NS$" \
		"$PKTBPF" attach "$bad" --netns "$PB_NS"
	pb_expect 2 "^pktbpf: $bad: no such network namespace" "$PKTBPF" attach "$PB_B" --netns "$bad"
	pb_expect 2 "^pktbpf: $bad$bad$bad: not a valid interface name$" "$PKTBPF" attach "$bad$bad$bad"
	[ ! -e "$PKTBPF_PIN_ROOT" ] || pb_fail "a failed attach left pins: $(find "$PKTBPF_PIN_ROOT")"
}

test_down_interface() {
	pb_need_root
	local rc=0
	ip link set "$PB_A" down
	"$PKTBPF" attach "$PB_A" >"$PB_TMP/out" 2>"$PB_TMP/err" || rc=$?
	ip link set "$PB_A" up
	[ $rc -eq 2 ] || pb_fail "exit $rc, not 2: $(cat "$PB_TMP/err")"
	grep -qx "pktbpf: $PB_A: interface is down" "$PB_TMP/err" || pb_fail "said: $(cat "$PB_TMP/err")"
	grep -q "^pktbpf: hint: bring it up first: ip link set $PB_A up" "$PB_TMP/err" || pb_fail "no hint"
	[ -z "$(pb_hooks "$PB_A")" ] || pb_fail "programs left on $PB_A"
	[ ! -e "$PKTBPF_PIN_ROOT" ] || pb_fail "pins left: $(find "$PKTBPF_PIN_ROOT")"
}

test_not_root() {
	pb_need_root
	local dir c
	# A copy that an unprivileged user may execute (the tree may be private).
	dir=$(mktemp -d)
	chmod 755 "$dir"
	cp "$PKTBPF" "$dir/"
	as_nobody() {
		setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
			env PKTBPF_PIN_ROOT="$PKTBPF_PIN_ROOT" "$dir/pktbpf" "$@"
	}
	"$PKTBPF" attach "$PB_A" >/dev/null || pb_fail "attach as root failed"
	# Every command that touches BPF: a clear error, exit 1, the hint.
	for c in "attach $PB_A" "stats $PB_A" "stats $PB_A --json" "detach $PB_A" "status" "detach --all"; do
		pb_expect 1 "^pktbpf: [^:]+: Permission denied$" as_nobody $c
		grep -q "^pktbpf: hint: run as root" "$PB_TMP/err" || pb_fail "$c: no 'run as root' hint"
		[ ! -s "$PB_TMP/out" ] || pb_fail "$c: wrote to stdout: $(cat "$PB_TMP/out")"
	done
	rm -rf "$dir"
	# The root's attachment was not disturbed.
	[ "$(pb_status_field "$PB_A" "" state)" = attached ] || pb_fail "attachment disturbed"
}

test_no_bpf_filesystem_is_mounted_by_attach() {
	pb_need_root
	# A private mount namespace in which /sys/fs/bpf is a plain directory
	# (a tmpfs hides the host's BPF filesystem there).
	PKTBPF=$PKTBPF PB_TMP=$PB_TMP PB_A=$PB_A PB_B4=$PB_B4 unshare -m --propagation private bash -c '
		set -e
		mount -t tmpfs pktbpf-test /sys/fs/bpf
		echo "before: $(stat -f -c %T /sys/fs/bpf)"
		"$PKTBPF" -v attach "$PB_A"
		echo "after: $(stat -f -c %T /sys/fs/bpf)"
		ping -q -c 2 -i 0.05 -W 2 "$PB_B4" >/dev/null
		"$PKTBPF" stats "$PB_A" --json >"$PB_TMP/stats.json"
		"$PKTBPF" detach "$PB_A"
		umount /sys/fs/bpf
		umount /sys/fs/bpf
	' >"$PB_TMP/out" 2>"$PB_TMP/err" || pb_fail "in a fresh mount namespace: $(cat "$PB_TMP/out" "$PB_TMP/err")"
	grep -qx "before: tmpfs" "$PB_TMP/out" || pb_fail "$(cat "$PB_TMP/out")"
	grep -qx "pktbpf: mounted a BPF filesystem on /sys/fs/bpf" "$PB_TMP/err" ||
		pb_fail "attach did not say it mounted bpffs: $(cat "$PB_TMP/err")"
	grep -qx "after: bpf_fs" "$PB_TMP/out" || pb_fail "$(cat "$PB_TMP/out")"
	[ "$(pb_json "$PB_TMP/stats.json" "d['egress']['protocols']['icmp']['packets']")" -eq 2 ] ||
		pb_fail "did not count in the fresh BPF filesystem"
	grep -qx "detached from $PB_A" "$PB_TMP/out" || pb_fail "$(cat "$PB_TMP/out")"
	[ -z "$(pb_hooks "$PB_A")" ] || pb_fail "programs left on $PB_A: $(pb_hooks "$PB_A")"
	[ "$(stat -f -c %T /sys/fs/bpf)" = bpf_fs ] || pb_fail "the host's /sys/fs/bpf changed"
}

test_stats_and_detach_when_not_attached() {
	pb_need_root
	local c
	for c in stats detach; do
		pb_expect 2 "^pktbpf: $PB_A: pktbpf is not attached to this interface$" "$PKTBPF" $c "$PB_A"
		grep -q "^pktbpf: hint: attach with 'pktbpf attach $PB_A'" "$PB_TMP/err" || pb_fail "$c: no hint"
		pb_expect 2 "^pktbpf: $PB_B: pktbpf is not attached to this interface in network namespace $PB_NS$" \
			"$PKTBPF" $c "$PB_B" --netns "$PB_NS"
	done
	pb_expect 2 "^pktbpf: nosuch0: pktbpf is not attached to this interface$" "$PKTBPF" stats nosuch0
	pb_expect 0 "" "$PKTBPF" status
	grep -qx "pktbpf is not attached to any interface" "$PB_TMP/out" || pb_fail "status: $(cat "$PB_TMP/out")"
}

test_foreign_xdp_refused_unless_forced() {
	pb_need_root
	local foreign
	# In a private mount namespace with a bpffs of its own: iproute2 makes
	# its ip/tc/xdp pin folders in the bpffs, which would outlive the test.
	unshare -m sh -c 'mount -t bpf bpf /sys/fs/bpf &&
		ip link set dev "$1" xdp obj "$2" sec xdp' sh "$PB_A" "$OUT/bench_empty.bpf.o" ||
		pb_fail "cannot load a foreign XDP program"
	foreign=$(pb_hooks "$PB_A" | sed -n 's/^xdp //p')
	[ -n "$foreign" ] || { ip link set dev "$PB_A" xdp off; pb_fail "no foreign program on $PB_A"; }
	pb_expect 1 "^pktbpf: $PB_A: another XDP program is attached: 'pktbpf_empty' \(id $foreign\)$" \
		"$PKTBPF" attach "$PB_A"
	grep -q "^pktbpf: hint: .*--force replaces it" "$PB_TMP/err" || pb_fail "no --force hint"
	[ "$(pb_hooks "$PB_A")" = "xdp $foreign" ] || pb_fail "hooks changed: $(pb_hooks "$PB_A")"
	[ ! -e "$PKTBPF_PIN_ROOT" ] || pb_fail "a refused attach left pins: $(find "$PKTBPF_PIN_ROOT")"

	pb_expect 0 "^pktbpf: $PB_A: removed XDP program 'pktbpf_empty' \(id $foreign\) \(--force\)$" \
		"$PKTBPF" attach "$PB_A" --force
	pb_ids "$PB_A"
	[ "$(pb_hooks "$PB_A" | sort)" = "$(printf 'tcx_egress %s\nxdp %s' "$PB_TC_ID" "$PB_XDP_ID")" ] ||
		pb_fail "hooks after --force: $(pb_hooks "$PB_A")"
	pb_ping 2 ping "$PB_B4"
	"$PKTBPF" detach "$PB_A" >/dev/null || pb_fail "detach failed"
	pb_expect_nothing_left "$PB_A"
}

# run_killed SYSCALL N ARGS...: pktbpf ARGS, killed by SIGKILL (strace's fault
# injection) as it enters its Nth SYSCALL. In a child shell that exits with
# the status, so that the shell's "Killed" notice stays out of the log.
run_killed() {
	bash -c 'sc=$1 n=$2; shift 2
		strace -qq -o /dev/null -e trace="$sc" -e inject="$sc":signal=KILL:when="$n" "$@"
		exit $?' - "$1" "$2" "$PKTBPF" "${@:3}" >/dev/null 2>&1
}

# Kill attach (SIGKILL, through strace's fault injection) right before each
# of its bpf() calls that leaves state outside the process: each pin, each
# link, the attach record; and, standing for the steps whose state dies with
# the process, before its first call, its first map and its first program.
# After each kill, status names any leftover "incomplete" and detach removes
# it, leaving nothing; a later attach clears such leftovers by itself.
# attach_killed_at N: attach $PB_A, killed as it enters its Nth bpf() call. In
# a child shell that exits with the status, so that the shell's "Killed"
# notice stays out of the log.
attach_killed_at() {
	bash -c 'strace -qq -o /dev/null -e trace=bpf -e inject=bpf:signal=KILL:when=$1 \
		"$2" attach "$3"; exit $?' - "$1" "$PKTBPF" "$PB_A" >/dev/null 2>&1
}

test_attach_killed_at_every_step() {
	pb_need_root
	command -v strace >/dev/null || pb_fail "strace is missing (tools/deps.sh installs it)"
	local total points n rc leftovers=0
	strace -qq -e trace=bpf -o "$PB_TMP/attach.trace" "$PKTBPF" attach "$PB_A" >/dev/null ||
		pb_fail "traced attach failed"
	pb_ids "$PB_A"
	"$PKTBPF" detach "$PB_A" >/dev/null || pb_fail "detach failed"
	pb_expect_nothing_left "$PB_A"
	total=$(grep -c '^bpf(' "$PB_TMP/attach.trace")
	grep '^bpf(' "$PB_TMP/attach.trace" | grep -n . >"$PB_TMP/calls"
	points="1 $(grep -m1 'map_name="pktbpf_' "$PB_TMP/calls" | cut -d: -f1)
		$(grep -m1 'prog_name="pktbpf_' "$PB_TMP/calls" | cut -d: -f1)
		$(grep -E 'BPF_OBJ_PIN|BPF_LINK_CREATE|BPF_MAP_UPDATE_ELEM' "$PB_TMP/calls" | cut -d: -f1)"
	points=$(echo $points)
	[ "$(wc -w <<<"$points")" -ge 11 ] || pb_fail "unexpected trace: $(cat "$PB_TMP/attach.trace")"

	for n in $points; do
		rc=0
		run_killed bpf "$n" attach "$PB_A" || rc=$?
		[ $rc -eq 137 ] || pb_fail "attach killed before bpf call $n/$total exited $rc, not 137"
		if [ -d "$PKTBPF_PIN_ROOT/$PB_A" ] && [ -z "$(ls -A "$PKTBPF_PIN_ROOT/$PB_A")" ]; then
			# Killed between making the directory and pinning the marker:
			# no attachment to show, and detach removes the directory.
			leftovers=$((leftovers + 1))
			[ "$(pb_json <("$PKTBPF" status --json 2>/dev/null) "len(d['attachments'])")" = 0 ] ||
				pb_fail "killed at $n: status lists an empty directory"
			pb_expect 0 "" "$PKTBPF" detach "$PB_A"
			grep -qx "removed $PKTBPF_PIN_ROOT/$PB_A, an empty directory an interrupted attach left" \
				"$PB_TMP/out" || pb_fail "killed at $n: detach said: $(cat "$PB_TMP/out")"
		elif [ -e "$PKTBPF_PIN_ROOT/$PB_A" ]; then
			leftovers=$((leftovers + 1))
			[ "$(pb_status_field "$PB_A" "" state)" = incomplete ] ||
				pb_fail "killed at $n: status says $(pb_status_field "$PB_A" "" state), not incomplete"
			# What is on the hook, status shows, record or not.
			[ "$(pb_status_field "$PB_A" "" xdp_prog_id)" = \
				"$(pb_hooks "$PB_A" | sed -n 's/^xdp //p' | grep . || echo 0)" ] ||
				pb_fail "killed at $n: status shows xdp prog $(pb_status_field "$PB_A" "" xdp_prog_id), the hook holds '$(pb_hooks "$PB_A")'"
			pb_expect 1 "^pktbpf: $PB_A: attach did not complete \(interrupted\?\)$" "$PKTBPF" stats "$PB_A"
			pb_expect 0 "" "$PKTBPF" detach "$PB_A"
			grep -qx "detached from $PB_A (incomplete; removed its leftover state)" "$PB_TMP/out" ||
				pb_fail "killed at $n: detach said: $(cat "$PB_TMP/out")"
		else
			pb_expect 2 "^pktbpf: $PB_A: pktbpf is not attached to this interface$" \
				"$PKTBPF" detach "$PB_A"
		fi
		pb_wait 5 pb_no_hooks "$PB_A" ||
			pb_fail "killed at $n: programs left on $PB_A: $(pb_hooks "$PB_A")"
		[ ! -e "$PKTBPF_PIN_ROOT" ] || pb_fail "killed at $n: pins left: $(find "$PKTBPF_PIN_ROOT")"
	done
	echo "killed attach before bpf() calls $points (of $total); $leftovers left state that detach removed"
	[ $leftovers -gt 0 ] || pb_fail "no kill point left state: the test did not reach the pinning steps"
	# A new attach also clears such leftovers itself.
	run_killed bpf "$total" attach "$PB_A" || true
	pb_expect 0 "^pktbpf: $PB_A: removing stale state \(incomplete\)$" "$PKTBPF" attach "$PB_A"
	pb_ping 2 ping "$PB_B4"
	[ "$("$PKTBPF" stats "$PB_A" --json | pb_json - "d['egress']['protocols']['icmp']['packets']")" -eq 2 ] ||
		pb_fail "not counting after the kills"
}

# Kill detach before its first bpf() call, and before the first and the last
# pin it removes: a second detach finishes the job.
test_detach_killed_midway() {
	pb_need_root
	local n pins rc
	"$PKTBPF" attach "$PB_A" >/dev/null || pb_fail "attach failed"
	pins=$(find "$PKTBPF_PIN_ROOT/$PB_A" -type f | wc -l)
	[ "$pins" -ge 4 ] || pb_fail "only $pins pins"
	"$PKTBPF" detach "$PB_A" >/dev/null || pb_fail "detach failed"
	for n in "bpf 1" "unlinkat 1" "unlinkat $pins"; do
		"$PKTBPF" attach "$PB_A" >/dev/null || pb_fail "attach before killing at $n failed"
		pb_ids "$PB_A"
		rc=0
		run_killed $n detach "$PB_A" || rc=$?
		[ $rc -eq 137 ] || pb_fail "detach killed at $n exited $rc, not 137"
		pb_expect 0 "" "$PKTBPF" detach "$PB_A"
		grep -Eqx "detached from $PB_A( \((detached|incomplete); removed its leftover state\))?" \
			"$PB_TMP/out" || pb_fail "killed at $n: detach said: $(cat "$PB_TMP/out")"
		pb_expect_nothing_left "$PB_A"
	done
}

test_interface_deleted_while_attached() {
	pb_need_root
	"$PKTBPF" attach "$GONE_A" >/dev/null || pb_fail "attach failed"
	pb_ids "$GONE_A"
	ip link del "$GONE_A"
	[ "$(pb_status_field "$GONE_A" "" state)" = interface-gone ] || pb_fail "status: not interface-gone"
	"$PKTBPF" status | grep -Eq "^$GONE_A +- +interface-gone " || pb_fail "status table: $("$PKTBPF" status)"
	pb_expect 1 "^pktbpf: $GONE_A: the interface no longer exists; counters are from before it vanished$" \
		"$PKTBPF" stats "$GONE_A"
	grep -q "^pktbpf: hint: remove the leftover state with 'pktbpf detach $GONE_A'" "$PB_TMP/err" ||
		pb_fail "no detach hint"
	pb_expect 1 "no longer exists" "$PKTBPF" stats "$GONE_A" --json
	[ "$(pb_json "$PB_TMP/out" "d['state']")" = interface-gone ] || pb_fail "stats --json: state"
	pb_expect 0 "" "$PKTBPF" detach "$GONE_A"
	grep -qx "detached from $GONE_A (interface-gone; removed its leftover state)" "$PB_TMP/out" ||
		pb_fail "detach said: $(cat "$PB_TMP/out")"
	pb_expect_nothing_left "$GONE_A"
	pb_expect 2 "not attached" "$PKTBPF" detach "$GONE_A"
}

test_namespace_deleted_while_attached() {
	pb_need_root
	"$PKTBPF" attach "$NSGONE_B" --netns "$NSGONE_NS" >/dev/null || pb_fail "attach failed"
	pb_ids "$NSGONE_B" "$NSGONE_NS"
	ip netns del "$NSGONE_NS"
	[ "$(pb_status_field "$NSGONE_B" "$NSGONE_NS" state)" = interface-gone ] ||
		pb_fail "status: $(pb_status_field "$NSGONE_B" "$NSGONE_NS" state), not interface-gone"
	pb_expect 2 "^pktbpf: $NSGONE_NS: no such network namespace" \
		"$PKTBPF" stats "$NSGONE_B" --netns "$NSGONE_NS"
	pb_expect 0 "^pktbpf: detach: removing the pins anyway$" \
		"$PKTBPF" detach "$NSGONE_B" --netns "$NSGONE_NS"
	grep -qx "detached from $NSGONE_B in netns $NSGONE_NS (interface-gone; removed its leftover state)" \
		"$PB_TMP/out" || pb_fail "detach said: $(cat "$PB_TMP/out")"
	pb_wait 10 _pb_ids_gone ||
		pb_fail "programs $PB_XDP_ID $PB_TC_ID, maps $PB_MAP_IDS or links $PB_LINK_IDS remain"
	[ ! -e "$PKTBPF_PIN_ROOT" ] || pb_fail "pins remain: $(find "$PKTBPF_PIN_ROOT")"
}

pb_run test_unknown_interface test_down_interface test_not_root \
	test_no_bpf_filesystem_is_mounted_by_attach test_stats_and_detach_when_not_attached \
	test_foreign_xdp_refused_unless_forced test_attach_killed_at_every_step test_detach_killed_midway \
	test_interface_deleted_while_attached test_namespace_deleted_while_attached
pb_summary
