#!/usr/bin/env bash
# out_signals: what a run leaves next to its output when it is stopped, and
# what a second run for the same output does. For every command that writes
# (build to a directory, build to a .tar.xz, min, lookup), a run replacing
# an old output is paused just before its commit (the test-only hook
# BTFPACK_TEST_PAUSE_BEFORE_COMMIT) and then:
#   SIGTERM / SIGINT / SIGHUP: exit 143 / 130 / 129, the old output intact,
#     nothing else left next to it;
#   SIGKILL: the old output intact; a rerun writes the new output and
#     leaves nothing else (the dead run's temp and lock file are gone);
#   a second run for the same output meanwhile: exit 1 with a message
#     naming the output, the first run's temp untouched; the first then
#     commits.
# Stale temps: only a dead pid's "<out>.tmp.<pid>.XXXXXX" is removed; a
# live pid's, one without a pid (older btfpack) and look-alikes stay; a dead
# run's aside of the old bundle ("<out>.old.<pid>.XXXXXX", out missing) is
# put back. Two builds to one directory started together, several times:
# each exits 0 or with the lock message, the bundle is whole, nothing left.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/out_lib.sh"
it_parse_args "$@"
out_setup
# job control: background runs get SIGINT like foreground ones
set -m

FLAG=$WORK/paused
KINDS=(dir tar min lookup)

for kind in "${KINDS[@]}"; do
	out=$(out_of "$kind")
	write_out "$kind" new || die "$kind: new output: $(cat "$WORK/last.err")"
	NEW=$(fp "$out")
	write_out "$kind" old || die "$kind: old output: $(cat "$WORK/last.err")"
	OLD=$(fp "$out")
	[ "$OLD" != "$NEW" ] || die "$kind: old and new outputs are equal; the test proves nothing"

	for sig in TERM INT HUP; do
		out_cmd "$kind" new
		start_paused "$FLAG" "${CMD[@]}"
		kill -s "$sig" "$PID"
		wait_rc "$PID"; rc=$RC
		want=$((128 + $(kill -l "$sig")))
		[ "$rc" -eq "$want" ] || die "$kind: SIG$sig: exit $rc, want $want"
		[ "$(fp "$out")" = "$OLD" ] || die "$kind: SIG$sig: the old output changed"
		expect_alone "$out" "$kind: SIG$sig"
		log "ok: $kind: SIG$sig before the commit: exit $rc, old output intact, nothing left"
	done

	out_cmd "$kind" new
	start_paused "$FLAG" "${CMD[@]}"
	kill -s KILL "$PID"
	wait_rc "$PID"; rc=$RC
	rm -f "$FLAG"
	[ "$rc" -eq 137 ] || die "$kind: SIGKILL: exit $rc"
	[ "$(fp "$out")" = "$OLD" ] || die "$kind: SIGKILL: the old output changed"
	listing "$out" | grep -q '\.tmp\.' || die "$kind: SIGKILL left no temp (the test proves nothing)"
	write_out "$kind" new || die "$kind: rerun after SIGKILL failed: $(cat "$WORK/last.err")"
	[ "$(fp "$out")" = "$NEW" ] || die "$kind: rerun after SIGKILL: not the new output"
	expect_alone "$out" "$kind: rerun after SIGKILL"
	log "ok: $kind: SIGKILL, then a rerun: new output, the dead run's temp and lock gone"

	write_out "$kind" old || die "$kind: old output again"
	out_cmd "$kind" new
	start_paused "$FLAG" "${CMD[@]}"
	before=$(listing "$out")
	rc=0
	write_out "$kind" new || rc=$?
	[ "$rc" -eq 1 ] || die "$kind: a second run while the first writes: exit $rc, want 1"
	grep -qF "$out: another btfpack run is writing it" "$WORK/last.err" ||
		die "$kind: second run's message does not say the output is busy: $(cat "$WORK/last.err")"
	[ "$(listing "$out")" = "$before" ] || die "$kind: the second run touched the first's files"
	rm -f "$FLAG"
	wait_rc "$PID"; rc=$RC
	[ "$rc" -eq 0 ] || die "$kind: the first run, let go, exited $rc: $(cat "$WORK/bg.err")"
	[ "$(fp "$out")" = "$NEW" ] || die "$kind: the first run did not commit the new output"
	expect_alone "$out" "$kind: two runs"
	log "ok: $kind: a second run fails at once naming the output; the first commits"
done

# ---- which stale temps go ----
out=$(out_of tar)
dir=$(dirname "$out")
write_out tar old || die "tar: old output"
sleep 1000 &
live=$!
(exit 0) &
dead=$!
wait "$dead" || true
keep=("out.tar.xz.tmp.$live.aB3dE9" "out.tar.xz.tmp.Ab3De9" "out.tar.xz.tmp.$dead.aB3dE9x"
	"out.tar.xz.tmp.$dead.aB3d" "other.tar.xz.tmp.$dead.aB3dE9" "out.tar.xz.tmp.x$dead.aB3dE9")
for f in "${keep[@]}"; do
	echo stale > "$dir/$f"
done
echo stale > "$dir/out.tar.xz.tmp.$dead.aB3dE9"
mkdir "$dir/out.tar.xz.tmp.$dead.Zz9Yy8"
echo stale > "$dir/out.tar.xz.tmp.$dead.Zz9Yy8/partial"
write_out tar new || die "tar: new output with stale temps around: $(cat "$WORK/last.err")"
kill "$live"
wait "$live" 2> /dev/null || true
for f in "out.tar.xz.tmp.$dead.aB3dE9" "out.tar.xz.tmp.$dead.Zz9Yy8"; do
	[ ! -e "$dir/$f" ] || die "stale temp of a dead pid not removed: $f"
done
for f in "${keep[@]}"; do
	[ -e "$dir/$f" ] || die "removed $f, which is not provably a dead temp of out.tar.xz"
	rm -f "$dir/$f"
done
expect_alone "$out" "stale temps"
log "ok: stale temps: a dead pid's file and directory removed; live, pid-less and look-alike names kept"

# a dead run's aside of the old bundle, with nothing at -o: put back
out=$(out_of dir)
write_out dir old || die "dir: old output"
OLD=$(fp "$out")
mv "$out" "$(dirname "$out")/out.old.$dead.aB3dE9"
out_cmd dir new
start_paused "$FLAG" "${CMD[@]}"
[ "$(fp "$out")" = "$OLD" ] || die "dir: the dead run's aside of the old bundle was not put back"
kill -s TERM "$PID"
wait_rc "$PID"; rc=$RC
[ "$rc" -eq 143 ] || die "dir: SIGTERM after the repair: exit $rc"
[ "$(fp "$out")" = "$OLD" ] || die "dir: the put-back bundle changed"
expect_alone "$out" "dir: aside put back"
log "ok: dir: a dead run's aside of the old bundle is put back when -o is missing"

# ---- two builds to one directory, started together ----
out=$(out_of dir)
write_out dir new || die "dir: new output"
NEW=$(fp "$out")
out_cmd dir new
for round in 1 2 3 4 5 6; do
	"${CMD[@]}" 2> "$WORK/a.err" &
	a=$!
	"${CMD[@]}" 2> "$WORK/b.err" &
	b=$!
	ok=0
	for p in "$a:$WORK/a.err" "$b:$WORK/b.err"; do
		wait_rc "${p%%:*}"; rc=$RC
		if [ "$rc" -eq 0 ]; then
			ok=$((ok + 1))
		elif [ "$rc" -ne 1 ] || ! grep -qF "$out: another btfpack run is writing it" "${p#*:}"; then
			die "concurrent builds, round $round: exit $rc: $(cat "${p#*:}")"
		fi
	done
	[ "$ok" -ge 1 ] || die "concurrent builds, round $round: neither succeeded"
	[ "$(fp "$out")" = "$NEW" ] || die "concurrent builds, round $round: the bundle is not whole"
	expect_alone "$out" "concurrent builds, round $round"
done
log "ok: two builds to one directory, 6 rounds: each exits 0 or names the busy output; bundle whole, nothing left"
log "PASS"
