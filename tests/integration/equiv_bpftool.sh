#!/usr/bin/env bash
# equiv_bpftool: bpftool's `gen min_core_btf` is the reference minimizer.
# For every kernel (corpus archives, the running kernel, synthetic kernels):
#   - where bpftool succeeds, its output must keep libbpf's decisions
#     (btfpack-judge(OBJ, SRC) == btfpack-judge(OBJ, BOUT)), which makes it a
#     fair size reference; kernels where bpftool aborts (it refuses
#     ambiguous relocations) are recorded and skipped;
#   - btfpack's OUT must be no larger than bpftool's BOUT, in bytes.
# Per-kernel and total sizes of both are printed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
it_parse_args "$@"

need_exe btfpack "$BTFPACK"
if [ -z "$BPFTOOL" ]; then
	BPFTOOL=$(command -v bpftool || true)
fi
if [ -z "$BPFTOOL" ] || [ ! -x "$BPFTOOL" ]; then
	skip "bpftool not found (needed as the reference minimizer)"
fi
require_bpf
load_objects
load_synth
load_corpus

VMLINUX=/sys/kernel/btf/vmlinux
n_kernels=0 n_cmp=0 n_mismatch=0 n_bpftool_abort=0 n_btfpack_fail=0 n_larger=0
total_out=0 total_bout=0 total_src=0
aborted=() failed=()

# check_kernel LABEL SRC OBJ...
check_kernel() {
	local label=$1 src=$2 kdir out bout i obj rc brc so sb
	shift 2
	local objs=("$@")
	kdir=$WORK/k
	rm -rf "$kdir"
	mkdir -p "$kdir"
	out=$kdir/btfpack.btf
	bout=$kdir/bpftool.btf
	n_kernels=$((n_kernels + 1))

	brc=0
	"$BPFTOOL" gen min_core_btf "$src" "$bout" "${objs[@]}" > "$kdir/bpftool.log" 2>&1 || brc=$?
	rc=0
	"$BTFPACK" min "$src" "$out" "${objs[@]}" > "$kdir/btfpack.log" 2>&1 || rc=$?

	if [ "$brc" -ne 0 ] || [ ! -f "$bout" ]; then
		n_bpftool_abort=$((n_bpftool_abort + 1))
		aborted+=("$label")
		log "kernel $label: bpftool aborted ($brc): $(grep -m 1 -i 'error' "$kdir/bpftool.log" || head -n 1 "$kdir/bpftool.log"); skipped"
		return 0
	fi
	if [ "$rc" -ne 0 ] || [ ! -f "$out" ]; then
		n_btfpack_fail=$((n_btfpack_fail + 1))
		failed+=("$label")
		warn "FAIL $label: bpftool succeeded but btfpack min exited $rc:"
		sed 's/^/    /' "$kdir/btfpack.log" >&2
		return 0
	fi

	: > "$kdir/jobs"
	for i in "${!objs[@]}"; do
		add_job "$kdir/jobs" "${objs[$i]}" "$src" "$kdir/$i.src"
		add_job "$kdir/jobs" "${objs[$i]}" "$bout" "$kdir/$i.bpftool"
	done
	run_judges "$kdir/jobs"

	local bad=0
	for i in "${!objs[@]}"; do
		obj=${objs[$i]}
		n_cmp=$((n_cmp + 1))
		if ! cmp -s "$kdir/$i.src" "$kdir/$i.bpftool"; then
			n_mismatch=$((n_mismatch + 1))
			bad=1
			warn "MISMATCH $label $(basename "$obj"): libbpf decisions differ (- full SRC, + bpftool BOUT):"
			diff -u --label "SRC $label" --label "BOUT bpftool" \
				"$kdir/$i.src" "$kdir/$i.bpftool" | head -n 80 >&2 || true
		fi
	done

	so=$(file_size "$out")
	sb=$(file_size "$bout")
	total_out=$((total_out + so))
	total_bout=$((total_bout + sb))
	total_src=$((total_src + $(file_size "$src")))
	if [ "$so" -gt "$sb" ]; then
		n_larger=$((n_larger + 1))
		bad=1
		warn "LARGER $label: btfpack $so bytes > bpftool $sb bytes"
	fi
	[ "$bad" -eq 0 ] || failed+=("$label")
	log "kernel $label: btfpack $so bytes, bpftool $sb bytes (SRC $(file_size "$src"))"
}

for a in ${ARCHIVES[@]+"${ARCHIVES[@]}"}; do
	src=$(extract_btf "$a" "$WORK/src")
	check_kernel "$(kernel_label "$a")" "$src" "${OBJECTS[@]}"
	rm -rf "$WORK/src"
done

if [ -r "$VMLINUX" ]; then
	check_kernel "running-$(uname -r)" "$VMLINUX" "${OBJECTS[@]}"
else
	log "$VMLINUX not readable: skipping the running kernel"
fi

for k in ${SYNTH_KERNELS[@]+"${SYNTH_KERNELS[@]}"}; do
	check_kernel "synth-$(kernel_label "$k")" "$k" "${SYNTH_PROBES[@]}"
done

[ "$n_kernels" -gt 0 ] || skip "no kernel BTF available (no corpus, no $VMLINUX, no synthetic kernels)"

compared=$((n_kernels - n_bpftool_abort - n_btfpack_fail))
log "bpftool aborted on $n_bpftool_abort kernels${aborted[*]:+: ${aborted[*]}}"
log "total bytes over $compared kernels: btfpack $total_out, bpftool $total_bout (SRC $total_src)"
log "summary: $n_kernels kernels, $n_cmp kernel x object comparisons of bpftool output," \
	"$n_mismatch mismatches, $n_larger kernels where btfpack is larger," \
	"$n_btfpack_fail btfpack failures, $n_bpftool_abort bpftool aborts (skipped)"
if [ ${#failed[@]} -gt 0 ]; then
	die "kernels failing: ${failed[*]}"
fi
log "PASS"
