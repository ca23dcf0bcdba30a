#!/usr/bin/env bash
# shards: build --shard K/N, merge, diff and --keep-from on a hub made from
# the synthetic kernels (and a few corpus kernels when the corpus is there).
#
# Checks: shards 1/3, 2/3, 3/3 merged (in any order) are byte-identical to
# one build, for every --dedup mode and for tar/tar.xz/directory bundles;
# adding one kernel changes exactly one part, the one holding it; merge
# refuses mismatched object sets, a shard given twice, a missing shard, a
# non-part and parts of different N, writing nothing; diff reports added,
# removed and changed kernels and changed objects (exit 0 same, 1 differ,
# 2 trouble); --keep-from keeps a removed kernel with its old bytes, marked
# carried_from the old bundle_id, also through shards + merge, and refuses
# an old bundle of another object set; merge --profile renders bcc, tree
# and btfhub bundles from native parts alike a build of that profile, and
# build --shard refuses other profiles; the docs/ci.md recipes (GitHub
# Actions and Kubernetes), cut out of the doc and run as written, give the
# bundle of one build.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/build_lib.sh"
it_parse_args "$@"

need_synth
DOC=$(cd "$(dirname "$0")/../.." && pwd)/docs/ci.md
[ -f "$DOC" ] || die "recipes not found at $DOC"
KDIR=$SYNTH_DIR/kernels
OBJS=()
for p in "${SYNTH_PROBES[@]}"; do
	OBJS+=(--obj "$p")
done

# ---- the hub ---------------------------------------------------------------
# every synthetic kernel under three distros, one corrupt archive, and two
# inputs on one bundle path (the later fails, in its shard as in one build)
HUB=$WORK/hub
i=0
for k in "$KDIR"/*.btf; do
	for d in ubuntu/20.04/x86_64 debian/11/arm64 centos/7/x86_64; do
		mkdir -p "$HUB/$d"
		cp "$k" "$HUB/$d/$(basename "$k" .btf)-$i.btf"
	done
	i=$((i + 1))
done
# 20.04.1 sorts after 20.04/ in the walk, before it by strcmp
mkdir -p "$HUB/ubuntu/20.04.1/x86_64"
cp "$KDIR/enum_added.btf" "$HUB/ubuntu/20.04.1/x86_64/point.btf"
printf 'not an xz stream' > "$HUB/ubuntu/20.04/x86_64/corrupt.btf.tar.xz"
cp "$KDIR/base.btf" "$HUB/debian/11/arm64/twice.btf"
mkdir -p "$WORK/stage"
cp "$KDIR/renamed.btf" "$WORK/stage/twice.btf"
tar -C "$WORK/stage" -czf "$HUB/debian/11/arm64/twice.btf.tar.gz" twice.btf
load_corpus
for a in "${ARCHIVES[@]:0:4}"; do
	rel=${a#"$CORPUS"/}
	mkdir -p "$HUB/$(dirname "$rel")"
	cp "$a" "$HUB/$rel"
done
log "hub: $(find "$HUB" -type f | wc -l) inputs (${#ARCHIVES[@]} corpus kernels available, up to 4 used)"

# build OUT ARGS...: btfpack build, exit 0 or 3 wanted
build() {
	local out=$1 rc=0
	shift
	"$BTFPACK" build -q -j2 -o "$out" "$@" > "$out.log" 2>&1 || rc=$?
	[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || { warn "build $out exited $rc: $(tail -n 3 "$out.log")"; return 1; }
}

# shards OUTPREFIX SUFFIX ARGS...: the three parts OUTPREFIX.K.SUFFIX
shards() {
	local pre=$1 suf=$2 k
	shift 2
	for k in 1 2 3; do
		build "$pre.$k$suf" --shard "$k/3" "$@" || return 1
	done
}

# merge OUT PARTS...: exit 0 or 3 wanted
merge() {
	local out=$1 rc=0
	shift
	"$BTFPACK" merge -q -o "$out" "$@" > "$out.log" 2>&1 || rc=$?
	[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || { warn "merge $out exited $rc: $(cat "$out.log")"; return 1; }
}

same_dirs() { # A B: directory bundles alike (files, links, bytes)
	[ "$(cd "$1" && find . -printf '%y %P %l\n' | sort)" = "$(cd "$2" && find . -printf '%y %P %l\n' | sort)" ] &&
		diff -r --no-dereference "$1" "$2" > /dev/null
}

# ---- shards merged == one build ------------------------------------------
for spec in symlink:.tar hardlink:.tar.xz index:.tar.gz none:.tar.zst symlink:.d; do
	mode=${spec%%:*} suf=${spec#*:}
	tag=$mode$suf
	whole=$WORK/whole.$tag
	build "$whole" --dedup "$mode" "${OBJS[@]}" "$HUB" || { fail "$tag: whole build"; continue; }
	shards "$WORK/part.$tag" "$suf" --dedup "$mode" "${OBJS[@]}" "$HUB" ||
		{ fail "$tag: shard builds"; continue; }
	merge "$WORK/merged.$tag" --dedup "$mode" "$WORK/part.$tag.3$suf" "$WORK/part.$tag.1$suf" \
		"$WORK/part.$tag.2$suf" || { fail "$tag: merge"; continue; }
	if [ "$suf" = .d ]; then
		check "$tag: shards 1/3 2/3 3/3 merged == one build (directory bundles alike)" \
			same_dirs "$whole" "$WORK/merged.$tag"
	else
		check "$tag: shards 1/3 2/3 3/3 merged == one build, byte for byte" \
			cmp -s "$whole" "$WORK/merged.$tag"
	fi
done
WHOLE=$WORK/whole.symlink.tar P=$WORK/part.symlink.tar
bundle_index "$WHOLE" "$WORK/w.json"
json_flat "$WORK/w.json" > "$WORK/w.flat"
nk=$(index_kernels "$WORK/w.flat")
np=0
for k in 1 2 3; do
	bundle_index "$P.$k.tar" "$WORK/p$k.json"
	json_flat "$WORK/p$k.json" > "$WORK/p$k.flat"
	np=$((np + $(index_kernels "$WORK/p$k.flat")))
	[ "$(jget "$WORK/p$k.flat" part.shard)/$(jget "$WORK/p$k.flat" part.of)" = "$k/3" ] ||
		fail "part $k: index.json part is not $k/3"
done
check "the parts hold every kernel once ($np == $nk, none empty-handed)" [ "$np" -eq "$nk" ] &&
	[ "$nk" -gt 0 ]
check "the whole bundle has no part mark" [ -z "$(jget "$WORK/w.flat" part.of)" ]
check "the whole build has failures to carry through the merge" \
	[ "$(jcount "$WORK/w.flat" failed)" -gt 0 ]

# ---- adding one kernel changes only its own shard --------------------------
HUB2=$WORK/hub2
cp -a "$HUB" "$HUB2"
NEWK=debian/11/arm64/added-kernel.btf
cp "$KDIR/retyped.btf" "$HUB2/$NEWK"
shards "$WORK/add" .tar "${OBJS[@]}" "$HUB2" || fail "shard builds of the grown hub"
changed=0 holder=""
for k in 1 2 3; do
	if ! cmp -s "$P.$k.tar" "$WORK/add.$k.tar"; then
		changed=$((changed + 1))
		tar -xOf "$WORK/add.$k.tar" index.json | grep -qF "\"$NEWK\":{" && holder=$k
	fi
done
check "adding one kernel changed exactly one part ($changed)" [ "$changed" -eq 1 ]
check "the changed part is the one holding the new kernel (shard ${holder:-none})" [ -n "$holder" ]

# ---- merge refuses what does not belong together ---------------------------
build "$WORK/other.1.tar" --shard 1/3 --obj "${SYNTH_PROBES[0]}" "$HUB" || fail "other-objects part"
build "$WORK/n2.1.tar" --shard 1/2 "${OBJS[@]}" "$HUB" || fail "1/2 part"
build "$WORK/lib.1.tar" --shard 1/3 --loader libbpf "${OBJS[@]}" "$HUB" || fail "--loader libbpf part"
# refused DESCRIPTION PATTERN PARTS...: exit 1, message matching, no output
refused() {
	local d=$1 pat=$2 rc=0
	shift 2
	rm -rf "$WORK/refused.tar"
	"$BTFPACK" merge -o "$WORK/refused.tar" "$@" > "$WORK/refused.log" 2>&1 || rc=$?
	if [ "$rc" -eq 1 ] && grep -q -- "$pat" "$WORK/refused.log" && [ ! -e "$WORK/refused.tar" ]; then
		pass "merge refuses $d: $(head -n 1 "$WORK/refused.log")"
	else
		fail "merge of $d: exit $rc, $(head -n 1 "$WORK/refused.log"), output $([ -e "$WORK/refused.tar" ] && echo written || echo absent)"
	fi
}
refused "mismatched object sets" "different object sets" "$P.1.tar" "$WORK/other.1.tar" "$P.2.tar" "$P.3.tar"
refused "overlapping parts (one shard twice)" "are both shard 1/3" "$P.1.tar" "$P.2.tar" "$P.1.tar" "$P.3.tar"
refused "a missing shard" "shard 3/3 is missing" "$P.1.tar" "$P.2.tar"
refused "a whole bundle" "not a part" "$WHOLE"
refused "parts of different shard counts" "is shard 1/2" "$WORK/n2.1.tar" "$P.2.tar"
refused "parts minimized for different loaders" "with --loader libbpf" "$WORK/lib.1.tar" "$P.2.tar" "$P.3.tar"
rc=0
"$BTFPACK" merge "$P.1.tar" > /dev/null 2>&1 || rc=$?
check "merge without -o is a usage error (exit $rc)" [ "$rc" -eq 2 ]

# ---- other profiles: parts are native, merge renders ------------------------
for spec in bcc:.tar.gz tree:.d btfhub:.tar.xz; do
	prof=${spec%%:*} suf=${spec#*:}
	build "$WORK/whole.$prof$suf" --profile "$prof" --aliases "${OBJS[@]}" "$HUB" ||
		{ fail "$prof: whole build"; continue; }
	merge "$WORK/merged.$prof$suf" --profile "$prof" --aliases "$P".{1,2,3}.tar ||
		{ fail "$prof: merge"; continue; }
	if [ "$suf" = .d ]; then
		check "merge --profile $prof of native parts == build --profile $prof (directories alike)" \
			same_dirs "$WORK/whole.$prof$suf" "$WORK/merged.$prof$suf"
	else
		check "merge --profile $prof of native parts == build --profile $prof, byte for byte" \
			cmp -s "$WORK/whole.$prof$suf" "$WORK/merged.$prof$suf"
	fi
done
rc=0
"$BTFPACK" build -q -o "$WORK/bccpart.tar.gz" --shard 1/3 --profile bcc "${OBJS[@]}" "$HUB" \
	> "$WORK/bccpart.log" 2>&1 || rc=$?
c=no
[ "$rc" -eq 2 ] && [ ! -e "$WORK/bccpart.tar.gz" ] && grep -q "always --profile native" "$WORK/bccpart.log" && c=yes
check "build --shard of a non-native profile is refused ($rc: $(head -n 1 "$WORK/bccpart.log"))" [ "$c" = yes ]

# ---- diff -------------------------------------------------------------------
HUB3=$WORK/hub3
cp -a "$HUB" "$HUB3"
GONE=ubuntu/20.04/x86_64/base-0.btf
CHANGED=centos/7/x86_64/base-0.btf
rm "$HUB3/$GONE"
cp "$KDIR/retyped.btf" "$HUB3/$CHANGED"
cp "$KDIR/base.btf" "$HUB3/$NEWK"
build "$WORK/night2.tar" "${OBJS[@]}" "$HUB3" || fail "build of the changed hub"
rc=0
"$BTFPACK" diff "$WHOLE" "$WORK/night2.tar" > "$WORK/diff.txt" 2> "$WORK/diff.err" || rc=$?
check "diff of differing bundles exits 1 ($rc)" [ "$rc" -eq 1 ]
check "diff reports the added kernel" grep -qx "+ $NEWK" "$WORK/diff.txt"
check "diff reports the removed kernel" grep -qx -- "- $GONE" "$WORK/diff.txt"
check "diff reports the changed kernel with both blobs" \
	grep -Eqx "~ $CHANGED: [0-9a-f]{32} -> [0-9a-f]{32}" "$WORK/diff.txt"
check "diff reports nothing else (3 kernel lines)" [ "$(grep -c '^[-+~] ' "$WORK/diff.txt")" -eq 3 ]
check "diff's count line" grep -qx 'kernels: 1 added, 1 removed, 1 changed; objects: 0 changed' "$WORK/diff.txt"
rc=0
"$BTFPACK" diff --json "$WHOLE" "$WORK/night2.tar" > "$WORK/diff.json" 2>&1 || rc=$?
json_flat "$WORK/diff.json" > "$WORK/diff.flat" 2> /dev/null || true
got="$rc $(jget "$WORK/diff.flat" counts.added) $(jget "$WORK/diff.flat" counts.removed) $(jget "$WORK/diff.flat" counts.changed) $(jget "$WORK/diff.flat" same)"
check "diff --json: exit, added, removed, changed, same = '$got'" [ "$got" = "1 1 1 1 false" ]
rc=0
"$BTFPACK" diff "$WHOLE" "$WORK/merged.symlink.tar" > "$WORK/same.txt" 2>&1 || rc=$?
check "diff of a build and its merged shards: same, exit 0 ($rc)" [ "$rc" -eq 0 ]
build "$WORK/fewer.tar" --obj "${SYNTH_PROBES[0]}" "$HUB" || fail "build with one object"
rc=0
"$BTFPACK" diff "$WHOLE" "$WORK/fewer.tar" > "$WORK/objdiff.txt" 2>&1 || rc=$?
check "diff reports the objects dropped ($rc)" \
	[ "$(grep -c '^- object ' "$WORK/objdiff.txt")" -eq $((${#SYNTH_PROBES[@]} - 1)) ]
# one name, other relocations: another probe under the first one's name
ONAME=$(basename "${SYNTH_PROBES[0]}")
mkdir -p "$WORK/swap"
cp "${SYNTH_PROBES[1]}" "$WORK/swap/$ONAME"
build "$WORK/swapped.tar" --obj "$WORK/swap/$ONAME" "$HUB" || fail "build with a swapped object"
rc=0
"$BTFPACK" diff "$WORK/fewer.tar" "$WORK/swapped.tar" > "$WORK/swapdiff.txt" 2>&1 || rc=$?
check "diff reports an object whose relocations changed, by digest ($rc)" \
	grep -Eqx "~ object $ONAME: [0-9a-f]{32} -> [0-9a-f]{32}" "$WORK/swapdiff.txt"
check "diff's count line counts it" grep -q 'objects: 1 changed$' "$WORK/swapdiff.txt"
rc=0
"$BTFPACK" diff "$WHOLE" "$WORK/no-such.tar" > /dev/null 2> "$WORK/trouble.err" || rc=$?
c=no
[ "$rc" -eq 2 ] && grep -q no-such.tar "$WORK/trouble.err" && c=yes
check "diff of an unreadable bundle exits 2 naming it ($rc)" [ "$c" = yes ]

# ---- --keep-from ----------------------------------------------------------
HUB4=$WORK/hub4
cp -a "$HUB" "$HUB4"
rm "$HUB4/$GONE"
build "$WORK/dropped.tar" "${OBJS[@]}" "$HUB4" || fail "build without the removed kernel"
build "$WORK/kept.tar" --keep-from "$WHOLE" "${OBJS[@]}" "$HUB4" || fail "build --keep-from"
check "without --keep-from the removed kernel is gone" \
	bash -c "! tar -xOf '$WORK/dropped.tar' index.json | grep -qF '\"$GONE\"'"
bundle_index "$WORK/kept.tar" "$WORK/kept.json"
json_flat "$WORK/kept.json" > "$WORK/kept.flat"
blob=$(jget "$WORK/kept.flat" "entries.$GONE.xxh128")
check "--keep-from keeps the removed kernel" [ -n "$blob" ]
old_id=$(jget "$WORK/w.flat" provenance.bundle_id)
got=$(jget "$WORK/kept.flat" "entries.$GONE.carried_from")
check "it is marked carried_from the old bundle_id ($old_id: '$got')" [ "${old_id:-none}" = "$got" ]
check "only that kernel is carried" [ "$(grep -o '"carried_from"' "$WORK/kept.json" | wc -l)" -eq 1 ]
"$BTFPACK" lookup "$WHOLE" "$GONE" "$WORK/old.btf" 2> /dev/null || fail "lookup in the old bundle"
"$BTFPACK" lookup "$WORK/kept.tar" "$GONE" "$WORK/carried.btf" 2> /dev/null || fail "lookup of the carried kernel"
check "the carried kernel has its old bytes" cmp -s "$WORK/old.btf" "$WORK/carried.btf"
rc=0
"$BTFPACK" diff "$WHOLE" "$WORK/kept.tar" > "$WORK/keptdiff.txt" 2>&1 || rc=$?
got="$rc $(grep -c '^[-+~] ' "$WORK/keptdiff.txt")"
check "diff: the carried kernel is the one change (exit, lines: $got)" [ "$got" = "1 1" ]
check "diff names where it was carried from" \
	grep -qx "~ $GONE: $blob -> $blob, carried from $old_id" "$WORK/keptdiff.txt"
shards "$WORK/keptpart" .tar --keep-from "$WHOLE" "${OBJS[@]}" "$HUB4" || fail "shards with --keep-from"
merge "$WORK/keptmerged.tar" "$WORK"/keptpart.*.tar || fail "merge of --keep-from parts"
check "--keep-from shards merged == one --keep-from build" cmp -s "$WORK/kept.tar" "$WORK/keptmerged.tar"
rc=0
"$BTFPACK" build -q -o "$WORK/badkeep.tar" --keep-from "$WHOLE" --obj "${SYNTH_PROBES[0]}" "$HUB4" \
	> "$WORK/badkeep.log" 2>&1 || rc=$?
c=no
[ "$rc" -eq 1 ] && [ ! -e "$WORK/badkeep.tar" ] && grep -q "another object set" "$WORK/badkeep.log" && c=yes
check "--keep-from of another object set is refused ($rc: $(head -n 1 "$WORK/badkeep.log"))" [ "$c" = yes ]

# ---- the docs/ci.md recipes, as written --------------------------------------
# recipe NAME: the lines between "# recipe: NAME" and "# recipe: end", with
# the marker line's indentation removed
recipe() {
	awk -v name="$1" '
		$0 ~ "# recipe: " name "$" { on = 1; match($0, /^ */); ind = RLENGTH; next }
		on && /# recipe: end$/ { on = 0; exit }
		on { print substr($0, ind + 1) }' "$DOC"
}
for r in gha-shard gha-merge k8s-shard k8s-merge; do
	recipe "$r" > "$WORK/$r.sh"
	[ -s "$WORK/$r.sh" ] || die "recipe $r not found in $DOC"
done
mkdir -p "$WORK/bin"
ln -s "$(cd "$(dirname "$BTFPACK")" && pwd)/$(basename "$BTFPACK")" "$WORK/bin/btfpack"
OBJDIR=$WORK/objdir
mkdir -p "$OBJDIR"
cp "${SYNTH_PROBES[@]}" "$OBJDIR/"
# the reference: one build with the recipe's arguments (index.json names
# failed inputs by the hub path given)
ref_build() { # DIR HUBARG OBJARG OUT
	(cd "$1" && "$BTFPACK" build -q -o "$4" --obj "$3" "$2" > "$4.log" 2>&1) || [ $? -eq 3 ] ||
		fail "reference build $4: $(tail -n 2 "$4.log")"
}

# GitHub Actions: shell bash -e, the run's directory laid out as the recipe says
G=$WORK/gha
mkdir -p "$G"
ln -s "$HUB" "$G/hub"
ln -s "$OBJDIR" "$G/objs"
ref_build "$G" hub objs "$WORK/ref.tar.xz"
gha_night() { # the three shard jobs, the artifacts, the merge job
	local k
	for k in 1 2 3; do
		(cd "$G" && K=$k N=3 PATH="$WORK/bin:$PATH" bash -e "$WORK/gha-shard.sh") ||
			{ warn "gha-shard $k failed"; return 1; }
	done
	rm -rf "$G/parts"
	mkdir -p "$G/parts"
	mv "$G"/part-*.tar "$G/parts/"
	(cd "$G" && PATH="$WORK/bin:$PATH" bash -e "$WORK/gha-merge.sh") || { warn "gha-merge failed"; return 1; }
}
gha_night || fail "GitHub Actions recipe, first night"
check "GitHub Actions recipe: 3 shard jobs + merge == one build" cmp -s "$WORK/ref.tar.xz" "$G/btf-bundle.tar.xz"
# the next night: one kernel gone from the hub, carried from previous/
rm "$G/hub"
ln -s "$HUB4" "$G/hub"
gha_night || fail "GitHub Actions recipe, second night"
bundle_index "$G/btf-bundle.tar.xz" "$WORK/gha2.json"
json_flat "$WORK/gha2.json" > "$WORK/gha2.flat"
check "second night: the vanished kernel is carried from the previous bundle" \
	[ -n "$(jget "$WORK/gha2.flat" "entries.$GONE.carried_from")" ]
check "second night: the change log lists no removal" bash -c "! grep -q '^- ' '$G/changes.txt'"

# Kubernetes: /bin/sh, JOB_COMPLETION_INDEX 0..N-1, one shared volume W
V=$WORK/volume
mkdir -p "$V"
ln -s "$HUB" "$V/hub"
ln -s "$OBJDIR" "$V/objs"
ref_build "$V" "$V/hub" "$V/objs" "$WORK/ref-k8s.tar.xz"
ok=1
for idx in 0 1 2; do
	JOB_COMPLETION_INDEX=$idx N=3 W=$V PATH="$WORK/bin:$PATH" sh -e "$WORK/k8s-shard.sh" || ok=0
done
W=$V PATH="$WORK/bin:$PATH" sh -e "$WORK/k8s-merge.sh" || ok=0
[ "$ok" -eq 1 ] && cmp -s "$WORK/ref-k8s.tar.xz" "$V/btf-bundle.tar.xz" || ok=0
check "Kubernetes recipe: the Indexed Job's 3 pods + merge Job == one build" [ "$ok" -eq 1 ]

finish
