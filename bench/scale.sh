#!/usr/bin/env bash
# bench/scale.sh [BUILD_DIR]: `btfpack build -j2` on generated hubs of
# 500, 1000 and 2000 distinct kernels (SCALE_SIZES): wall time and peak RSS
# of each, and whether time grows linearly and RSS stays flat.
#
# The hub is made from the corpus kernels (raw BTF in .btf.tar.xz): variant
# i is corpus kernel i % K with the last string of its string section (a
# DATASEC name such as ".data..percpu" on the android kernels, which no
# CO-RE relocation asks for) ending in a 5-digit base-36 tag of i / K, so no
# two sources are equal and no offset moves. Each variant is packed as
# <distro>/<version>/<arch>/<release>-s<NNN>.btf.tar.xz with `xz -0` (not
# BTFHub's -9: generation stays at minutes; the build's xz decoding is
# about as fast at either level). The smaller hubs are hard links to the
# first N variants. Needs about 1 GiB of $TMPDIR for 2000 kernels
# (SCALE_KEEP=DIR keeps the generated hub there for a rerun).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

setup_build "${1:-}"
load_archives
[ -x /usr/bin/time ] || bdie "needs /usr/bin/time (package time) for the peak RSS"
read -r -a SIZES <<< "${SCALE_SIZES:-500 1000 2000}"
MAX=${SIZES[${#SIZES[@]} - 1]}

T=$(mktemp -d "${TMPDIR:-/tmp}/btfpack-bench-scale.XXXXXX")
trap 'rm -rf "$T"' EXIT
GEN=${SCALE_KEEP:-$T/gen}
mkdir -p "$GEN/base" "$GEN/hub"

# base K: each corpus kernel's raw BTF, its hub directory and release name
K=0
for a in "${ARCHIVES[@]}"; do
	rel=${a#"$CORPUS"/}
	d=$GEN/base/$K
	mkdir -p "$d"
	if [ ! -s "$d/raw.btf" ]; then
		tar -xJf "$a" -C "$d"
		mv "$(find "$d" -type f -name '*.btf' | head -n 1)" "$d/raw.btf"
	fi
	printf '%s\n' "$(dirname "$rel")" > "$d/dir"
	b=$(basename "$rel")
	printf '%s\n' "${b%.btf.tar.xz}" > "$d/release"
	K=$((K + 1))
done

# gen_one I: variant I into the hub (skipped when already there)
cat > "$T/gen_one.sh" <<'EOF'
#!/usr/bin/env bash
set -euo pipefail
gen=$1 k=$2 i=$3
b=$((i % k)) v=$((i / k))
d=$gen/base/$b
rel="$(cat "$d/release")-s$(printf '%03d' "$v")"
out=$gen/hub/$(cat "$d/dir")/$rel.btf.tar.xz
[ -s "$out" ] && exit 0
w=$(mktemp -d "$gen/w.XXXXXX")
cp "$d/raw.btf" "$w/$rel.btf"
# the string section ends the file (hdr_len + str_off + str_len): check it
read -r hdr str_off str_len <<< "$(od -An -tu4 -j4 -N4 "$w/$rel.btf") $(od -An -tu4 -j16 -N8 "$w/$rel.btf")"
end=$((hdr + str_off + str_len))
[ "$end" -eq "$(stat -c %s "$w/$rel.btf")" ] || { echo "$d: string section does not end the file" >&2; exit 1; }
# the last string must keep its NUL and have 5 bytes before it
[ "$(tail -c 1 "$w/$rel.btf" | od -An -tu1 | tr -d ' ')" = 0 ] &&
	[ "$(tail -c 6 "$w/$rel.btf" | head -c 5 | tr -d '\0' | wc -c)" = 5 ] ||
	{ echo "$d: last string shorter than 5 bytes" >&2; exit 1; }
n=$v tag=""
for _ in 1 2 3 4 5; do
	tag="$(printf '%s' 0123456789abcdefghijklmnopqrstuvwxyz | cut -c $((n % 36 + 1)))$tag"
	n=$((n / 36))
done
printf '%s' "$tag" | dd of="$w/$rel.btf" bs=1 seek=$((end - 6)) conv=notrunc status=none
mkdir -p "$(dirname "$out")"
tar --mtime=@0 --owner=0 --group=0 --numeric-owner -cf - -C "$w" "$rel.btf" | xz -0 -T1 > "$out.tmp"
mv "$out.tmp" "$out"
rm -rf "$w"
EOF

note "generating $MAX variants of $K corpus kernels (xz -0) in $GEN/hub"
t0=$(date +%s)
seq 0 $((MAX - 1)) | xargs -P 2 -I '{}' bash "$T/gen_one.sh" "$GEN" "$K" '{}'
t1=$(date +%s)
count=$(find "$GEN/hub" -name '*.btf.tar.xz' | wc -l)
[ "$count" -ge "$MAX" ] || bdie "generated $count kernels, wanted $MAX"
distinct=$(find "$GEN/hub" -name '*.btf.tar.xz' -print0 | xargs -0 md5sum | cut -d' ' -f1 | sort -u | wc -l)
[ "$distinct" -ge "$MAX" ] || bdie "only $distinct distinct archives among $count"
note "generated in $((t1 - t0)) s: $count archives, $distinct distinct, $(du -sh "$GEN/hub" | cut -f1)"

# sub-hub of the first N variants (hard links)
declare -a BDIR BREL
for ((b = 0; b < K; b++)); do
	BDIR[b]=$(cat "$GEN/base/$b/dir")
	BREL[b]=$(cat "$GEN/base/$b/release")
done
make_hub() {
	local n=$1 h=$T/hub.$1 i b v rel
	rm -rf "$h"
	for ((i = 0; i < n; i++)); do
		b=$((i % K)) v=$((i / K))
		printf -v rel '%s/%s-s%03d.btf.tar.xz' "${BDIR[b]}" "${BREL[b]}" "$v"
		mkdir -p "$h/${BDIR[b]}"
		ln "$GEN/hub/$rel" "$h/$rel"
	done
}

say "$(printf '%-8s %9s %9s %12s %13s %12s %8s' kernels wall_s cpu_s wall_per_k cpu_per_k_ms peak_rss_MiB unique)"
declare -A WALL CPU RSS
for n in "${SIZES[@]}"; do
	make_hub "$n"
	in=$(du -sbL "$T/hub.$n" | cut -f1)
	s0=$(date +%s%N)
	/usr/bin/time -f '%M %U %S' -o "$T/rss.$n" "$BTFPACK" build -q -j2 -o "$T/out.$n.tar.xz" \
		"${OBJ_ARGS[@]}" "$T/hub.$n" > /dev/null 2> "$T/err.$n" || {
		rc=$?
		[ "$rc" -eq 3 ] || { tail -n 5 "$T/err.$n" >&2; bdie "build of $n kernels failed ($rc)"; }
	}
	s1=$(date +%s%N)
	WALL[$n]=$(calc "($s1 - $s0) / 1e9")
	read -r rss usr sys < <(tail -n 1 "$T/rss.$n")
	RSS[$n]=$(calc "$rss / 1024" %.1f)
	CPU[$n]=$(calc "$usr + $sys" %.2f)
	# distinct entry blobs (an entry's value is {"xxh128":...,"size":...})
	uniq=$(tar -xOJf "$T/out.$n.tar.xz" index.json | grep -o '"xxh128":"[0-9a-f]*","size"' |
		sort -u | wc -l)
	say "$(printf '%-8s %9s %9s %12s %13s %12s %8s' "$n" "${WALL[$n]}" "${CPU[$n]}" \
		"$(calc "${WALL[$n]} / $n" %.4f)" "$(calc "1000 * ${CPU[$n]} / $n" %.1f)" "${RSS[$n]}" "$uniq")"
	note "$n kernels: input $(calc "$in / 1048576" %.0f) MiB"
	rm -rf "$T/hub.$n" "$T/out.$n.tar.xz"
done

first=${SIZES[0]}
say ""
for n in "${SIZES[@]:1}"; do
	say "$(printf '%s -> %s kernels (x%s): wall x%s (per kernel x%s), CPU x%s (per kernel x%s), RSS x%s' \
		"$first" "$n" "$(calc "$n / $first" %.2f)" \
		"$(calc "${WALL[$n]} / ${WALL[$first]}" %.2f)" \
		"$(calc "(${WALL[$n]} / $n) / (${WALL[$first]} / $first)" %.2f)" \
		"$(calc "${CPU[$n]} / ${CPU[$first]}" %.2f)" \
		"$(calc "(${CPU[$n]} / $n) / (${CPU[$first]} / $first)" %.2f)" \
		"$(calc "${RSS[$n]} / ${RSS[$first]}" %.2f)")"
done
# linear: per-kernel time within 15 % of the smallest hub's (wall, and CPU,
# which a loaded machine disturbs less); flat: RSS within 15 %
lin=yes clin=yes flat=yes
for n in "${SIZES[@]:1}"; do
	awk -v a="${WALL[$n]}" -v b="${WALL[$first]}" -v n="$n" -v f="$first" \
		'BEGIN { r = (a / n) / (b / f); exit !(r <= 1.15 && r >= 0.85) }' || lin=no
	awk -v a="${CPU[$n]}" -v b="${CPU[$first]}" -v n="$n" -v f="$first" \
		'BEGIN { r = (a / n) / (b / f); exit !(r <= 1.15 && r >= 0.85) }' || clin=no
	awk -v a="${RSS[$n]}" -v b="${RSS[$first]}" 'BEGIN { exit !(a / b <= 1.15) }' || flat=no
done
say "wall time linear in kernels (per-kernel time within 15 %): $([ $lin = yes ] && echo yes || echo MISSED)"
say "CPU time linear in kernels (per-kernel time within 15 %): $([ $clin = yes ] && echo yes || echo MISSED)"
say "peak RSS flat (within 15 %): $([ $flat = yes ] && echo yes || echo MISSED)"
