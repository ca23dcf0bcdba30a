#!/usr/bin/env bash
# loaders: every judge (libbpf 1.1/1.5, cilium/ebpf 0.9.1/0.11.0, those
# built) decides probe_loaders' relocations on `btfpack min --loader all`
# output of the loaders kernel exactly as on the kernel itself; and the keeps
# are needed: on `--loader libbpf` output each cilium judge decides the
# programs named below differently (the rules of tests/fixtures/synth_loaders.c).
# Also the --loader option's contract for min and build.
#
#   loaders.sh [lib.sh options] [--judges=J1:J2:...]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

JUDGES_LIST=
args=()
for a in "$@"; do
	case "$a" in
	--judges=*) JUDGES_LIST=${a#--judges=} ;;
	*) args+=("$a") ;;
	esac
done
it_parse_args ${args[@]+"${args[@]}"}

need_exe btfpack "$BTFPACK"
[ -n "$SYNTH_DIR" ] || skip "synthetic kernels not configured (BTFPACK_SYNTH_DIR)"
K=$SYNTH_DIR/loaders/loaders.btf
P=$SYNTH_DIR/loaders/probe_loaders.bpf.o
[ -f "$K" ] && [ -f "$P" ] || die "no $K or $P (not built?)"

for l in libbpf cilium all; do
	"$BTFPACK" min --loader "$l" "$K" "$WORK/min-$l.btf" "$P" 2> "$WORK/min-$l.err" ||
		die "min --loader $l failed: $(head -n 1 "$WORK/min-$l.err")"
done
check "--loader all keeps more than --loader libbpf" \
	test "$(file_size "$WORK/min-all.btf")" -gt "$(file_size "$WORK/min-libbpf.btf")"
check "--loader cilium is --loader all (the libbpf 1.5 rules need no extra keeps)" \
	cmp -s "$WORK/min-cilium.btf" "$WORK/min-all.btf"

rc=0
"$BTFPACK" min --loader bcc "$K" "$WORK/bad.btf" "$P" 2> "$WORK/bad.err" || rc=$?
check "min --loader bcc: usage error (exit 2)" test "$rc" -eq 2
check "min --loader bcc: says what it wants" grep -q "libbpf, cilium or all" "$WORK/bad.err"
check "min --loader bcc: no output" test ! -e "$WORK/bad.btf"
rc=0
"$BTFPACK" build -q --loader "" -o "$WORK/b.tar" --obj "$P" "$WORK" 2> "$WORK/bb.err" || rc=$?
check "build --loader '': usage error (exit 2)" test "$rc" -eq 2

# build --loader gives min's bytes for the same loader set
mkdir -p "$WORK/hub/synth/1/x86_64"
cp "$K" "$WORK/hub/synth/1/x86_64/loaders.btf"
for l in libbpf all; do
	"$BTFPACK" build -q --loader "$l" -o "$WORK/b-$l" --obj "$P" "$WORK/hub" ||
		die "build --loader $l failed"
	check "build --loader $l == min --loader $l" \
		cmp -s "$WORK/b-$l/synth/1/x86_64/loaders.btf" "$WORK/min-$l.btf"
done

# judge J TARGET OUT: the judge's normalized decisions
judge() { "$1" "$P" "$2" > "$3" 2>&1 || die "judge $1 failed on $2: $(head -n 3 "$3")"; }

IFS=':' read -r -a JUDGES <<< "$JUDGES_LIST"
[ ${#JUDGES[@]} -gt 0 ] || JUDGES=("$JUDGE")
for j in "${JUDGES[@]}"; do
	[ -n "$j" ] || continue
	[ -x "$j" ] || { skip_case "judge $j not built"; continue; }
	name=$(basename "$j")
	judge "$j" "$K" "$WORK/$name.full"
	judge "$j" "$WORK/min-all.btf" "$WORK/$name.all"
	if diff "$WORK/$name.full" "$WORK/$name.all" > "$WORK/$name.diff"; then
		pass "$(head -n 1 "$WORK/$name.full"): --loader all decides as the full BTF"
	else
		fail "$(head -n 1 "$WORK/$name.full"): --loader all differs:"
		head -n 20 "$WORK/$name.diff" >&2
	fi
	judge "$j" "$WORK/min-libbpf.btf" "$WORK/$name.libbpf"
	case $name in
	*cilium-0.9*) want="lom_kind lom_nomatch lom_td" ;;
	*cilium*) want="lom_nomatch lom_td" ;;
	*) want="" ;;
	esac
	for p in $want; do
		if diff <(grep "^prog '$p'" "$WORK/$name.full") \
			<(grep "^prog '$p'" "$WORK/$name.libbpf") > /dev/null; then
			fail "$name: prog '$p' decided alike on --loader libbpf output: the cilium keeps are not what makes the difference"
		else
			pass "$name: prog '$p' needs the cilium keeps (differs on --loader libbpf output)"
		fi
	done
	if [ -z "$want" ]; then
		check "$name: --loader libbpf decides as the full BTF" \
			cmp -s "$WORK/$name.full" "$WORK/$name.libbpf"
	fi
done
finish
