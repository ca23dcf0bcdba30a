#!/usr/bin/env bash
# sizes: bytes of each output profile on the shared corpus (btfhub-android,
# btfhub-x86 and both together) with the BPF test objects, next to the
# anchors: bpftool gen min_core_btf's output for every kernel (all objects
# at once), laid out <distro>/<version>/<arch>/<release>.btf and packed as
# bcc's Makefile.btfgen packs it (tar -czf, GNU tar, gzip -6 by default) and
# as btfhub does (tar -cJf, xz -6).
# Targets: native .tar.xz (index.json included) <= anchor tar.xz, and
# bcc .tar.gz <= anchor tar.gz. Sizes do not depend on the build type, so a
# sanitizer build gives the same figures (only slower).
#
#   bench/sizes.sh [BUILD_DIR]
#
# Environment: BTFPACK_CORPUS (android), BTFPACK_CORPUS_X86, BPFTOOL,
# SIZES_ROWS (default "android x86 both").
set -euo pipefail
. "$(dirname "$0")/lib.sh"

setup_build "${1:-}"
file_size() { stat -c %s "$1"; }
need_bpftool
X86=${BTFPACK_CORPUS_X86:-$REPO/../shared/corpus/btfhub-x86}
W=$(mktemp -d "${TMPDIR:-/tmp}/btfpack-sizes.XXXXXX")
trap 'rm -rf "$W"' EXIT

# anchor_one SRC OUT: bpftool's output for SRC and every object; bpftool
# aborts a kernel on any relocation it calls ambiguous, so then the objects
# it refuses alone are left out (a smaller anchor: it only favours bpftool)
anchor_one() {
	local src=$1 out=$2 o ok=()
	"$BPFTOOL" gen min_core_btf "$src" "$out" "${OBJECTS[@]}" > /dev/null 2>&1 && return 0
	for o in "${OBJECTS[@]}"; do
		"$BPFTOOL" gen min_core_btf "$src" "$W/one.btf" "$o" > /dev/null 2>&1 && ok+=("$o")
	done
	ANCHOR_DROPS=$((ANCHOR_DROPS + ${#OBJECTS[@]} - ${#ok[@]}))
	[ ${#ok[@]} -gt 0 ] && "$BPFTOOL" gen min_core_btf "$src" "$out" "${ok[@]}" > /dev/null 2>&1 ||
		note "bpftool failed on $src"
}

# anchor HUB OUT: bpftool's minimized BTF for every kernel of HUB under OUT
anchor() {
	local hub=$1 out=$2 a rel dir
	ANCHOR_DROPS=0
	while IFS= read -r -d '' a; do
		rel=${a#"$hub"/}
		dir=$out/$(dirname "$rel")
		mkdir -p "$dir" "$W/x"
		rm -rf "$W/x"/*
		tar -C "$W/x" -xJf "$a"
		rel=$(basename "$rel" .btf.tar.xz)
		anchor_one "$(find "$W/x" -type f | head -n 1)" "$dir/$rel.btf"
	done < <(find -L "$hub" -name '*.btf.tar.xz' -print0 | sort -z)
	[ "$ANCHOR_DROPS" -eq 0 ] ||
		note "$(basename "$hub"): bpftool refused $ANCHOR_DROPS kernel x object pairs, left out of the anchor"
}

# row NAME HUB: build every profile of HUB and print one line of figures
row() {
	local name=$1 hub=$2 d=$W/$1 n
	mkdir -p "$d"
	n=$(find -L "$hub" -name '*.btf.tar.xz' | wc -l)
	"$BTFPACK" build -q --follow-symlinks -o "$d/native.tar.xz" "${OBJ_ARGS[@]}" "$hub"
	"$BTFPACK" build -q --follow-symlinks --profile bcc -o "$d/bcc.tar.gz" "${OBJ_ARGS[@]}" "$hub"
	"$BTFPACK" build -q --follow-symlinks --profile btfhub -o "$d/btfhub.tar.xz" "${OBJ_ARGS[@]}" "$hub"
	"$BTFPACK" build -q --follow-symlinks --profile tree -o "$d/tree" "${OBJ_ARGS[@]}" "$hub"
	"$BTFPACK" build -q --follow-symlinks --profile bcc --aliases -o "$d/bcc_alias.tar.gz" \
		"${OBJ_ARGS[@]}" "$hub"
	anchor "$hub" "$d/anchor"
	(cd "$d/anchor" && tar -czf "$d/anchor.tar.gz" . && tar -cJf "$d/anchor.tar.xz" .)
	printf '%-8s %4d %10d %8d %8d %10d %8d %8d %12d %12d %8d\n' "$name" "$n" \
		"$(file_size "$d/native.tar.xz")" "$(tar -xOJf "$d/native.tar.xz" index.json | wc -c)" \
		"$(file_size "$d/anchor.tar.xz")" "$(file_size "$d/bcc.tar.gz")" \
		"$(file_size "$d/anchor.tar.gz")" "$(file_size "$d/bcc_alias.tar.gz")" \
		"$(file_size "$d/btfhub.tar.xz")" "$(du -sb "$d/tree" | cut -f 1)" \
		"$(du -sk "$d/tree" | cut -f 1)"
	verdict "$name" "$d"
}

verdict() {
	local d=$2
	[ "$(file_size "$d/native.tar.xz")" -le "$(file_size "$d/anchor.tar.xz")" ] &&
		VERDICTS+=("$1: native tar.xz <= anchor tar.xz: met") ||
		VERDICTS+=("$1: native tar.xz <= anchor tar.xz: MISSED")
	[ "$(file_size "$d/bcc.tar.gz")" -le "$(file_size "$d/anchor.tar.gz")" ] &&
		VERDICTS+=("$1: bcc tar.gz <= anchor tar.gz: met") ||
		VERDICTS+=("$1: bcc tar.gz <= anchor tar.gz: MISSED")
}

BOTH=$W/hub-both
mkdir -p "$BOTH"
for c in "$CORPUS" "$X86"; do
	[ -d "$c" ] || bdie "corpus not found: $c"
	for d in "$c"/*; do ln -s "$d" "$BOTH/$(basename "$d")"; done
done
VERDICTS=()
say "objects: ${#OBJECTS[@]} (${OBJ_DIR}); bytes; index = native index.json uncompressed; tree = du -sb / du -sk"
printf '%-8s %4s %10s %8s %8s %10s %8s %8s %12s %12s %8s\n' corpus kern native.xz index \
	anchor.xz bcc.gz anchor.gz bcc+alias btfhub.tar.xz tree.bytes tree.KiB
for r in ${SIZES_ROWS:-android x86 both}; do
	case $r in
	android) row android "$CORPUS" ;;
	x86) row x86 "$X86" ;;
	both) row both "$BOTH" ;;
	esac
done
for v in "${VERDICTS[@]}"; do say "$v"; done
