#!/usr/bin/env bash
# out_crash: a bundle replacement killed at any moment. A build replacing an
# old bundle (a directory, and a .tar.xz) is run under strace with SIGKILL
# injected at the entry of its Nth rename, renameat, renameat2, unlink,
# unlinkat, rmdir, mkdir or mkdirat, for every N until the run makes fewer
# calls (so at every point where it changes the directory tree). After each
# kill: -o holds the old or the new bundle, whole, never nothing and never
# a mix; a rerun then writes the new bundle and leaves nothing else next
# to it. Needs strace and ptrace; skips otherwise.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/out_lib.sh"
it_parse_args "$@"
command -v strace > /dev/null || skip "strace not installed (scripts/setup.sh installs it)"
strace -f -o /dev/null true 2> /dev/null || skip "strace cannot trace here (ptrace not permitted)"
out_setup
# LeakSanitizer cannot run under ptrace; the killed runs leak by design
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

SYSCALLS=(rename renameat renameat2 unlink unlinkat rmdir mkdir mkdirat)

for kind in dir tar; do
	out=$(out_of "$kind")
	write_out "$kind" new || die "$kind: new bundle: $(cat "$WORK/last.err")"
	NEW=$(fp "$out")
	write_out "$kind" old || die "$kind: old bundle: $(cat "$WORK/last.err")"
	OLD=$(fp "$out")
	points=0
	for sc in "${SYSCALLS[@]}"; do
		n=1
		while :; do
			out_cmd "$kind" new
			rc=0
			strace -f -o /dev/null -e trace="$sc" -e inject="$sc:signal=KILL:when=$n" \
				"${CMD[@]}" 2> "$WORK/k.err" || rc=$?
			now=$(fp "$out")
			if [ "$now" != "$OLD" ] && [ "$now" != "$NEW" ]; then
				what="a mix of both"
				[ -e "$out" ] || what=nothing
				die "$kind: killed at $sc #$n: -o holds $what"
			fi
			[ "$rc" -eq 137 ] || break
			points=$((points + 1))
			write_out "$kind" new || die "$kind: rerun after a kill at $sc #$n: $(cat "$WORK/last.err")"
			[ "$(fp "$out")" = "$NEW" ] || die "$kind: rerun after a kill at $sc #$n: not the new bundle"
			expect_alone "$out" "$kind: rerun after a kill at $sc #$n"
			write_out "$kind" old || die "$kind: old bundle again"
			n=$((n + 1))
		done
		# the run made n-1 such calls and then finished
		[ "$rc" -eq 0 ] || die "$kind: run under strace ($sc) exited $rc: $(head -c 300 "$WORK/k.err")"
		expect_alone "$out" "$kind: the run that was not killed"
		write_out "$kind" old || die "$kind: old bundle again"
	done
	[ "$points" -gt 0 ] || die "$kind: no kill point was reached (strace injection not working?)"
	log "ok: $kind: killed at each of $points points: -o always held the old or the new bundle; each rerun left nothing"
done
log "PASS"
