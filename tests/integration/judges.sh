#!/usr/bin/env bash
# judges: every loader decides every CO-RE relocation on btfpack's output as
# it does on the full BTF (issue 10). tests/judge/compare.sh runs each judge
# (libbpf 1.1.2, libbpf 1.5.0, cilium/ebpf 0.9.1, cilium/ebpf 0.11.0: those
# built) on (OBJ, full BTF) and (OBJ, `btfpack min` of it for OBJ alone):
#   - the synthetic kernels x the synthetic probes;
#   - the running kernel x the test objects and the libbpf-tools objects
#     (scripts/fetch-libbpf-tools-objs.sh, when fetched);
#   - a sample of the btfhub-android and btfhub-x86 corpora (--sample N
#     kernels of each, spread over the sorted list; 0 = all: bench/judges.sh)
#     x the same objects.
# Fails on any differing decision line for a pair the judge accepts, and
# where a loader refuses the full BTF (cilium 0.9.1 cannot parse ENUM64, ...)
# on any value it resolves on the minimized BTF that is not libbpf's. Prints
# the per-judge summary and the coverage lines that are not "same".
# libbpf judges need bpf() (left out with a note without it); the cilium
# judges need no kernel.
#
# Extra options (before lib.sh's): --judges J1:J2:...  --libbpf-tools DIR
#   --corpus-x86 DIR  --sample N  --keep DIR (keep compare.sh's output there)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

JUDGE_LIST=${BTFPACK_JUDGES:-} TOOLS_DIR=${BTFPACK_LIBBPF_TOOLS_DIR:-}
CORPUS_X86=${BTFPACK_CORPUS_X86:-} SAMPLE=2 KEEP=""
rest=()
while [ $# -gt 0 ]; do
	case $1 in
	--judges=*) JUDGE_LIST=${1#*=} ;;
	--libbpf-tools=*) TOOLS_DIR=${1#*=} ;;
	--corpus-x86=*) CORPUS_X86=${1#*=} ;;
	--sample=*) SAMPLE=${1#*=} ;;
	--keep=*) KEEP=${1#*=} ;;
	*) rest+=("$1") ;;
	esac
	shift
done
it_parse_args ${rest[@]+"${rest[@]}"}
need_exe btfpack "$BTFPACK"
COMPARE=$(dirname "$0")/../judge/compare.sh
[ -r "$COMPARE" ] || die "tests/judge/compare.sh not found at $COMPARE"
OUT=${KEEP:-$WORK/out}
rm -rf "$OUT"
mkdir -p "$OUT"

# the judges; libbpf ones only with a usable bpf()
judge_args=()
IFS=: read -r -a judges <<< "$JUDGE_LIST"
for j in ${judges[@]+"${judges[@]}"}; do
	[ -n "$j" ] || continue
	need_exe judge "$j"
	v=$("$j" --version) || die "$j --version failed"
	if [[ $v == *libbpf* ]]; then
		rc=0
		msg=$("$j" --check-bpf 2>&1) || rc=$?
		if [ "$rc" -eq "$SKIP" ]; then
			skip_case "$v: bpf() unavailable ($msg)"
			continue
		fi
		[ "$rc" -eq 0 ] || die "$j --check-bpf failed ($rc): $msg"
	fi
	log "judge: $v"
	judge_args+=(--judge "$j")
done
[ ${#judge_args[@]} -gt 0 ] || skip "no judge usable (given: '${JUDGE_LIST}')"

load_synth
OBJECTS=()
if [ -n "$BPF_OBJ_DIR" ]; then
	load_objects
fi
if [ -n "$TOOLS_DIR" ] && [ -d "$TOOLS_DIR" ]; then
	n0=${#OBJECTS[@]}
	for f in "$TOOLS_DIR"/*.bpf.o; do
		[ -e "$f" ] && OBJECTS+=("$f")
	done
	log "libbpf-tools objects: $((${#OBJECTS[@]} - n0)) from $TOOLS_DIR"
else
	log "libbpf-tools objects not fetched ('${TOOLS_DIR:-<unset>}'): scripts/fetch-libbpf-tools-objs.sh"
fi

obj_args=()
for o in ${OBJECTS[@]+"${OBJECTS[@]}"}; do
	obj_args+=(--obj "$o")
done
compare() { bash "$COMPARE" run --btfpack "$BTFPACK" --out "$OUT" --per-object "${judge_args[@]}" "$@"; }

n_groups=0
if [ ${#SYNTH_KERNELS[@]} -gt 0 ]; then
	args=()
	for k in "${SYNTH_KERNELS[@]}"; do
		args+=(--kernel "synth-$(kernel_label "$k")=$k")
	done
	for p in "${SYNTH_PROBES[@]}"; do
		args+=(--obj "$p")
	done
	compare --group synth "${args[@]}"
	n_groups=$((n_groups + 1))
fi

VMLINUX=/sys/kernel/btf/vmlinux
if [ ${#OBJECTS[@]} -eq 0 ]; then
	log "no real objects (test objects, libbpf-tools): skipping the real kernels"
elif [ -r "$VMLINUX" ]; then
	compare --group running --kernel "running-$(uname -r)=$VMLINUX" "${obj_args[@]}"
	n_groups=$((n_groups + 1))
else
	log "$VMLINUX not readable: skipping the running kernel"
fi

# sample N ARCHIVE...: N archives spread over the list (all when N is 0)
sample() {
	local n=$1 i total
	shift
	total=$#
	if [ "$n" -eq 0 ] || [ "$n" -ge "$total" ]; then
		printf '%s\n' "$@"
		return
	fi
	local a=("$@")
	for ((i = 0; i < n; i++)); do
		printf '%s\n' "${a[$((i * (total - 1) / (n > 1 ? n - 1 : 1)))]}"
	done
}

# corpus_group NAME DIR
corpus_group() {
	local name=$1 dir=$2 a src picked=()
	CORPUS=$dir load_corpus
	[ ${#ARCHIVES[@]} -gt 0 ] || return 0
	[ ${#OBJECTS[@]} -gt 0 ] || return 0
	mapfile -t picked < <(sample "$SAMPLE" "${ARCHIVES[@]}")
	log "corpus $name: ${#picked[@]} of ${#ARCHIVES[@]} kernels"
	for a in "${picked[@]}"; do
		src=$(extract_btf "$a" "$WORK/src")
		compare --group "$name" --kernel "$(kernel_label "$a")=$src" "${obj_args[@]}"
		rm -rf "$WORK/src"
	done
	n_groups=$((n_groups + 1))
}
corpus_group android "$CORPUS"
corpus_group x86 "$CORPUS_X86"

[ "$n_groups" -gt 0 ] || skip "no kernel BTF available (no synthetic kernels, no $VMLINUX, no corpus)"

log "coverage (every pair not 'same'; all in coverage.txt):"
grep -v ': same (' "$OUT/coverage.txt" | sed 's/^/    /' | head -n 200 || true
log "summary:"
rc=0
bash "$COMPARE" summary "$OUT" | sed 's/^/    /' || rc=$? # pipefail: summary's status
if [ -d "$OUT/diffs" ]; then
	log "differences (first lines of each; all under diffs/):"
	find "$OUT/diffs" -type f | sort | while IFS= read -r f; do
		warn "  ${f#"$OUT"/diffs/}:"
		grep '^[-+][^-+]' "$f" | head -n 6 | sed 's/^/      /' >&2
	done
fi
[ "$rc" -eq 0 ] || die "a judge decides differently on btfpack's output (see above)"
pass "every judge decides alike on full and minimized BTF ($n_groups kernel groups)"
finish
