#!/usr/bin/env bash
# cache: `btfpack build --cache DIR` on a hub of the synthetic kernels as
# .tar.xz archives. Bundles with a cache are byte-identical to bundles
# without; a rerun takes every kernel from the result cache and runs no
# archive decoder (the summary's count of decompressed archives); new
# relocations take the decoded sources; an object rebuilt at another -O is
# a full hit; flipped, truncated and foreign-format entries are never
# trusted; two concurrent builds share a cache; --cache-max evicts the
# least recently used entries.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/build_lib.sh"
it_parse_args "$@"

need_synth
for t in tar xz cmp; do
	command -v "$t" > /dev/null || die "$t not found"
done
SRC=$(cd "$(dirname "$0")/../bpf" && pwd)

HUB=$WORK/hub
N=0
for k in "${SYNTH_KERNELS[@]}"; do
	name=$(basename "$k" .btf)
	mkdir -p "$HUB/synth/1/x86_64" "$WORK/stage-$name"
	cp "$k" "$WORK/stage-$name/$name.btf"
	tar -C "$WORK/stage-$name" -cJf "$HUB/synth/1/x86_64/$name.btf.tar.xz" "$name.btf"
	N=$((N + 1))
done
log "$N kernels as .tar.xz"
PROBE_A=$(printf '%s\n' "${SYNTH_PROBES[@]}" | grep -m1 probe_fields || echo "${SYNTH_PROBES[0]}")
PROBE_B=$(printf '%s\n' "${SYNTH_PROBES[@]}" | grep -m1 probe_enums || echo "${SYNTH_PROBES[1]}")

# build TAG CACHE|- OBJ...: $WORK/TAG.tar, stderr in $WORK/TAG.err; the exit
# status in $WORK/TAG.rc
build() {
	local tag=$1 cache=$2 rc=0
	shift 2
	local args=(-j2 -o "$WORK/$tag.tar" --report "$WORK/$tag.report.json")
	[ "$cache" = - ] || args+=(--cache "$cache")
	[ -z "${LOADER:-}" ] || args+=(--loader "$LOADER")
	for o in "$@"; do args+=(--obj "$o"); done
	"$BTFPACK" build "${args[@]}" "$HUB" 2> "$WORK/$tag.err" || rc=$?
	echo "$rc" > "$WORK/$tag.rc"
	not_a_crash "$rc" || die "$tag: btfpack crashed ($rc): $(tail -n 3 "$WORK/$tag.err")"
	[ "$rc" -eq 0 ] || warn "$tag: exit $rc: $(head -n 3 "$WORK/$tag.err")"
}

# cache_line TAG: "<results> <sources> <decompressed>" from the summary
cache_line() {
	sed -n 's/^btfpack: cache: \([0-9]*\) of [0-9]* kernels from results, \([0-9]*\) from decoded sources; \([0-9]*\) archives decompressed$/\1 \2 \3/p' "$WORK/$1.err"
}

expect_counts() { # TAG "R S D" DESCRIPTION
	local got
	got=$(cache_line "$1")
	if [ "$got" = "$2" ]; then pass "$3 ($got)"; else fail "$3: results/sources/decompressed $got, want $2"; fi
}

same_bundle() { # TAG REF DESCRIPTION
	if cmp -s "$WORK/$1.tar" "$WORK/$2.tar"; then pass "$3"; else fail "$3: $1.tar differs from $2.tar"; fi
}

C=$WORK/cache
build ref - "$PROBE_A"
build cold "$C" "$PROBE_A"
same_bundle cold ref "cold build with --cache == without"
expect_counts cold "0 0 $N" "cold build decodes every archive"
build warm "$C" "$PROBE_A"
same_bundle warm ref "rerun with nothing changed == without cache"
expect_counts warm "$N 0 0" "rerun: every kernel from results, no archive decompressed"
res_entries() { find "$C/v1/res" -type f ! -name '*.tmp.*' | sort; }
src_entries() { find "$C/v1/src" -type f ! -name '*.tmp.*' | sort; }
mapfile -t RES < <(res_entries)	# the results for PROBE_A alone
mapfile -t SRCS < <(src_entries)
[ "${#RES[@]}" -eq "$N" ] && [ "${#SRCS[@]}" -eq "$N" ] || die "cache holds ${#RES[@]} results and ${#SRCS[@]} sources for $N kernels"

# a member above --max-member-size fails with the cache as without
rc=0
"$BTFPACK" build -o "$WORK/cap.tar" --cache "$C" --max-member-size 1K --obj "$PROBE_A" "$HUB" \
	2> "$WORK/cap.err" || rc=$?
check "--max-member-size below the members: no hit, every kernel fails (exit $rc)" \
	grep -q "^btfpack: cache: 0 of $N kernels from results, 0 from decoded sources" "$WORK/cap.err"

# ---- new relocations: results miss, decoded sources hit ---------------------
build ref2 - "$PROBE_A" "$PROBE_B"
build newrel "$C" "$PROBE_A" "$PROBE_B"
same_bundle newrel ref2 "new relocations with cache == without"
expect_counts newrel "0 $N 0" "new relocations: decoded sources, no archive decompressed"

# ---- the same relocations from other object bytes ----------------------------
if command -v clang-19 > /dev/null; then
	multi=$(gcc -print-multiarch 2> /dev/null || echo x86_64-linux-gnu)
	for o in 1 2; do
		mkdir -p "$WORK/o$o"
		clang-19 -target bpf -g -O$o -D__TARGET_ARCH_x86 -I/usr/include/$multi \
			-c "$SRC/core_fields.bpf.c" -o "$WORK/o$o/core_fields.bpf.o" ||
			die "clang-19 -O$o of core_fields.bpf.c failed"
	done
	if cmp -s "$WORK/o1/core_fields.bpf.o" "$WORK/o2/core_fields.bpf.o"; then
		fail "-O1 and -O2 objects are byte-identical: the case tests nothing"
	fi
	build o2 "$C" "$WORK/o2/core_fields.bpf.o"
	build o1 "$C" "$WORK/o1/core_fields.bpf.o"
	build o1ref - "$WORK/o1/core_fields.bpf.o"
	expect_counts o1 "$N 0 0" "object rebuilt at -O1 (was -O2): a full result hit"
	same_bundle o1 o1ref "the -O1 hit == the -O1 build without cache"
	# provenance: the object bytes differ (the report has their hashes),
	# the relocation digests and the object-set digest do not
	for o in o1 o2; do
		bundle_index "$WORK/$o.tar" "$WORK/$o.json"
		json_flat "$WORK/$o.json" > "$WORK/$o.flat"
		json_flat "$WORK/$o.report.json" > "$WORK/$o.report.flat"
	done
	check "-O1/-O2: object hashes differ in the report" \
		test "$(jget "$WORK/o1.report.flat" objects.0.xxh128)" != "$(jget "$WORK/o2.report.flat" objects.0.xxh128)"
	check "-O1/-O2: one relocation digest in provenance.objects" \
		test -n "$(jget "$WORK/o1.flat" provenance.objects.0.relocations)" -a \
		"$(jget "$WORK/o1.flat" provenance.objects.0.relocations)" = "$(jget "$WORK/o2.flat" provenance.objects.0.relocations)"
	check "-O1/-O2: one provenance.object_set" \
		test "$(jget "$WORK/o1.flat" provenance.object_set)" = "$(jget "$WORK/o2.flat" provenance.object_set)"
	check "-O1/-O2: one provenance.bundle_id" \
		test "$(jget "$WORK/o1.flat" provenance.bundle_id)" = "$(jget "$WORK/o2.flat" provenance.bundle_id)"
	check "provenance lists every source" test "$(jcount "$WORK/o1.flat" provenance.sources)" -eq "$N"
else
	skip_case "clang-19 not installed: no -O1/-O2 rebuild"
fi

# ---- entries on disk that are not what was written ----------------------------
flip() { # FILE OFFSET: invert one byte
	local b
	b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf "$(printf '\\%03o' $((255 - b)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
sz=$(file_size "${RES[0]}")
flip "${RES[0]}" $((sz / 2))
build flipped "$C" "$PROBE_A"
same_bundle flipped ref "a flipped byte in a result entry: bundle still right"
expect_counts flipped "$((N - 1)) 1 0" "flipped result entry recomputed (from its decoded source)"
check "flipped entry named in a warning" grep -q "warning: cache entry .*: corrupt or truncated; discarded" "$WORK/flipped.err"
build again "$C" "$PROBE_A"
expect_counts again "$N 0 0" "the recomputed entry is written back"

truncate -s $(($(file_size "${RES[1]}") - 7)) "${RES[1]}"
build trunc "$C" "$PROBE_A"
same_bundle trunc ref "a truncated result entry: bundle still right"
expect_counts trunc "$((N - 1)) 1 0" "truncated result entry recomputed"
check "truncated entry warned about" grep -q 'corrupt or truncated' "$WORK/trunc.err"

# bad decoded sources, seen by an object set without results yet
truncate -s 100 "${SRCS[0]}"
flip "${SRCS[1]}" 70
build refB - "$PROBE_B"
build badsrc "$C" "$PROBE_B"
same_bundle badsrc refB "truncated and flipped decoded sources: bundle still right"
expect_counts badsrc "0 $((N - 2)) 2" "bad decoded sources: those archives decoded again"
check "both bad sources warned about" test "$(grep -c 'corrupt or truncated' "$WORK/badsrc.err")" -eq 2

# an entry of another cache format at the right place: ignored quietly,
# replaced; another format's directory: left alone, also by eviction
mkdir -p "$C/v2/res/00" && echo other > "$C/v2/res/00/entry"
printf '\x63\x00\x00\x00' | dd of="${RES[2]}" bs=1 seek=8 conv=notrunc status=none
build foreign "$C" "$PROBE_A"
same_bundle foreign ref "an entry of another cache format: bundle still right"
expect_counts foreign "$((N - 1)) 1 0" "an entry of another cache format is a miss"
if grep -q "cache entry" "$WORK/foreign.err"; then fail "another format's entry warned about"; else pass "another format's entry ignored quietly"; fi

# ---- two builds at once on a fresh cache ---------------------------------------
C2=$WORK/cache2
( build par1 "$C2" "$PROBE_A" "$PROBE_B" ) &
p1=$!
( build par2 "$C2" "$PROBE_A" "$PROBE_B" ) &
p2=$!
wait "$p1" "$p2"
check "concurrent build 1 exit 0" test "$(cat "$WORK/par1.rc")" -eq 0
check "concurrent build 2 exit 0" test "$(cat "$WORK/par2.rc")" -eq 0
same_bundle par1 ref2 "concurrent build 1 bundle right"
same_bundle par2 ref2 "concurrent build 2 bundle right"
build par3 "$C2" "$PROBE_A" "$PROBE_B"
expect_counts par3 "$N 0 0" "after the concurrent builds the cache is whole"
check "no temp left in the cache" test -z "$(find "$C2" -name '*.tmp.*')"

# ---- --cache-max: least recently used first -------------------------------------
C3=$WORK/cache3
build lruA "$C3" "$PROBE_A"
mapfile -t RES_A < <(find "$C3/v1/res" -type f | sort)
build lruB "$C3" "$PROBE_B"
total=$(find "$C3/v1" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
a_bytes=$(for f in "${RES_A[@]}"; do file_size "$f"; done | awk '{ s += $1 } END { print s }')
keep=$((total - a_bytes))
"$BTFPACK" build -j2 -o "$WORK/lruB2.tar" --cache "$C3" --cache-max "$keep" --obj "$PROBE_B" \
	"$HUB" 2> "$WORK/lruB2.err" || fail "build with --cache-max failed: $(head -n 3 "$WORK/lruB2.err")"
check "--cache-max reports the eviction" grep -q "^btfpack: cache: evicted ${#RES_A[@]} entries" "$WORK/lruB2.err"
left=$(find "$C3/v1" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
check "cache within --cache-max ($left <= $keep)" test "$left" -le "$keep"
gone=0
for f in "${RES_A[@]}"; do [ -e "$f" ] || gone=$((gone + 1)); done
check "the least recently used results went (${gone}/${#RES_A[@]})" test "$gone" -eq "${#RES_A[@]}"
build lruB3 "$C3" "$PROBE_B"
expect_counts lruB3 "$N 0 0" "the recently used entries stayed"
# --loader changes the output: a result of the default must not serve it
LOADER=libbpf build liboff - "$PROBE_B"
LOADER=libbpf build libon "$C3" "$PROBE_B"
expect_counts libon "0 $N 0" "--loader libbpf after the default: results miss, decoded sources hit"
same_bundle libon liboff "--loader libbpf with --cache == without"
"$BTFPACK" build -q -o "$WORK/tiny.tar" --cache "$C" --cache-max 1 --obj "$PROBE_A" "$HUB" ||
	fail "--cache-max 1 failed"
check "--cache-max 1 empties this format's entries" test -z "$(find "$C/v1" -type f)"
check "another format's directory is left alone" test -f "$C/v2/res/00/entry"

rc=0
"$BTFPACK" build -o "$WORK/x.tar" --cache-max 1M --obj "$PROBE_A" "$HUB" 2> "$WORK/usage.err" || rc=$?
check "--cache-max without --cache is a usage error (exit $rc)" test "$rc" -eq 2
finish
