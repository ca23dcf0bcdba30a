#!/usr/bin/env bash
# equiv_libbpf: for every kernel BTF (corpus archives, the running kernel's
# /sys/kernel/btf/vmlinux, synthetic kernels), `btfpack min SRC OUT OBJ...`
# must make libbpf take exactly the same CO-RE decisions for every object:
# btfpack-judge(OBJ, SRC) == btfpack-judge(OBJ, OUT).
# Corpus and running kernels are paired with the BPF test objects, the
# synthetic kernels with the synthetic probes.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
it_parse_args "$@"

need_exe btfpack "$BTFPACK"
require_bpf
load_objects
load_synth
load_corpus

VMLINUX=/sys/kernel/btf/vmlinux
n_kernels=0 n_cmp=0 n_mismatch=0 n_minfail=0 n_lines=0 n_vacuous=0
n_corpus=0 n_running=0 n_synth=0
failed_kernels=()

# check_kernel LABEL SRC OBJ...
check_kernel() {
	local label=$1 src=$2 kdir out i obj rc
	shift 2
	local objs=("$@")
	kdir=$WORK/k
	rm -rf "$kdir"
	mkdir -p "$kdir"
	out=$kdir/min.btf
	n_kernels=$((n_kernels + 1))

	rc=0
	"$BTFPACK" min "$src" "$out" "${objs[@]}" > "$kdir/min.log" 2>&1 || rc=$?
	if [ "$rc" -ne 0 ] || [ ! -f "$out" ]; then
		warn "FAIL $label: btfpack min exited $rc (OUT exists: $([ -f "$out" ] && echo yes || echo no)):"
		sed 's/^/    /' "$kdir/min.log" >&2
		n_minfail=$((n_minfail + 1))
		failed_kernels+=("$label")
		return 0
	fi

	: > "$kdir/jobs"
	for i in "${!objs[@]}"; do
		add_job "$kdir/jobs" "${objs[$i]}" "$src" "$kdir/$i.src"
		add_job "$kdir/jobs" "${objs[$i]}" "$out" "$kdir/$i.min"
	done
	run_judges "$kdir/jobs"

	local bad=0
	for i in "${!objs[@]}"; do
		obj=${objs[$i]}
		n_cmp=$((n_cmp + 1))
		n_lines=$((n_lines + $(grep -c ': relo #' "$kdir/$i.src" || true)))
		if grep -q '^load: failed before CO-RE' "$kdir/$i.src"; then
			n_vacuous=$((n_vacuous + 1))
			warn "note: $label $(basename "$obj"): libbpf failed before CO-RE on SRC: $(tail -n 1 "$kdir/$i.src")"
		fi
		if ! cmp -s "$kdir/$i.src" "$kdir/$i.min"; then
			n_mismatch=$((n_mismatch + 1))
			bad=1
			warn "MISMATCH $label $(basename "$obj"): libbpf decisions differ (- full SRC, + btfpack OUT):"
			diff -u --label "SRC $label" --label "OUT btfpack min" \
				"$kdir/$i.src" "$kdir/$i.min" | head -n 80 >&2 || true
		fi
	done
	[ "$bad" -eq 0 ] || failed_kernels+=("$label")
	log "kernel $label: ${#objs[@]} objects compared, OUT $(file_size "$out") bytes"
}

for a in ${ARCHIVES[@]+"${ARCHIVES[@]}"}; do
	src=$(extract_btf "$a" "$WORK/src")
	check_kernel "$(kernel_label "$a")" "$src" "${OBJECTS[@]}"
	n_corpus=$((n_corpus + 1))
	rm -rf "$WORK/src"
done

if [ -r "$VMLINUX" ]; then
	check_kernel "running-$(uname -r)" "$VMLINUX" "${OBJECTS[@]}"
	n_running=1
else
	log "$VMLINUX not readable: skipping the running kernel"
fi

for k in ${SYNTH_KERNELS[@]+"${SYNTH_KERNELS[@]}"}; do
	check_kernel "synth-$(kernel_label "$k")" "$k" "${SYNTH_PROBES[@]}"
	n_synth=$((n_synth + 1))
done

[ "$n_kernels" -gt 0 ] || skip "no kernel BTF available (no corpus, no $VMLINUX, no synthetic kernels)"

log "summary: $n_kernels kernels ($n_corpus corpus, $n_running running, $n_synth synthetic)," \
	"$n_cmp kernel x object comparisons, $n_lines relocation lines on SRC," \
	"$n_mismatch mismatches, $n_minfail btfpack failures, $n_vacuous failed before CO-RE"
if [ ${#failed_kernels[@]} -gt 0 ]; then
	die "kernels with differences: ${failed_kernels[*]}"
fi
log "PASS"
