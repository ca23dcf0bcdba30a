#!/usr/bin/env bash
# verify: `btfpack verify BUNDLE --hub HUB --obj ...` re-decides every
# relocation against each bundle entry and its hub kernel. Good bundles of
# every dedup mode verify (exit 0); one member offset moved in one entry's
# BTF (btfpack-btf-poke) is a mismatch naming kernel, object and relocation
# (exit 1), through a plain file, a tar's links and a per-kernel
# .btf.tar.xz (the btfhub layout); an entry whose
# source is missing from the hub, or unreadable there, is listed (exit 3);
# an entry that is not BTF is unreadable (exit 1); -j does not change the
# report; every profile, and --aliases entries checked against the kernel
# they alias.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
it_parse_args "$@"

need_synth
POKE=${BTFPACK_BTF_POKE:-}
need_exe btfpack-btf-poke "$POKE"
KDIR=$SYNTH_DIR/kernels
OBJ=$SYNTH_DIR/probe_fields.bpf.o
[ -f "$OBJ" ] || die "missing $OBJ (not built?)"
HUB=$WORK/hub
mkdir -p "$HUB/a/1/x86_64" "$HUB/b/1/x86_64"
cp "$KDIR/base.btf" "$HUB/a/1/x86_64/k1.btf"
cp "$KDIR/base.btf" "$HUB/b/1/x86_64/k1.btf"
cp "$KDIR/retyped.btf" "$HUB/a/1/x86_64/k2.btf"

# run_verify TAG BUNDLE HUB [ARGS...]: $WORK/TAG.out, .err; RC set
run_verify() {
	local tag=$1 bundle=$2 hub=$3
	shift 3
	RC=0
	"$BTFPACK" verify "$@" "$bundle" --hub "$hub" --obj "$OBJ" > "$WORK/$tag.out" \
		2> "$WORK/$tag.err" || RC=$?
	not_a_crash "$RC" || die "$tag: btfpack verify crashed (exit $RC): $(cat "$WORK/$tag.err")"
}

for spec in symlink:tar.xz index:tar.gz hardlink:dir none:dir; do
	mode=${spec%%:*} fmt=${spec#*:}
	out=$WORK/good-$mode
	[ "$fmt" = dir ] || out=$out.$fmt
	"$BTFPACK" build -q --dedup "$mode" -o "$out" --obj "$OBJ" "$HUB" || die "build $mode failed"
	run_verify "good-$mode" "$out" "$HUB"
	check "$mode $fmt bundle verifies (exit $RC)" test "$RC" -eq 0
	check "$mode $fmt: all 3 entries equal" grep -q '^verify: 3 entries: 3 equal, 0 mismatched' \
		"$WORK/good-$mode.out"
done

# one member offset moved in one plain-file entry
B=$WORK/good-none
cp -a "$B" "$WORK/bad-none"
"$POKE" "$B/a/1/x86_64/k2.btf" "$WORK/bad-none/a/1/x86_64/k2.btf" task_struct mm 8 ||
	die "btf-poke failed"
run_verify bad-none "$WORK/bad-none" "$HUB"
o=$WORK/bad-none.out
check "poked entry: exit 1 (got $RC)" test "$RC" -eq 1
check "poked entry: the mismatch names kernel and object" \
	grep -q "^MISMATCH a/1/x86_64/k2.btf: probe_fields.bpf.o: sec '[^']*' relo #[0-9]* insn [0-9]* " "$o"
check "poked entry: ... kind, local type and access string" \
	grep -qE "^MISMATCH .* byte_off struct task_struct '0:[0-9]+': hub: resolved [0-9]+; bundle: resolved [0-9]+$" "$o"
hub_val=$(sed -n 's/^MISMATCH .* byte_off struct task_struct .*hub: resolved \([0-9]*\); bundle: resolved \([0-9]*\)$/\1 \2/p' "$o" | head -n 1)
check "poked entry: the two values are 8 bytes apart ($hub_val)" \
	test "$(echo "$hub_val" | awk '{ print $2 - $1 }')" = 8
check "poked entry: the others stay equal" grep -q '^verify: 3 entries: 2 equal, 1 mismatched' "$o"
check "poked entry: no other entry named" sh -c "! grep -q '^MISMATCH [^a]' '$o' && ! grep -q '^MISMATCH a/1/x86_64/k1' '$o'"
run_verify bad-none-j1 "$WORK/bad-none" "$HUB" -j 1
check "-j1 and -j2 print the same report" cmp -s "$o" "$WORK/bad-none-j1.out"

# two members moved: every differing relocation is reported, not the first
cp -a "$WORK/bad-none" "$WORK/bad-two"
"$POKE" "$WORK/bad-none/a/1/x86_64/k2.btf" "$WORK/bad-two/a/1/x86_64/k2.btf" task_struct signal 8 ||
	die "btf-poke failed"
run_verify bad-two "$WORK/bad-two" "$HUB"
n=$(grep -c '^MISMATCH a/1/x86_64/k2.btf: ' "$WORK/bad-two.out" || true)
check "two poked members: exit 1 (got $RC), $n mismatch lines" test "$RC" -eq 1 -a "$n" -ge 2
check "two poked members: one names mm's access, one signal's" \
	test "$(grep '^MISMATCH ' "$WORK/bad-two.out" | sed "s/.* '\([0-9:]*\)': .*/\1/" | sort -u | wc -l)" -ge 2

# through a tar's symlinks: the shared blob is poked, both kernels show it
x=$WORK/x-symlink
mkdir -p "$x"
tar -C "$x" -xJf "$WORK/good-symlink.tar.xz"
target=$(find "$x" -name k1.btf -type f | head -n 1)
"$POKE" "$target" "$target.new" task_struct mm 8 && mv "$target.new" "$target"
tar -C "$x" -cJf "$WORK/bad-symlink.tar.xz" .
run_verify bad-symlink "$WORK/bad-symlink.tar.xz" "$HUB"
check "poked blob behind links: exit 1 (got $RC)" test "$RC" -eq 1
check "poked blob behind links: both k1 entries mismatch" \
	test "$(grep -c '^MISMATCH [ab]/1/x86_64/k1.btf: ' "$WORK/bad-symlink.out" | tr -d ' ')" -ge 2

# one <kernel>.btf.tar.xz per kernel (the btfhub layout), poked inside one
a=$WORK/archived
cp -a "$B" "$a"
rm -f "$a/index.json"
for f in "$a"/*/*/*/*.btf; do
	tar -C "$(dirname "$f")" -cJf "$f.tar.xz" "$(basename "$f")" && rm "$f"
done
tar -C "$a" -cf "$WORK/archived.tar" .
run_verify archived "$WORK/archived.tar" "$HUB"
check "per-kernel .btf.tar.xz entries verify (exit $RC)" test "$RC" -eq 0
check "per-kernel .btf.tar.xz entries: 3 equal, none without entry" \
	grep -q '^verify: 3 entries: 3 equal, .* 0 hub kernels have no entry$' "$WORK/archived.out"
"$POKE" "$B/a/1/x86_64/k2.btf" "$WORK/k2.btf" task_struct mm 8
tar -C "$WORK" -cJf "$a/a/1/x86_64/k2.btf.tar.xz" k2.btf
tar -C "$a" -cf "$WORK/archived-bad.tar" .
run_verify archived-bad "$WORK/archived-bad.tar" "$HUB"
check "a poked .btf.tar.xz entry: exit 1 (got $RC)" test "$RC" -eq 1
check "a poked .btf.tar.xz entry: named" \
	grep -q '^MISMATCH a/1/x86_64/k2.btf.tar.xz: probe_fields.bpf.o: ' "$WORK/archived-bad.out"

# every profile, with --aliases: each alias entry is checked against the
# kernel it aliases (docs/lookup.md's table), fedora//x86_64 (bcc) included
AH=$WORK/alias-hub
mkdir -p "$AH/rhel/8/arm64" "$AH/fedora/37/x86_64" "$AH/centos/7/x86_64"
cp "$KDIR/base.btf" "$AH/rhel/8/arm64/k1.btf"
cp "$KDIR/retyped.btf" "$AH/fedora/37/x86_64/k2.btf"
cp "$KDIR/base.btf" "$AH/centos/7/x86_64/k3.btf"
for spec in native:tar.xz bcc:tar.gz tree:dir btfhub:tar.xz; do
	profile=${spec%%:*} fmt=${spec#*:}
	out=$WORK/alias-$profile
	[ "$fmt" = dir ] || out=$out.$fmt
	"$BTFPACK" build -q --profile "$profile" --aliases -o "$out" --obj "$OBJ" "$AH" ||
		die "build --profile $profile --aliases failed"
	run_verify "alias-$profile" "$out" "$AH"
	n=$(sed -n 's/^verify: \([0-9]*\) entries: \([0-9]*\) equal.*/\1 \2/p' "$WORK/alias-$profile.out")
	check "--profile $profile --aliases verifies, every alias checked (exit $RC; entries, equal: $n)" \
		sh -c "[ $RC -eq 0 ] && [ '${n% *}' -gt 3 ] && [ '${n% *}' = '${n#* }' ]"
done
check "the bcc profile's fedora//x86_64 alias is among them" \
	sh -c "\"$BTFPACK\" verify -v '$WORK/alias-bcc.tar.gz' --hub '$AH' --obj '$OBJ' | grep -q '^EQUAL fedora//x86_64/k2.btf: '"
t=$WORK/alias-poked
cp -a "$WORK/alias-tree" "$t"
"$POKE" "$t/rhel/8/arm64/k1.btf" "$t/k1.btf" task_struct mm 8
mv "$t/k1.btf" "$t/rhel/8.6/aarch64/k1.btf"
run_verify alias-poked "$t" "$AH"
check "a poked alias entry: exit 1 (got $RC), named by its alias path" \
	sh -c "[ $RC -eq 1 ] && grep -q '^MISMATCH rhel/8.6/aarch64/k1.btf: ' '$WORK/alias-poked.out' &&
		[ \$(grep -c '^MISMATCH ' '$WORK/alias-poked.out') -eq \$(grep -c '^MISMATCH rhel/8.6/aarch64/k1.btf: ' '$WORK/alias-poked.out') ]"

# the source of one entry is not in the hub, another's is unreadable
HUB2=$WORK/hub2
cp -a "$HUB" "$HUB2"
rm "$HUB2/b/1/x86_64/k1.btf"
run_verify missing "$B" "$HUB2"
check "missing source: exit 3 (got $RC)" test "$RC" -eq 3
check "missing source: listed" grep -q '^UNCHECKED b/1/x86_64/k1.btf: no source in the hub' \
	"$WORK/missing.out"
check "missing source: the rest equal" grep -q '^verify: 3 entries: 2 equal, 0 mismatched .* 1 not checked' \
	"$WORK/missing.out"
head -c 100 "$KDIR/base.btf" > "$HUB2/a/1/x86_64/k1.btf"
run_verify unreadable-src "$B" "$HUB2"
check "unreadable source: exit 3 (got $RC)" test "$RC" -eq 3
check "unreadable source: listed with its hub path" \
	grep -q '^UNCHECKED a/1/x86_64/k1.btf: .*a/1/x86_64/k1.btf' "$WORK/unreadable-src.out"

# a bundle entry that is not BTF, and a mismatch with an unchecked entry
cp -a "$B" "$WORK/garbage"
printf 'not btf' > "$WORK/garbage/b/1/x86_64/k1.btf"
run_verify garbage "$WORK/garbage" "$HUB"
check "entry that is not BTF: exit 1 (got $RC)" test "$RC" -eq 1
check "entry that is not BTF: listed" grep -q '^BAD b/1/x86_64/k1.btf: ' "$WORK/garbage.out"
run_verify bad-missing "$WORK/bad-none" "$HUB2"
check "mismatch beats unchecked: exit 1 (got $RC)" test "$RC" -eq 1

# an object the bundle was not minimized for: warned about, and it differs
OTHER=$SYNTH_DIR/probe_types.bpf.o
run_verify other-obj "$B" "$HUB" --obj "$OTHER"
check "an object the bundle was not built for: exit 1 (got $RC)" test "$RC" -eq 1
check "an object the bundle was not built for: warned about" \
	grep -q "index.json does not list object probe_types.bpf.o" "$WORK/other-obj.err"
check "an object the bundle was not built for: its relocations are the mismatches" \
	sh -c "! grep '^MISMATCH ' '$WORK/other-obj.out' | grep -qv ': probe_types.bpf.o: '"

# the bundle or the command line is wrong
run_verify nobundle "$WORK/no-such" "$HUB"
check "missing bundle: exit 1 (got $RC)" test "$RC" -eq 1
check "missing bundle: named" grep -q 'no-such' "$WORK/nobundle.err"
rc=0
"$BTFPACK" verify "$B" --obj "$OBJ" > /dev/null 2>&1 || rc=$?
check "no --hub: usage error (got $rc)" test "$rc" -eq 2
rc=0
"$BTFPACK" verify "$B" --hub "$HUB" > /dev/null 2>&1 || rc=$?
check "no --obj: usage error (got $rc)" test "$rc" -eq 2

finish
