#!/usr/bin/env bash
# install_consumer: `cmake --install` into a temporary prefix, then a
# program from outside the tree (consumer.c) built ONLY with
# `pkg-config --cflags --libs btfpack` against that prefix:
#   - the prefix has the CLI, both libraries, the header and btfpack.pc;
#   - the consumer's minimized BTF of a synthetic kernel for a probe equals,
#     byte for byte, what the installed `btfpack min` writes;
#   - its lookup in a small --dedup index bundle equals `btfpack lookup`
#     and the minimized BTF of that kernel.
# Environment (set by tests/consumer/CMakeLists.txt): BTFPACK_BUILD_DIR,
# BTFPACK_CONSUMER_SRC, BTFPACK_CC, BTFPACK_LIBDIR.
set -euo pipefail
. "$(dirname "$0")/../integration/lib.sh"
it_parse_args "$@"

: "${BTFPACK_BUILD_DIR:?}" "${BTFPACK_CONSUMER_SRC:?}" "${BTFPACK_CC:?}" "${BTFPACK_LIBDIR:?}"
[ -n "$SYNTH_DIR" ] || skip "no synthetic fixtures (--synth-dir)"
command -v pkg-config > /dev/null || skip "no pkg-config"

prefix=$WORK/prefix
libdir=$prefix/$BTFPACK_LIBDIR
kernel=$SYNTH_DIR/kernels/base.btf
probes=("$SYNTH_DIR/probe_fields.bpf.o" "$SYNTH_DIR/probe_types.bpf.o")

cmake --install "$BTFPACK_BUILD_DIR" --prefix "$prefix" > "$WORK/install.log" ||
	die "cmake --install failed: $(cat "$WORK/install.log")"
for f in bin/btfpack include/btfpack.h "$BTFPACK_LIBDIR/libbtfpack.a" \
	"$BTFPACK_LIBDIR/libbtfpack.so" "$BTFPACK_LIBDIR/libbtfpack.so.0" \
	"$BTFPACK_LIBDIR/pkgconfig/btfpack.pc"; do
	check "installed $f" test -e "$prefix/$f"
done
check "SONAME libbtfpack.so.0" \
	sh -c "readelf -d '$libdir/libbtfpack.so' | grep -q 'SONAME.*\[libbtfpack.so.0\]'"

export PKG_CONFIG_PATH=$libdir/pkgconfig
flags=$(pkg-config --cflags --libs btfpack) || die "pkg-config does not know btfpack"
log "pkg-config --cflags --libs btfpack: $flags"
case $flags in
*"$BTFPACK_BUILD_DIR"*) die "pkg-config points into the build tree: $flags" ;;
esac
# shellcheck disable=SC2086 # $flags is a list of words
"$BTFPACK_CC" -std=c11 -Wall -Wextra -Werror -o "$WORK/consumer" "$BTFPACK_CONSUMER_SRC" \
	$flags || die "the consumer does not build from the prefix"
pass "the consumer builds with pkg-config only"

# a sanitized libbtfpack.so needs the ASan runtime loaded first
preload=
if readelf -d "$libdir/libbtfpack.so" | grep -q 'NEEDED.*libasan'; then
	preload=$("$BTFPACK_CC" -print-file-name=libasan.so)
fi
consumer() { LD_LIBRARY_PATH=$libdir LD_PRELOAD=$preload "$WORK/consumer" "$@"; }
bp() { "$prefix/bin/btfpack" "$@"; }

consumer min "$kernel" "$WORK/lib.btf" "${probes[@]}" > "$WORK/consumer.out" ||
	die "consumer min failed: $(cat "$WORK/consumer.out")"
log "$(tr '\n' ' ' < "$WORK/consumer.out")"
check "the consumer runs against the installed libbtfpack.so.0" \
	sh -c "LD_LIBRARY_PATH='$libdir' LD_PRELOAD='$preload' ldd '$WORK/consumer' | grep -q '$libdir/libbtfpack.so.0'"
bp min "$kernel" "$WORK/cli.btf" "${probes[@]}" || die "btfpack min failed"
check "libbtfpack's minimized BTF == btfpack min's ($(file_size "$WORK/cli.btf") bytes)" \
	cmp "$WORK/lib.btf" "$WORK/cli.btf"

# two identical kernels: one blob in an index bundle, looked up by path
mkdir -p "$WORK/hub/synth/1/x86_64"
cp "$kernel" "$WORK/hub/synth/1/x86_64/k1.btf"
cp "$kernel" "$WORK/hub/synth/1/x86_64/k2.btf"
SOURCE_DATE_EPOCH=0 bp build -q -j1 --dedup index -o "$WORK/bundle.tar.gz" \
	--obj "${probes[0]}" --obj "${probes[1]}" "$WORK/hub" || die "btfpack build failed"
entry=synth/1/x86_64/k2.btf
consumer lookup "$WORK/bundle.tar.gz" "$entry" "$WORK/lookup.btf" > /dev/null ||
	die "consumer lookup $entry failed"
bp lookup "$WORK/bundle.tar.gz" "$entry" "$WORK/cli_lookup.btf"
check "libbtfpack's lookup == btfpack lookup" cmp "$WORK/lookup.btf" "$WORK/cli_lookup.btf"
check "the bundle holds the minimized BTF" cmp "$WORK/lookup.btf" "$WORK/cli.btf"
rc=0
consumer lookup "$WORK/bundle.tar.gz" synth/1/x86_64/none.btf "$WORK/none.btf" \
	> /dev/null 2> "$WORK/none.err" || rc=$?
check "a missing entry fails with a message naming it (exit $rc)" \
	sh -c "[ $rc -eq 1 ] && grep -q 'none.btf' '$WORK/none.err'"
finish
