#!/usr/bin/env bash
# Extract the BPF objects embedded in Debian's libbpf-tools binaries: real
# CO-RE objects nobody in this project wrote, for the judges' comparisons.
#
#   scripts/fetch-libbpf-tools-objs.sh [DIR]
#       (default: $BTFPACK_LIBBPF_TOOLS_DIR, else /var/cache/btfpack/libbpf-tools)
#
# apt-get download libbpf-tools (the system's apt sources: it is in Debian 12)
# into DIR, dpkg -x it, then find each skeleton's object in the binaries: a
# bpftool skeleton keeps the object as a byte array in .rodata, so scan for
# the ELF magic (64-bit, little endian, version 1) with e_machine EM_BPF and
# take its exact size from the header: the section header table ends the
# object (clang and bpftool put it last), which the script checks against
# every section's end. Writes DIR/objs/<tool>.bpf.o (<tool>-N.bpf.o when a
# binary holds several), checked with readelf; prints how many. Does nothing
# when DIR/objs already holds the objects of the downloaded package.
set -euo pipefail

dir=${1:-${BTFPACK_LIBBPF_TOOLS_DIR:-/var/cache/btfpack/libbpf-tools}}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
for t in grep od dd readelf dpkg apt-get; do
	command -v "$t" > /dev/null || { echo "fetch-libbpf-tools-objs: $t not found" >&2; exit 1; }
done

deb=$(find "$dir" -maxdepth 1 -name 'libbpf-tools_*.deb' | sort | tail -n 1)
if [ -z "$deb" ]; then
	(cd "$dir" && apt-get download -o APT::Sandbox::User=root libbpf-tools) > "$dir/download.log" 2>&1 || {
		echo "fetch-libbpf-tools-objs: apt-get download libbpf-tools failed:" >&2
		sed 's/^/    /' "$dir/download.log" >&2
		exit 1
	}
	deb=$(find "$dir" -maxdepth 1 -name 'libbpf-tools_*.deb' | sort | tail -n 1)
fi
if [ "$(cat "$dir/objs/.from" 2>/dev/null)" = "$(basename "$deb")" ]; then
	echo "fetch-libbpf-tools-objs: $(find "$dir/objs" -name '*.bpf.o' | wc -l) BPF objects already in $dir/objs"
	exit 0
fi
rm -rf "$dir/root" "$dir/objs.new"
mkdir -p "$dir/root" "$dir/objs.new"
dpkg -x "$deb" "$dir/root"

# u BIN OFF N: the N-byte little-endian unsigned integer at OFF
u() {
	local v=0 i b
	read -r -a b < <(od -An -v -tu1 -j "$2" -N "$3" "$1")
	[ ${#b[@]} -eq "$3" ] || return 1
	for ((i = $3 - 1; i >= 0; i--)); do
		v=$((v * 256 + b[i]))
	done
	printf '%s\n' "$v"
}

# obj_size BIN OFF: size of the EM_BPF ELF object at OFF, or fail
obj_size() {
	local bin=$1 off=$2 shoff shentsize shnum end i sh type soff ssize
	[ "$(u "$bin" $((off + 18)) 2)" = 247 ] || return 1 # EM_BPF
	shoff=$(u "$bin" $((off + 40)) 8) || return 1
	shentsize=$(u "$bin" $((off + 58)) 2) || return 1
	shnum=$(u "$bin" $((off + 60)) 2) || return 1
	[ "$shentsize" = 64 ] && [ "$shnum" -gt 0 ] || return 1
	end=$((shoff + shnum * shentsize))
	for ((i = 0; i < shnum; i++)); do
		sh=$((off + shoff + i * shentsize))
		type=$(u "$bin" $((sh + 4)) 4) || return 1
		[ "$type" = 8 ] && continue # SHT_NOBITS
		soff=$(u "$bin" $((sh + 24)) 8) || return 1
		ssize=$(u "$bin" $((sh + 32)) 8) || return 1
		[ $((soff + ssize)) -le "$shoff" ] || return 1
	done
	printf '%s\n' "$end"
}

n=0 nbin=0
while IFS= read -r -d '' bin; do
	tool=$(basename "$bin")
	k=0
	while IFS=: read -r off _; do
		size=$(obj_size "$bin" "$off") || continue
		k=$((k + 1))
		out=$dir/objs.new/$tool.bpf.o
		[ "$k" -eq 1 ] || out=$dir/objs.new/$tool-$k.bpf.o
		dd if="$bin" of="$out" bs=1M iflag=skip_bytes,count_bytes skip="$off" count="$size" status=none
		if ! readelf -S "$out" > /dev/null 2>&1; then
			echo "fetch-libbpf-tools-objs: $tool at $off: not a readable ELF object, skipped" >&2
			rm -f "$out"
			continue
		fi
		n=$((n + 1))
	done < <(LC_ALL=C grep -obUaP '\x7fELF\x02\x01\x01' "$bin" || true)
	[ "$k" -gt 0 ] && nbin=$((nbin + 1))
done < <(find "$dir/root" -type f -perm -u+x -print0 | sort -z)

basename "$deb" > "$dir/objs.new/.from"
rm -rf "$dir/objs" "$dir/root"
mv "$dir/objs.new" "$dir/objs"
echo "fetch-libbpf-tools-objs: $n BPF objects from $nbin binaries of $(basename "$deb") -> $dir/objs"
[ "$n" -gt 0 ] || { echo "fetch-libbpf-tools-objs: no BPF object found" >&2; exit 1; }
