#!/usr/bin/env bash
# The attach/detach life cycle as a user drives it: help and usage errors,
# attach twice, detach twice, --replace, modes, --netns, detach --all.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/checks.sh"

if [ "$(id -u)" -eq 0 ]; then
	pb_net lif 42 || { echo "cannot build the test network" >&2; exit 1; }
fi

# icmp_count IFACE DIR [NETNS]: ICMP packets counted in direction DIR.
icmp_count() {
	"$PKTBPF" stats "$1" --json ${3:+--netns "$3"} | pb_json - "d['$2']['protocols']['icmp']['packets']"
}

test_help_on_every_command() {
	local cmds c
	"$PKTBPF" --help >"$PB_TMP/help" || pb_fail "pktbpf --help failed"
	grep -q '^Usage: pktbpf' "$PB_TMP/help" || pb_fail "pktbpf --help: no usage line"
	# Every command the top-level help lists, so new ones are covered too.
	cmds=$(sed -n '/^Commands:/,/^$/s/^  \([a-z]\+\) .*/\1/p' "$PB_TMP/help")
	[ "$(wc -w <<<"$cmds")" -ge 4 ] || pb_fail "too few commands listed: $cmds"
	for c in $cmds; do
		for h in --help -h; do
			"$PKTBPF" "$c" "$h" >"$PB_TMP/out" 2>"$PB_TMP/err" || pb_fail "pktbpf $c $h failed"
			head -n1 "$PB_TMP/out" | grep -q "^Usage: pktbpf $c" ||
				pb_fail "pktbpf $c $h: no usage line: $(head -n1 "$PB_TMP/out")"
			[ ! -s "$PB_TMP/err" ] || pb_fail "pktbpf $c $h wrote to stderr: $(cat "$PB_TMP/err")"
		done
	done
}

test_usage_errors_exit_2() {
	local cmds c
	cmds=$("$PKTBPF" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z]\+\) .*/\1/p')
	for c in $cmds; do
		pb_expect 2 "^pktbpf: $c: unrecognized option '--no-such-option'" \
			"$PKTBPF" "$c" --no-such-option
		grep -q "try 'pktbpf $c --help'" "$PB_TMP/err" || pb_fail "$c: no --help hint"
	done
	pb_expect 2 "^pktbpf: 'frobnicate' is not a command" "$PKTBPF" frobnicate
	pb_expect 2 "^Usage: pktbpf" "$PKTBPF"
	pb_expect 2 "^pktbpf: attach: which interface\?" "$PKTBPF" attach
	pb_expect 2 "^pktbpf: attach: --mode: 'turbo' is not auto, native or generic" \
		"$PKTBPF" attach lo --mode turbo
	pb_expect 2 "^pktbpf: attach: option '--mode' requires an argument" "$PKTBPF" attach lo --mode
	pb_expect 2 "^pktbpf: stats: --interval: '-1' is not a number of seconds" \
		"$PKTBPF" stats lo --interval -1
	pb_expect 2 "^pktbpf: stats: --count needs --interval" "$PKTBPF" stats lo --count 3
	pb_expect 2 "^pktbpf: detach: --all takes no interface" "$PKTBPF" detach --all lo
}

test_attach_twice_is_refused() {
	pb_need_root
	"$PKTBPF" attach "$PB_A" >/dev/null || pb_fail "attach failed"
	pb_ids "$PB_A"
	pb_expect 1 "^pktbpf: $PB_A: pktbpf is already attached \(xdp native, prog id $PB_XDP_ID\)" \
		"$PKTBPF" attach "$PB_A"
	grep -q "^pktbpf: hint: 'pktbpf detach $PB_A' first, or 'pktbpf attach $PB_A --replace'" \
		"$PB_TMP/err" || pb_fail "no hint about detach or --replace"
	# The first attachment is untouched and still counts.
	[ "$(pb_status_field "$PB_A" "" xdp_prog_id)" = "$PB_XDP_ID" ] || pb_fail "program changed"
	pb_ping 2 ping "$PB_B4"
	[ "$(icmp_count "$PB_A" egress)" -eq 2 ] || pb_fail "no longer counting"
}

test_detach_twice() {
	pb_need_root
	"$PKTBPF" attach "$PB_A" >/dev/null || pb_fail "attach failed"
	pb_ids "$PB_A"
	pb_expect 0 "" "$PKTBPF" detach "$PB_A"
	grep -qx "detached from $PB_A" "$PB_TMP/out" || pb_fail "detach said: $(cat "$PB_TMP/out")"
	pb_expect 2 "^pktbpf: $PB_A: pktbpf is not attached to this interface$" "$PKTBPF" detach "$PB_A"
	pb_expect_nothing_left "$PB_A"
}

test_replace_swaps_programs_and_keeps_counting() {
	pb_need_root
	local old_xdp old_tc old_maps old_links
	pb_expect 2 "^pktbpf: $PB_A: --replace: pktbpf is not attached to this interface" \
		"$PKTBPF" attach "$PB_A" --replace
	"$PKTBPF" attach "$PB_A" >/dev/null || pb_fail "attach failed"
	pb_ids "$PB_A"
	pb_ping 2 ping "$PB_B4"
	old_xdp=$PB_XDP_ID old_tc=$PB_TC_ID old_maps=$PB_MAP_IDS old_links=$PB_LINK_IDS

	"$PKTBPF" attach "$PB_A" --replace >"$PB_TMP/out" || pb_fail "attach --replace failed"
	grep -q "^replaced on $PB_A: xdp native" "$PB_TMP/out" || pb_fail "replace said: $(cat "$PB_TMP/out")"
	pb_ids "$PB_A"
	[ "$PB_XDP_ID" != "$old_xdp" ] && [ "$PB_TC_ID" != "$old_tc" ] ||
		pb_fail "program ids did not change ($old_xdp/$old_tc -> $PB_XDP_ID/$PB_TC_ID)"
	# Links are updated in place (the atomic swap); programs and maps are new.
	[ "$PB_LINK_IDS" = "$old_links" ] || pb_fail "links changed: $old_links -> $PB_LINK_IDS"
	[ "$(pb_hooks "$PB_A" | sort)" = "$(printf 'tcx_egress %s\nxdp %s' "$PB_TC_ID" "$PB_XDP_ID")" ] ||
		pb_fail "hooks of $PB_A: $(pb_hooks "$PB_A")"

	# Counters restart with the new maps, and count exactly from there.
	pb_ping 3 ping "$PB_B4"
	[ "$(icmp_count "$PB_A" egress)" -eq 3 ] && [ "$(icmp_count "$PB_A" ingress)" -eq 3 ] ||
		pb_fail "after --replace: icmp $(icmp_count "$PB_A" ingress) in, $(icmp_count "$PB_A" egress) out; want 3, 3"

	# The old programs and maps are released, not leaked.
	local new_xdp=$PB_XDP_ID new_tc=$PB_TC_ID new_maps=$PB_MAP_IDS
	PB_XDP_ID=$old_xdp PB_TC_ID=$old_tc PB_MAP_IDS=$old_maps PB_LINK_IDS=
	pb_wait 10 _pb_ids_gone || pb_fail "old programs $old_xdp $old_tc or maps $old_maps remain"
	PB_XDP_ID=$new_xdp PB_TC_ID=$new_tc PB_MAP_IDS=$new_maps PB_LINK_IDS=$old_links
	"$PKTBPF" detach "$PB_A" >/dev/null || pb_fail "detach failed"
	pb_expect_nothing_left "$PB_A"
}

test_generic_mode_without_egress() {
	pb_need_root
	"$PKTBPF" attach "$PB_A" --mode generic --no-egress >"$PB_TMP/out" || pb_fail "attach failed"
	grep -qx "attached to $PB_A: xdp generic (prog id [0-9]*)" "$PB_TMP/out" ||
		pb_fail "attach said: $(cat "$PB_TMP/out")"
	[ "$(pb_status_field "$PB_A" "" xdp_mode)" = generic ] || pb_fail "status: not generic"
	[ "$(pb_status_field "$PB_A" "" egress)" = False ] || pb_fail "status: egress on"
	[ "$(pb_status_field "$PB_A" "" tc_prog_id)" = 0 ] || pb_fail "status: a tc program id"
	pb_ids "$PB_A"
	[ "$(pb_hooks "$PB_A")" = "xdp $PB_XDP_ID" ] || pb_fail "hooks of $PB_A: $(pb_hooks "$PB_A")"
	pb_ping 2 ping "$PB_B4"
	[ "$(icmp_count "$PB_A" ingress)" -eq 2 ] && [ "$(icmp_count "$PB_A" egress)" -eq 0 ] ||
		pb_fail "ingress only: want 2 in, 0 out"
	"$PKTBPF" detach "$PB_A" >/dev/null || pb_fail "detach failed"
	pb_expect_nothing_left "$PB_A"
}

test_netns_attachment_outlives_the_command() {
	pb_need_root
	"$PKTBPF" attach "$PB_B" --netns "$PB_NS" >"$PB_TMP/out" || pb_fail "attach --netns failed"
	grep -q "^attached to $PB_B: " "$PB_TMP/out" || pb_fail "attach said: $(cat "$PB_TMP/out")"
	[ "$(pb_status_field "$PB_B" "$PB_NS" state)" = attached ] || pb_fail "status: not attached"
	pb_ids "$PB_B" "$PB_NS"
	[ -n "$(pb_hooks "$PB_B" "$PB_NS")" ] || pb_fail "no program on $PB_B in $PB_NS"
	# Pins are in the host's BPF filesystem: later commands find them.
	pb_ping 3 ping "$PB_B4"
	[ "$(icmp_count "$PB_B" ingress "$PB_NS")" -eq 3 ] &&
		[ "$(icmp_count "$PB_B" egress "$PB_NS")" -eq 3 ] || pb_fail "want 3 echo requests in, 3 replies out"
	"$PKTBPF" stats "$PB_B" --netns "$PB_NS" | head -n1 | grep -q "^$PB_B in netns $PB_NS: " ||
		pb_fail "text stats do not name the namespace"
	# Without --netns, the name means an interface of this namespace.
	pb_expect 2 "^pktbpf: $PB_B: pktbpf is not attached to this interface$" "$PKTBPF" stats "$PB_B"
	pb_expect 2 "^pktbpf: no-such-ns-$PB_PREFIX: no such network namespace" \
		"$PKTBPF" stats "$PB_B" --netns "no-such-ns-$PB_PREFIX"
	"$PKTBPF" detach "$PB_B" --netns "$PB_NS" >"$PB_TMP/out" || pb_fail "detach --netns failed"
	grep -qx "detached from $PB_B in netns $PB_NS" "$PB_TMP/out" || pb_fail "detach said: $(cat "$PB_TMP/out")"
	pb_expect_nothing_left "$PB_B" "$PB_NS"
}

test_detach_all() {
	pb_need_root
	local a_xdp a_tc a_maps a_links
	"$PKTBPF" attach "$PB_A" >/dev/null && "$PKTBPF" attach "$PB_B" --netns "$PB_NS" >/dev/null ||
		pb_fail "attach failed"
	pb_ids "$PB_A"
	a_xdp=$PB_XDP_ID a_tc=$PB_TC_ID a_maps=$PB_MAP_IDS a_links=$PB_LINK_IDS
	pb_ids "$PB_B" "$PB_NS"
	[ "$("$PKTBPF" status --json | pb_json - "len(d['attachments'])")" -eq 2 ] || pb_fail "status: not 2"
	"$PKTBPF" detach --all >"$PB_TMP/out" || pb_fail "detach --all failed"
	[ "$(sort "$PB_TMP/out")" = "$(printf 'detached from %s\ndetached from %s in netns %s' "$PB_A" "$PB_B" "$PB_NS")" ] ||
		pb_fail "detach --all said: $(cat "$PB_TMP/out")"
	pb_expect_nothing_left "$PB_B" "$PB_NS"
	PB_XDP_ID=$a_xdp PB_TC_ID=$a_tc PB_MAP_IDS=$a_maps PB_LINK_IDS=$a_links
	pb_expect_nothing_left "$PB_A"
	pb_expect 0 "" "$PKTBPF" detach --all
}

# veth refuses native XDP without multi-buffer support once its peer's MTU
# passes a page (ERANGE): one line says so and what to do; auto falls back.
test_native_at_jumbo_mtu_says_why() {
	pb_need_root
	pb_net jumbo 43
	ip link set "$PB_A" mtu 9000
	ip -n "$PB_NS" link set "$PB_B" mtu 9000
	pb_expect 1 "^pktbpf: $PB_A: native XDP at MTU 9000 needs multi-buffer \(xdp.frags\) support, which this pktbpf build lacks; the driver refused it\$" \
		"$PKTBPF" attach "$PB_A" --mode native
	grep -q "^pktbpf: hint: use --mode generic (or auto), or lower the MTU" "$PB_TMP/err" ||
		pb_fail "no hint: $(cat "$PB_TMP/err")"
	[ "$(wc -l <"$PB_TMP/err")" -eq 2 ] || pb_fail "more than the message and its hint: $(cat "$PB_TMP/err")"
	! grep -q "out of range" "$PB_TMP/err" || pb_fail "the errno's words: $(cat "$PB_TMP/err")"
	pb_no_hooks "$PB_A" || pb_fail "left on $PB_A: $(pb_hooks "$PB_A")"
	[ ! -e "$PKTBPF_PIN_ROOT/$PB_A" ] || pb_fail "pins left by the failed attach"
	pb_expect 0 "^pktbpf: $PB_A: native XDP refused at MTU 9000: it needs multi-buffer \(xdp.frags\) support, which this pktbpf build lacks; using generic\$" \
		"$PKTBPF" attach "$PB_A" -v
	grep -q "^attached to $PB_A: xdp generic" "$PB_TMP/out" || pb_fail "auto said: $(cat "$PB_TMP/out")"
	pb_ping 2 ping "$PB_B4"
	"$PKTBPF" detach "$PB_A" >/dev/null || pb_fail "detach failed"
	# quiet without -v: auto's fallback is no error
	pb_expect 0 "" "$PKTBPF" attach "$PB_A"
	"$PKTBPF" detach "$PB_A" >/dev/null
}

# --replace swaps programs in the existing links, whose XDP mode is fixed:
# asking for another mode is refused, the attachment left as it was.
test_replace_keeps_the_mode() {
	pb_need_root
	local id
	"$PKTBPF" attach "$PB_A" --mode generic >/dev/null || pb_fail "attach failed"
	id=$(pb_status_field "$PB_A" "" xdp_prog_id)
	pb_expect 2 "^pktbpf: $PB_A: --replace keeps the attachment's XDP mode \(generic\); detach and attach to change it\$" \
		"$PKTBPF" attach "$PB_A" --replace --mode native
	grep -q "^pktbpf: hint: pktbpf detach $PB_A && pktbpf attach $PB_A --mode native" \
		"$PB_TMP/err" || pb_fail "no hint: $(cat "$PB_TMP/err")"
	[ "$(pb_status_field "$PB_A" "" xdp_mode)" = generic ] || pb_fail "mode changed"
	[ "$(pb_status_field "$PB_A" "" xdp_prog_id)" = "$id" ] || pb_fail "programs swapped anyway"
	for m in "--mode generic" ""; do
		# shellcheck disable=SC2086
		"$PKTBPF" attach "$PB_A" --replace $m >"$PB_TMP/out" || pb_fail "--replace $m failed"
		grep -q "^replaced on $PB_A: xdp generic" "$PB_TMP/out" ||
			pb_fail "--replace $m said: $(cat "$PB_TMP/out")"
	done
	"$PKTBPF" detach "$PB_A" >/dev/null || pb_fail "detach failed"
	"$PKTBPF" attach "$PB_A" --mode native >/dev/null || pb_fail "native attach failed"
	pb_expect 2 "keeps the attachment's XDP mode \(native\)" \
		"$PKTBPF" attach "$PB_A" --replace --mode generic
	"$PKTBPF" detach "$PB_A" >/dev/null || pb_fail "detach failed"
}

pb_run test_help_on_every_command test_usage_errors_exit_2 test_attach_twice_is_refused \
	test_detach_twice test_replace_swaps_programs_and_keeps_counting \
	test_generic_mode_without_egress test_native_at_jumbo_mtu_says_why test_replace_keeps_the_mode \
	test_netns_attachment_outlives_the_command test_detach_all
pb_summary
