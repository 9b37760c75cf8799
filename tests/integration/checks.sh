# Checks about pktbpf's footprint on the system, for the integration tests
# (source after lib.sh):
#   pb_ids IFACE [NETNS]          record the attachment's program, map and link ids
#   pb_expect_nothing_left IFACE [NETNS]
#                                 after detach: those ids are gone (polled: the
#                                 kernel frees programs after a grace period),
#                                 no program on any hook of IFACE, no pins
#   pb_ping COUNT [CMD...] ADDR   ping that must get all COUNT replies
#   pb_expect RC PATTERN CMD...   CMD exits RC and its stderr matches the ERE
#                                 PATTERN (is empty if PATTERN is ""); its
#                                 output is left in $PB_TMP/out and /err
PB_HOOKS=$PB_ROOT/tests/integration/hooks.py
PB_TMP=$(mktemp -d)
trap 'rm -rf "$PB_TMP"; pb_cleanup' EXIT

# pb_status_field IFACE NETNS FIELD: FIELD of the attachment in `status --json`.
pb_status_field() {
	"$PKTBPF" status --json | pb_json - \
		"[a['$3'] for a in d['attachments'] if a['interface']=='$1' and (a['netns'] or '')=='$2'][0]"
}

# pb_links_of PROG_ID...: ids of the BPF links that hold any of those programs.
pb_links_of() {
	bpftool link show --json | pb_json - \
		"' '.join(str(l['id']) for l in d if str(l.get('prog_id')) in '$*'.split())"
}

pb_ids() {
	PB_XDP_ID=$(pb_status_field "$1" "${2:-}" xdp_prog_id) || return 1
	PB_TC_ID=$(pb_status_field "$1" "${2:-}" tc_prog_id) || return 1
	PB_MAP_IDS=$(bpftool prog show id "$PB_XDP_ID" --json | pb_json - "' '.join(map(str, d['map_ids']))")
	PB_LINK_IDS=$(pb_links_of "$PB_XDP_ID" "$PB_TC_ID")
	[ "$PB_XDP_ID" -gt 0 ] && [ -n "$PB_MAP_IDS" ] && [ -n "$PB_LINK_IDS" ] ||
		pb_fail "$1: no program, map or link ids (xdp '$PB_XDP_ID' maps '$PB_MAP_IDS' links '$PB_LINK_IDS')"
}

_pb_ids_gone() {
	local id
	for id in $PB_XDP_ID $PB_TC_ID; do
		[ "$id" -eq 0 ] || ! bpftool prog show id "$id" >/dev/null 2>&1 || return 1
	done
	for id in $PB_MAP_IDS; do ! bpftool map show id "$id" >/dev/null 2>&1 || return 1; done
	for id in $PB_LINK_IDS; do ! bpftool link show id "$id" >/dev/null 2>&1 || return 1; done
}

# pb_hooks IFACE [NETNS]: the programs on IFACE's XDP and tcx hooks.
pb_hooks() {
	if [ -n "${2:-}" ]; then ip netns exec "$2" "$PB_HOOKS" "$1"; else "$PB_HOOKS" "$1"; fi
}

pb_no_hooks() { [ -z "$(pb_hooks "$@")" ]; }

pb_expect_nothing_left() {
	local hooks
	pb_wait 10 _pb_ids_gone ||
		pb_fail "programs $PB_XDP_ID $PB_TC_ID, maps $PB_MAP_IDS or links $PB_LINK_IDS remain"
	if [ -e "/sys/class/net/$1" ] || [ -n "${2:-}" ]; then
		hooks=$(pb_hooks "$@") || pb_fail "cannot query the hooks of $1"
		[ -z "$hooks" ] || pb_fail "programs remain on $1: $hooks"
		[ -z "$(if [ -n "${2:-}" ]; then tc -n "$2" filter show dev "$1" egress; else
			tc filter show dev "$1" egress; fi)" ] || pb_fail "a tc filter remains on $1"
	fi
	[ ! -e "$PKTBPF_PIN_ROOT" ] || pb_fail "pins remain: $(find "$PKTBPF_PIN_ROOT")"
}

pb_ping() {
	local count=$1 out
	shift
	out=$("$@" -q -n -c "$count" -i 0.05 -W 2 -s 56 2>&1)
	grep -q " $count received" <<<"$out" || pb_fail "ping lost replies: $out"
}

pb_expect() {
	local rc=$1 pattern=$2 got
	shift 2
	got=0
	"$@" >"$PB_TMP/out" 2>"$PB_TMP/err" || got=$?
	[ "$got" -eq "$rc" ] ||
		pb_fail "'$*' exited $got, not $rc; stderr: $(cat "$PB_TMP/err")"
	if [ -z "$pattern" ]; then
		[ ! -s "$PB_TMP/err" ] || pb_fail "'$*' wrote to stderr: $(cat "$PB_TMP/err")"
	else
		grep -Eq -- "$pattern" "$PB_TMP/err" ||
			pb_fail "'$*': stderr does not match '$pattern': $(cat "$PB_TMP/err")"
	fi
}
