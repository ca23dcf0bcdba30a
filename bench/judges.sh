#!/usr/bin/env bash
# bench/judges.sh [BUILD_DIR]: the full judges run (issue 10): every judge
# built (libbpf 1.1.2, libbpf 1.5.0, cilium/ebpf 0.9.1, 0.11.0) x every kernel
# (synthetic, the running kernel, all of btfhub-android and btfhub-x86) x
# every object (test objects, synthetic probes, the libbpf-tools objects),
# full BTF against `btfpack min` for the object alone. Prints the per-judge
# figures (pairs compared, refused by reason, differing pairs and decision
# lines) and the wall time; the differing pairs' diffs and coverage.txt stay
# in JUDGES_OUT (default <build>/judges-out). The same run as
# tests/integration/judges.sh with --sample=0 (all corpus kernels).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if [ -n "${1:-}" ]; then
	setup_build "$1"
else
	setup_build
	cmake --build "$BUILD" -j"$(nproc)" --target btfpack-judge synth_fixtures all \
		> "$BUILD/bench-build.log" 2>&1 ||
		{ grep -m 5 -E 'error' "$BUILD/bench-build.log" >&2; bdie "build of the judges failed"; }
fi
OUT=${JUDGES_OUT:-$BUILD/judges-out}
judges=$(find "$BUILD/tests/judge" -maxdepth 1 -type f -name 'btfpack-judge*' -perm -u+x | sort | paste -sd:)
[ -n "$judges" ] || bdie "no judge built in $BUILD/tests/judge"
tools=${BTFPACK_LIBBPF_TOOLS_DIR:-/var/cache/btfpack/libbpf-tools/objs}
[ -d "$tools" ] || note "no libbpf-tools objects at $tools (scripts/fetch-libbpf-tools-objs.sh)"

t0=$(date +%s)
rc=0
bash "$REPO/tests/integration/judges.sh" --sample=0 "--keep=$OUT" "--judges=$judges" \
	"--libbpf-tools=$tools" "--corpus-x86=$REPO/../shared/corpus/btfhub-x86" \
	"--btfpack=$BTFPACK" "--bpf-obj-dir=$OBJ_DIR" "--synth-dir=$BUILD/tests/fixtures" \
	"--corpus=$CORPUS" > "$OUT.log" 2>&1 || rc=$?
t1=$(date +%s)
say "judges: $(awk -F'\t' '{print $3}' "$OUT/results.tsv" | sort -u | wc -l) kernels," \
	"$(awk -F'\t' '{print $4}' "$OUT/results.tsv" | sort -u | wc -l) objects, $((t1 - t0)) s wall (exit $rc)"
for g in $(cut -f1 "$OUT/results.tsv" | sort -u); do
	awk -F'\t' -v g="$g" '$1 == g' "$OUT/results.tsv" > "$OUT/results.$g.tsv"
	mkdir -p "$OUT/by-group/$g"
	cp "$OUT/results.$g.tsv" "$OUT/by-group/$g/results.tsv"
	say "group $g ($(cut -f3 "$OUT/results.$g.tsv" | sort -u | wc -l) kernels):"
	bash "$REPO/tests/judge/compare.sh" summary "$OUT/by-group/$g" | sed 's/^/  /' || true
done
say "all groups:"
bash "$REPO/tests/judge/compare.sh" summary "$OUT" | sed 's/^/  /' || true
say "log: $OUT.log; diffs: $OUT/diffs; coverage: $OUT/coverage.txt"
