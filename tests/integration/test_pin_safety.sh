#!/usr/bin/env bash
# What pktbpf removes is provably its own. Beside a real attachment, the pin
# root holds links to a scratch directory full of files (named like an
# interface and like an attachment key), another tool's BPF objects and
# directories, names that are not keys, and strays inside the attachment:
# status, detach, detach --all, attach --replace and the cleanup of an
# interrupted attach leave every one of them alone and say so. A pin root
# that is not pktbpf's is refused with nothing touched. (The bug: a link in
# the pin root made 'detach --all' unlink every file it led to.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/checks.sh"

if [ "$(id -u)" -eq 0 ]; then
	pb_net pin 47 || { echo "cannot build the test network" >&2; exit 1; }
fi

# A scratch directory of files (a stand-in for /etc) and its fingerprint.
make_scratch() {
	SCRATCH=$PB_TMP/scratch
	mkdir -p "$SCRATCH/sub"
	for f in passwd group hosts os-release sub/nested; do echo "precious $f" >"$SCRATCH/$f"; done
	scratch_print >"$PB_TMP/scratch.before"
}
scratch_print() { (cd "$SCRATCH" && find . -printf '%p %y %s %m\n' | sort && cat passwd group hosts os-release sub/nested); }
scratch_intact() {
	scratch_print | cmp -s - "$PB_TMP/scratch.before" ||
		pb_fail "the scratch directory changed: $(scratch_print | diff "$PB_TMP/scratch.before" - | head)"
}

foreign_map() { bpftool map create "$1" type array key 4 value 4 entries 1 name "$2"; }

# Everything pktbpf must leave alone in the root, and a check that it is there.
plant_strays() {
	local r=$PKTBPF_PIN_ROOT
	ln -s "$SCRATCH" "$r/symlink-etc"
	ln -s "$SCRATCH" "$r/eth9"             # named like an interface
	ln -s "$SCRATCH" "$r/blue:eth0"        # named like an attachment key
	mkdir "$r/eth8"                        # someone else's directory, a key's name
	foreign_map "$r/eth8/their_map" their_map
	foreign_map "$r/othertool" othertool   # another tool's object in the root
	mkdir "$r/a:b:c" "$r/bad%zz"           # names that are not keys
	ln -s "$SCRATCH" "$r/$PB_A/pktbpf_strays"  # strays inside the attachment
	ln -s "$SCRATCH/passwd" "$r/$PB_A/link_xdp2"
	mkdir "$r/$PB_A/stray"
}
strays_there() {
	local r=$PKTBPF_PIN_ROOT p
	for p in symlink-etc eth9 blue:eth0; do [ -L "$r/$p" ] || pb_fail "$p is gone"; done
	bpftool map show pinned "$r/eth8/their_map" >/dev/null || pb_fail "eth8/their_map is gone"
	bpftool map show pinned "$r/othertool" >/dev/null || pb_fail "othertool is gone"
	[ -d "$r/a:b:c" ] && [ -d "$r/bad%zz" ] || pb_fail "a directory of odd name is gone"
}

test_detach_all_never_follows_a_link() {
	pb_need_root
	make_scratch
	"$PKTBPF" attach "$PB_A" >/dev/null || pb_fail "attach failed"
	pb_ids "$PB_A"
	ln -s "$SCRATCH" "$PKTBPF_PIN_ROOT/symlink-etc"
	pb_expect 0 "warning: .*: symlink-etc: a symbolic link, not an attachment; left alone" \
		"$PKTBPF" detach --all
	grep -qx "detached from $PB_A" "$PB_TMP/out" || pb_fail "detach --all said: $(cat "$PB_TMP/out")"
	! grep -q symlink-etc "$PB_TMP/out" || pb_fail "took the link for an attachment: $(cat "$PB_TMP/out")"
	scratch_intact
	[ -L "$PKTBPF_PIN_ROOT/symlink-etc" ] || pb_fail "the link itself was removed"
	pb_wait 10 _pb_ids_gone || pb_fail "the attachment's programs or maps remain"
	pb_no_hooks "$PB_A" || pb_fail "programs remain on $PB_A: $(pb_hooks "$PB_A")"
	rm "$PKTBPF_PIN_ROOT/symlink-etc"
}

test_strays_beside_an_attachment() {
	pb_need_root
	make_scratch
	"$PKTBPF" attach "$PB_A" >/dev/null || pb_fail "attach failed"
	plant_strays

	pb_expect 0 "eth9: a symbolic link" "$PKTBPF" status --json
	[ "$(pb_json "$PB_TMP/out" "len(d['attachments'])")" = 1 ] ||
		pb_fail "status lists more than the attachment: $(cat "$PB_TMP/out")"
	for p in symlink-etc blue:eth0 'eth8: holds no pktbpf_info' othertool 'a:b:c' 'bad%zz'; do
		grep -qF "$p" "$PB_TMP/err" || pb_fail "status did not name $p: $(cat "$PB_TMP/err")"
	done

	pb_expect 2 "eth9: not an attachment of pktbpf's .*left alone" "$PKTBPF" detach eth9
	pb_expect 2 "eth8: not an attachment of pktbpf's .*left alone" "$PKTBPF" detach eth8

	pb_expect 0 "" "$PKTBPF" attach "$PB_A" --replace
	pb_ids "$PB_A"
	pb_expect 0 "stray: not a name pktbpf pins; left alone" "$PKTBPF" detach "$PB_A"
	for p in pktbpf_strays link_xdp2 "kept: it holds 3 entries"; do
		grep -qF "$p" "$PB_TMP/err" || pb_fail "detach did not name $p: $(cat "$PB_TMP/err")"
	done
	grep -qx "detached from $PB_A" "$PB_TMP/out" || pb_fail "detach said: $(cat "$PB_TMP/out")"
	pb_wait 10 _pb_ids_gone || pb_fail "the attachment's programs or maps remain"
	pb_no_hooks "$PB_A" || pb_fail "programs remain on $PB_A"
	[ "$(find "$PKTBPF_PIN_ROOT/$PB_A" -mindepth 1 | wc -l)" = 3 ] ||
		pb_fail "the attachment's directory holds: $(ls -A "$PKTBPF_PIN_ROOT/$PB_A")"

	# Once more with everything in place: --all goes past all of it.
	rm -r "$PKTBPF_PIN_ROOT/$PB_A"
	"$PKTBPF" attach "$PB_A" >/dev/null || pb_fail "attach failed"
	pb_ids "$PB_A"
	pb_expect 0 "symlink-etc: a symbolic link" "$PKTBPF" detach --all
	pb_wait 10 _pb_ids_gone || pb_fail "the attachment's programs or maps remain"
	strays_there
	scratch_intact
	rm -rf "${PKTBPF_PIN_ROOT:?}"
}

# An attach killed after the marker was pinned, with a link among its pins:
# the next attach cleans the stale state and leaves the link (and refuses,
# since the directory is no longer only pktbpf's).
test_interrupted_attach_cleanup() {
	pb_need_root
	make_scratch
	mkdir -m 0700 -p "$PKTBPF_PIN_ROOT/$PB_A"
	chmod 0700 "$PKTBPF_PIN_ROOT"
	foreign_map "$PKTBPF_PIN_ROOT/$PB_A/pktbpf_info" pktbpf_info
	ln -s "$SCRATCH" "$PKTBPF_PIN_ROOT/$PB_A/pktbpf_stats"
	pb_expect 0 "" "$PKTBPF" status
	grep -q "^$PB_A .* incomplete" "$PB_TMP/out" || pb_fail "status: $(cat "$PB_TMP/out")"
	pb_expect 1 "pktbpf_stats: not a BPF object.*left alone" "$PKTBPF" attach "$PB_A"
	grep -q "taken by something that is not an attachment of pktbpf's" "$PB_TMP/err" ||
		pb_fail "attach did not say why it stopped: $(cat "$PB_TMP/err")"
	[ -L "$PKTBPF_PIN_ROOT/$PB_A/pktbpf_stats" ] || pb_fail "the link was removed"
	[ ! -e "$PKTBPF_PIN_ROOT/$PB_A/pktbpf_info" ] || pb_fail "the stale marker stayed"
	pb_no_hooks "$PB_A" || pb_fail "programs on $PB_A: $(pb_hooks "$PB_A")"
	scratch_intact
	rm -rf "${PKTBPF_PIN_ROOT:?}"
}

# refused ROOT: every command that uses the pin root refuses it, nothing made.
refused() {
	local c
	for c in "attach $PB_A" "detach $PB_A" "detach --all" "status" "stats $PB_A" "metrics"; do
		# shellcheck disable=SC2086 # the command's words
		pb_expect 1 "^pktbpf: $1: refused as pktbpf's pin root: $2; nothing touched" \
			env PKTBPF_PIN_ROOT="$1" "$PKTBPF" $c
	done
	pb_no_hooks "$PB_A" || pb_fail "attached anyway: $(pb_hooks "$PB_A")"
}

test_pin_root_refused() {
	local shm real
	pb_need_root
	make_scratch
	shm=$(mktemp -d -p /dev/shm pktbpf-test-XXXXXX) && _pb_files+=("$shm")
	[ "$(stat -f -c %T "$shm")" = tmpfs ] || pb_fail "/dev/shm is not tmpfs here"
	cp -a "$SCRATCH/." "$shm/"
	refused "$shm" "not on the BPF filesystem"
	refused "$shm/new" "not on the BPF filesystem"
	[ ! -e "$shm/new" ] || pb_fail "made $shm/new"
	diff -r "$SCRATCH" "$shm" >/dev/null || pb_fail "the tmpfs root changed"

	real=/sys/fs/bpf/pktbpf-test-real-$PB_PREFIX
	mkdir -m 0700 "$real" && _pb_files+=("$real")
	ln -s "$real" "$PKTBPF_PIN_ROOT" && _pb_files+=("$PKTBPF_PIN_ROOT")
	refused "$PKTBPF_PIN_ROOT" "not a directory \(a link\?\)"
	rm "$PKTBPF_PIN_ROOT"
	chmod 0777 "$real"
	refused "$real" "group or others may use it \(it must be mode 0700\)"
	chmod 0700 "$real" && chown 1:1 "$real"
	refused "$real" "not owned by root"
	[ -z "$(ls -A "$real")" ] || pb_fail "made something in $real: $(ls -A "$real")"
	rmdir "$real"
	scratch_intact
}

# 3,600 junk directories (names of keys, no marker): no rows, no failure,
# bounded memory, and a bounded number of warnings.
test_junk_directories() {
	local i rss
	pb_need_root
	"$PKTBPF" attach "$PB_A" >/dev/null || pb_fail "attach failed"
	# Each holds something, as another tool's directories would.
	for i in $(seq 1 3600); do echo "$PKTBPF_PIN_ROOT/junk$i/sub"; done | xargs mkdir -p
	pb_expect 0 "3590 more entries that are not attachments; left alone" "$PKTBPF" status --json
	[ "$(pb_json "$PB_TMP/out" "len(d['attachments'])")" = 1 ] || pb_fail "status: $(head -c 300 "$PB_TMP/out")"
	[ "$(wc -l <"$PB_TMP/err")" -le 11 ] || pb_fail "status warned $(wc -l <"$PB_TMP/err") lines"
	/usr/bin/time -f %M -o "$PB_TMP/rss" "$PKTBPF" metrics >"$PB_TMP/out" 2>"$PB_TMP/err" ||
		pb_fail "metrics failed: $(cat "$PB_TMP/err")"
	rss=$(cat "$PB_TMP/rss")
	[ "$rss" -lt 65536 ] || pb_fail "metrics peaked at $rss KiB"
	[ ! -s "$PB_TMP/err" ] || pb_fail "metrics wrote to stderr: $(head -3 "$PB_TMP/err")"
	grep -q "device=\"$PB_A\"" "$PB_TMP/out" || pb_fail "metrics lack $PB_A"
	pb_expect 0 "junk[0-9]+: holds no pktbpf_info" "$PKTBPF" detach --all
	[ -d "$PKTBPF_PIN_ROOT/junk3600" ] || pb_fail "a junk directory was removed"
	rm -rf "${PKTBPF_PIN_ROOT:?}"
}

# report -o removes a half-written image only when it made the file.
test_report_removes_only_what_it_made() {
	pb_need_root
	echo precious >"$PB_TMP/old.png"
	pb_expect 2 "nor an attached interface" "$PKTBPF" report "${PB_PREFIX}none" -o "$PB_TMP/old.png"
	[ -e "$PB_TMP/old.png" ] ||
		pb_fail "report removed a file it had not made"
	pb_expect 2 "nor an attached interface" "$PKTBPF" report "${PB_PREFIX}none" -o "$PB_TMP/new.png"
	[ ! -e "$PB_TMP/new.png" ] || pb_fail "report left the image it made behind on failure"
}

pb_run test_detach_all_never_follows_a_link test_strays_beside_an_attachment \
	test_interrupted_attach_cleanup test_pin_root_refused test_junk_directories \
	test_report_removes_only_what_it_made
pb_summary
