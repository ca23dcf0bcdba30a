#!/usr/bin/env bash
# bench/verify.sh [BUILD_DIR]: what the default self-check costs in
# `btfpack build`: the same build with --no-verify and with verify (the
# default), -j1 so CPU time is the work done, on each corpus. Reports the
# median CPU seconds (user+sys, /usr/bin/time) and wall seconds of RUNS
# rounds, the difference per kernel and as a share of the build.
# Corpora: VERIFY_CORPORA (default: btfhub-android and btfhub-x86 next to
# the repository). CALLGRIND=1 instead runs one verifying build per corpus
# under valgrind's callgrind and reports instruction counts, which do not
# depend on the machine's load: verify_min, minimize_run (with its
# re-parse self-check) and the whole build. See bench/README.md.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

setup_build "${1:-}"
[ -x /usr/bin/time ] || bdie "needs /usr/bin/time (package time)"
CORPORA=${VERIFY_CORPORA:-$REPO/../shared/corpus/btfhub-android $REPO/../shared/corpus/btfhub-x86}

T=$(mktemp -d "${TMPDIR:-/tmp}/btfpack-bench-verify.XXXXXX")
trap 'rm -rf "$T"' EXIT


# run_one TAG CORPUS OPT...: one build, appends "cpu wall" to $T/TAG
run_one() {
	local tag=$1 corpus=$2
	shift 2
	/usr/bin/time -f '%U %S %e' -o "$T/time" "$BTFPACK" build -q -j1 "$@" \
		-o "$T/bundle.tar" "${OBJ_ARGS[@]}" "$corpus" > /dev/null 2>&1 ||
		bdie "btfpack build $* $corpus failed"
	awk '{ printf "%.3f %.3f\n", $1 + $2, $3 }' "$T/time" >> "$T/$tag"
}

# callgrind_one CORPUS: instruction shares of one verifying build
callgrind_one() {
	local corpus=$1 n out
	n=$(find "$corpus" -name '*.btf.tar.xz' | wc -l)
	out=$T/cg.out
	valgrind --tool=callgrind --callgrind-out-file="$out" "$BTFPACK" build -q -j1 \
		-o "$T/bundle.tar" "${OBJ_ARGS[@]}" "$corpus" > "$T/cg.log" 2>&1 ||
		bdie "btfpack build under callgrind failed on $corpus (log: $T/cg.log)"
	callgrind_annotate --inclusive=yes --threshold=100 "$out" 2> /dev/null |
		awk -v name="$(basename "$corpus")" -v n="$n" '
		function num(s) { gsub(",", "", s); return s + 0 }
		/PROGRAM TOTALS/ { total = num($1) }
		/:verify_min / { verify = num($1) }
		/:minimize_run / { minimize = num($1) }
		END {
			if (!total || !verify) { print name ": no figures (symbols missing?)"; exit }
			printf "%-22s %7d %14.0f %12.2f %10.0f %10.0f\n", name, n, total / n,
				100 * verify / total, verify / n, minimize / n
		}'
}

median() { sort -g | awk '{ v[NR] = $1 } END {
	printf "%.3f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

if [ -n "${CALLGRIND:-}" ]; then
	command -v valgrind > /dev/null || bdie "CALLGRIND=1 needs valgrind"
	say "verify cost in btfpack build -j1 ($BTFPACK), instructions (callgrind)"
	printf '%-22s %7s %14s %12s %10s %10s\n' corpus kernels "instr/kernel" "% verify" \
		"verify/k" "minimize/k"
	for corpus in $CORPORA; do
		[ -d "$corpus" ] || { note "no corpus at $corpus, skipped"; continue; }
		callgrind_one "$corpus"
	done
	exit 0
fi

say "verify cost in btfpack build -j1 ($BTFPACK), median of $RUNS rounds"
printf '%-22s %7s %12s %12s %12s %10s %8s\n' corpus kernels "cpu no-vrfy" "cpu verify" \
	"wall no-vrfy" "ms/kernel" "% cpu"
for corpus in $CORPORA; do
	[ -d "$corpus" ] || { note "no corpus at $corpus, skipped"; continue; }
	n=$(find "$corpus" -name '*.btf.tar.xz' | wc -l)
	[ "$n" -gt 0 ] || { note "no *.btf.tar.xz under $corpus, skipped"; continue; }
	rm -f "$T/off" "$T/on"
	run_one off "$corpus" --no-verify	# warm-up
	: > "$T/off"
	for ((r = 0; r < RUNS; r++)); do
		run_one off "$corpus" --no-verify
		run_one on "$corpus"
	done
	c_off=$(cut -d ' ' -f 1 "$T/off" | median)
	c_on=$(cut -d ' ' -f 1 "$T/on" | median)
	w_off=$(cut -d ' ' -f 2 "$T/off" | median)
	printf '%-22s %7d %12s %12s %12s %10s %8s\n' "$(basename "$corpus")" "$n" "$c_off" "$c_on" \
		"$w_off" "$(calc "($c_on - $c_off) * 1000 / $n" %.2f)" \
		"$(calc "($c_on - $c_off) * 100 / $c_off" %.1f)"
done
