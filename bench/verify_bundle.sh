#!/usr/bin/env bash
# bench/verify_bundle.sh [BUILD_DIR]: what `btfpack verify BUNDLE --hub HUB`
# costs next to the `btfpack build` that made BUNDLE, on each corpus
# (VERIFY_CORPORA, default btfhub-android and btfhub-x86): median CPU
# seconds (user+sys) and wall seconds of RUNS rounds at -j1, and wall at
# -j2, with the entries and decisions verify compared. Wall times mean
# little on a loaded machine (uptime is printed). See bench/README.md.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

setup_build "${1:-}"
[ -x /usr/bin/time ] || bdie "needs /usr/bin/time (package time)"
CORPORA=${VERIFY_CORPORA:-$REPO/../shared/corpus/btfhub-android $REPO/../shared/corpus/btfhub-x86}

T=$(mktemp -d "${TMPDIR:-/tmp}/btfpack-bench-verify-bundle.XXXXXX")
trap 'rm -rf "$T"' EXIT

# timed TAG CMD...: one run, appends "cpu wall" to $T/TAG
timed() {
	local tag=$1
	shift
	/usr/bin/time -f '%U %S %e' -o "$T/time" "$@" > "$T/last.out" 2> "$T/last.err" ||
		bdie "$* failed: $(head -n 3 "$T/last.err")"
	awk '{ printf "%.3f %.3f\n", $1 + $2, $3 }' "$T/time" >> "$T/$tag"
}

# median TAG COLUMN
median() { cut -d ' ' -f "$2" "$T/$1" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

say "load: $(uptime | sed 's/.*load average: //')"
say "corpus            kernels  decisions  build -j1 cpu  wall  verify -j1 cpu  wall  verify -j2 wall  verify/build cpu"
for corpus in $CORPORA; do
	[ -d "$corpus" ] || { note "no corpus at $corpus: skipped"; continue; }
	name=$(basename "$corpus")
	rm -f "$T"/build.* "$T"/v1.* "$T"/v2.*
	for _ in $(seq 1 "$RUNS"); do
		timed "build.$name" "$BTFPACK" build -q -j1 -o "$T/bundle.tar.xz" "${OBJ_ARGS[@]}" "$corpus"
		timed "v1.$name" "$BTFPACK" verify -q -j1 "$T/bundle.tar.xz" --hub "$corpus" "${OBJ_ARGS[@]}"
		timed "v2.$name" "$BTFPACK" verify -j2 "$T/bundle.tar.xz" --hub "$corpus" "${OBJ_ARGS[@]}"
	done
	summary=$(grep '^verify: ' "$T/last.out")
	kernels=$(sed -n 's/^verify: \([0-9]*\) entries.*/\1/p' <<< "$summary")
	decisions=$(sed -n 's/.*; \([0-9]*\) decisions compared.*/\1/p' <<< "$summary")
	b=$(median "build.$name" 1) bw=$(median "build.$name" 2)
	c=$(median "v1.$name" 1) w=$(median "v1.$name" 2) w2=$(median "v2.$name" 2)
	printf '%-17s %7s %10s %14s %5s %15s %5s %16s %17s\n' "$name" "$kernels" "$decisions" "$b" \
		"$bw" "$c" "$w" "$w2" "$(awk -v c="$c" -v b="$b" 'BEGIN { printf "%.2f", (b > 0) ? c / b : 0 }')"
	note "$name: $summary"
done
