#!/usr/bin/env bash
# build_memory: the memory budget of `btfpack build` (--max-memory) and zstd
# archives written with a big window (zstd --long=31).
#
# Inputs made at test time from the synthetic kernels (nothing big is
# committed): a 40 KB .tar.xz whose BTF has a 255 MiB string section, a
# sparse 1 GiB raw .btf, two .tar.xz of 64 MiB string sections.
# Checks, with --max-memory 200M:
#   - the 255 MiB bomb and the 1 GiB file fail alone, each with one message
#     naming the input, the estimate and the budget; every other kernel of
#     the hub is built (exit 3); peak RSS stays within the budget plus the
#     RSS of the same build without them (plus a fixed slack);
#   - two 64 MiB inputs that fit the budget one at a time but not together
#     are both built with -j2 (workers wait), within the same RSS bound;
#     -j3 under a budget that admits one at a time finishes too, and the
#     bundle is byte-identical to -j1 under the default budget;
#   - a zstd --long=31 archive builds, giving the bundle of the same tar
#     compressed without --long (but for index.json's source hash, which is
#     the hash of the input file).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/build_lib.sh"
. "$(dirname "$0")/mem_lib.sh"
it_parse_args "$@"

need_synth
[ -x /usr/bin/time ] || die "/usr/bin/time not found (Debian package time)"
for t in xz zstd tar od truncate cmp; do
	command -v "$t" > /dev/null || die "$t not found"
done
# ASan holds freed blocks in a quarantine (256 MiB by default): the RSS
# would measure the sanitizer, not btfpack
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0"

BUDGET_MIB=200
SLACK_KIB=$((48 * 1024))	# allocator and sanitizer noise
OBJ_ARGS=()
for p in "${SYNTH_PROBES[@]}"; do
	OBJ_ARGS+=(--obj "$p")
done

kernel=$SYNTH_DIR/kernels/base.btf
[ -f "$kernel" ] || die "synthetic kernel base.btf missing in $SYNTH_DIR/kernels"

# good_hub DIR: every synthetic kernel, in three input formats
good_hub() {
	local f name i=0 stage=$WORK/stage
	for f in "${SYNTH_KERNELS[@]}"; do
		name=$(basename "$f" .btf)
		rm -rf "$stage"
		mkdir -p "$stage" "$1/synth/$i/x86_64"
		cp "$f" "$stage/$name.btf"
		case $((i % 3)) in
		0) cp "$f" "$1/synth/$i/x86_64/$name.btf" ;;
		1) tar -C "$stage" -cJf "$1/synth/$i/x86_64/$name.btf.tar.xz" "$name.btf" ;;
		2) tar -C "$stage" --zstd -cf "$1/synth/$i/x86_64/$name.btf.tar.zst" "$name.btf" ;;
		esac
		i=$((i + 1))
	done
}

# build NAME HUB ARGS...: bundle $WORK/NAME.tar, stderr $WORK/NAME.err,
# peak RSS (KiB) in RSS, exit status in RC
build() {
	local name=$1 hub=$2
	shift 2
	RC=0
	peak_rss_kb "$WORK/$name.rss" "$BTFPACK" build -q -o "$WORK/$name.tar" \
		--report "$WORK/$name.report.json" "${OBJ_ARGS[@]}" "$@" "$hub" 2> "$WORK/$name.err" || RC=$?
	RSS=$(cat "$WORK/$name.rss")
	log "$name: exit $RC, peak RSS $((RSS / 1024)) MiB"
}

# status_of NAME HUBPATH: the status of one input (after index_of NAME)
status_of() {
	json_flat "$WORK/$1.index" > "$WORK/$1.flat"
	kernels_tsv "$WORK/$1.flat" | awk -F '\t' -v p="$2" '$1 == p { print $2 }'
}

# index_of NAME: the full kernel records of build NAME (its report; the
# bundle's index.json keeps only the entries)
index_of() { cp "$WORK/$1.report.json" "$WORK/$1.index"; }

# all_ok_but NAME HUBPATH...: every kernel of the bundle ok except those given
all_ok_but() {
	local name=$1 bad
	shift
	json_flat "$WORK/$name.index" > "$WORK/$name.flat"
	bad=$(kernels_tsv "$WORK/$name.flat" | awk -F '\t' '$2 != "ok" { print $1 }' | sort)
	[ "$bad" = "$(printf '%s\n' "$@" | sed '/^$/d' | sort)" ]
}

# ---- the baseline: the good hub alone --------------------------------------

good_hub "$WORK/good"
build base "$WORK/good" -j2 --max-memory "${BUDGET_MIB}M"
[ "$RC" -eq 0 ] || die "good hub: exit $RC: $(head -3 "$WORK/base.err")"
BOUND_KIB=$((RSS + BUDGET_MIB * 1024 + SLACK_KIB))
log "RSS bound: baseline $((RSS / 1024)) MiB + budget $BUDGET_MIB MiB + slack $((SLACK_KIB / 1024)) MiB"

# ---- inputs that alone exceed the budget fail alone ------------------------

HUB=$WORK/hostile
good_hub "$HUB"
mkdir -p "$WORK/bomb" "$HUB/bomb/1/x86_64" "$HUB/sparse/1/x86_64"
big_strings "$kernel" "$WORK/bomb/bomb.btf" $((255 * 1024 * 1024))
xz_member "$WORK/bomb/bomb.btf" "$HUB/bomb/1/x86_64/bomb.btf.tar.xz"
rm -f "$WORK/bomb/bomb.btf"
log "bomb: $(stat -c %s "$HUB/bomb/1/x86_64/bomb.btf.tar.xz") bytes of .tar.xz"
big_strings "$kernel" "$HUB/sparse/1/x86_64/sparse.btf" \
	$((1024 * 1024 * 1024 - $(stat -c %s "$kernel")))

build hostile "$HUB" -j2 --max-memory "${BUDGET_MIB}M"
if [ "$RC" -eq 3 ]; then pass "hostile hub: exit 3"; else fail "hostile hub: exit $RC, want 3"; fi
if [ "$RSS" -le "$BOUND_KIB" ]; then
	pass "hostile hub: peak RSS $((RSS / 1024)) MiB within $((BOUND_KIB / 1024)) MiB"
else
	fail "hostile hub: peak RSS $((RSS / 1024)) MiB above $((BOUND_KIB / 1024)) MiB"
fi
if [ "$RC" -eq 3 ]; then
	index_of hostile
	if all_ok_but hostile bomb/1/x86_64/bomb.btf sparse/1/x86_64/sparse.btf; then
		pass "hostile hub: only the two big inputs failed"
	else
		fail "hostile hub: statuses: $(kernels_tsv "$WORK/hostile.flat" | cut -f 1,2 | tr '\n\t' '; ')"
	fi
fi
for f in bomb/1/x86_64/bomb.btf.tar.xz sparse/1/x86_64/sparse.btf; do
	msg=$(grep -F "$f" "$WORK/hostile.err" || true)
	if [ "$(printf '%s\n' "$msg" | grep -c .)" -eq 1 ] &&
		printf '%s\n' "$msg" | grep -Eq "needs an estimated [0-9.]+ MiB of memory, more than the ${BUDGET_MIB}\.0 MiB budget \(--max-memory\)"; then
		pass "$f: $msg"
	else
		fail "$f: want one line with the estimate and the budget, got: ${msg:-nothing}"
	fi
done
rm -rf "$HUB"

# ---- inputs that fit one at a time wait for each other ---------------------

HUB=$WORK/big
good_hub "$HUB"
for i in 1 2; do
	mkdir -p "$HUB/big/$i/x86_64"
	big_strings "$kernel" "$WORK/bomb/big$i.btf" $((64 * 1024 * 1024 + i))
	xz_member "$WORK/bomb/big$i.btf" "$HUB/big/$i/x86_64/big$i.btf.tar.xz"
	rm -f "$WORK/bomb/big$i.btf"
done
build wait "$HUB" -j2 --max-memory "${BUDGET_MIB}M"
if [ "$RC" -eq 0 ]; then pass "two 64 MiB inputs, -j2: all built"; else fail "two 64 MiB inputs, -j2: exit $RC: $(head -3 "$WORK/wait.err")"; fi
if [ "$RSS" -le "$BOUND_KIB" ]; then
	pass "two 64 MiB inputs: peak RSS $((RSS / 1024)) MiB within $((BOUND_KIB / 1024)) MiB"
else
	fail "two 64 MiB inputs: peak RSS $((RSS / 1024)) MiB above $((BOUND_KIB / 1024)) MiB"
fi
# one at a time, more workers than fit: must neither deadlock nor change bytes
build wait3 "$HUB" -j3 --max-memory 140M
build wait1 "$HUB" -j1
if [ "$RC" -eq 0 ] && cmp -s "$WORK/wait3.tar" "$WORK/wait1.tar" && cmp -s "$WORK/wait.tar" "$WORK/wait1.tar"; then
	pass "-j3 --max-memory 140M, -j2 --max-memory 200M and -j1 (default budget): identical bundles"
else
	fail "bundles differ across -j and budgets (exit $RC)"
fi
rm -rf "$HUB"

# ---- zstd --long=31 ---------------------------------------------------------

mkdir -p "$WORK/zs" "$WORK/zlong/z/1/x86_64" "$WORK/zplain/z/1/x86_64"
cp "$kernel" "$WORK/zs/k.btf"
tar -C "$WORK/zs" -cf "$WORK/zs/k.tar" k.btf
zstd -q --long=31 -o "$WORK/zlong/z/1/x86_64/k.btf.tar.zst" "$WORK/zs/k.tar" < /dev/null
zstd -q -o "$WORK/zplain/z/1/x86_64/k.btf.tar.zst" "$WORK/zs/k.tar" < /dev/null
build zlong "$WORK/zlong" -j1
[ "$RC" -eq 0 ] && pass "zstd --long=31 archive built" || fail "zstd --long=31: exit $RC: $(head -3 "$WORK/zlong.err")"
build zplain "$WORK/zplain" -j1
if [ "$RC" -eq 0 ] && [ -f "$WORK/zlong.tar" ]; then
	mkdir -p "$WORK/xl" "$WORK/xp"
	tar -C "$WORK/xl" -xf "$WORK/zlong.tar"
	tar -C "$WORK/xp" -xf "$WORK/zplain.tar"
	# the input's hash, in the provenance's sources (one line: compact JSON)
	sed -i -E 's/("path":"[^"]*","xxh128":)"[0-9a-f]{32}"/\1"-"/g' \
		"$WORK/xl/index.json" "$WORK/xp/index.json"
	if diff -r "$WORK/xl" "$WORK/xp" > /dev/null; then
		pass "zstd --long=31 and plain zstd: same bundle"
	else
		fail "zstd --long=31 and plain zstd give different bundles"
	fi
fi

[ "$n_fail" -eq 0 ] || die "$n_fail check(s) failed"
log "all checks passed"
