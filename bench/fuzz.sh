#!/usr/bin/env bash
# bench/fuzz.sh SECONDS [HARNESS...]: run libFuzzer harnesses of tests/fuzz
# (btf_min bpf_obj archive_member bundle; default all) for SECONDS each, one
# after the other, and print per harness: executions, exec/s, coverage (cov:
# edges and ft: features, as libFuzzer reports them) and crashes.
#
# Configures and builds a clang fuzz tree (-DBTFPACK_FUZZ=ON) at
# FUZZ_BUILD (default <repo>/build-fuzz). The corpus of each harness
# persists in FUZZ_BUILD/fuzz-corpus/<harness> across runs; the seeds
# (generated and tests/fuzz/seeds) and tests/fuzz/regress are read too.
# Crashes, leaks, timeouts and OOMs land in FUZZ_BUILD/fuzz-artifacts/<harness>/
# and make the script exit 1: copy them to tests/fuzz/regress/<harness>/.
#
# Environment:
#   FUZZ_BUILD=DIR   build tree (default <repo>/build-fuzz)
#   FUZZ_FORK=N      libFuzzer -fork=N -ignore_crashes=1: keep fuzzing after
#                    a crash (long campaigns); default: stop at the first
#   FUZZ_JOBS=N      harnesses run at the same time (default 1)
#   FUZZ_ARGS=...    more libFuzzer flags
#   CLANG=clang-19   compiler
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
ALL=(btf_min bpf_obj archive_member bundle host_find)
BUILD=${FUZZ_BUILD:-$REPO/build-fuzz}
CLANG=${CLANG:-clang-19}

die() { printf 'fuzz: error: %s\n' "$*" >&2; exit 2; }
note() { printf 'fuzz: %s\n' "$*" >&2; }

if [ $# -lt 1 ] || ! [[ $1 =~ ^[1-9][0-9]*$ ]]; then
	die "usage: bench/fuzz.sh SECONDS [HARNESS...] (harnesses: ${ALL[*]})"
fi
SECS=$1
shift
HARNESSES=("$@")
[ ${#HARNESSES[@]} -gt 0 ] || HARNESSES=("${ALL[@]}")
for h in "${HARNESSES[@]}"; do
	[[ " ${ALL[*]} " == *" $h "* ]] || die "unknown harness '$h' (harnesses: ${ALL[*]})"
done
command -v "$CLANG" > /dev/null || die "$CLANG not found (scripts/setup.sh installs it)"

mkdir -p "$BUILD"
note "building the fuzz tree $BUILD"
cmake -S "$REPO" -B "$BUILD" -DCMAKE_C_COMPILER="$CLANG" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DBTFPACK_FUZZ=ON -DBTFPACK_SANITIZE=OFF > "$BUILD/fuzz-cmake.log" 2>&1 ||
	{ tail -n 20 "$BUILD/fuzz-cmake.log" >&2; die "configure failed (log: $BUILD/fuzz-cmake.log)"; }
targets=()
for h in "${HARNESSES[@]}"; do
	targets+=(--target "fuzz_$h")
done
cmake --build "$BUILD" -j"$(nproc)" "${targets[@]}" > "$BUILD/fuzz-build.log" 2>&1 ||
	{ grep -m 10 -E 'error' "$BUILD/fuzz-build.log" >&2; die "build failed (log: $BUILD/fuzz-build.log)"; }

mkdir -p "$BUILD/fuzz-logs"

# run_one HARNESS: fuzz it, leave its log at $BUILD/fuzz-logs/HARNESS.log
run_one() {
	local h=$1 corpus=$BUILD/fuzz-corpus/$1 art=$BUILD/fuzz-artifacts/$1
	local log=$BUILD/fuzz-logs/$1.log fork=()
	mkdir -p "$corpus" "$art"
	rm -f "$art"/*
	[ -z "${FUZZ_FORK:-}" ] || fork=(-fork="$FUZZ_FORK" -ignore_crashes=1 -ignore_ooms=1
		-ignore_timeouts=1)
	# shellcheck disable=SC2086 # FUZZ_ARGS is a list of flags
	"$BUILD/tests/fuzz/fuzz_$h" -max_total_time="$SECS" -print_final_stats=1 \
		-timeout=30 -rss_limit_mb=2048 -artifact_prefix="$art/" "${fork[@]}" \
		${FUZZ_ARGS:-} "$corpus" "$BUILD/tests/fuzz/seeds/$h" \
		"$REPO/tests/fuzz/seeds/$h" "$REPO/tests/fuzz/regress/$h" > "$log" 2>&1
}

# report HARNESS RC: one summary line from the log; returns 1 on findings
report() {
	local h=$1 rc=$2 log=$BUILD/fuzz-logs/$1.log art=$BUILD/fuzz-artifacts/$1
	local execs cov ft crashes
	# plain mode: final stats; fork mode: the last "#N: cov: ..." status line
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	[ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9]*\):* .*cov: .*/\1/p' "$log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
	ft=$(grep -o 'ft: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
	crashes=$(find "$art" -type f | wc -l)
	printf '%-15s execs %10s  exec/s %7s  cov %6s  ft %7s  crashes %s\n' "$h" "${execs:-?}" \
		"$(( ${execs:-0} / SECS ))" "${cov:-?}" "${ft:-?}" "$crashes"
	find "$art" -type f -printf '  artifact: %p\n'
	if [ "$crashes" -gt 0 ] || { [ "$rc" -ne 0 ] && [ -z "${FUZZ_FORK:-}" ]; }; then
		[ "$crashes" -gt 0 ] || printf '  libFuzzer exited %s, see %s\n' "$rc" "$log"
		return 1
	fi
	return 0
}

# at most FUZZ_JOBS harnesses at a time; reports in the order asked
jobs=${FUZZ_JOBS:-1}
[[ $jobs =~ ^[1-9][0-9]*$ ]] || die "FUZZ_JOBS must be a positive number"
declare -A pid=()
running=0
for h in "${HARNESSES[@]}"; do
	if [ "$running" -ge "$jobs" ]; then
		wait -n || true
		running=$((running - 1))
	fi
	note "fuzzing $h for ${SECS}s"
	{ rc=0; run_one "$h" || rc=$?; echo "$rc" > "$BUILD/fuzz-logs/$h.rc"; } &
	pid[$h]=$!
	running=$((running + 1))
done
status=0
for h in "${HARNESSES[@]}"; do
	wait "${pid[$h]}" || true
	report "$h" "$(cat "$BUILD/fuzz-logs/$h.rc")" || status=1
done
[ $status -eq 0 ] || note "findings: reproduce with $BUILD/tests/fuzz/fuzz_HARNESS FILE"
exit $status
