#!/usr/bin/env bash
# bench/build.sh [BUILD_DIR]: `btfpack build` on the corpus against the
# per-kernel loop it replaces, all measured in one run (median of RUNS = 5):
#   (a) btfpack build -j2 -o bundle.tar.xz <test objects> CORPUS
#   (b) the anchors' loop, sequential: per kernel untar to disk (tar -xJf),
#       bpftool gen min_core_btf, delete the source; then tar+xz the outputs
#   (c) the same loop with 2 workers (xargs -P2)
#   (d) the floor: xz -dc of every input, 2 in parallel, to /dev/null
# then peak RSS of (a) (/usr/bin/time -f %M) and the bundle's size against a
# tar.xz of bpftool's outputs, and a summary of measured vs target.
# Without BUILD_DIR a release tree is configured and built at
# <repo>/build-release. See bench/README.md.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

setup_build "${1:-}"
need_bpftool
load_archives
[ -x /usr/bin/time ] || note "no /usr/bin/time (package time): peak RSS not measured"

T=$(mktemp -d "${TMPDIR:-/tmp}/btfpack-bench-build.XXXXXX")
trap 'rm -rf "$T"' EXIT

printf '%s\0' "${ARCHIVES[@]}" > "$T/archives"
in_bytes=$(cat "${ARCHIVES[@]}" | wc -c)

# one kernel of the anchors' loop: untar to disk, minimize, delete
cat > "$T/anchor_one.sh" <<'EOF'
#!/usr/bin/env bash
# anchor_one.sh ARCHIVE CORPUS OUTDIR WORKDIR BPFTOOL OBJ...
set -euo pipefail
a=$1 corpus=$2 outdir=$3 workdir=$4 bpftool=$5
shift 5
rel=${a#"$corpus"/}
out=$outdir/${rel%.tar.xz}
w=$(mktemp -d "$workdir/k.XXXXXX")
tar -xJf "$a" -C "$w"
src=$(find "$w" -type f -name '*.btf' | head -n 1)
mkdir -p "$(dirname "$out")"
"$bpftool" gen min_core_btf "$src" "$out" "$@" > /dev/null 2>&1
rm -rf "$w"
EOF

# the whole loop with P workers, then the outputs packed with tar+xz
cat > "$T/anchor.sh" <<'EOF'
#!/usr/bin/env bash
# anchor.sh P T CORPUS BPFTOOL OBJ...
set -euo pipefail
p=$1 t=$2 corpus=$3 bpftool=$4
shift 4
rm -rf "$t/anchor.out" "$t/anchor.work"
mkdir -p "$t/anchor.out" "$t/anchor.work"
if [ "$p" -eq 1 ]; then
	while IFS= read -r -d '' a; do
		bash "$t/anchor_one.sh" "$a" "$corpus" "$t/anchor.out" "$t/anchor.work" "$bpftool" "$@"
	done < "$t/archives"
else
	xargs -0 -P "$p" -I '{}' bash "$t/anchor_one.sh" '{}' "$corpus" "$t/anchor.out" \
		"$t/anchor.work" "$bpftool" "$@" < "$t/archives"
fi
tar -C "$t/anchor.out" --sort=name -cJf "$t/anchor.tar.xz" .
EOF

c_btfpack="$(quote "$BTFPACK" build -q -j2 -o "$T/bundle.tar.xz" "${OBJ_ARGS[@]}" "$CORPUS")"
c_anchor1="$(quote bash "$T/anchor.sh" 1 "$T" "$CORPUS" "$BPFTOOL" "${OBJECTS[@]}")"
c_anchor2="$(quote bash "$T/anchor.sh" 2 "$T" "$CORPUS" "$BPFTOOL" "${OBJECTS[@]}")"
c_floor="xargs -0 -n 1 -P 2 xz -dc < $(quote "$T/archives") > /dev/null"

say "btfpack build vs the per-kernel bpftool loop, on $CORPUS"
say "  btfpack: $BTFPACK ($(grep -m 1 '^CMAKE_BUILD_TYPE' "$BUILD/CMakeCache.txt" 2> /dev/null | cut -d = -f 2 || echo '?'))"
say "  bpftool: $BPFTOOL ($("$BPFTOOL" version 2> /dev/null | head -n 1 || true))"
say "  ${#ARCHIVES[@]} kernels, $(calc "$in_bytes / 1048576" %.1f) MiB of .tar.xz; ${#OBJECTS[@]} objects"
say "  median of $RUNS runs, in rounds after a warm-up (timer: $TIMER); CPU: $(nproc) online"
say ""

time_cmds "$T/times" "$c_btfpack" "$c_anchor1" "$c_anchor2" "$c_floor"
t_bp=${MEDIANS[0]} t_a1=${MEDIANS[1]} t_a2=${MEDIANS[2]} t_fl=${MEDIANS[3]}

printf '%-60s %9s %8s %8s\n' "command" "median s" "min" "max"
labels=("(a) btfpack build -j2"
	"(b) anchors' loop: untar, bpftool, delete; tar+xz, 1 worker"
	"(c) anchors' loop, 2 workers (xargs -P2)"
	"(d) floor: xz -dc of every input, 2 in parallel")
for i in 0 1 2 3; do
	printf '%-60s %9.3f %8.3f %8.3f\n' "${labels[$i]}" "${MEDIANS[$i]}" "${MINS[$i]}" "${MAXS[$i]}"
done
say ""

# peak RSS of (a): the largest of 3 runs
rss_kib=
if [ -x /usr/bin/time ]; then
	rss_kib=0
	for _ in 1 2 3; do
		# shellcheck disable=SC2086
		/usr/bin/time -f %M -o "$T/rss" "$BTFPACK" build -q -j2 -o "$T/bundle.tar.xz" \
			"${OBJ_ARGS[@]}" "$CORPUS" > /dev/null 2>&1 || bdie "btfpack build failed under /usr/bin/time"
		r=$(tail -n 1 "$T/rss")
		[ "$r" -gt "$rss_kib" ] && rss_kib=$r
	done
fi

b_bundle=$(stat -c %s "$T/bundle.tar.xz")
b_anchor=$(stat -c %s "$T/anchor.tar.xz")
n_anchor=$(find "$T/anchor.out" -type f | wc -l)
b_anchor_raw=$(find "$T/anchor.out" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
say "bundle.tar.xz (btfpack): $b_bundle bytes"
say "anchor.tar.xz (bpftool outputs, $n_anchor files, $b_anchor_raw bytes raw): $b_anchor bytes"
[ -z "$rss_kib" ] || say "peak RSS of btfpack build -j2: $rss_kib KiB ($(calc "$rss_kib / 1024" %.1f) MiB), max of 3 runs"
say ""

r_floor=$(calc "$t_bp / $t_fl")
r_anchor=$(calc "$t_a2 / $t_bp")
verdict() { [ "$(calc "$1" %d)" -eq 1 ] && echo met || echo MISSED; }
say "summary                                           measured       target"
printf '%-48s %10s %12s  %s\n' "btfpack build -j2 / floor (xz -dc, 2 jobs)" "$r_floor" "<= 1.15" "$(verdict "$r_floor <= 1.15")"
printf '%-48s %10s %12s  %s\n' "anchor loop 2 workers / btfpack build -j2" "$r_anchor" ">= 3" "$(verdict "$r_anchor >= 3")"
printf '%-48s %10s %12s\n' "anchor loop 1 worker / btfpack build -j2" "$(calc "$t_a1 / $t_bp")" ""
if [ -n "$rss_kib" ]; then
	printf '%-48s %10s %12s  %s\n' "peak RSS of btfpack build -j2 (MiB)" "$(calc "$rss_kib / 1024" %.1f)" "<= 100" \
		"$(verdict "$rss_kib <= 102400")"
fi
printf '%-48s %10s %12s  %s\n' "bundle.tar.xz / tar.xz of bpftool outputs" "$(calc "$b_bundle / $b_anchor")" "<= 1" \
	"$(verdict "$b_bundle <= $b_anchor")"
