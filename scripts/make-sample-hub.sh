#!/usr/bin/env bash
# Make a small BTFHub-style tree from the synthetic kernels the build
# generates (tests/fixtures): the project's own sample input.
#   make-sample-hub.sh BUILD_DIR OUT_DIR
# Layout: synthos/<version>/<arch>/<kernel>.btf.tar.{xz,gz,zst}, like BTFHub.
set -euo pipefail

build=${1:?usage: make-sample-hub.sh BUILD_DIR OUT_DIR}
out=${2:?usage: make-sample-hub.sh BUILD_DIR OUT_DIR}
kernels=$build/tests/fixtures/kernels
[ -d "$kernels" ] || { echo "make-sample-hub: no $kernels (build first)" >&2; exit 1; }

rm -rf "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# add VERSION ARCH KERNEL SOURCE COMPRESSOR(xz|gz|zst)
add() {
	local dir=$out/synthos/$1/$2 name=$3.btf
	mkdir -p "$dir"
	cp "$kernels/$4.btf" "$work/$name"
	case "$5" in
	xz) tar -C "$work" -cJf "$dir/$name.tar.xz" "$name" ;;
	gz) tar -C "$work" -czf "$dir/$name.tar.gz" "$name" ;;
	zst) tar -C "$work" --zstd -cf "$dir/$name.tar.zst" "$name" ;;
	esac
	rm -f "$work/$name"
}

# monthly builds of one branch share most types, as real distros do
add 1.0 x86_64 5.4.0-1-synth base xz
add 1.0 x86_64 5.4.0-2-synth base xz
add 1.0 x86_64 5.4.0-3-synth enum_added xz
add 1.0 arm64 5.4.0-1-synth no_leading gz
add 1.0 arm64 5.4.0-2-synth no_leading gz
add 2.0 x86_64 5.10.0-1-synth renamed zst
add 2.0 x86_64 5.10.0-2-synth retyped zst
add 2.0 x86_64 5.10.0-3-synth no_type xz
add 2.0 arm64 5.10.0-1-synth dup_same xz
echo "sample hub: $(find "$out" -type f | wc -l) kernels under $out"
