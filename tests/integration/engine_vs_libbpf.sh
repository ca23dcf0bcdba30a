#!/usr/bin/env bash
# engine_vs_libbpf: btfpack's own CO-RE engine must decide every relocation
# exactly as libbpf's loader does, on the full kernel BTF: btfpack-oracle
# runs both and compares decision by decision (values, unresolved,
# poisoned, rejected). Corpus and running kernels x BPF test objects,
# synthetic kernels x (synthetic probes + test objects).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ORACLE=""
args=()
for a in "$@"; do
	case "$a" in
	--oracle=*) ORACLE=${a#--oracle=} ;;
	*) args+=("$a") ;;
	esac
done
it_parse_args "${args[@]}"

need_exe btfpack-oracle "$ORACLE"
require_bpf
load_objects
load_synth
load_corpus

n_runs=0 n_decisions=0 n_bad=0

# run_pair OBJ BTF
run_pair() {
	local out rc=0
	out=$("$ORACLE" "$1" "$2" 2>&1) || rc=$?
	n_runs=$((n_runs + 1))
	if [ "$rc" -ne 0 ]; then
		warn "FAIL $(basename "$1") on $2:"
		printf '%s\n' "$out" | sed 's/^/    /' >&2
		n_bad=$((n_bad + 1))
	fi
	n_decisions=$((n_decisions + $(printf '%s\n' "$out" | sed -nE 's/.*: ([0-9]+) decisions compared.*/\1/p' | tail -1)))
}

if [ -r /sys/kernel/btf/vmlinux ]; then
	for o in "${OBJECTS[@]}"; do
		run_pair "$o" /sys/kernel/btf/vmlinux
	done
fi
for a in "${ARCHIVES[@]}"; do
	k=$(extract_btf "$a" "$WORK/kernel")
	for o in "${OBJECTS[@]}"; do
		run_pair "$o" "$k"
	done
	rm -rf "$WORK/kernel"
done
for k in "${SYNTH_KERNELS[@]}"; do
	for o in "${SYNTH_PROBES[@]}" "${OBJECTS[@]}"; do
		run_pair "$o" "$k"
	done
done

[ "$n_runs" -gt 0 ] || skip "no kernels or objects to compare"
log "$n_runs object x kernel runs, $n_decisions decisions compared, $n_bad runs with mismatches"
[ "$n_bad" -eq 0 ] || die "btfpack's engine disagrees with libbpf"
