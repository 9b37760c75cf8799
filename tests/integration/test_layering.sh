#!/usr/bin/env bash
# The layering of user/ (docs/ARCHITECTURE.md) holds: a part cannot include a
# header of a part it may not use (the build says "No such file or
# directory"), can include those of the parts it uses, calls no function
# of a part it may not use, and the parts below kern link without libbpf.
. "$(dirname "$0")/lib.sh"

cd "$PB_ROOT" || exit 1
CC=${CC:-gcc}
pmake() { make -s --no-print-directory OUT="$OUT" "$@"; }

# compile PART HEADER: build a file of PART that includes HEADER, with the
# flags the Makefile builds PART's objects with. Its output is in $tmp/log.
compile() {
	local part=$1 header=$2
	printf '#include "%s"\nint pb_layering_probe;\n' "$header" >"$tmp/probe.c"
	# shellcheck disable=SC2046 # the flags are words
	$CC $(pmake part-cflags-"$part") -MF /dev/null -c "$tmp/probe.c" -o "$tmp/probe.o" \
		>"$tmp/log" 2>&1
}

setup() { tmp=$(mktemp -d); _pb_files+=("$tmp"); }

must_fail() {
	if compile "$1" "$2"; then
		pb_fail "$1 could include $2 (a header of a part it may not use)"
		return 1
	fi
	grep -q "$2: No such file or directory" "$tmp/log" ||
		{ cat "$tmp/log"; pb_fail "$1 including $2 failed, but not for want of the header"; }
}

must_build() {
	compile "$1" "$2" || { cat "$tmp/log"; pb_fail "$1 cannot include $2"; }
}

test_upward_include_fails() {
	setup
	must_fail base decode.h      # dissect
	must_fail dissect capture.h  # offline
	must_fail dissect pin.h      # kern
	must_fail policy cli.h       # cmd
	must_fail offline flows.h    # kern: a sibling, not below
	must_fail kern flowtab.h     # offline: a sibling
	must_fail kern metrics.h     # output
	must_fail output cli.h       # cmd
}

test_allowed_include_builds() {
	setup
	must_build dissect log.h
	must_build policy names.h
	must_build offline detect_cfg.h
	must_build offline alert_fmt.h
	must_build kern filter_compile.h
	must_build output flowtab.h
	must_build output state.h
	must_build cmd metrics.h
}

# The global symbols part library lib<part>.a defines.
defined() { nm -g --defined-only "$OUT/lib$1.a" 2>/dev/null | awk 'NF == 3 { print $3 }' | sort -u; }

test_no_upward_calls() {
	local p q sym bad=0 parts
	setup
	read -ra parts <<<"$(pmake print-PARTS)"
	for p in "${parts[@]}"; do
		[ -f "$OUT/lib$p.a" ] || pb_fail "no $OUT/lib$p.a: build first (make all)"
		defined "$p" | sed "s/\$/ $p/" >>"$tmp/defs"
	done
	for p in "${parts[@]}"; do
		local ok=" $p $(pmake part-uses-"$p") "
		nm -g --undefined-only "$OUT/lib$p.a" | awk '$1 == "U" { print $2 }' | sort -u |
			while read -r sym; do
				q=$(awk -v s="$sym" '$1 == s { print $2; exit }' "$tmp/defs")
				if [ -n "$q" ] && [[ $ok != *" $q "* ]]; then
					echo "[  ERROR   ] --- $p calls $sym of $q" >&2
					echo bad
				fi
			done >>"$tmp/bad"
	done
	[ ! -s "$tmp/bad" ] || bad=1
	[ "$bad" = 0 ] || pb_fail "a part calls a function of a part it may not use"
}

test_lower_parts_link_without_libbpf() {
	local lib libs=()
	setup
	for lib in offline policy dissect base; do libs+=("$OUT/lib$lib.a"); done
	cat >"$tmp/nobpf.c" <<'C'
#include "capture.h"
#include "detect.h"
#include "detect_cfg.h"
#include "pkt_json.h"
int main(void)
{
	struct pb_det_info info;
	struct pb_capture *c;

	pb_det_defaults(&info);
	pb_detector_free(pb_detector_new(&info.cfg, NULL, NULL));
	return pb_capture_open(&c, "/nonexistent") ? 0 : 1;
}
C
	# shellcheck disable=SC2046
	$CC $(pmake part-cflags-offline) -MF /dev/null "$tmp/nobpf.c" "${libs[@]}" \
		$(pmake print-NOBPF_LDLIBS) -o "$tmp/nobpf" >"$tmp/log" 2>&1 ||
		{ cat "$tmp/log"; pb_fail "base, dissect, policy and offline do not link without libbpf"; }
	! ldd "$tmp/nobpf" | grep -q libbpf || pb_fail "linked libbpf all the same"
	"$tmp/nobpf" 2>/dev/null || pb_fail "the program did not run"
}

pb_run test_upward_include_fails test_allowed_include_builds test_no_upward_calls \
	test_lower_parts_link_without_libbpf
pb_summary
