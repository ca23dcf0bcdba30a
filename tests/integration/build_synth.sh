#!/usr/bin/env bash
# shellcheck disable=SC2016 # awk programs in single quotes
# build_synth: `btfpack build` end to end on a BTFHub-style hub made at test
# time from the synthetic kernels, in every input format (.tar.xz, .tar.gz,
# .tar.zst, .tar, plain .btf, vmlinux ELF), with identical kernels under two
# distros, one corrupt archive and one archive holding a non-BTF file.
#
# Checks: exit 3 with the bundle written and the two bad inputs "failed"
# (their error names the file), all others "ok"; exact dedup (unique blobs ==
# distinct sha256 of independent `btfpack min` outputs; N equal kernels ==
# 1 file + N-1 links); libbpf decides alike on each source and its bundled
# BTF (btfpack-judge, every probe); -j1 and -j4 bundles byte-identical; every
# --dedup mode x output format reads back through `btfpack lookup`, GNU tar
# and bsdtar (when installed) with the bytes of `btfpack min`; --strict and an
# all-bad hub exit 1 leaving nothing behind; --verify; SOURCE_DATE_EPOCH;
# --max-member-size; --arch/--distro/--match filters; --obj-arch; --report.
# The judge part needs bpf() and is skipped without it; the rest does not.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/build_lib.sh"
it_parse_args "$@"

need_synth
tar --version 2> /dev/null | grep -q 'GNU tar' || die "GNU tar not found (tar is $(command -v tar || echo missing))"
for t in xz gzip zstd sha256sum cmp od; do
	command -v "$t" > /dev/null || die "$t not found"
done


synth_kernel() { # NAME: path of the synthetic kernel NAME.btf
	local f=$SYNTH_DIR/kernels/$1.btf
	[ -f "$f" ] || die "synthetic kernel $1.btf missing in $SYNTH_DIR/kernels"
	printf '%s\n' "$f"
}

synth_probe() { # NAME: path of probe_NAME.bpf.o, or the first probe
	local f=$SYNTH_DIR/probe_$1.bpf.o
	[ -f "$f" ] || f=${SYNTH_PROBES[0]}
	printf '%s\n' "$f"
}

OBJ_ARGS=()
for p in "${SYNTH_PROBES[@]}"; do
	OBJ_ARGS+=(--obj "$p")
done

# ---- the hub ---------------------------------------------------------------

HUB=$WORK/hub
GOOD_HUB=$WORK/goodhub
BAD_HUB=$WORK/badhub
declare -A KSRC=()	# hub path of a good input -> synthetic kernel it holds
declare -A BAD=()	# hub path of a bad input -> 1

# add_input HUBPATH KERNEL: KERNEL in the format HUBPATH's suffix names
add_input() {
	local hp=$1 kernel=$2 dst=$HUB/$1 stage member
	mkdir -p "$(dirname "$dst")"
	stage=$WORK/stage
	rm -rf "$stage"
	mkdir -p "$stage"
	member=$(basename "$hp")
	member=${member%%.btf*}.btf
	cp "$kernel" "$stage/$member"
	case $hp in
	*.btf.tar.xz) tar -C "$stage" -cJf "$dst" "$member" ;;
	*.btf.tar.gz) tar -C "$stage" -czf "$dst" "$member" ;;
	*.btf.tar.zst) tar -C "$stage" --zstd -cf "$dst" "$member" ;;
	*.btf.tar) tar -C "$stage" -cf "$dst" "$member" ;;
	*.btf) cp "$kernel" "$dst" ;;
	*) die "add_input: unknown format $hp" ;;
	esac
	KSRC[$hp]=$kernel
}

add_input synth/1/x86_64/base.btf.tar.xz "$(synth_kernel base)"
add_input synth/1/x86_64/no_leading.btf.tar.gz "$(synth_kernel no_leading)"
add_input synth/2/arm64/renamed.btf.tar.zst "$(synth_kernel renamed)"
add_input synth/2/arm64/enum_added.btf "$(synth_kernel enum_added)"
add_input synth/2/arm64/retyped.btf.tar "$(synth_kernel retyped)"
# the same kernel under another distro: the very same archive, and re-packed
mkdir -p "$HUB/mirror/1/x86_64"
cp "$HUB/synth/1/x86_64/base.btf.tar.xz" "$HUB/mirror/1/x86_64/base.btf.tar.xz"
KSRC[mirror/1/x86_64/base.btf.tar.xz]=$(synth_kernel base)
add_input mirror/2/x86_64/base.btf.tar.gz "$(synth_kernel base)"

# a vmlinux ELF carrying .BTF, if binutils (or llvm) objcopy and a compiler exist
OBJCOPY=$(command -v objcopy || command -v llvm-objcopy-19 || command -v llvm-objcopy || true)
CC_=$(command -v cc || command -v gcc || command -v clang-19 || command -v clang || true)
if [ -n "$OBJCOPY" ] && [ -n "$CC_" ]; then
	printf 'int btfpack_synth_vmlinux;\n' > "$WORK/elf.c"
	if "$CC_" -c "$WORK/elf.c" -o "$WORK/elf.o" 2> /dev/null &&
		"$OBJCOPY" --add-section .BTF="$(synth_kernel no_type)" "$WORK/elf.o" "$WORK/vmlinux" 2> /dev/null; then
		mkdir -p "$HUB/synth/2/x86_64"
		cp "$WORK/vmlinux" "$HUB/synth/2/x86_64/vmlinux-5.0-synth"
		KSRC[synth/2/x86_64/vmlinux-5.0-synth]=$WORK/vmlinux
	else
		skip_case "vmlinux ELF input (could not make one with $CC_ and $OBJCOPY)"
	fi
else
	skip_case "vmlinux ELF input (no objcopy or C compiler)"
fi

# the good hub: the same good inputs, nothing else
for hp in "${!KSRC[@]}"; do
	mkdir -p "$GOOD_HUB/$(dirname "$hp")"
	cp "$HUB/$hp" "$GOOD_HUB/$hp"
done

# a corrupt archive: a valid .tar.xz with 16 bytes flipped in the middle
add_input synth/3/x86_64/corrupt.btf.tar.xz "$(synth_kernel dup)"
unset 'KSRC[synth/3/x86_64/corrupt.btf.tar.xz]'
BAD[synth/3/x86_64/corrupt.btf.tar.xz]=1
f=$HUB/synth/3/x86_64/corrupt.btf.tar.xz
cp "$f" "$WORK/corrupt.orig"
mid=$(($(file_size "$f") / 2))
# shellcheck disable=SC2059 # the format is the byte, as an octal escape
od -An -v -tu1 -j "$mid" -N 16 "$f" | tr -s ' ' '\n' | sed '/^$/d' |
	while read -r b; do printf "\\$(printf '%03o' $((255 - b)))"; done > "$WORK/flipped"
dd if="$WORK/flipped" of="$f" bs=1 seek="$mid" conv=notrunc status=none
! cmp -s "$f" "$WORK/corrupt.orig" || die "could not corrupt $f"
! xz -t "$f" 2> /dev/null || die "$f still passes xz -t after flipping bytes"
# an archive holding a file that is not BTF
mkdir -p "$WORK/nb"
printf 'this is not BTF, just text\n' > "$WORK/nb/notbtf.btf"
tar -C "$WORK/nb" -cJf "$HUB/synth/3/x86_64/notbtf.btf.tar.xz" notbtf.btf
BAD[synth/3/x86_64/notbtf.btf.tar.xz]=1

for hp in "${!BAD[@]}"; do
	mkdir -p "$BAD_HUB/$(dirname "$hp")"
	cp "$HUB/$hp" "$BAD_HUB/$hp"
done

N_GOOD=${#KSRC[@]}
N_ALL=$((N_GOOD + ${#BAD[@]}))
log "hub: $N_GOOD good inputs, ${#BAD[@]} bad ones, ${#SYNTH_PROBES[@]} probes"

# ---- expected outputs: `btfpack min` on each source --------------------------

# expect_set NAME OBJ...: EXPF[hub path] = btfpack min output for every good
# input, computed into $WORK/exp.NAME
declare -A EXPF=()
expect_set() {
	local name=$1 hp d rc
	shift
	d=$WORK/exp.$name
	mkdir -p "$d"
	EXPF=()
	for hp in "${!KSRC[@]}"; do
		local out
		out=$d/$(printf '%s' "$hp" | tr '/' '_').btf
		if [ ! -f "$out" ]; then
			rc=0
			"$BTFPACK" min "${KSRC[$hp]}" "$out" "$@" > /dev/null 2> "$d/min.err" || rc=$?
			[ "$rc" -eq 0 ] || die "btfpack min ${KSRC[$hp]} exited $rc: $(head -n 3 "$d/min.err")"
		fi
		EXPF[$hp]=$out
	done
}

# ---- running builds --------------------------------------------------------

# run_build NAME ARGS...: btfpack build -q ARGS; RC, stdout in $WORK/NAME.out,
# stderr in $WORK/NAME.err. Without a --report in ARGS it adds one,
# $WORK/reports/NAME.json, and REPORT_OF[bundle] names the report.
declare -A REPORT_OF=()
run_build() {
	local name=$1 a prev="" out="" rep=""
	shift
	for a in "$@"; do
		[ "$prev" = -o ] && out=$a
		[ "$prev" = --report ] && rep=$a
		prev=$a
	done
	local extra=()
	if [ -z "$rep" ]; then
		mkdir -p "$WORK/reports"
		rep=$WORK/reports/$name.json
		rm -f "$rep"
		extra=(--report "$rep")
	fi
	[ -n "$out" ] && REPORT_OF[$out]=$rep
	RC=0
	"$BTFPACK" build -q "${extra[@]}" "$@" > "$WORK/$name.out" 2> "$WORK/$name.err" || RC=$?
	LAST=$name
}

expect_rc() { # WANT DESCRIPTION
	if [ "$RC" -eq "$1" ]; then
		pass "$2 (exit $RC)"
		return 0
	fi
	fail "$2: expected exit $1, got $RC"
	sed 's/^/    stderr: /' "$WORK/$LAST.err" | head -n 10 >&2
	return 1
}

# load_index BUNDLE TAG: $WORK/TAG.{json,flat} from BUNDLE's index.json,
# TAG.rflat from its build's report and TAG.tsv (kernels_tsv, links added);
# fails unless the index's entries are the report's ok kernels, blob and
# size alike
load_index() {
	local rep=${REPORT_OF[$1]:-}
	bundle_index "$1" "$WORK/$2.json" || { fail "$2: no index.json in $1"; return 1; }
	json_flat "$WORK/$2.json" > "$WORK/$2.flat"
	[ -n "$rep" ] && [ -s "$rep" ] || { fail "$2: no report of the build of $1"; return 1; }
	json_flat "$rep" > "$WORK/$2.rflat"
	kernels_tsv "$WORK/$2.rflat" | add_links "$(jget "$WORK/$2.flat" dedup)" > "$WORK/$2.tsv"
	if ! diff <(index_entries "$WORK/$2.flat") \
		<(awk -F '\t' -v OFS='\t' '$2 == "ok" { print $1, $3, $4 }' "$WORK/$2.tsv" | sort) > "$WORK/$2.idiff"; then
		fail "$2: index.json entries differ from the report's ok kernels"
		sed 's/^/    /' "$WORK/$2.idiff" | head -n 10 >&2
		return 1
	fi
}

# check_index TAG BUNDLE: the index and lookup agree with EXPF/BAD, for the
# hub paths listed in WANT (an array), exactly. Sets ROWS_OK, UNIQ.
check_index() {
	local tag=$1 bundle=$2 path status blob size link src arch res unres rej err
	local bad=0 n_ok=0 n_failed=0 got_list want_list
	local exp_uniq sums bytes_exp
	got_list=$(cut -f 6 "$WORK/$tag.tsv" | sort)
	want_list=$(printf '%s\n' "${WANT[@]}" | sort)
	if [ "$got_list" != "$want_list" ]; then
		fail "$tag: index.json kernels differ from the expected inputs"
		diff <(printf '%s\n' "$want_list") <(printf '%s\n' "$got_list") | sed 's/^/    /' >&2 || true
		return 0
	fi
	: > "$WORK/$tag.pairs"
	while IFS=$'\t' read -r path status blob size link src arch res unres rej err; do
		if [ -n "${BAD[$src]:-}" ] || [ -n "${FAILS[$src]:-}" ]; then
			n_failed=$((n_failed + 1))
			if [ "$status" != failed ]; then
				warn "  $tag: $src: status $status, expected failed"
				bad=1
			elif [[ "$err" != *"$src"* ]]; then
				warn "  $tag: $src: error does not name the file: $err"
				bad=1
			elif [ -n "${FAILS[$src]:-}" ] && [[ "$err" != *"${FAILS[$src]}"* ]]; then
				warn "  $tag: $src: error does not mention '${FAILS[$src]}': $err"
				bad=1
			fi
			if "$BTFPACK" lookup "$bundle" "$path" "$WORK/lk.btf" < /dev/null 2> /dev/null; then
				warn "  $tag: lookup of failed kernel $path succeeded"
				bad=1
			fi
			continue
		fi
		n_ok=$((n_ok + 1))
		if [ "$status" != ok ]; then
			warn "  $tag: $src: status $status ($err), expected ok"
			bad=1
			continue
		fi
		if [ "$size" != "$(file_size "${EXPF[$src]}")" ]; then
			warn "  $tag: $path: size $size, btfpack min wrote $(file_size "${EXPF[$src]}")"
			bad=1
		fi
		rm -f "$WORK/lk.btf"
		if ! "$BTFPACK" lookup "$bundle" "$path" "$WORK/lk.btf" < /dev/null 2> "$WORK/lk.err"; then
			warn "  $tag: btfpack lookup $path failed: $(head -n 1 "$WORK/lk.err")"
			bad=1
		elif ! cmp -s "$WORK/lk.btf" "${EXPF[$src]}"; then
			warn "  $tag: lookup $path differs from btfpack min ${KSRC[$src]}"
			bad=1
		fi
		printf '%s\t%s\t%s\t%s\t%s\n' "$(sha_of "${EXPF[$src]}")" "$blob" "$path" "$link" "$size" >> "$WORK/$tag.pairs"
	done < "$WORK/$tag.tsv"

	# exact dedup: sha256 of the expected outputs <-> blob hashes, one to one
	exp_uniq=$(cut -f 1 "$WORK/$tag.pairs" | sort -u | wc -l)
	if [ "$(cut -f 2 "$WORK/$tag.pairs" | sort -u | wc -l)" -ne "$exp_uniq" ] ||
		[ "$(cut -f 1,2 "$WORK/$tag.pairs" | sort -u | wc -l)" -ne "$exp_uniq" ]; then
		warn "  $tag: blob hashes do not group kernels like the sha256 of btfpack min outputs"
		bad=1
	fi
	bytes_exp=$(sort -u -t $'\t' -k 1,1 "$WORK/$tag.pairs" | awk -F '\t' '{ s += $5 } END { print s + 0 }')
	sums="$(jget "$WORK/$tag.rflat" summary.kernels) $(jget "$WORK/$tag.rflat" summary.ok)"
	sums+=" $(jget "$WORK/$tag.rflat" summary.failed) $(jget "$WORK/$tag.rflat" summary.unique_blobs)"
	sums+=" $(jget "$WORK/$tag.rflat" summary.bytes_out)"
	if [ "$sums" != "$((n_ok + n_failed)) $n_ok $n_failed $exp_uniq $bytes_exp" ]; then
		warn "  $tag: summary (kernels ok failed unique_blobs bytes_out) is [$sums], expected [$((n_ok + n_failed)) $n_ok $n_failed $exp_uniq $bytes_exp]"
		bad=1
	fi
	# links: in symlink/hardlink mode, each blob group is 1 entry + links to it
	local mode n_link
	mode=$(jget "$WORK/$tag.flat" dedup)
	n_link=$(awk -F '\t' '$4 != "-"' "$WORK/$tag.pairs" | wc -l)
	case $mode in
	symlink | hardlink)
		if [ "$n_link" -ne $((n_ok - exp_uniq)) ]; then
			warn "  $tag: $n_link repeated blobs, expected $((n_ok - exp_uniq))"
			bad=1
		fi
		# every link names an unlinked entry with the same blob
		if ! awk -F '\t' '
			{ blob[$3] = $2; link[$3] = $4; order[NR] = $3 }
			END {
				for (i = 1; i <= NR; i++) {
					p = order[i]; l = link[p]
					if (l == "-") continue
					if (!(l in blob) || link[l] != "-" || blob[l] != blob[p]) {
						print "    link " p " -> " l " is not an unlinked entry with its blob" > "/dev/stderr"
						bad = 1
					}
				}
				exit bad
			}' "$WORK/$tag.pairs"; then
			bad=1
		fi
		;;
	index | none)
		if [ "$n_link" -ne 0 ]; then
			warn "  $tag: $n_link linked entries in --dedup $mode"
			bad=1
		fi
		;;
	*)
		warn "  $tag: index.json dedup is '$mode'"
		bad=1
		;;
	esac
	ROWS_OK=$n_ok
	UNIQ=$exp_uniq
	[ "$bad" -eq 0 ]
}

# check_tree DIR MODE TAG: an unpacked bundle holds the expected bytes in
# the layout MODE promises (after check_index TAG)
check_tree() {
	local dir=$1 mode=$2 tag=$3 bad=0 path status blob size link src rest f
	[ -f "$dir/index.json" ] || { warn "  $tag: no index.json in the tree"; return 1; }
	while IFS=$'\t' read -r path status blob size link src rest; do
		if [ "$status" != ok ]; then
			if [ -e "$dir/$path" ] || [ -L "$dir/$path" ]; then
				warn "  $tag: failed kernel $path is in the bundle"
				bad=1
			fi
			continue
		fi
		if [ "$mode" = index ]; then
			f=$dir/blobs/$blob.btf
			if [ -e "$dir/$path" ]; then
				warn "  $tag: --dedup index bundle has $path"
				bad=1
			fi
		else
			f=$dir/$path
		fi
		if [ ! -f "$f" ]; then
			warn "  $tag: $path: ${f#"$dir"/} missing"
			bad=1
			continue
		fi
		if ! cmp -s "$f" "${EXPF[$src]}"; then
			warn "  $tag: ${f#"$dir"/} differs from btfpack min ${KSRC[$src]}"
			bad=1
		fi
		case $mode in
		symlink)
			if [ "$link" != - ]; then
				if [ ! -L "$f" ] || [[ "$(readlink "$f")" == /* ]]; then
					warn "  $tag: $path is not a relative symlink ($(readlink "$f" || echo "not a link"))"
					bad=1
				elif [ "$(readlink -f "$f")" != "$(readlink -f "$dir/$link")" ]; then
					warn "  $tag: $path links to $(readlink "$f"), expected the first kernel with its blob, $link"
					bad=1
				fi
			elif [ -L "$f" ]; then
				warn "  $tag: $path is a symlink, yet the first kernel with its blob"
				bad=1
			fi
			;;
		hardlink)
			if [ -L "$f" ]; then
				warn "  $tag: $path is a symlink in --dedup hardlink"
				bad=1
			elif [ "$link" != - ] && [ "$(stat -c %i "$f")" != "$(stat -c %i "$dir/$link")" ]; then
				warn "  $tag: $path is not a hard link to $link"
				bad=1
			fi
			;;
		none)
			if [ -L "$f" ] || [ "$(stat -c %h "$f")" -ne 1 ]; then
				warn "  $tag: $path is a link in --dedup none"
				bad=1
			fi
			;;
		esac
	done < "$WORK/$tag.tsv"
	# what is stored: unique blobs once (all modes but none), nothing else
	local n_files n_entries want_files want_entries
	n_files=$(find "$dir" -type f ! -path "$dir/index.json" -printf '%i\n' | sort -u | wc -l)
	n_entries=$(find "$dir" \( -type f -o -type l \) ! -path "$dir/index.json" | wc -l)
	case $mode in
	none) want_files=$ROWS_OK want_entries=$ROWS_OK ;;
	index) want_files=$UNIQ want_entries=$UNIQ ;;
	*) want_files=$UNIQ want_entries=$ROWS_OK ;;
	esac
	if [ "$n_files" -ne "$want_files" ] || [ "$n_entries" -ne "$want_entries" ]; then
		warn "  $tag: $n_files stored files in $n_entries entries, expected $want_files in $want_entries"
		bad=1
	fi
	[ "$bad" -eq 0 ]
}

# magic_ok FILE FORMAT: FILE starts like FORMAT
magic_ok() {
	local m
	case $2 in
	tar.xz) m=$(od -An -tx1 -N 6 "$1" | tr -d ' \n'); [ "$m" = fd377a585a00 ] ;;
	tar.gz) m=$(od -An -tx1 -N 2 "$1" | tr -d ' \n'); [ "$m" = 1f8b ] ;;
	tar.zst) m=$(od -An -tx1 -N 4 "$1" | tr -d ' \n'); [ "$m" = 28b52ffd ] ;;
	tar) m=$(od -An -c -j 257 -N 5 "$1" | tr -d ' \n'); [ "$m" = ustar ] ;;
	esac
}

# ---- main build: exit 3, index, dedup, lookup -------------------------------

expect_set all "${SYNTH_PROBES[@]}"
declare -A FAILS=()
WANT=("${!KSRC[@]}" "${!BAD[@]}")
t0=$(date +%s)

run_build main -j4 -o "$WORK/main.tar.xz" "${OBJ_ARGS[@]}" "$HUB"
expect_rc 3 "build with a corrupt and a non-BTF input" || true
check "bundle written despite failed kernels" test -s "$WORK/main.tar.xz"
for hp in "${!BAD[@]}"; do
	check "stderr names the bad input $hp" grep -qF "$hp" "$WORK/main.err"
done
load_index "$WORK/main.tar.xz" main ||
	die "no readable index.json in the main bundle: cannot go on ($n_fail checks failed)"
if check_index main "$WORK/main.tar.xz"; then
	pass "index.json: ${#BAD[@]} failed naming their file, $ROWS_OK ok; $UNIQ unique blobs == distinct sha256 of btfpack min; every lookup == btfpack min"
else
	fail "index.json / lookup of the main bundle (see above)"
fi

check "default --dedup is symlink (index.json: $(jget "$WORK/main.flat" dedup))" \
	test "$(jget "$WORK/main.flat" dedup)" = symlink


# the three copies of base: 1 file + 2 links in the tar
listing=$(tar -tvf "$WORK/main.tar.xz")
base_paths=$(awk -F '\t' '$6 ~ /base\.btf/ { print $1 }' "$WORK/main.tsv")
n_base_reg=0 n_base_lnk=0
for p in $base_paths; do
	line=$(printf '%s\n' "$listing" | awk -v p="$p" '$6 == p')
	case $line in
	-*) n_base_reg=$((n_base_reg + 1)) ;;
	l*) n_base_lnk=$((n_base_lnk + 1)) ;;
	esac
done
check "3 inputs of the same kernel (identical and re-packed archive) stored as 1 file + 2 symlinks (got $n_base_reg + $n_base_lnk)" \
	test "$n_base_reg $n_base_lnk" = "1 2"

# ---- libbpf judge: source vs bundled BTF, every probe -------------------------

judge_ok=0
if [ -n "$JUDGE" ] && [ -x "$JUDGE" ]; then
	rc=0
	msg=$("$JUDGE" --check-bpf 2>&1) || rc=$?
	case $rc in
	0) judge_ok=1 ;;
	"$SKIP") skip_case "libbpf judge: bpf() unavailable ($msg)" ;;
	*) die "btfpack-judge --check-bpf failed ($rc): $msg" ;;
	esac
else
	skip_case "libbpf judge: btfpack-judge not given"
fi
if [ "$judge_ok" -eq 1 ]; then
	jd=$WORK/judge
	mkdir -p "$jd"
	: > "$jd/jobs"
	n=0
	while IFS=$'\t' read -r path status blob size link src rest; do
		[ "$status" = ok ] || continue
		n=$((n + 1))
		"$BTFPACK" lookup "$WORK/main.tar.xz" "$path" "$jd/$n.btf" < /dev/null || die "lookup $path"
		for i in "${!SYNTH_PROBES[@]}"; do
			add_job "$jd/jobs" "${SYNTH_PROBES[$i]}" "${KSRC[$src]}" "$jd/$n.$i.src"
			add_job "$jd/jobs" "${SYNTH_PROBES[$i]}" "$jd/$n.btf" "$jd/$n.$i.min"
			printf '%s\t%s\t%s\n' "$n.$i" "$path" "$(basename "${SYNTH_PROBES[$i]}")" >> "$jd/list"
		done
	done < "$WORK/main.tsv"
	run_judges "$jd/jobs"
	n_cmp=0 n_bad=0 n_relo=0
	while IFS=$'\t' read -r id path probe; do
		n_cmp=$((n_cmp + 1))
		n_relo=$((n_relo + $(grep -c ': relo #' "$jd/$id.src" || true)))
		if ! cmp -s "$jd/$id.src" "$jd/$id.min"; then
			n_bad=$((n_bad + 1))
			warn "  judge differs for $probe on $path:"
			diff "$jd/$id.src" "$jd/$id.min" | head -n 8 | sed 's/^/    /' >&2 || true
		fi
	done < "$jd/list"
	if [ "$n_bad" -eq 0 ] && [ "$n_relo" -gt 0 ]; then
		pass "libbpf judge: source == bundle for $n_cmp kernel x probe pairs ($n_relo relocation lines)"
	else
		fail "libbpf judge: $n_bad of $n_cmp pairs differ ($n_relo relocation lines)"
	fi
fi

# ---- reproducibility: -j1 == -j4 ------------------------------------------------

run_build j1 -j1 -o "$WORK/j1.tar.xz" "${OBJ_ARGS[@]}" "$HUB"
expect_rc 3 "-j1 build" || true
check "-j1 and -j4 bundles are byte-identical" cmp -s "$WORK/j1.tar.xz" "$WORK/main.tar.xz"

# ---- every --dedup mode x every output format ---------------------------------

HAVE_BSDTAR=0
if command -v bsdtar > /dev/null; then
	HAVE_BSDTAR=1
else
	skip_case "bsdtar read-back: bsdtar (package libarchive-tools) not installed"
fi
for mode in symlink hardlink index none; do
	for fmt in tar.xz tar.gz tar.zst tar dir; do
		tag=m.$mode.$fmt
		if [ "$fmt" = dir ]; then out=$WORK/$tag.d; else out=$WORK/$tag; fi
		run_build "$tag" -j2 --dedup "$mode" -o "$out" "${OBJ_ARGS[@]}" "$HUB"
		expect_rc 3 "--dedup $mode -o *.$fmt" || continue
		if [ "$fmt" != dir ] && ! magic_ok "$out" "$fmt"; then
			fail "$tag: $out is not a $fmt file"
		fi
		load_index "$out" "$tag" || continue
		check "--dedup $mode .$fmt: index.json and btfpack lookup" check_index "$tag" "$out"
		if [ "$fmt" = dir ]; then
			check "--dedup $mode directory: layout and bytes" check_tree "$out" "$mode" "$tag"
			continue
		fi
		rm -rf "$WORK/x"
		mkdir -p "$WORK/x"
		if tar -xf "$out" -C "$WORK/x" 2> "$WORK/x.err"; then
			check "--dedup $mode .$fmt: GNU tar read-back" check_tree "$WORK/x" "$mode" "$tag"
		else
			fail "--dedup $mode .$fmt: GNU tar cannot extract: $(head -n 2 "$WORK/x.err")"
		fi
		if [ "$HAVE_BSDTAR" -eq 1 ]; then
			rm -rf "$WORK/x"
			mkdir -p "$WORK/x"
			if bsdtar -xf "$out" -C "$WORK/x" 2> "$WORK/x.err"; then
				check "--dedup $mode .$fmt: bsdtar read-back" check_tree "$WORK/x" "$mode" "$tag"
			else
				fail "--dedup $mode .$fmt: bsdtar cannot extract: $(head -n 2 "$WORK/x.err")"
			fi
		fi
	done
	# the compressed bundles are the plain tar, compressed
	for c in "xz:tar.xz" "gzip:tar.gz" "zstd:tar.zst"; do
		tool=${c%%:*} fmt=${c#*:}
		[ -f "$WORK/m.$mode.$fmt" ] && [ -f "$WORK/m.$mode.tar" ] || continue
		check "--dedup $mode: .$fmt decompresses to the .tar bundle's bytes" \
			cmp -s <("$tool" -dc "$WORK/m.$mode.$fmt") "$WORK/m.$mode.tar"
	done
done

# ---- --strict, all-bad hub: exit 1, nothing left -------------------------------

for fmt in tar.xz dir; do
	rm -rf "$WORK/strict"
	mkdir -p "$WORK/strict"
	out=$WORK/strict/bundle.$fmt
	run_build strict -j2 --strict -o "$out" "${OBJ_ARGS[@]}" "$HUB"
	expect_rc 1 "--strict with failed kernels (-o .$fmt)" || true
	check "--strict (.$fmt): no bundle, no temporary file in the output directory ($(ls -A "$WORK/strict" | tr '\n' ' '))" \
		test -z "$(ls -A "$WORK/strict")"
	rm -rf "$WORK/allbad"
	mkdir -p "$WORK/allbad"
	out=$WORK/allbad/bundle.$fmt
	run_build allbad -j2 -o "$out" "${OBJ_ARGS[@]}" "$BAD_HUB"
	expect_rc 1 "hub where every input is bad (-o .$fmt)" || true
	check "all-bad hub (.$fmt): no bundle, no temporary file ($(ls -A "$WORK/allbad" | tr '\n' ' '))" \
		test -z "$(ls -A "$WORK/allbad")"
done

# ---- good hub: --verify, --no-verify, SOURCE_DATE_EPOCH, --max-member-size -----

WANT=("${!KSRC[@]}")
run_build good -j2 -o "$WORK/good.tar" "${OBJ_ARGS[@]}" "$GOOD_HUB"
expect_rc 0 "good inputs only" || true
run_build verify -j2 --verify -o "$WORK/verify.tar" "${OBJ_ARGS[@]}" "$GOOD_HUB"
if expect_rc 0 "--verify on the good inputs" && load_index "$WORK/verify.tar" verify; then
	check "--verify bundle: index.json and lookup" check_index verify "$WORK/verify.tar"
	check "--verify does not change the bundle" cmp -s "$WORK/verify.tar" "$WORK/good.tar"
fi
# verify is the default: --no-verify skips it and changes no byte either
run_build noverify -j2 --no-verify -o "$WORK/noverify.tar" "${OBJ_ARGS[@]}" "$GOOD_HUB"
if expect_rc 0 "--no-verify on the good inputs"; then
	check "--no-verify does not change the bundle" cmp -s "$WORK/noverify.tar" "$WORK/good.tar"
fi

all_mtimes() { # TAR: the distinct "date time" of its members, UTC
	TZ=UTC tar -tvf "$1" --full-time | awk '{ print $4 " " $5 }' | sort -u | tr '\n' ';'
}
check "default timestamps are 1970-01-01 00:00:00 (got $(all_mtimes "$WORK/good.tar"))" \
	test "$(all_mtimes "$WORK/good.tar")" = "1970-01-01 00:00:00;"
RC=0
SOURCE_DATE_EPOCH=1700000000 "$BTFPACK" build -q -j2 -o "$WORK/sde.tar.gz" "${OBJ_ARGS[@]}" "$GOOD_HUB" \
	> /dev/null 2> "$WORK/sde.err" || RC=$?
LAST=sde
expect_rc 0 "SOURCE_DATE_EPOCH=1700000000" || true
check "SOURCE_DATE_EPOCH=1700000000 gives 2023-11-14 22:13:20 on every member (got $(all_mtimes "$WORK/sde.tar.gz"))" \
	test "$(all_mtimes "$WORK/sde.tar.gz")" = "2023-11-14 22:13:20;"
RC=0
SOURCE_DATE_EPOCH=1700000000 "$BTFPACK" build -q -j2 -o "$WORK/sde.d" "${OBJ_ARGS[@]}" "$GOOD_HUB" \
	> /dev/null 2> "$WORK/sde.err" || RC=$?
expect_rc 0 "SOURCE_DATE_EPOCH=1700000000, directory bundle" || true
check "SOURCE_DATE_EPOCH: directory bundle entries carry mtime 1700000000" \
	test "$(find "$WORK/sde.d" -printf '%T@\n' | sed 's/\..*//' | sort -u)" = 1700000000

declare -A FAILS=()
for hp in "${!KSRC[@]}"; do
	case $hp in *.tar*) FAILS[$hp]=1024 ;; esac
done
run_build mms -j2 --max-member-size 1K -o "$WORK/mms.tar" "${OBJ_ARGS[@]}" "$GOOD_HUB"
if expect_rc 3 "--max-member-size 1K" && load_index "$WORK/mms.tar" mms; then
	check "--max-member-size 1K: every archive input failed, its error naming the file and the 1024-byte limit; plain inputs ok" \
		check_index mms "$WORK/mms.tar"
fi
FAILS=()

# ---- filters ---------------------------------------------------------------------

# filter_check DESCRIPTION AWK-CONDITION-ON-HUBPATH ARGS...
filter_check() {
	local desc=$1 cond=$2 tag=filter
	shift 2
	mapfile -t WANT < <(printf '%s\n' "${!KSRC[@]}" "${!BAD[@]}" | awk "$cond")
	[ ${#WANT[@]} -gt 0 ] || die "filter $desc selects nothing: bad test"
	local want_rc=0 hp
	for hp in "${WANT[@]}"; do
		[ -z "${BAD[$hp]:-}" ] || want_rc=3
	done
	run_build $tag -j2 -o "$WORK/$tag.tar" "${OBJ_ARGS[@]}" "$@" "$HUB"
	expect_rc "$want_rc" "$desc" || return 0
	load_index "$WORK/$tag.tar" $tag || return 0
	check "$desc keeps exactly its ${#WANT[@]} inputs" check_index $tag "$WORK/$tag.tar"
}
# (the filters below give awk conditions in single quotes)
filter_check "--arch aarch64 (alias of arm64)" '$0 ~ /^[^\/]*\/[^\/]*\/arm64\//' --arch aarch64
filter_check "--arch amd64 (alias of x86_64)" '$0 ~ /^[^\/]*\/[^\/]*\/x86_64\//' --arch amd64
filter_check "--distro mirror" '$0 ~ /^mirror\//' --distro mirror
filter_check "--match 'synth/1/*'" '$0 ~ /^synth\/1\//' --match 'synth/1/*'
filter_check "--distro synth --arch arm64" '$0 ~ /^synth\/[^\/]*\/arm64\//' --distro synth --arch arm64

# ---- --obj-arch ---------------------------------------------------------------------

P1=$(synth_probe types)
P2=$(synth_probe fields)
if [ "$P1" = "$P2" ]; then
	P2=${SYNTH_PROBES[1]:-}
fi
if [ -z "$P2" ] || [ "$P1" = "$P2" ]; then
	skip_case "--obj-arch: needs two distinct probes"
else
	WANT=("${!KSRC[@]}")
	run_build oa1 -j2 -o "$WORK/oa1.tar" --obj "$P1" "$GOOD_HUB"
	expect_rc 0 "--obj $(basename "$P1")" || true
	run_build oa2 -j2 -o "$WORK/oa2.tar" --obj "$P1" --obj "$P2" "$GOOD_HUB"
	expect_rc 0 "--obj $(basename "$P1") --obj $(basename "$P2")" || true
	run_build oa -j2 -o "$WORK/oa.tar" --obj "$P1" --obj-arch "arm64=$P2" "$GOOD_HUB"
	if expect_rc 0 "--obj $(basename "$P1") --obj-arch arm64=$(basename "$P2")" &&
		load_index "$WORK/oa1.tar" oa1 && load_index "$WORK/oa2.tar" oa2 && load_index "$WORK/oa.tar" oa; then
		# relocation totals: arm64 rows as with both objects, others as with one
		bad=0 n_arm=0 n_diff=0
		while IFS=$'\t' read -r path status blob size link src arch res unres rej err; do
			r1=$(awk -F '\t' -v p="$path" '$1 == p { print $8, $9, $10 }' "$WORK/oa1.tsv")
			r2=$(awk -F '\t' -v p="$path" '$1 == p { print $8, $9, $10 }' "$WORK/oa2.tsv")
			if [ "$arch" = arm64 ]; then
				n_arm=$((n_arm + 1))
				[ "$r1" = "$r2" ] || n_diff=$((n_diff + 1))
				want=$r2
			else
				want=$r1
			fi
			if [ "$res $unres $rej" != "$want" ]; then
				warn "  --obj-arch: $path ($arch) relocations [$res $unres $rej], expected [$want]"
				bad=1
			fi
		done < "$WORK/oa.tsv"
		if [ "$bad" -eq 0 ] && [ "$n_arm" -gt 0 ] && [ "$n_diff" -eq "$n_arm" ]; then
			pass "--obj-arch: index.json relocation counts show the object on the $n_arm arm64 kernels only"
		else
			fail "--obj-arch relocation counts (arm64 kernels: $n_arm, of which $n_diff see the extra object)"
		fi
		check "--obj-arch: the report's objects name the arch (got [$(jget "$WORK/oa.rflat" objects.0.arch) $(jget "$WORK/oa.rflat" objects.1.arch)])" \
			test "$(jget "$WORK/oa.rflat" objects.0.arch) $(jget "$WORK/oa.rflat" objects.1.arch)" = "null arm64"
		# and the bytes: arm64 kernels minimized for both objects, others for one
		expect_set one "$P1"
		declare -A E1=()
		for hp in "${!EXPF[@]}"; do E1[$hp]=${EXPF[$hp]}; done
		expect_set two "$P1" "$P2"
		for hp in "${!EXPF[@]}"; do
			case $hp in */arm64/*) ;; *) EXPF[$hp]=${E1[$hp]} ;; esac
		done
		check "--obj-arch: each kernel's BTF == btfpack min with its architecture's objects" check_index oa "$WORK/oa.tar"
	fi
fi

# ---- --report ----------------------------------------------------------------------

expect_set all "${SYNTH_PROBES[@]}"
WANT=("${!KSRC[@]}" "${!BAD[@]}")
run_build report -j2 -o "$WORK/report.tar" --report "$WORK/report.json" "${OBJ_ARGS[@]}" "$HUB"
if expect_rc 3 "--report FILE.json" && [ -s "$WORK/report.json" ] && load_index "$WORK/report.tar" rep; then
	json_flat "$WORK/report.json" > "$WORK/report.flat"
	np=${#SYNTH_PROBES[@]}
	bad=0
	[ "$(jcount "$WORK/report.flat" kernels)" -eq "$N_ALL" ] || { warn "  report: $(jcount "$WORK/report.flat" kernels) kernels, expected $N_ALL"; bad=1; }
	[ "$(jcount "$WORK/report.flat" objects)" -eq "$np" ] || { warn "  report: $(jcount "$WORK/report.flat" objects) objects, expected $np"; bad=1; }
	n_cells=0
	for ((k = 0; k < N_ALL; k++)); do
		path=$(jget "$WORK/report.flat" "kernels.$k.path")
		row=$(awk -F '\t' -v p="$path" '$1 == p' "$WORK/rep.tsv")
		[ -n "$row" ] || { warn "  report: kernel $path not in index.json"; bad=1; continue; }
		status=$(printf '%s\n' "$row" | cut -f 2)
		if [ "$(jget "$WORK/report.flat" "kernels.$k.status")" != "$status" ]; then
			warn "  report: $path status differs from index.json"
			bad=1
		fi
		no=$(jcount "$WORK/report.flat" "kernels.$k.objects")
		if [ "$status" != ok ]; then
			[ "$no" -eq 0 ] || { warn "  report: failed kernel $path has objects"; bad=1; }
			continue
		fi
		[ "$no" -eq "$np" ] || { warn "  report: $path has $no objects, expected $np"; bad=1; continue; }
		sr=0 su=0 sj=0
		for ((o = 0; o < np; o++)); do
			n_cells=$((n_cells + 1))
			if [ "$(jget "$WORK/report.flat" "kernels.$k.objects.$o.name")" != "$(jget "$WORK/report.flat" "objects.$o.name")" ]; then
				warn "  report: $path object $o is not in command-line order"
				bad=1
			fi
			sr=$((sr + $(jget "$WORK/report.flat" "kernels.$k.objects.$o.resolved")))
			su=$((su + $(jget "$WORK/report.flat" "kernels.$k.objects.$o.unresolved")))
			sj=$((sj + $(jget "$WORK/report.flat" "kernels.$k.objects.$o.rejected")))
		done
		if [ "$sr $su $sj" != "$(printf '%s\n' "$row" | cut -f 8-10 | tr '\t' ' ')" ]; then
			warn "  report: $path per-object sums [$sr $su $sj] != index.json relocations"
			bad=1
		fi
	done
	if [ "$bad" -eq 0 ] && [ "$n_cells" -eq $((N_GOOD * np)) ]; then
		pass "--report JSON: one entry per kernel x object ($N_GOOD x $np ok cells, ${#BAD[@]} failed rows), sums == index.json"
	else
		fail "--report JSON ($n_cells cells, expected $((N_GOOD * np)))"
	fi
	check "--report does not change the bundle" cmp -s "$WORK/report.tar" "$WORK/m.symlink.tar"
fi
run_build rtable -j2 -o "$WORK/rtable.tar" --report - "${OBJ_ARGS[@]}" "$HUB"
if expect_rc 3 "--report -"; then
	bad=0
	while IFS=$'\t' read -r path status rest; do
		line=$(grep -F -- "$path " "$WORK/rtable.out" | head -n 1 || true)
		if [ -z "$line" ]; then
			warn "  report table: no row for $path"
			bad=1
		elif [ "$status" = failed ] && [[ "$line" != *FAILED* ]]; then
			warn "  report table: failed $path row lacks FAILED: $line"
			bad=1
		elif [ "$status" = ok ] && ! [[ "$line" =~ [0-9]+/[0-9]+ ]]; then
			warn "  report table: $path row has no resolved/total cell: $line"
			bad=1
		fi
	done < "$WORK/main.tsv"
	p1=$(basename "${SYNTH_PROBES[0]}" .bpf.o)
	grep -qF "$p1" "$WORK/rtable.out" || { warn "  report table: no column titled $p1"; bad=1; }
	grep -qx "$N_ALL kernels: $N_GOOD ok, ${#BAD[@]} failed" "$WORK/rtable.out" ||
		{ warn "  report table: no '$N_ALL kernels: $N_GOOD ok, ${#BAD[@]} failed' line"; bad=1; }
	if [ "$bad" -eq 0 ]; then
		pass "--report -: table with a row per kernel, FAILED rows and the totals line"
	else
		fail "--report - table (stdout below)"
		sed 's/^/    /' "$WORK/rtable.out" | head -n 20 >&2
	fi
fi

# ---- never lose data: where -o points, odd inputs --------------------------

P1=${SYNTH_PROBES[0]}
SAFE=$WORK/safe
mkdir -p "$SAFE/hub/d/1/x86_64" "$SAFE/hub/d/1/arm64/extra" "$SAFE/precious"
cp "$(synth_kernel base)" "$SAFE/hub/d/1/x86_64/k.btf"
printf 'keep me\n' > "$SAFE/precious/notes.txt"

run_build safe_hub -o "$SAFE/hub" --obj "$P1" "$SAFE/hub"
if expect_rc 2 "-o the hub itself is refused" && [ -f "$SAFE/hub/d/1/x86_64/k.btf" ]; then
	pass "-o the hub: the hub is intact"
else
	fail "-o the hub: the hub lost its input"
fi
run_build safe_inside -o "$SAFE/hub/out" --obj "$P1" "$SAFE/hub"
expect_rc 2 "-o a directory inside the hub is refused" || true
run_build safe_precious -o "$SAFE/precious" --obj "$P1" "$SAFE/hub"
if expect_rc 1 "-o an existing non-bundle directory is refused" &&
	[ "$(cat "$SAFE/precious/notes.txt")" = "keep me" ] &&
	grep -q "not a btfpack bundle" "$WORK/safe_precious.err"; then
	pass "-o a non-bundle directory: its contents are intact, the error says why"
else
	fail "-o a non-bundle directory: contents or message wrong"
	sed 's/^/    stderr: /' "$WORK/safe_precious.err" >&2
	ls -la "$SAFE/precious" >&2
fi
run_build safe_bz2 -o "$SAFE/out.tar.bz2" --obj "$P1" "$SAFE/hub"
if expect_rc 2 "-o with an unsupported archive suffix is refused" && [ ! -e "$SAFE/out.tar.bz2" ]; then
	pass "-o .tar.bz2: nothing created"
else
	fail "-o .tar.bz2: something was created"
fi

# inputs the batch cannot use are failed entries, not silent skips or aborts
cp "$(synth_kernel base)" "$SAFE/hub/d/1/x86_64/$(printf 'bad\377name').btf"
ln -s nowhere "$SAFE/hub/d/1/x86_64/dangling.btf"
mkfifo "$SAFE/hub/d/1/x86_64/fifo.btf"
cp "$(synth_kernel base)" "$SAFE/hub/d/1/arm64/extra/deep.btf"
run_build safe_odd -o "$SAFE/odd.tar.xz" --obj "$P1" "$SAFE/hub"
if expect_rc 3 "hub with unusable inputs: bundle written, exit 3"; then
	bad=0
	for why in "file name is not valid UTF-8" "dangling symlink" "not a regular file" \
		"not at <distro>/<version>/<arch>/<kernel>"; do
		grep -qF "$why" "$WORK/safe_odd.err" || { warn "  no '$why' on stderr"; bad=1; }
	done
	load_index "$SAFE/odd.tar.xz" odd
	[ "$(grep -c "	failed" "$WORK/odd.tsv" || true)" -eq 4 ] || { warn "  index: want 4 failed entries"; bad=1; }
	[ "$bad" -eq 0 ] && pass "unusable inputs: each one failed with its reason, in the index too" ||
		fail "unusable inputs: reasons or index entries missing"
fi

log "$n_pass passed, $n_fail failed, $n_skip skipped ($(($(date +%s) - t0)) s)"
[ "$n_fail" -eq 0 ] || die "$n_fail build checks failed"
log "PASS"
