#!/usr/bin/env bash
# build_corpus: `btfpack build -j2 --verify --obj <test objects> CORPUS` on the
# real btfhub-android corpus must exit 0 with every kernel ok; for every
# kernel and object libbpf decides alike on the kernel's full BTF and on the
# bundle's (btfpack-judge(OBJ, source .btf) == btfpack-judge(OBJ, lookup));
# -j1 and -j2 bundles are byte-identical; index.json's unique_blobs equals the
# number of distinct sha256 of the `btfpack lookup` outputs.
# Skips without the corpus; the judge part needs bpf() (skip after the other
# checks pass when it is unavailable).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/build_lib.sh"
it_parse_args "$@"

need_exe btfpack "$BTFPACK"
load_corpus
[ ${#ARCHIVES[@]} -gt 0 ] || skip "btfhub-android corpus not found at '${CORPUS:-<unset>}'"
load_objects
for t in tar xz sha256sum cmp; do
	command -v "$t" > /dev/null || die "$t not found"
done

t0=$(date +%s)

# build_bundle NAME JOBS: the corpus bundle at $WORK/NAME.tar.xz, must exit 0
build_bundle() {
	local rc=0 t
	t=$(date +%s)
	"$BTFPACK" build -q -j"$2" --verify -o "$WORK/$1.tar.xz" --report "$WORK/$1.report.json" \
		--obj "$BPF_OBJ_DIR" "$CORPUS" \
		> "$WORK/$1.out" 2> "$WORK/$1.err" || rc=$?
	if [ "$rc" -ne 0 ]; then
		sed 's/^/    /' "$WORK/$1.err" | head -n 20 >&2
		die "btfpack build -j$2 --verify exited $rc"
	fi
	log "btfpack build -j$2 --verify: exit 0 ($(file_size "$WORK/$1.tar.xz") bytes, $(($(date +%s) - t)) s)"
}
build_bundle j2 2
build_bundle j1 1
if cmp -s "$WORK/j1.tar.xz" "$WORK/j2.tar.xz"; then
	log "ok: -j1 and -j2 bundles are byte-identical"
else
	fail "-j1 and -j2 bundles differ"
fi

# the full records are the report's; index.json must list the same entries
bundle_index "$WORK/j2.tar.xz" "$WORK/index.json"
json_flat "$WORK/index.json" > "$WORK/index.flat"
json_flat "$WORK/j2.report.json" > "$WORK/report.flat"
kernels_tsv "$WORK/report.flat" > "$WORK/index.tsv"
if ! diff <(index_entries "$WORK/index.flat") \
	<(awk -F '\t' -v OFS='\t' '$2 == "ok" { print $1, $3, $4 }' "$WORK/index.tsv" | sort) > /dev/null; then
	fail "index.json entries differ from the report's ok kernels"
fi

n_obj=$(jcount "$WORK/index.flat" objects)
[ "$n_obj" -eq ${#OBJECTS[@]} ] || fail "index.json lists $n_obj objects, $BPF_OBJ_DIR has ${#OBJECTS[@]} *.bpf.o"
n_k=$(wc -l < "$WORK/index.tsv")
[ "$n_k" -eq ${#ARCHIVES[@]} ] || fail "index.json lists $n_k kernels, the corpus has ${#ARCHIVES[@]}"
n_ok=$(awk -F '\t' '$2 == "ok"' "$WORK/index.tsv" | wc -l)
[ "$n_ok" -eq "$n_k" ] || fail "$((n_k - n_ok)) kernels not ok: $(awk -F '\t' '$2 != "ok" { print $1 ": " $11 }' "$WORK/index.tsv")"
# every corpus archive is in the index, once
if [ "$(cut -f 6 "$WORK/index.tsv" | sort)" != "$(for a in "${ARCHIVES[@]}"; do printf '%s\n' "${a#"$CORPUS"/}"; done | sort)" ]; then
	fail "index.json sources differ from the corpus archives"
fi

# lookups and unique blobs
mkdir -p "$WORK/lk"
: > "$WORK/shas"
i=0
while IFS=$'\t' read -r path _ blob size _; do
	i=$((i + 1))
	if ! "$BTFPACK" lookup "$WORK/j2.tar.xz" "$path" "$WORK/lk/$i.btf" < /dev/null 2> "$WORK/lk.err"; then
		fail "btfpack lookup $path: $(head -n 1 "$WORK/lk.err")"
		continue
	fi
	[ "$(file_size "$WORK/lk/$i.btf")" = "$size" ] || fail "$path: lookup gives $(file_size "$WORK/lk/$i.btf") bytes, index.json says $size"
	printf '%s\t%s\n' "$(sha_of "$WORK/lk/$i.btf")" "$blob" >> "$WORK/shas"
done < "$WORK/index.tsv"
uniq_sha=$(cut -f 1 "$WORK/shas" | sort -u | wc -l)
uniq_pair=$(sort -u "$WORK/shas" | wc -l)
uniq_idx=$(jget "$WORK/report.flat" summary.unique_blobs)
if [ "$uniq_idx" = "$uniq_sha" ] && [ "$uniq_pair" -eq "$uniq_sha" ]; then
	log "ok: unique_blobs $uniq_idx == distinct sha256 of the $n_k lookup outputs"
else
	fail "unique_blobs $uniq_idx, distinct sha256 of lookups $uniq_sha, distinct (sha256, blob) pairs $uniq_pair"
fi
[ "$n_fail" -eq 0 ] || die "$n_fail checks failed"

# libbpf judge: full source BTF vs bundled BTF, every kernel x object
if [ -z "$JUDGE" ]; then
	skip "btfpack-judge not given: judge part not run (other checks passed)"
fi
need_exe btfpack-judge "$JUDGE"
rc=0
msg=$("$JUDGE" --check-bpf 2>&1) || rc=$?
case $rc in
0) ;;
"$SKIP") skip "bpf() unavailable, judge part not run (other checks passed): $msg" ;;
*) die "btfpack-judge --check-bpf failed ($rc): $msg" ;;
esac

n_cmp=0 n_bad=0 n_relo=0 n_vacuous=0
i=0
while IFS=$'\t' read -r path _ _ _ _ src _; do
	i=$((i + 1))
	kd=$WORK/k
	src_btf=$(extract_btf "$CORPUS/$src" "$kd/src")
	: > "$kd/jobs"
	for j in "${!OBJECTS[@]}"; do
		add_job "$kd/jobs" "${OBJECTS[$j]}" "$src_btf" "$kd/$j.src"
		add_job "$kd/jobs" "${OBJECTS[$j]}" "$WORK/lk/$i.btf" "$kd/$j.min"
	done
	run_judges "$kd/jobs" < /dev/null
	for j in "${!OBJECTS[@]}"; do
		n_cmp=$((n_cmp + 1))
		n_relo=$((n_relo + $(grep -c ': relo #' "$kd/$j.src" || true)))
		if grep -q '^load: failed before CO-RE' "$kd/$j.src"; then
			n_vacuous=$((n_vacuous + 1))
		fi
		if ! cmp -s "$kd/$j.src" "$kd/$j.min"; then
			n_bad=$((n_bad + 1))
			warn "FAIL: judge differs for $(basename "${OBJECTS[$j]}") on $path:"
			diff "$kd/$j.src" "$kd/$j.min" | head -n 8 | sed 's/^/    /' >&2 || true
		fi
	done
	rm -rf "$kd"
done < "$WORK/index.tsv"
[ "$n_vacuous" -eq 0 ] || warn "note: $n_vacuous kernel x object pairs failed before CO-RE on the source BTF"
[ "$n_relo" -gt 0 ] || die "the judge printed no relocation lines: comparison is vacuous"
[ "$n_bad" -eq 0 ] || die "libbpf judge: $n_bad of $n_cmp kernel x object pairs differ"
log "ok: libbpf judge: source == bundle for $n_cmp kernel x object pairs ($n_k kernels, ${#OBJECTS[@]} objects, $n_relo relocation lines)"
log "PASS ($(($(date +%s) - t0)) s)"
