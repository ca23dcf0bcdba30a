#!/usr/bin/env bash
# mkseeds.sh OUT BTFPACK SYNTH_DIR OBJ...: build-time seed corpora for the
# fuzz harnesses, made from the fixtures (too big, and derived, to commit):
#   OUT/btf_min         the synthetic kernels (raw BTF) and one as an ELF
#   OUT/bpf_obj         the compiled test objects and probes
#   OUT/archive_member  a synthetic kernel in tar, .tar.gz/.xz/.zst, and
#                       tars that must be refused (two .btf, "..", links)
#   OUT/bundle          bundles of two kernels written by `btfpack build`,
#                       every --dedup mode, tar and .tar.gz
#   OUT/host_find       those bundles, the btfhub profile of the same hub,
#                       and the os-release fixtures
# Deterministic: fixed mtimes, owners and SOURCE_DATE_EPOCH.
set -euo pipefail
out=$1 btfpack=$2 synth=$3
shift 3

rm -rf "$out"
mkdir -p "$out"/{btf_min,bpf_obj,archive_member,bundle,host_find}
work=$(mktemp -d "$out/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT

cp "$synth"/kernels/*.btf "$out/btf_min/"
cp "$synth/synth_kernel_base.o" "$out/btf_min/elf_base.o"
for o in "$@"; do
	cp "$o" "$out/bpf_obj/"
done

# tar with fixed metadata, one 512-byte record per block (small seeds)
mktar() { # DIR OUT [tar options...] MEMBERS...
	local dir=$1 dst=$2
	shift 2
	tar -C "$dir" --format=gnu --blocking-factor=1 --sort=name --mtime=@0 \
		--owner=0 --group=0 --numeric-owner -cf "$dst" "$@"
}

st=$work/stage
mkdir -p "$st/sub"
cp "$synth/kernels/base.btf" "$st/base.btf"
cp "$synth/kernels/renamed.btf" "$st/renamed.btf"
printf 'not btf\n' > "$st/README"
ln -s base.btf "$st/link.btf"
ln "$st/base.btf" "$st/sub/hard.btf"
a=$out/archive_member
mktar "$st" "$a/plain.tar" base.btf
mktar "$st" "$work/gz.tar" base.btf && gzip -9n < "$work/gz.tar" > "$a/base.tar.gz"
mktar "$st" "$work/xz.tar" base.btf && xz -9 < "$work/xz.tar" > "$a/base.tar.xz"
mktar "$st" "$work/zst.tar" base.btf && zstd -q -19 < "$work/zst.tar" > "$a/base.tar.zst"
mktar "$st" "$a/readme_and_btf.tar" README base.btf
mktar "$st" "$a/two_btf.tar" base.btf renamed.btf
mktar "$st" "$a/links.tar" base.btf link.btf sub
mktar "$st" "$a/dotdot.tar" --transform='s,^,../,' base.btf

# a hub of two kernels -> bundles; paths match fuzz_bundle.c's index_paths
hub=$work/hub
mkdir -p "$hub/fuzzdistro/1/x86_64" "$hub/fuzzdistro/2/x86_64"
cp "$synth/kernels/base.btf" "$hub/fuzzdistro/1/x86_64/base.btf"
cp "$synth/kernels/renamed.btf" "$hub/fuzzdistro/2/x86_64/renamed.btf"
cp "$synth/kernels/base.btf" "$hub/fuzzdistro/2/x86_64/same.btf"
objs=()
for o in "$synth"/probe_fields.bpf.o "$synth"/probe_types.bpf.o; do
	objs+=(--obj "$o")
done
for mode in symlink hardlink index none; do
	for fmt in tar tar.gz; do
		SOURCE_DATE_EPOCH=0 "$btfpack" build -q -j1 --dedup "$mode" "${objs[@]}" \
			-o "$out/bundle/$mode.$fmt" "$hub"
	done
done
cp "$out"/bundle/* "$out/host_find/"
SOURCE_DATE_EPOCH=0 "$btfpack" build -q -j1 --profile btfhub "${objs[@]}" \
	-o "$out/host_find/btfhub.tar.xz" "$hub"
cp "$(dirname "$0")"/../fixtures/os-release/*[0-9] "$out/host_find/"
