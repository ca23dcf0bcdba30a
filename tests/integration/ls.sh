#!/usr/bin/env bash
# ls: `btfpack ls` on bundles of every --dedup mode, as a tar.gz and as a
# directory, against what the bundle's own index.json and the files say:
# the counts of files, symlinks and hard links, distinct contents, each
# file's size and xxh3-128, the objects; names escaped in the table;
# unreadable input and usage errors.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/build_lib.sh"
it_parse_args "$@"

need_synth
KDIR=$SYNTH_DIR/kernels
HUB=$WORK/hub
# three kernels, two of them equal, under two distros
mkdir -p "$HUB/a/1/x86_64" "$HUB/b/1/x86_64"
cp "$KDIR/base.btf" "$HUB/a/1/x86_64/k1.btf"
cp "$KDIR/base.btf" "$HUB/b/1/x86_64/k1.btf"
cp "$KDIR/retyped.btf" "$HUB/a/1/x86_64/k2.btf"
OBJS=(--obj "${SYNTH_PROBES[0]}" --obj "${SYNTH_PROBES[1]}")
# what dedup must find: distinct `btfpack min` outputs of the three kernels
K=3
D=$(for k in base base retyped; do
	"$BTFPACK" min "$KDIR/$k.btf" "$WORK/min-$k.btf" "${SYNTH_PROBES[0]}" "${SYNTH_PROBES[1]}" 2> /dev/null
	sha_of "$WORK/min-$k.btf"
done | sort -u | wc -l)
log "$K kernels, $D distinct minimized BTFs"

# ls_json BUNDLE TAG: $WORK/TAG.flat from `btfpack ls --json`
ls_json() {
	local rc=0
	"$BTFPACK" ls --json "$1" > "$WORK/$2.json" 2> "$WORK/$2.err" || rc=$?
	[ "$rc" -eq 0 ] || { fail "$2: ls exited $rc: $(head -n 1 "$WORK/$2.err")"; return 1; }
	json_flat "$WORK/$2.json" > "$WORK/$2.flat"
}

# what the files of an extracted bundle hash to: "size hash" lines, sorted
files_of() {
	local d=$1
	find "$d" -type f -printf '%P\n' | sort | while IFS= read -r f; do
		printf '%s %s\n' "$(stat -c %s "$d/$f")" "$f"
	done
}

for mode in symlink hardlink index none; do
	for fmt in tar.gz dir; do
		tag=$mode-$fmt
		out=$WORK/$tag
		[ "$fmt" = dir ] || out=$out.tar.gz
		"$BTFPACK" build -q --dedup "$mode" -o "$out" "${OBJS[@]}" "$HUB" ||
			{ fail "$tag: build failed"; continue; }
		ls_json "$out" "$tag" || continue
		f=$WORK/$tag.flat
		files=$(jget "$f" files) links=$(jget "$f" symlinks) hard=$(jget "$f" hardlinks)
		uniq=$(jget "$f" unique_files)
		# D distinct blobs + index.json; each repeat is a link, a copy or an
		# index row
		case $mode in
		symlink) want="$((D + 1)) $((K - D)) 0 $((D + 1))" ;;
		hardlink) want="$((D + 1)) 0 $((K - D)) $((D + 1))" ;;
		index) want="$((D + 1)) 0 0 $((D + 1))" ;;
		none) want="$((K + 1)) 0 0 $((D + 1))" ;;
		esac
		check "$tag: files symlinks hardlinks distinct = $want (got $files $links $hard $uniq)" \
			test "$files $links $hard $uniq" = "$want"
		check "$tag: dedup mode from the index" test "$(jget "$f" dedup)" = "$mode"
		check "$tag: both objects listed" test "$(jget "$f" objects.1)" = "$(basename "${SYNTH_PROBES[1]}")"
		# every file entry: size and hash as the bytes on disk say
		x=$WORK/$tag.x
		rm -rf "$x" && mkdir -p "$x"
		if [ "$fmt" = dir ]; then cp -a "$out/." "$x/"; else tar -C "$x" -xzf "$out"; fi
		bad=0
		while IFS=$'\t' read -r key val; do
			case $key in entries.*.path) ;; *) continue ;; esac
			i=${key#entries.}
			i=${i%.path}
			[ "$(jget "$f" "entries.$i.type")" = file ] || continue
			[ "$(jget "$f" "entries.$i.size")" = "$(stat -c %s "$x/$val")" ] || bad=1
			if command -v xxhsum > /dev/null; then
				[ "$(jget "$f" "entries.$i.xxh128")" = "$(xxhsum -H2 "$x/$val" | cut -d ' ' -f 1)" ] || bad=1
			fi
		done < "$f"
		check "$tag: every file's size (and xxh128) matches its bytes" test "$bad" -eq 0
	done
done

# the table escapes names from the bundle
mkdir -p "$WORK/evil"
printf 'x' > "$WORK/evil/"$'a\e[2Jb'
tar -C "$WORK/evil" -czf "$WORK/evil.tar.gz" .
rc=0
"$BTFPACK" ls "$WORK/evil.tar.gz" > "$WORK/evil.out" 2>&1 || rc=$?
check "ls of a hand-made tar (exit $rc)" test "$rc" -eq 0
check "ls escapes names in the table" grep -qF 'a\x1b[2Jb' "$WORK/evil.out"
check "ls prints no raw ESC" sh -c "! grep -q \"$(printf '\033')\" '$WORK/evil.out'"

rc=0
"$BTFPACK" ls "$WORK/no-such" > /dev/null 2> "$WORK/nope.err" || rc=$?
check "ls of a missing bundle exits 1 (got $rc)" test "$rc" -eq 1
check "ls of a missing bundle names it" grep -q "no-such" "$WORK/nope.err"
rc=0
"$BTFPACK" ls > /dev/null 2>&1 || rc=$?
check "ls without a bundle is a usage error (got $rc)" test "$rc" -eq 2

finish
