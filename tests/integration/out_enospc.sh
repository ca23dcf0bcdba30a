#!/usr/bin/env bash
# out_enospc: outputs on a full filesystem (a small tmpfs mounted in the work
# directory, unmounted on exit; needs root, skips otherwise). For each kind
# (a directory bundle, a .tar.xz, min, lookup), with an old output in place
# and the filesystem filled up: the run exits 1 with one error naming the
# output and "No space left on device", the old output is intact, nothing
# else is left. Then a run is killed (SIGKILL) just before its commit, the
# filesystem is filled again, and a rerun must still succeed: the dead run's
# temp is removed before the new one is written.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/out_lib.sh"
it_parse_args "$@"
[ "$(id -u)" -eq 0 ] || skip "not root (uid $(id -u)): cannot mount a tmpfs to fill up"
out_setup

MNT=$WORK/mnt
mkdir -p "$MNT"
mount -t tmpfs -o size=4m,mode=0755 btfpack-enospc "$MNT" 2> "$WORK/mount.err" ||
	skip "cannot mount a tmpfs: $(cat "$WORK/mount.err")"
trap 'umount "$MNT" 2> /dev/null || umount -l "$MNT" 2> /dev/null; rm -rf "$WORK"' EXIT

fill() { # fill the tmpfs to the last byte (a file that can hold no more)
	head -c 8M /dev/zero > "$MNT/filler" 2> /dev/null || true
}

FLAG=$WORK/paused
for kind in dir tar min lookup; do
	out=$(out_of "$kind" "$MNT")
	write_out "$kind" old "$MNT" || die "$kind: old output: $(cat "$WORK/last.err")"
	OLD=$(fp "$out")
	fill
	rc=0
	write_out "$kind" new "$MNT" || rc=$?
	[ "$rc" -eq 1 ] || die "$kind: on a full filesystem: exit $rc, want 1"
	grep -qF "$out" "$WORK/last.err" || die "$kind: error does not name $out: $(cat "$WORK/last.err")"
	grep -q "No space left on device" "$WORK/last.err" ||
		die "$kind: error does not say why: $(cat "$WORK/last.err")"
	[ "$(fp "$out")" = "$OLD" ] || die "$kind: on a full filesystem the old output changed"
	rm -f "$MNT/filler"
	expect_alone "$out" "$kind: full filesystem"
	log "ok: $kind: full filesystem: exit 1, '$(head -n 1 "$WORK/last.err")', old output intact"

	# a dead run's temp must not keep the space taken
	out_cmd "$kind" new "$MNT"
	start_paused "$FLAG" "${CMD[@]}"
	kill -s KILL "$PID"
	wait_rc "$PID"
	rm -f "$FLAG"
	fill
	write_out "$kind" new "$MNT" ||
		die "$kind: rerun after SIGKILL on a full filesystem: $(cat "$WORK/last.err")"
	rm -f "$MNT/filler"
	expect_alone "$out" "$kind: rerun after SIGKILL"
	log "ok: $kind: a killed run's temp is removed before the rerun needs its space"
	rm -rf "$(dirname "$out")"
done
log "PASS"
