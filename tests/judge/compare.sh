#!/usr/bin/env bash
# compare.sh: for every judge x kernel x object, the judge's CO-RE decisions
# on the full BTF against its decisions on `btfpack min`'s output.
#
#   compare.sh run --btfpack B --out DIR --judge J [--judge J...]
#                  [--group NAME] [--per-object] [--jobs N]
#                  --kernel LABEL=SRC [...] --obj OBJ [...]
#   compare.sh summary DIR
#
# run: per kernel, `btfpack min SRC MIN OBJ...` (all objects at once, as a
# bundle is made; --per-object minimizes for each object alone, which keeps
# less), then every judge on (OBJ, SRC) and (OBJ, MIN), and the two outputs
# diffed. Appends one record per judge x kernel x object to DIR/results.tsv
# and one line to DIR/coverage.txt; keeps each differing pair's diff under
# DIR/diffs/. Can be run several times on one DIR (one --group each).
# summary: per judge, the pairs compared, the pairs where the judge refuses
# the full BTF or the object (counted apart, by reason), and the differing
# pairs and decision lines; exit 1 if any pair the judge accepts differs, a
# judge or btfpack failed, or a loader that refuses the full BTF resolves a
# relocation on the minimized BTF to another value than libbpf does.
#
# A judge is btfpack-judge (libbpf) or btfpack-judge-cilium; its --version
# names its loader. Where a loader refuses the full BTF, the loader's values
# on the minimized BTF are checked against the first libbpf judge's on the
# full BTF, relocation by relocation (matched by program and instruction;
# relocations in subprograms, which cilium links into each caller, do not
# match and are counted as not compared).
set -euo pipefail

me=compare.sh
die() { printf '%s: %s\n' "$me" "$*" >&2; exit 1; }
log() { printf '%s: %s\n' "$me" "$*"; }

# loader_of JUDGE: "libbpf 1.1.2", "cilium 0.9.1"
loader_of() {
	local v
	v=$("$1" --version 2>/dev/null) || die "$1 --version failed"
	v=${v#*: }
	v=${v%% (*}
	v=${v/cilium\/ebpf/cilium}
	printf '%s\n' "$v"
}

# libbpf_values OUT: "PROG INSN VALUE" per relocation libbpf patched
libbpf_values() {
	sed -nE \
		-e "s/^prog '([^']*)': relo #[0-9]+: patched insn #([0-9]+) \([^)]*\) [a-z0-9]+ [0-9]+ -> ([0-9a-z]+)$/\1 \2 \3/p" \
		-e "s/^prog '([^']*)': relo #[0-9]+: substituting insn #([0-9]+) w\/ invalid insn$/\1 \2 poisoned/p" \
		"$1" | sort -u
}

# cilium_values OUT: the same for what cilium resolved
cilium_values() {
	sed -nE \
		-e "s/^prog '([^']*)': relo #[0-9]+: insn #([0-9]+) .*: ok [0-9]+ -> ([0-9a-z]+)(;.*)?$/\1 \2 \3/p" \
		-e "s/^prog '([^']*)': relo #[0-9]+: insn #([0-9]+) .*: poisoned$/\1 \2 poisoned/p" \
		"$1" | sort -u
}

# check_values LOADER_OUT REF_OUT MISMATCH_FILE: prints "EQ NE NA"
check_values() {
	local eq ne na
	join -j1 <(cilium_values "$1" | awk '{print $1 "#" $2, $3}' | sort -k1,1) \
		<(libbpf_values "$2" | awk '{print $1 "#" $2, $3}' | sort -k1,1) > "$3.joined" || true
	eq=$(awk '$2 == $3' "$3.joined" | wc -l)
	awk '$2 != $3 {print $1 ": loader " $2 ", libbpf " $3}' "$3.joined" > "$3"
	ne=$(wc -l < "$3")
	na=$(($(cilium_values "$1" | wc -l) - eq - ne))
	rm -f "$3.joined"
	[ "$ne" -gt 0 ] || rm -f "$3"
	printf '%s %s %s\n' "$eq" "$ne" "$na"
}

# refusal OUT WHAT: the reason after "refuses the WHAT: ", or nothing
refusal() {
	sed -n "s/^[a-z]* [0-9.]* refuses the $2: //p" "$1" | head -n 1
}

# ---- run -----------------------------------------------------------------

BTFPACK="" OUT="" GROUP=default PER_OBJECT=0 JOBS=2
JUDGES=() LOADERS=() KLABELS=() KSRCS=() OBJS=()

parse_run() {
	local kv
	while [ $# -gt 0 ]; do
		[ $# -ge 2 ] || [ "$1" = --per-object ] || die "missing value for $1"
		case $1 in
		--btfpack) BTFPACK=$2; shift 2 ;;
		--out) OUT=$2; shift 2 ;;
		--judge) JUDGES+=("$2"); shift 2 ;;
		--group) GROUP=$2; shift 2 ;;
		--jobs) JOBS=$2; shift 2 ;;
		--per-object) PER_OBJECT=1; shift ;;
		--kernel)
			kv=$2
			[[ $kv == *=* ]] || die "--kernel wants LABEL=SRC, not '$kv'"
			KLABELS+=("${kv%%=*}")
			KSRCS+=("${kv#*=}")
			shift 2
			;;
		--obj) OBJS+=("$2"); shift 2 ;;
		*) die "unknown option '$1'" ;;
		esac
	done
	[ -x "$BTFPACK" ] || die "btfpack not executable: '$BTFPACK'"
	[ -n "$OUT" ] || die "no --out DIR"
	[ ${#JUDGES[@]} -gt 0 ] || die "no --judge"
	[ ${#OBJS[@]} -gt 0 ] || die "no --obj"
	[ ${#KSRCS[@]} -gt 0 ] || die "no --kernel"
	local j
	for j in "${JUDGES[@]}"; do
		[ -x "$j" ] || die "judge not executable: $j"
		LOADERS+=("$(loader_of "$j")")
	done
}

# minimize LABEL SRC KDIR: KDIR/min.btf (or KDIR/min.I.btf per object)
minimize() {
	local label=$1 src=$2 kdir=$3 i rc=0
	if [ "$PER_OBJECT" -eq 0 ]; then
		"$BTFPACK" min "$src" "$kdir/min.btf" "${OBJS[@]}" > "$kdir/min.log" 2>&1 || rc=$?
		for i in "${!OBJS[@]}"; do
			ln -sf min.btf "$kdir/min.$i.btf"
		done
	else
		for i in "${!OBJS[@]}"; do
			"$BTFPACK" min "$src" "$kdir/min.$i.btf" "${OBJS[$i]}" >> "$kdir/min.log" 2>&1 || rc=$?
			[ "$rc" -eq 0 ] || break
		done
	fi
	if [ "$rc" -ne 0 ]; then
		printf '%s: FAIL: btfpack min failed (%s) on %s:\n' "$me" "$rc" "$label" >&2
		sed 's/^/    /' "$kdir/min.log" >&2
		return 1
	fi
}

# record LOADER LABEL OBJ STATUS REASON NDIFF NRELO EQ NE NA, and coverage
record() {
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$GROUP" "$@" >> "$OUT/results.tsv"
}

coverage() { printf '%s %s %s: %s\n' "$1" "$2" "$3" "$4" >> "$OUT/coverage.txt"; }

# judge_pair J I KDIR LABEL REFIDX
judge_pair() {
	local j=$1 i=$2 kdir=$3 label=$4 ref=$5
	local loader=${LOADERS[$j]} obj full min rc_f rc_m reason nrelo ndiff eq ne na note
	obj=$(basename "${OBJS[$i]}" .o)
	obj=${obj%.bpf}
	full=$kdir/$j.$i.full
	min=$kdir/$j.$i.min
	rc_f=$(cat "$full.rc") rc_m=$(cat "$min.rc")
	if [ "$rc_f" != 0 ] || [ "$rc_m" != 0 ]; then
		printf '%s: FAIL: %s on %s %s exited %s (full) / %s (min):\n' "$me" "$loader" \
			"$label" "$obj" "$rc_f" "$rc_m" >&2
		cat "$full.err" "$min.err" | head -n 5 | sed 's/^/    /' >&2
		record "$loader" "$label" "$obj" error "exit $rc_f/$rc_m" 0 0 0 0 0
		coverage "$label" "$obj" "$loader" "judge error (exit $rc_f/$rc_m)"
		return
	fi
	nrelo=$(grep -c "^prog '[^']*': relo #" "$full" || true)
	ndiff=$(diff "$full" "$min" | grep -c '^[<>]' || true)
	if [ "$ndiff" -gt 0 ]; then
		mkdir -p "$OUT/diffs/$loader/$label"
		diff -u --label "$loader full $label" --label "$loader btfpack-min $label" \
			"$full" "$min" > "$OUT/diffs/$loader/$label/$obj.diff" || true
	fi
	reason=$(refusal "$full" "object")
	if [ -n "$reason" ]; then
		record "$loader" "$label" "$obj" refused-object "$reason" "$ndiff" 0 0 0 0
		coverage "$label" "$obj" "$loader" "$loader refuses the object: $reason"
		return
	fi
	reason=$(refusal "$full" "target BTF")
	[ -n "$reason" ] || ! grep -q '^failed to parse target BTF' "$full" ||
		reason="cannot parse the BTF"
	if [ -n "$reason" ]; then
		note="$loader refuses the full BTF: $reason"
		if [ -n "$(refusal "$min" "target BTF")" ]; then
			record "$loader" "$label" "$obj" refused-both "$reason" 0 0 0 0 0
			coverage "$label" "$obj" "$loader" "$note; the minimized BTF too"
			return
		fi
		read -r eq ne na < <(check_values "$min" "$kdir/$ref.$i.full" \
			"$kdir/values.$j.$i")
		if [ "$ne" -gt 0 ]; then
			mkdir -p "$OUT/diffs/$loader/$label"
			cp "$kdir/values.$j.$i" "$OUT/diffs/$loader/$label/$obj.values"
		fi
		record "$loader" "$label" "$obj" refused-full "$reason" 0 \
			"$(grep -c "^prog '[^']*': relo #" "$min" || true)" "$eq" "$ne" "$na"
		coverage "$label" "$obj" "$loader" "$note; on the minimized BTF $eq values equal ${LOADERS[$ref]}'s, $ne differ, $na not compared"
		return
	fi
	if grep -q '^load: failed before CO-RE' "$full"; then
		record "$loader" "$label" "$obj" vacuous "$(tail -n 1 "$full")" "$ndiff" "$nrelo" 0 0 0
		coverage "$label" "$obj" "$loader" "libbpf failed before CO-RE on the full BTF ($ndiff lines differ)"
		return
	fi
	if [ "$ndiff" -gt 0 ]; then
		printf '%s: DIFF: %s %s %s: %s decision lines differ (%s)\n' "$me" "$loader" \
			"$label" "$obj" "$ndiff" "$OUT/diffs/$loader/$label/$obj.diff" >&2
		record "$loader" "$label" "$obj" differ "" "$ndiff" "$nrelo" 0 0 0
		coverage "$label" "$obj" "$loader" "DIFFERS: $ndiff of $nrelo relocation lines"
	else
		record "$loader" "$label" "$obj" same "" 0 "$nrelo" 0 0 0
		coverage "$label" "$obj" "$loader" "same ($nrelo relocation lines)"
	fi
}

run_kernel() {
	local label=$1 src=$2 kdir j i ref=-1
	kdir=$OUT/work/$GROUP/$label
	rm -rf "$kdir"
	mkdir -p "$kdir"
	if ! minimize "$label" "$src" "$kdir"; then
		for j in "${!JUDGES[@]}"; do
			record "${LOADERS[$j]}" "$label" "*" minfail "btfpack min failed" 0 0 0 0 0
		done
		return
	fi
	: > "$kdir/jobs"
	for j in "${!JUDGES[@]}"; do
		[ "$ref" -ge 0 ] || [[ ${LOADERS[$j]} != libbpf* ]] || ref=$j
		for i in "${!OBJS[@]}"; do
			printf '%s\0%s\0%s\0%s\0' "${JUDGES[$j]}" "${OBJS[$i]}" "$src" "$kdir/$j.$i.full" >> "$kdir/jobs"
			printf '%s\0%s\0%s\0%s\0' "${JUDGES[$j]}" "${OBJS[$i]}" "$kdir/min.$i.btf" "$kdir/$j.$i.min" >> "$kdir/jobs"
		done
	done
	# shellcheck disable=SC2016
	xargs -0 -n 4 -P "$JOBS" sh -c '"$0" "$1" "$2" > "$3" 2> "$3.err"; echo $? > "$3.rc"' \
		< "$kdir/jobs" || die "xargs failed running the judges"
	for j in "${!JUDGES[@]}"; do
		for i in "${!OBJS[@]}"; do
			judge_pair "$j" "$i" "$kdir" "$label" "$ref"
		done
	done
	# keep the outputs of differing kernels only
	grep -q "^$GROUP	[^	]*	$label	[^	]*	\(differ\|error\)	" "$OUT/results.tsv" || rm -rf "$kdir"
}

cmd_run() {
	local k
	parse_run "$@"
	mkdir -p "$OUT"
	touch "$OUT/results.tsv" "$OUT/coverage.txt"
	for k in "${!KSRCS[@]}"; do
		run_kernel "${KLABELS[$k]}" "${KSRCS[$k]}"
	done
	log "group $GROUP: ${#KSRCS[@]} kernels x ${#OBJS[@]} objects x ${#JUDGES[@]} judges (${LOADERS[*]})"
}

# ---- summary ---------------------------------------------------------------

cmd_summary() {
	local dir=$1
	[ -f "$dir/results.tsv" ] || die "no $dir/results.tsv"
	awk -F'\t' '
	{
		l = $2; loaders[l] = 1; st = $5
		n[l]++
		if (st == "same" || st == "differ" || st == "vacuous") {
			cmp[l]++; relo[l] += $8
			if (st == "differ") { dp[l]++; dl[l] += $7 }
			if (st == "vacuous") vac[l]++
		} else if (st == "refused-full" || st == "refused-both") {
			rf[l]++; rfr[l SUBSEP $6]++
			if (st == "refused-both") rb[l]++
			veq[l] += $9; vne[l] += $10; vna[l] += $11
		} else if (st == "refused-object") {
			ro[l]++; ror[l SUBSEP $6]++
		} else {
			bad[l]++
		}
	}
	END {
		fail = 0
		for (l in loaders) {
			printf "judge %s: %d pairs compared (%d relocation lines), %d differ (%d decision lines), %d failed before CO-RE\n",
				l, cmp[l], relo[l], dp[l], dl[l], vac[l]
			if (rf[l]) {
				printf "  refuses the full BTF: %d pairs (%d refuse the minimized BTF too); where it accepts the minimized BTF, %d values equal libbpf'"'"'s, %d differ, %d not compared\n",
					rf[l], rb[l], veq[l], vne[l], vna[l]
				for (k in rfr) { split(k, a, SUBSEP); if (a[1] == l) printf "    %d x %s\n", rfr[k], a[2] }
			}
			if (ro[l]) {
				printf "  refuses the object: %d pairs\n", ro[l]
				for (k in ror) { split(k, a, SUBSEP); if (a[1] == l) printf "    %d x %s\n", ror[k], a[2] }
			}
			if (bad[l]) printf "  %d pairs not judged (judge or btfpack min failed)\n", bad[l]
			if (dp[l] || vne[l] || bad[l]) fail = 1
		}
		exit fail
	}' "$dir/results.tsv" | sort_summary
	return "${PIPESTATUS[0]}"
}

# judges in a stable order, their reason lines kept under them
sort_summary() {
	awk '/^judge /{k = $0} {print k "\t" $0}' | sort -s -t '	' -k1,1 | cut -f2-
}

case ${1:-} in
run) shift; cmd_run "$@" ;;
summary) [ $# -eq 2 ] || die "usage: compare.sh summary DIR"; cmd_summary "$2" ;;
*) die "usage: compare.sh run OPTIONS... | compare.sh summary DIR (see the header)" ;;
esac
