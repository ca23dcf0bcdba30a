#!/usr/bin/env bash
# bench/loaders.sh [BUILD_DIR]: bytes of the minimized BTF per kernel for
#   btfpack min --loader all     (every loader's rules: the default)
#   btfpack min --loader libbpf  (libbpf 1.1 to 1.5 only)
#   bpftool gen min_core_btf
# with the BPF test objects, on every kernel of the corpora (LOADERS_CORPORA,
# default btfhub-android and btfhub-x86, each archive extracted once) and
# /sys/kernel/btf/vmlinux; then the totals and what --loader all costs over
# --loader libbpf. A tool that fails on a kernel prints "fail" there and the
# kernel is left out of the totals. See bench/README.md.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

setup_build "${1:-}"
need_bpftool
CORPORA=${LOADERS_CORPORA:-$REPO/../shared/corpus/btfhub-android $REPO/../shared/corpus/btfhub-x86}

T=$(mktemp -d "${TMPDIR:-/tmp}/btfpack-bench-loaders.XXXXXX")
trap 'rm -rf "$T"' EXIT

# size_of CMD...: bytes CMD writes to $T/out.btf, or "fail"
size_of() {
	rm -f "$T/out.btf"
	if "$@" > /dev/null 2> "$T/err" && [ -f "$T/out.btf" ]; then
		stat -c %s "$T/out.btf"
	else
		echo fail
	fi
}

say "minimized BTF bytes: btfpack --loader all / --loader libbpf / bpftool"
say "  btfpack: $BTFPACK"
say "  bpftool: $BPFTOOL ($("$BPFTOOL" version 2> /dev/null | head -n 1 || true))"
say "  objects: ${#OBJECTS[@]} from $OBJ_DIR"
say ""
printf '%-40s %9s %9s %9s %8s %8s\n' kernel all libbpf bpftool all/lib all/bpft

n=0 sum_all=0 sum_lib=0 sum_bt=0 grew=0
one_kernel() { # LABEL FILE
	local a l b
	a=$(size_of "$BTFPACK" min --loader all "$2" "$T/out.btf" "${OBJECTS[@]}")
	l=$(size_of "$BTFPACK" min --loader libbpf "$2" "$T/out.btf" "${OBJECTS[@]}")
	b=$(size_of "$BPFTOOL" gen min_core_btf "$2" "$T/out.btf" "${OBJECTS[@]}")
	if [ "$a" = fail ] || [ "$l" = fail ] || [ "$b" = fail ]; then
		printf '%-40s %9s %9s %9s\n' "$1" "$a" "$l" "$b"
		return
	fi
	printf '%-40s %9d %9d %9d %8.3f %8.3f\n' "$1" "$a" "$l" "$b" \
		"$(calc "$a / $l")" "$(calc "$a / $b")"
	n=$((n + 1)) sum_all=$((sum_all + a)) sum_lib=$((sum_lib + l)) sum_bt=$((sum_bt + b))
	[ "$a" -eq "$l" ] || grew=$((grew + 1))
}

for c in $CORPORA; do
	[ -d "$c" ] || { note "no corpus at $c: skipped"; continue; }
	while IFS= read -r -d '' a; do
		rm -rf "$T/x"
		mkdir -p "$T/x"
		tar -xJf "$a" -C "$T/x"
		f=$(find "$T/x" -type f | head -n 1)
		[ -n "$f" ] || bdie "nothing in $a"
		one_kernel "$(basename "$a" .btf.tar.xz)" "$f"
	done < <(find "$c" -name '*.btf.tar.xz' -print0 | sort -z)
done
rm -rf "$T/x"
if [ -r /sys/kernel/btf/vmlinux ]; then
	one_kernel "running:$(uname -r)" /sys/kernel/btf/vmlinux
fi
[ "$n" -gt 0 ] || bdie "no kernel where all three succeeded"

say ""
printf '%-40s %9d %9d %9d %8.3f %8.3f\n' "TOTAL ($n kernels)" "$sum_all" "$sum_lib" "$sum_bt" \
	"$(calc "$sum_all / $sum_lib")" "$(calc "$sum_all / $sum_bt")"
say ""
printf '%-48s %10s\n' "kernels where --loader all keeps more" "$grew of $n"
printf '%-48s %10d\n' "bytes --loader all adds over libbpf (total)" "$((sum_all - sum_lib))"
printf '%-48s %10s  %s\n' "bytes --loader all / bpftool (total)" "$(calc "$sum_all / $sum_bt")" \
	"$([ "$sum_all" -le "$sum_bt" ] && echo "<= 1 met" || echo "<= 1 MISSED")"
