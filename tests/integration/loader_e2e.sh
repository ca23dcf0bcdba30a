#!/usr/bin/env bash
# loader_e2e: examples/loader end to end, as root with bpf(). A hub holding
# the running kernel's BTF under this host's os-release key
# (<ID>/<VERSION_ID>/<arch>/<uname -r>.btf) is built into a bundle for the
# example's object and embedded by the example's own Makefile, against an
# install prefix (pkg-config only); the loader then:
#   - without a flag, uses the kernel's BTF and receives an exec event;
#   - with --ignore-kernel-btf, says it used the bundle's entry for this
#     host, loads, attaches and receives the exec of /bin/true; its temp
#     file is gone afterwards; --count N ends it by itself;
#   - with a bundle whose task_struct.tgid offset was moved (btf-poke), the
#     pid it reports for /bin/true is wrong: the bundle's BTF, not the
#     kernel's, is what libbpf relocated against;
#   - with a bundle that has no entry for this host, fails naming the host.
# The in-tree build's loader (BTFPACK_LOADER) does the same from its bundle.
# Skips without root, bpf(), kernel BTF or a working raw tracepoint.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
it_parse_args "$@"

: "${BTFPACK_BUILD_DIR:?}" "${BTFPACK_EXAMPLE_SRC:?}" "${BTFPACK_LIBDIR:?}" "${BTFPACK_CC:?}"
need_exe btfpack "$BTFPACK"
[ "$(id -u)" -eq 0 ] || skip "not root (uid $(id -u)): the loader needs bpf() and tracing"
require_bpf
VMLINUX=/sys/kernel/btf/vmlinux
[ -r "$VMLINUX" ] || skip "no $VMLINUX: no running kernel BTF to put in the hub"

# this host's key, computed here independently of the library
# (ID defaults to "linux"; without VERSION_ID the lookup's codename or
# (arch, release) rule has to find it)
osr=/etc/os-release
[ -r "$osr" ] || osr=/usr/lib/os-release
field() { [ -r "$osr" ] && sed -n "s/^$1=//p" "$osr" | head -n 1 | tr -d "\"'"; }
case $(uname -m) in aarch64) arch=arm64 ;; *) arch=$(uname -m) ;; esac
id=$(field ID || true) ver=$(field VERSION_ID || true)
[ -n "$ver" ] || ver=$(field VERSION_CODENAME || true)
KEY=${id:-linux}/${ver:-unknown}/$arch/$(uname -r).btf
log "this host's key: $KEY"

prefix=$WORK/prefix
cmake --install "$BTFPACK_BUILD_DIR" --prefix "$prefix" > "$WORK/install.log" ||
	die "cmake --install failed: $(cat "$WORK/install.log")"
export PKG_CONFIG_PATH=$prefix/$BTFPACK_LIBDIR/pkgconfig
preload=
if readelf -d "$prefix/$BTFPACK_LIBDIR/libbtfpack.so" | grep -q 'NEEDED.*libasan'; then
	preload=$("$BTFPACK_CC" -print-file-name=libasan.so)
fi

# build_example DIR HUB [MAKEVAR=...]: the example's Makefile, bundle from HUB
build_example() {
	local dir=$1 hub=$2
	shift 2
	make -s -C "$BTFPACK_EXAMPLE_SRC" O="$dir" HUB="$hub" BTFPACK="$prefix/bin/btfpack" \
		CC="$BTFPACK_CC" "$@" > "$dir.log" 2>&1 ||
		die "make of the example failed: $(tail -n 20 "$dir.log")"
}

mkdir -p "$WORK/hub/${KEY%/*}" "$WORK/ex" "$WORK/tmp"
cp "$VMLINUX" "$WORK/hub/$KEY"
build_example "$WORK/ex" "$WORK/hub"
bundle=$WORK/ex/loader-bundle.tar.xz
"$BTFPACK" ls "$bundle" > "$WORK/ls.out" || die "btfpack ls of the bundle failed"
check "the embedded bundle holds $KEY" grep -qF " $KEY" "$WORK/ls.out"
rc=0
"$BTFPACK" verify "$bundle" --hub "$WORK/hub" --obj "$WORK/ex/tracer.bpf.o" > "$WORK/verify.out" || rc=$?
check "btfpack verify: the bundle decides as the kernel's BTF (exit $rc)" test "$rc" -eq 0

# run_loader TAG BIN ARGS...: start it, run /bin/true until it has seen
# one (or exited), then stop it; $WORK/TAG.out, .err, the pids of the
# /bin/true runs in $WORK/TAG.pids, RC
run_loader() {
	local tag=$1 bin=$2 pid i t
	shift 2
	RC=0
	: > "$WORK/$tag.pids"
	TMPDIR=$WORK/tmp LD_LIBRARY_PATH=$prefix/$BTFPACK_LIBDIR LD_PRELOAD=$preload \
		"$bin" --timeout 60 "$@" > "$WORK/$tag.out" 2> "$WORK/$tag.err" &
	pid=$!
	for i in $(seq 1 600); do
		kill -0 "$pid" 2> /dev/null || break
		if grep -q '^attached' "$WORK/$tag.out"; then
			/bin/true &
			t=$!
			wait "$t"
			echo "$t" >> "$WORK/$tag.pids"
			sleep 0.1
			grep -q ' file=/bin/true$' "$WORK/$tag.out" && break
		fi
		sleep 0.1
	done
	kill -INT "$pid" 2> /dev/null || true
	wait "$pid" || RC=$?
	not_a_crash "$RC" || die "$tag: the loader crashed (exit $RC): $(cat "$WORK/$tag.err")"
}

not_ok() { ! "$@"; }

# true_pid_ok TAG: an event for /bin/true carries the pid it ran as
true_pid_ok() {
	local p
	while read -r p; do
		grep -q "^exec pid=$p .* file=/bin/true\$" "$WORK/$1.out" && return 0
	done < "$WORK/$1.pids"
	return 1
}

loader=$WORK/ex/btfpack-loader
run_loader kernel "$loader"
if [ "$RC" -ne 0 ] && grep -q 'cannot attach' "$WORK/kernel.err"; then
	skip "the raw tracepoint cannot be attached here: $(grep 'cannot attach' "$WORK/kernel.err")"
fi
check "no flag: exit 0 (got $RC)" test "$RC" -eq 0
check "no flag: uses the kernel's BTF" grep -qx 'btf: kernel /sys/kernel/btf/vmlinux' "$WORK/kernel.out"
check "no flag: the exec of /bin/true arrived, with its pid" true_pid_ok kernel

run_loader bundle "$loader" --ignore-kernel-btf
check "--ignore-kernel-btf: exit 0 (got $RC)" test "$RC" -eq 0
check "--ignore-kernel-btf: uses the bundle's entry $KEY" \
	grep -qF "btf: bundle entry $KEY (" "$WORK/bundle.out"
check "--ignore-kernel-btf: loaded and attached" grep -q '^attached' "$WORK/bundle.out"
check "--ignore-kernel-btf: the exec of /bin/true arrived, with its pid" true_pid_ok bundle
check "--ignore-kernel-btf: no libbpf error" sh -c "! grep -q 'libbpf:' '$WORK/bundle.err'"
check "the temp BTF file is removed" test -z "$(ls -A "$WORK/tmp")"

# --count ends it alone: exits 0 after one event
RC=0
( for i in $(seq 1 300); do /bin/true; sleep 0.1; done ) &
trig=$!
TMPDIR=$WORK/tmp LD_LIBRARY_PATH=$prefix/$BTFPACK_LIBDIR LD_PRELOAD=$preload \
	"$loader" --ignore-kernel-btf --count 1 --timeout 60 > "$WORK/count.out" 2>&1 || RC=$?
kill "$trig" 2> /dev/null || true
wait "$trig" 2> /dev/null || true
check "--count 1: exit 0 after one event (got $RC)" \
	sh -c "[ $RC -eq 0 ] && grep -qx 'events: 1' '$WORK/count.out'"

# a bundle that lies about task_struct.tgid: the loader believes it
POKE=${BTFPACK_BTF_POKE:-}
need_exe btfpack-btf-poke "$POKE"
x=$WORK/poked
mkdir -p "$x" "$WORK/ex-poked"
tar -C "$x" -xJf "$bundle"
"$POKE" "$x/$KEY" "$x/$KEY.new" task_struct tgid 64 && mv "$x/$KEY.new" "$x/$KEY"
tar -C "$x" -cJf "$WORK/poked.tar.xz" .
cp "$WORK/ex/vmlinux.h" "$WORK/ex-poked/"
build_example "$WORK/ex-poked" "$WORK/hub" BUNDLE="$WORK/poked.tar.xz"
run_loader poked "$WORK/ex-poked/btfpack-loader" --ignore-kernel-btf
check "poked bundle: still loads and traces (exit $RC)" \
	sh -c "[ $RC -eq 0 ] && grep -q ' file=/bin/true$' '$WORK/poked.out'"
check "poked bundle: /bin/true's pid is not what it reports (the bundle's offset was used)" \
	not_ok true_pid_ok poked

# the in-tree build's loader, embedding the bundle its build made
if [ -n "${BTFPACK_LOADER:-}" ]; then
	run_loader intree "$BTFPACK_LOADER" --ignore-kernel-btf
	check "in-tree loader: uses the bundle's entry $KEY (exit $RC)" \
		sh -c "[ $RC -eq 0 ] && grep -qF 'btf: bundle entry $KEY (' '$WORK/intree.out'"
	check "in-tree loader: the exec of /bin/true arrived, with its pid" true_pid_ok intree
fi

# a bundle without this host: a clear failure, nothing loaded
mkdir -p "$WORK/hub-other/otheros/1/$arch" "$WORK/ex-other"
cp "$VMLINUX" "$WORK/hub-other/otheros/1/$arch/0.0.0-other.btf"
cp "$WORK/ex/vmlinux.h" "$WORK/ex-other/"
build_example "$WORK/ex-other" "$WORK/hub-other"
run_loader other "$WORK/ex-other/btfpack-loader" --ignore-kernel-btf
check "no entry for this host: exit 1 (got $RC)" test "$RC" -eq 1
check "no entry for this host: says so" grep -q 'no BTF for this host' "$WORK/other.err"
check "no entry for this host: nothing attached" sh -c "! grep -q '^attached' '$WORK/other.out'"

finish
