#!/usr/bin/env bash
# bench/min.sh [BUILD_DIR]: wall time of
#   btfpack min SRC OUT <all test objects>
# vs
#   bpftool gen min_core_btf SRC OUT <all test objects>
# for every corpus kernel (each extracted once) and /sys/kernel/btf/vmlinux:
# median of RUNS (5) runs per kernel and tool, their ratio btfpack/bpftool
# (target <= 0.5) and the output sizes. Without BUILD_DIR a release tree is
# configured and built at <repo>/build-release. See bench/README.md.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

setup_build "${1:-}"
need_bpftool
load_archives

T=$(mktemp -d "${TMPDIR:-/tmp}/btfpack-bench-min.XXXXXX")
trap 'rm -rf "$T"' EXIT

# the kernels: corpus archives extracted once, then the running kernel
KLABELS=() KFILES=()
mkdir -p "$T/src"
for a in "${ARCHIVES[@]}"; do
	label=$(basename "$a" .btf.tar.xz)
	mkdir -p "$T/x"
	tar -xJf "$a" -C "$T/x"
	f=$(find "$T/x" -type f -name '*.btf' | head -n 1)
	[ -n "$f" ] || bdie "no .btf in $a"
	mv "$f" "$T/src/$label.btf"
	rm -rf "$T/x"
	KLABELS+=("$label")
	KFILES+=("$T/src/$label.btf")
done
if [ -r /sys/kernel/btf/vmlinux ]; then
	KLABELS+=("running:$(uname -r)")
	KFILES+=(/sys/kernel/btf/vmlinux)
else
	note "no /sys/kernel/btf/vmlinux: corpus kernels only"
fi

say "btfpack min vs bpftool gen min_core_btf"
say "  btfpack: $BTFPACK ($(grep -m 1 '^CMAKE_BUILD_TYPE' "$BUILD/CMakeCache.txt" 2> /dev/null | cut -d = -f 2 || echo '?'))"
say "  bpftool: $BPFTOOL ($("$BPFTOOL" version 2> /dev/null | head -n 1 || true))"
say "  objects: ${#OBJECTS[@]} from $OBJ_DIR"
say "  kernels: ${#KFILES[@]}; median of $RUNS runs each, in rounds after a warm-up (timer: $TIMER); CPU: $(nproc) online"
say ""
printf '%-36s %10s %10s %7s %11s %11s\n' kernel "btfpack ms" "bpftool ms" ratio "btfpack B" "bpftool B"

sum_bp=0 sum_bt=0 bytes_bp=0 bytes_bt=0 logsum=0 n=0 worst=0 worst_k=
for i in "${!KFILES[@]}"; do
	src=${KFILES[$i]}
	out_bp=$T/out.btfpack.btf
	out_bt=$T/out.bpftool.btf
	c_bp="$(quote "$BTFPACK" min "$src" "$out_bp" "${OBJECTS[@]}")"
	c_bt="$(quote "$BPFTOOL" gen min_core_btf "$src" "$out_bt" "${OBJECTS[@]}")"
	time_cmds "$T/t$i" "$c_bp" "$c_bt"
	m_bp=${MEDIANS[0]} m_bt=${MEDIANS[1]}
	s_bp=$(stat -c %s "$out_bp")
	s_bt=$(stat -c %s "$out_bt")
	ratio=$(calc "$m_bp / $m_bt")
	printf '%-36s %10.1f %10.1f %7.3f %11d %11d\n' "${KLABELS[$i]}" \
		"$(calc "$m_bp * 1000" %.3f)" "$(calc "$m_bt * 1000" %.3f)" "$ratio" "$s_bp" "$s_bt"
	sum_bp=$(calc "$sum_bp + $m_bp" %.6f)
	sum_bt=$(calc "$sum_bt + $m_bt" %.6f)
	logsum=$(calc "$logsum + log($m_bp / $m_bt)" %.9f)
	bytes_bp=$((bytes_bp + s_bp))
	bytes_bt=$((bytes_bt + s_bt))
	n=$((n + 1))
	if [ "$(calc "$ratio > $worst" %d)" -eq 1 ]; then
		worst=$ratio worst_k=${KLABELS[$i]}
	fi
done

overall=$(calc "$sum_bp / $sum_bt")
geo=$(calc "exp($logsum / $n)")
say ""
printf '%-36s %10.1f %10.1f %7.3f %11d %11d\n' "TOTAL ($n kernels)" \
	"$(calc "$sum_bp * 1000" %.3f)" "$(calc "$sum_bt * 1000" %.3f)" "$overall" "$bytes_bp" "$bytes_bt"
say ""
say "summary                                   measured     target"
printf '%-40s %10s %10s  %s\n' "time ratio btfpack/bpftool (total)" "$overall" "<= 0.5" \
	"$([ "$(calc "$overall <= 0.5" %d)" -eq 1 ] && echo met || echo MISSED)"
printf '%-40s %10s %10s\n' "time ratio, geometric mean per kernel" "$geo" ""
printf '%-40s %10s %10s  (%s)\n' "worst per-kernel ratio" "$worst" "" "$worst_k"
printf '%-40s %10s %10s  %s\n' "output bytes btfpack/bpftool" "$(calc "$bytes_bp / $bytes_bt")" "<= 1" \
	"$([ "$bytes_bp" -le "$bytes_bt" ] && echo met || echo MISSED)"
