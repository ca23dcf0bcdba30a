#!/usr/bin/env bash
# bench/cache.sh [BUILD_DIR]: `btfpack build --cache` on the corpus with the
# test objects, all measured in one run (median of RUNS = 3):
#   (a) cold: an empty cache, every kernel decoded, minimized and stored
#   (b) the same build without --cache
#   (c) rerun with nothing changed (every result from the cache)
#   (d) rerun with new relocations (one more object) and a warm
#       decoded-source cache: results miss, no archive is decompressed
#   (e) the floor: xz -dc of every input, 2 in parallel, to /dev/null
# then the cache's bytes on disk per kernel, peak RSS of (a), (c) and (d)
# at -j2 (/usr/bin/time -f %M), and measured against target.
# Without BUILD_DIR a release tree is configured and built at
# <repo>/build-release. See bench/README.md.
set -euo pipefail
RUNS=${RUNS:-3}
. "$(dirname "$0")/lib.sh"

setup_build "${1:-}"
load_archives
[ ${#OBJECTS[@]} -ge 2 ] || bdie "need at least 2 test objects"
T=$(mktemp -d "${TMPDIR:-/tmp}/btfpack-bench-cache.XXXXXX")
trap 'rm -rf "$T"' EXIT
printf '%s\0' "${ARCHIVES[@]}" > "$T/archives"
in_bytes=$(cat "${ARCHIVES[@]}" | wc -c)
K=${#ARCHIVES[@]}

# set A: every object but the last; the "new relocations" run adds it
A_ARGS=("${OBJ_ARGS[@]:0:$((${#OBJ_ARGS[@]} - 2))}")
build() { quote "$BTFPACK" build -q -j2 -o "$T/bundle.tar.xz" "$@" "$CORPUS"; }

# the warm caches: results and sources for A
"$BTFPACK" build -q -j2 -o "$T/warm.tar.xz" --cache "$T/cwarm" "${A_ARGS[@]}" "$CORPUS" ||
	bdie "priming the cache failed"
cp -a "$T/cwarm" "$T/cnew"

c_cold="rm -rf $(quote "$T/ccold"); $(build --cache "$T/ccold" "${A_ARGS[@]}")"
c_plain="$(build "${A_ARGS[@]}")"
c_warm="$(build --cache "$T/cwarm" "${A_ARGS[@]}")"
c_new="rm -rf $(quote "$T/cnew/v1/res"); $(build --cache "$T/cnew" "${OBJ_ARGS[@]}")"
c_floor="xargs -0 -n 1 -P 2 xz -dc < $(quote "$T/archives") > /dev/null"

say "btfpack build --cache on $CORPUS"
say "  btfpack: $BTFPACK ($(grep -m 1 '^CMAKE_BUILD_TYPE' "$BUILD/CMakeCache.txt" 2> /dev/null | cut -d = -f 2 || echo '?'))"
say "  $K kernels, $(calc "$in_bytes / 1048576" %.1f) MiB of .tar.xz; ${#OBJECTS[@]} objects (set A: $((${#OBJECTS[@]} - 1)), new relocations: all)"
say "  median of $RUNS runs, in rounds after a warm-up (timer: $TIMER); CPU: $(nproc) online"
say ""

time_cmds "$T/times" "$c_cold" "$c_plain" "$c_warm" "$c_new" "$c_floor"
t_cold=${MEDIANS[0]} t_plain=${MEDIANS[1]} t_warm=${MEDIANS[2]} t_new=${MEDIANS[3]} t_fl=${MEDIANS[4]}
printf '%-66s %9s %8s %8s\n' "command" "median s" "min" "max"
labels=("(a) cold: empty --cache, -j2"
	"(b) the same build without --cache"
	"(c) rerun, nothing changed (results cached)"
	"(d) rerun, new relocations (one more object), sources cached"
	"(e) floor: xz -dc of every input, 2 in parallel")
for i in 0 1 2 3 4; do
	printf '%-66s %9.3f %8.3f %8.3f\n' "${labels[$i]}" "${MEDIANS[$i]}" "${MINS[$i]}" "${MAXS[$i]}"
done
say ""

# what the cache holds after (a): decoded sources and results
bytes_of() { find "$1" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'; }
b_src=$(bytes_of "$T/ccold/v1/src")
b_res=$(bytes_of "$T/ccold/v1/res")
say "cache after (a): $(calc "($b_src + $b_res) / 1048576" %.2f) MiB; per kernel $(calc "$b_src / $K / 1024" %.1f) KiB decoded source + $(calc "$b_res / $K / 1024" %.1f) KiB result ($(calc "$b_src / $in_bytes" %.2f)x the .tar.xz inputs)"

# peak RSS (the largest of 3 runs) and CPU seconds (user + sys, median of
# 3): on a shared machine wall time depends on the neighbours, CPU less so
measure() { # CMD: sets M_RSS (KiB) and M_CPU (s)
	local r
	: > "$T/cpu"
	M_RSS=0
	for _ in 1 2 3; do
		/usr/bin/time -f '%M %U %S' -o "$T/rss" bash -c "$1" > /dev/null 2>&1 || bdie "failed under /usr/bin/time: $1"
		read -r r u s < <(tail -n 1 "$T/rss")
		[ "$r" -gt "$M_RSS" ] && M_RSS=$r
		calc "$u + $s" %.2f >> "$T/cpu"
		echo >> "$T/cpu"
	done
	M_CPU=$(sort -g "$T/cpu" | sed -n 2p)
}
rss=
if [ -x /usr/bin/time ]; then
	measure "$c_cold"; rss_cold=$M_RSS cpu_cold=$M_CPU
	measure "$c_plain"; cpu_plain=$M_CPU
	measure "$c_warm"; rss_warm=$M_RSS cpu_warm=$M_CPU
	measure "$c_new"; rss_new=$M_RSS cpu_new=$M_CPU
	measure "$c_floor"; cpu_fl=$M_CPU
	rss=$rss_cold
	[ "$rss_warm" -gt "$rss" ] && rss=$rss_warm
	[ "$rss_new" -gt "$rss" ] && rss=$rss_new
	say "peak RSS -j2 (max of 3 runs): cold $((rss_cold / 1024)) MiB, nothing changed $((rss_warm / 1024)) MiB, new relocations $((rss_new / 1024)) MiB"
	say "CPU s (user+sys, median of 3): (a) $cpu_cold (b) $cpu_plain (c) $cpu_warm (d) $cpu_new (e) $cpu_fl"
else
	note "no /usr/bin/time (package time): peak RSS and CPU not measured"
fi
say ""

verdict() { [ "$(calc "$1" %d)" -eq 1 ] && echo met || echo MISSED; }
r_cold=$(calc "$t_cold / $t_fl")
r_warm=$(calc "$t_warm / $t_cold")
r_new=$(calc "$t_new / $t_fl")
say "summary                                              measured       target"
printf '%-50s %10s %12s  %s\n' "(a) cold with cache / floor" "$r_cold" "<= 1.10" "$(verdict "$r_cold <= 1.10")"
printf '%-50s %10s %12s\n' "(b) without cache / floor" "$(calc "$t_plain / $t_fl")" ""
printf '%-50s %10s %12s  %s\n' "(c) nothing changed / (a) cold" "$r_warm" "<= 0.05" "$(verdict "$r_warm <= 0.05")"
printf '%-50s %10s %12s  %s\n' "(d) new relocations / floor" "$r_new" "<= 0.3" "$(verdict "$r_new <= 0.3")"
if [ -n "$rss" ]; then
	printf '%-50s %10s %12s\n' "CPU: (a) / (e), (c) / (a), (d) / (e)" \
		"$(calc "$cpu_cold / $cpu_fl") $(calc "$cpu_warm / $cpu_cold") $(calc "$cpu_new / $cpu_fl")" ""
	printf '%-50s %10s %12s  %s\n' "peak RSS -j2 (MiB)" "$(calc "$rss / 1024" %.1f)" "<= 100" \
		"$(verdict "$rss <= 102400")"
fi
