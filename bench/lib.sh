# Shared helpers of the benchmark scripts (sourced, not run).
#
# Environment:
#   RUNS=N              timed runs per command (default 5; the median is kept)
#   BTFPACK_CORPUS=DIR  btfhub-android corpus (default <repo>/../shared/corpus/btfhub-android)
#   BPFTOOL=PATH        bpftool (default: from PATH or /usr/sbin)
#   BENCH_CMAKE_ARGS    extra arguments for configuring the release tree
#   NO_HYPERFINE=1      time with a shell loop even if hyperfine is installed

BENCH_NAME=$(basename "$0" .sh)
REPO=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-5}
CORPUS=${BTFPACK_CORPUS:-$REPO/../shared/corpus/btfhub-android}
BPFTOOL=${BPFTOOL:-$(command -v bpftool || command -v /usr/sbin/bpftool || true)}

# json_flat (needs JSON_FLAT, set by setup_build), jget
need_exe() { [ -x "$2" ] || bdie "$1 not found or not executable: ${2:-<unset>} (build it)"; }
. "$REPO/tests/integration/build_lib.sh"

say() { printf '%s\n' "$*"; }
note() { printf '%s: %s\n' "$BENCH_NAME" "$*" >&2; }
bdie() { printf '%s: error: %s\n' "$BENCH_NAME" "$*" >&2; exit 1; }

# setup_build [BUILD_DIR]: sets BUILD, BTFPACK, OBJ_DIR, OBJECTS and
# OBJ_ARGS (--obj OBJ for each, as btfpack build takes them). Without
# BUILD_DIR, configures and builds <repo>/build-release (Release, no
# sanitizers) first.
setup_build() {
	if [ -n "${1:-}" ]; then
		BUILD=$(cd "$1" && pwd)
		if grep -q '^BTFPACK_SANITIZE:BOOL=ON' "$BUILD/CMakeCache.txt" 2> /dev/null; then
			note "warning: $BUILD is a sanitizer build; figures will not be representative"
		fi
	else
		BUILD=$REPO/build-release
		note "configuring and building the release tree $BUILD"
		mkdir -p "$BUILD"
		# shellcheck disable=SC2086
		cmake -S "$REPO" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DBTFPACK_SANITIZE=OFF \
			-DBTFPACK_TESTS=ON ${BENCH_CMAKE_ARGS:-} > "$BUILD/bench-cmake.log" 2>&1 ||
			{ tail -n 20 "$BUILD/bench-cmake.log" >&2; bdie "cmake configure failed (log: $BUILD/bench-cmake.log)"; }
		cmake --build "$BUILD" -j"$(nproc)" --target btfpack bpf_test_objects btfpack-json-flat > "$BUILD/bench-build.log" 2>&1 ||
			{ grep -m 5 -E 'error' "$BUILD/bench-build.log" >&2; bdie "release build failed (log: $BUILD/bench-build.log)"; }
	fi
	BTFPACK=$BUILD/cmd/btfpack
	JSON_FLAT=$BUILD/tests/tools/btfpack-json-flat
	OBJ_DIR=$BUILD/tests/bpf
	[ -x "$BTFPACK" ] || bdie "no btfpack binary at $BTFPACK"
	OBJECTS=()
	local f
	for f in "$OBJ_DIR"/*.bpf.o; do
		[ -e "$f" ] && OBJECTS+=("$f")
	done
	[ ${#OBJECTS[@]} -gt 0 ] || bdie "no BPF test objects in $OBJ_DIR"
	OBJ_ARGS=()
	for f in "${OBJECTS[@]}"; do
		OBJ_ARGS+=(--obj "$f")
	done
}

# load_archives: ARCHIVES = the corpus *.btf.tar.xz, sorted
load_archives() {
	ARCHIVES=()
	[ -d "$CORPUS" ] || bdie "corpus not found at $CORPUS (set BTFPACK_CORPUS)"
	local f
	while IFS= read -r -d '' f; do
		ARCHIVES+=("$f")
	done < <(find "$CORPUS" -name '*.btf.tar.xz' -print0 | sort -z)
	[ ${#ARCHIVES[@]} -gt 0 ] || bdie "no *.btf.tar.xz under $CORPUS"
}

need_bpftool() {
	[ -n "$BPFTOOL" ] && [ -x "$BPFTOOL" ] || bdie "bpftool not found (set BPFTOOL)"
}

# time_cmds OUTPREFIX CMD...: median wall seconds of each shell command CMD
# over RUNS runs, in MEDIANS[] (same order), the fastest and slowest runs in
# MINS[] and MAXS[]. Every command runs once to warm up; then the runs go
# in rounds (CMD1 CMD2 ... CMD1 CMD2 ...) so that a change in the machine's
# load hits all commands alike. Each round is timed by hyperfine (--runs 1
# --export-json OUTPREFIX.rN.json) when installed, else by date +%s%N.
TIMER=loop
if [ -z "${NO_HYPERFINE:-}" ] && command -v hyperfine > /dev/null; then
	TIMER=hyperfine
fi
time_cmds() {
	local prefix=$1 i r t0 t1 cmd
	shift
	local n=$#
	MEDIANS=() MINS=() MAXS=()
	for ((i = 0; i < n; i++)); do
		: > "$prefix.$i.times"
	done
	for cmd in "$@"; do
		bash -c "$cmd" > /dev/null 2>&1 || bdie "command failed: $cmd"
	done
	for ((r = 0; r < RUNS; r++)); do
		if [ "$TIMER" = hyperfine ]; then
			hyperfine --shell=bash --style none --runs 1 \
				--export-json "$prefix.r$r.json" "$@" > "$prefix.log" 2>&1 ||
				{ tail -n 5 "$prefix.log" >&2; bdie "hyperfine failed: $*"; }
			json_flat "$prefix.r$r.json" > "$prefix.r$r.flat"
			for ((i = 0; i < n; i++)); do
				jget "$prefix.r$r.flat" "results.$i.times.0" >> "$prefix.$i.times"
			done
		else
			i=0
			for cmd in "$@"; do
				t0=$(date +%s%N)
				bash -c "$cmd" > /dev/null 2>&1 || bdie "command failed: $cmd"
				t1=$(date +%s%N)
				awk -v d=$((t1 - t0)) 'BEGIN { printf "%.6f\n", d / 1e9 }' >> "$prefix.$i.times"
				i=$((i + 1))
			done
		fi
	done
	for ((i = 0; i < n; i++)); do
		MEDIANS+=("$(sort -g "$prefix.$i.times" | awk '{ v[NR] = $1 } END {
			printf "%.6f\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')")
		MINS+=("$(sort -g "$prefix.$i.times" | head -n 1)")
		MAXS+=("$(sort -g "$prefix.$i.times" | tail -n 1)")
	done
}

# calc EXPR: awk arithmetic, printed with %.3f unless FMT given
calc() { awk "BEGIN { printf \"${2:-%.3f}\", ($1) }"; }

# quote ARGS...: one shell-quoted string
quote() { printf '%q ' "$@"; }
