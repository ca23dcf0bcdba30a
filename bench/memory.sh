#!/usr/bin/env bash
# bench/memory.sh [BUILD_DIR]: peak RSS of `btfpack build` against the
# memory budget's estimates (--max-memory), all from /usr/bin/time -f %M:
#   (a) calibration: per corpus kernel (btfhub-android, btfhub-x86), the
#       estimate btfpack reserves (read from its refusal under
#       --max-memory 1K) and the peak RSS of a -j1 build of that kernel
#       alone, less the peak of a build of a one-type BTF (the fixed part);
#   (b) hostile inputs made here from the first android kernel: a .tar.xz
#       of it grown to 255 MiB by its string section, a sparse 1 GiB .btf,
#       two .tar.xz with 64 MiB string sections; each in a hub with 4
#       android kernels, -j2, with no budget to speak of (--max-memory
#       1024G) and with --max-memory 200M;
#   (c) the android corpus, -j2, default budget vs --max-memory 64M: wall
#       time, peak RSS, bundles identical.
# Figures only; the script exits 0. Needs xz, tar, /usr/bin/time.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$REPO/tests/integration/mem_lib.sh"
die() { bdie "$*"; }

setup_build "${1:-}"
load_archives
X86=${BTFPACK_CORPUS_X86:-$REPO/../shared/corpus/btfhub-x86}
[ -x /usr/bin/time ] || bdie "no /usr/bin/time (package time)"

T=$(mktemp -d "${TMPDIR:-/tmp}/btfpack-bench-memory.XXXXXX")
trap 'rm -rf "$T"' EXIT

# run NAME HUB ARGS...: RSS (KiB), RC, SECS; stderr in $T/NAME.err
run() {
	local name=$1 hub=$2 t0 t1
	shift 2
	RC=0
	t0=$(date +%s%N)
	peak_rss_kb "$T/$name.rss" "$BTFPACK" build -q -o "$T/$name.tar" "${OBJ_ARGS[@]}" "$@" \
		"$hub" 2> "$T/$name.err" || RC=$?
	t1=$(date +%s%N)
	RSS=$(cat "$T/$name.rss")
	SECS=$(calc "($t1 - $t0) / 1e9" %.2f)
}

# one_hub DIR FILE HUBNAME: a hub holding FILE alone
one_hub() {
	rm -rf "$1"
	mkdir -p "$1/k/1/x86_64"
	cp --sparse=always "$2" "$1/k/1/x86_64/$3"
}

# estimate HUB: MiB btfpack reserves for the hub's one kernel
estimate() {
	{ "$BTFPACK" build -q -j1 --max-memory 1K -o "$T/est.tar" "${OBJ_ARGS[@]}" "$1" 2>&1 || true; } |
		sed -n 's/.*needs an estimated \([0-9.]*\) MiB.*/\1/p' | head -n 1
}

mib() { calc "$1 / 1024" %.1f; }

# ---- (a) calibration ---------------------------------------------------------

# the fixed part: a one-type BTF (int)
{
	printf '\237\353\001\000'
	le32 24; le32 0; le32 16; le32 16; le32 5
	le32 1; le32 $((1 << 24)); le32 4; le32 $((32))
	printf '\000int\000'
} > "$T/one.btf"
one_hub "$T/h" "$T/one.btf" one.btf
run fixed "$T/h" -j1
FIXED=$RSS
say "(a) calibration, -j1, one kernel per build; fixed part $(mib "$FIXED") MiB"
say "$(printf '%-44s %9s %9s %9s %6s' input member_MiB est_MiB rss_MiB est/rss)"
X86_ARCHIVES=()
if [ -d "$X86" ]; then
	while IFS= read -r -d '' f; do X86_ARCHIVES+=("$f"); done < <(find "$X86" -name '*.btf.tar.xz' -print0 | sort -z)
fi
for a in "${ARCHIVES[@]}" "${X86_ARCHIVES[@]}"; do
	one_hub "$T/h" "$a" k.btf.tar.xz
	est=$(estimate "$T/h")
	run cal "$T/h" -j1
	member=$(tar -tvJf "$a" | awk '{ s += $3 } END { printf "%.1f", s / 1048576 }')
	k=$((RSS - FIXED))
	say "$(printf '%-44s %9s %9s %9s %6s' "$(basename "$a" .btf.tar.xz)" "$member" "$est" "$(mib $k)" \
		"$(calc "$est * 1024 / ($k > 0 ? $k : 1)" %.1f)")"
done

# ---- (b) hostile inputs ------------------------------------------------------

base=$T/base.btf
tar -xJOf "${ARCHIVES[0]}" > "$base"
mkdir -p "$T/stage"
# 255 MiB of BTF in all: under the default --max-member-size
big_strings "$base" "$T/stage/bomb.btf" $((255 * 1024 * 1024 - $(stat -c %s "$base")))
xz_member "$T/stage/bomb.btf" "$T/bomb.btf.tar.xz"
rm -f "$T/stage/bomb.btf"
big_strings "$base" "$T/sparse.btf" $((1024 * 1024 * 1024 - $(stat -c %s "$base")))
for i in 1 2; do
	big_strings "$base" "$T/stage/big$i.btf" $((64 * 1024 * 1024 + i))
	xz_member "$T/stage/big$i.btf" "$T/big$i.btf.tar.xz"
	rm -f "$T/stage/big$i.btf"
done

# hostile_hub NAME FILE:HUBNAME...: 4 android kernels plus the files
hostile_hub() {
	local h=$T/$1 spec i
	shift
	rm -rf "$h"
	for i in 0 1 2 3; do
		mkdir -p "$h/android/$i/arm64"
		cp "${ARCHIVES[$i]}" "$h/android/$i/arm64/"
	done
	for spec in "$@"; do
		mkdir -p "$h/x/${spec#*:}/x86_64"
		cp --sparse=always "${spec%%:*}" "$h/x/${spec#*:}/x86_64/${spec#*:}"
	done
}

say ""
say "(b) hostile inputs with 4 android kernels, -j2: peak RSS (exit status)"
say "$(printf '%-36s %20s %20s' input 'no budget (1024G)' '--max-memory 200M')"
hostile_hub hb "$T/bomb.btf.tar.xz:bomb.btf.tar.xz"
hostile_hub hs "$T/sparse.btf:sparse.btf"
hostile_hub h2 "$T/big1.btf.tar.xz:big1.btf.tar.xz" "$T/big2.btf.tar.xz:big2.btf.tar.xz"
for spec in "hb:255 MiB strings, $(stat -c %s "$T/bomb.btf.tar.xz") B .tar.xz" \
	"hs:1 GiB sparse .btf" "h2:two 64 MiB strings .tar.xz"; do
	h=${spec%%:*}
	run "$h-free" "$T/$h" -j2 --max-memory 1024G
	free="$(mib "$RSS") MiB ($RC)"
	run "$h-200" "$T/$h" -j2 --max-memory 200M
	say "$(printf '%-36s %20s %20s' "${spec#*:}" "$free" "$(mib "$RSS") MiB ($RC)")"
done
say "bomb estimate: $(grep -o 'needs an estimated [0-9.]* MiB' "$T/hb-200.err" | head -n 1 || true)"
say "sparse estimate: $(grep -o 'needs an estimated [0-9.]* MiB' "$T/hs-200.err" | head -n 1 || true)"

# ---- (c) the corpus under a tight budget -------------------------------------

say ""
say "(c) android corpus (${#ARCHIVES[@]} kernels), -j2"
run cdef "$CORPUS" -j2
say "default budget: $SECS s, peak RSS $(mib "$RSS") MiB (exit $RC)"
run c64 "$CORPUS" -j2 --max-memory 64M
say "--max-memory 64M: $SECS s, peak RSS $(mib "$RSS") MiB (exit $RC)"
if cmp -s "$T/cdef.tar" "$T/c64.tar"; then say "bundles identical"; else say "bundles DIFFER"; fi
exit 0
