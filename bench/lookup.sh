#!/usr/bin/env bash
# bench/lookup.sh [BUILD_DIR]: what finding a host's BTF costs, per
# profile: `btfpack lookup` (open the bundle, read its catalogue, find,
# write OUT) on bundles of the btfhub-android corpus built for the BPF test
# objects, for three hosts: an exact key, one found by (arch, release)
# alone (no os-release), and one with no entry (the nearest-entries
# message). Prints the median wall milliseconds of RUNS runs (process
# start included), each bundle's bytes, and the size of `btfpack embed`'s
# C source for the native tar.xz.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

setup_build "${1:-}"
[ -d "$CORPUS" ] || bdie "corpus not found: $CORPUS"
TIMER=shell
[ -z "${NO_HYPERFINE:-}" ] && command -v hyperfine > /dev/null && TIMER=hyperfine
T=$(mktemp -d "${TMPDIR:-/tmp}/btfpack-bench-lookup.XXXXXX")
trap 'rm -rf "$T"' EXIT

# one kernel of the corpus and its key, for the hosts below
first=$(find "$CORPUS" -name '*.btf.tar.xz' | sort | head -n 1)
rel=${first#"$CORPUS"/}
IFS=/ read -r distro version arch file <<< "$rel"
release=${file%.btf.tar.xz}
printf 'ID=%s\nVERSION_ID="%s"\n' "$distro" "$version" > "$T/os-release"
printf 'ID=nosuch\nVERSION_ID=1\n' > "$T/nosuch"
mkdir -p "$T/noroot"

BUNDLES=(
	"native-symlink.tar.xz:--dedup symlink"
	"native-index.tar.xz:--dedup index"
	"native-dir:--dedup symlink"
	"native-aliases.tar.xz:--dedup symlink --aliases"
	"bcc.tar.gz:--profile bcc"
	"bcc-aliases.tar.gz:--profile bcc --aliases"
	"tree:--profile tree"
	"btfhub.tar.xz:--profile btfhub"
)
say "lookup on $CORPUS ($(find "$CORPUS" -name '*.btf.tar.xz' | wc -l) kernels), host key $distro/$version/$arch/$release, timer $TIMER, median of $RUNS"
printf '%-24s %10s %12s %14s %12s\n' bundle bytes "exact ms" "arch+rel ms" "no entry ms"
for b in "${BUNDLES[@]}"; do
	name=${b%%:*}
	# shellcheck disable=SC2086 # the options are words
	SOURCE_DATE_EPOCH=0 "$BTFPACK" build -q ${b#*:} -o "$T/$name" "${OBJ_ARGS[@]}" "$CORPUS" \
		> /dev/null 2>&1 || [ $? -eq 3 ] || bdie "build $name failed"
	bytes=$(du -sb "$T/$name" | cut -f 1)
	lk="$(quote "$BTFPACK") lookup $(quote "$T/$name")"
	time_cmds "$T/t" \
		"$lk --os-release $(quote "$T/os-release") --release $(quote "$release") --arch $arch -o $T/o.btf" \
		"$lk --root $(quote "$T/noroot") --release $(quote "$release") --arch $arch -o $T/o.btf" \
		"$lk --os-release $(quote "$T/nosuch") --release none --arch $arch -o $T/o.btf; [ \$? -eq 4 ]"
	printf '%-24s %10s %12s %14s %12s\n' "$name" "$bytes" "$(calc "${MEDIANS[0]} * 1000" %.1f)" \
		"$(calc "${MEDIANS[1]} * 1000" %.1f)" "$(calc "${MEDIANS[2]} * 1000" %.1f)"
done
"$BTFPACK" embed "$T/native-symlink.tar.xz" -o "$T/embed.c" --name bundle
say "embed: native-symlink.tar.xz $(stat -c %s "$T/native-symlink.tar.xz") bytes -> embed.c $(stat -c %s "$T/embed.c") bytes, embed.h $(stat -c %s "$T/embed.h") bytes"
