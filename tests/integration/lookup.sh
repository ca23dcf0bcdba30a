#!/usr/bin/env bash
# lookup: `btfpack lookup` by host (--os-release/--release/--arch, --root,
# --host) and by path, its exit codes (4 no entry, 5 unreadable, 6 not a
# bundle) and -v's account of the match; `btfpack embed`: the C source
# compiles, links with libbtfpack and finds the host's entry from memory
# with the bytes `btfpack lookup` gives; its output is deterministic.
# Environment: BTFPACK_CC, BTFPACK_LIB_DIR (libbtfpack.so), BTFPACK_INCLUDE_DIR,
# BTFPACK_OS_RELEASE_DIR (tests/fixtures/os-release).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
it_parse_args "$@"
: "${BTFPACK_CC:?}" "${BTFPACK_LIB_DIR:?}" "${BTFPACK_INCLUDE_DIR:?}" "${BTFPACK_OS_RELEASE_DIR:?}"

need_synth
KDIR=$SYNTH_DIR/kernels
OSR=$BTFPACK_OS_RELEASE_DIR
HUB=$WORK/hub
mkdir -p "$HUB/centos/7/x86_64" "$HUB/rhel/8/x86_64" "$HUB/debian/bullseye/arm64"
cp "$KDIR/base.btf" "$HUB/centos/7/x86_64/3.10.0-1160.el7.x86_64.btf"
cp "$KDIR/retyped.btf" "$HUB/rhel/8/x86_64/4.18.0-372.9.1.el8.x86_64.btf"
cp "$KDIR/renamed.btf" "$HUB/debian/bullseye/arm64/5.10.0-26-arm64.btf"
OBJS=(--obj "${SYNTH_PROBES[0]}" --obj "${SYNTH_PROBES[1]}")
B=$WORK/b.tar.xz
SOURCE_DATE_EPOCH=0 "$BTFPACK" build -q -o "$B" "${OBJS[@]}" "$HUB" || die "build failed"
SOURCE_DATE_EPOCH=0 "$BTFPACK" build -q --dedup none -o "$WORK/none" "${OBJS[@]}" "$HUB" ||
	die "build --dedup none failed"

# lk NAME ARGS...: run btfpack lookup, exit status in rc, stderr in $WORK/NAME.err
lk() {
	local name=$1
	shift
	rc=0
	"$BTFPACK" lookup "$@" > "$WORK/$name.out" 2> "$WORK/$name.err" || rc=$?
}

lk rhel -v "$B" --os-release "$OSR/rhel-8.6" --release 4.18.0-372.9.1.el8.x86_64 \
	--arch x86_64 -o "$WORK/rhel.btf"
check "rhel 8.6 found (exit $rc)" test "$rc" -eq 0
check "rhel 8.6: the rhel/8 bytes" cmp "$WORK/rhel.btf" "$WORK/none/rhel/8/x86_64/4.18.0-372.9.1.el8.x86_64.btf"
check "-v names the entry and the rule" grep -q "rhel/8/x86_64/4.18.0-372.9.1.el8.x86_64.btf matched, by minor -> major" "$WORK/rhel.err"

# a container's view of its host: --root DIR reads DIR/etc/os-release
mkdir -p "$WORK/host/etc"
cp "$OSR/debian-11" "$WORK/host/etc/os-release"
lk deb "$B" --root "$WORK/host" --release 5.10.0-26-arm64 --arch aarch64
check "debian 11 under --root, aarch64 (exit $rc)" test "$rc" -eq 0
check "debian 11: the bullseye/arm64 bytes, to stdout" cmp "$WORK/deb.out" "$WORK/none/debian/bullseye/arm64/5.10.0-26-arm64.btf"

lk none "$B" --os-release "$OSR/centos-7" --release 3.10.0-9999.el7.x86_64 --arch x86_64 -o "$WORK/x.btf"
check "no entry exits 4 (got $rc)" test "$rc" -eq 4
check "no entry names the nearest" grep -q "centos/7/x86_64/3.10.0-1160.el7.x86_64.btf" "$WORK/none.err"
check "no entry leaves no OUT" test ! -e "$WORK/x.btf"
lk missing "$WORK/no-such.tar.xz" --host
check "a missing bundle exits 5 (got $rc)" test "$rc" -eq 5
printf 'not a tar' > "$WORK/junk.tar.xz"
lk junk "$WORK/junk.tar.xz" --host
check "a foreign file exits 6 (got $rc)" test "$rc" -eq 6
head -c 600 "$B" > "$WORK/cut.tar.xz"
lk cut "$WORK/cut.tar.xz" centos/7/x86_64/3.10.0-1160.el7.x86_64.btf
check "a truncated bundle exits 6, also by path (got $rc)" test "$rc" -eq 6
lk badosr "$B" --os-release "$WORK/no-os-release" --release r --arch x86_64
check "an unreadable --os-release exits 1, not 5 (got $rc)" test "$rc" -eq 1

# the path form as before, now with -o too
lk path "$B" centos/7/x86_64/3.10.0-1160.el7.x86_64.btf "$WORK/path.btf"
check "lookup BUNDLE PATH OUT (exit $rc)" test "$rc" -eq 0
check "lookup BUNDLE PATH OUT: the bytes" cmp "$WORK/path.btf" "$WORK/none/centos/7/x86_64/3.10.0-1160.el7.x86_64.btf"
lk pathmiss "$B" centos/7/x86_64/nope.btf
check "lookup of a missing path exits 4 (got $rc)" test "$rc" -eq 4
lk usage "$B" centos/7/x86_64/x.btf --host
check "a path with --host is a usage error (got $rc)" test "$rc" -eq 2

# the running host: whatever it is, a clear answer (found, or exit 4 naming it)
lk host "$B" --host -v
check "--host on this machine: found or no entry (got $rc)" test "$rc" -eq 0 -o "$rc" -eq 4

# embed: compile, link with libbtfpack, find from memory
mkdir -p "$WORK/e1" "$WORK/e2"
rc=0
"$BTFPACK" embed "$B" -o "$WORK/e1/bundle_data.c" --name my_btf || rc=$?
check "embed exits 0 (got $rc)" test "$rc" -eq 0
"$BTFPACK" embed "$B" -o "$WORK/e2/bundle_data.c" --name my_btf || die "second embed failed"
check "embed is deterministic (.c)" cmp "$WORK/e1/bundle_data.c" "$WORK/e2/bundle_data.c"
check "embed is deterministic (.h)" cmp "$WORK/e1/bundle_data.h" "$WORK/e2/bundle_data.h"
check "the header shows the open_mem call" grep -q "btfpack_bundle__open_mem(my_btf, my_btf_len" "$WORK/e1/bundle_data.h"
check "the array is aligned" grep -q "_Alignas(64) const unsigned char my_btf\[$(file_size "$B")\]" "$WORK/e1/bundle_data.c"
cat > "$WORK/e1/main.c" <<'PROG'
#include <stdio.h>
#include <stdlib.h>
#include <btfpack.h>
#include "bundle_data.h"

/* argv: os-release release arch out */
int main(int argc, char **argv)
{
	BTFPACK_OPTS(btfpack_host_opts, o, .os_release_path = argv[1], .release = argv[2],
		     .arch = argv[3]);
	struct btfpack_bundle *b;
	struct btfpack_host h;
	struct btfpack_err err;
	char *entry;
	size_t size;
	void *buf;
	FILE *f;

	if (argc != 5 || btfpack_host__detect(&o, &h, &err) ||
	    btfpack_bundle__open_mem(my_btf, my_btf_len, "embedded", &b, &err) ||
	    btfpack_bundle__find(b, &h, &buf, &size, &entry, &err)) {
		fprintf(stderr, "%s\n", argc == 5 ? err.msg : "usage");
		return 1;
	}
	printf("%s\n", entry);
	f = fopen(argv[4], "wb");
	if (!f || fwrite(buf, 1, size, f) != size || fclose(f))
		return 1;
	btfpack_free(buf);
	btfpack_free(entry);
	btfpack_bundle__free(b);
	return 0;
}
PROG
"$BTFPACK_CC" -std=c11 -Wall -Wextra -Werror -I "$BTFPACK_INCLUDE_DIR" -o "$WORK/e1/prog" \
	"$WORK/e1/main.c" "$WORK/e1/bundle_data.c" -L "$BTFPACK_LIB_DIR" -lbtfpack ||
	die "the embedded bundle does not compile and link with libbtfpack"
pass "the embedded bundle compiles and links with libbtfpack"
preload=
if readelf -d "$BTFPACK_LIB_DIR/libbtfpack.so" | grep -q 'NEEDED.*libasan'; then
	preload=$("$BTFPACK_CC" -print-file-name=libasan.so)
fi
rc=0
LD_LIBRARY_PATH=$BTFPACK_LIB_DIR LD_PRELOAD=$preload "$WORK/e1/prog" "$OSR/ol-7.9" \
	3.10.0-1160.el7.x86_64 x86_64 "$WORK/e1/mem.btf" > "$WORK/e1/prog.out" 2>&1 || rc=$?
check "the program finds its entry in memory (exit $rc: $(head -n 1 "$WORK/e1/prog.out"))" test "$rc" -eq 0
lk cli "$B" --os-release "$OSR/ol-7.9" --release 3.10.0-1160.el7.x86_64 --arch x86_64 -o "$WORK/cli.btf"
check "ol 7.9 on centos' kernel: arch+release alone, from the CLI (exit $rc)" test "$rc" -eq 0
check "memory and CLI give the same bytes" cmp "$WORK/e1/mem.btf" "$WORK/cli.btf"
check "... the centos/7 bytes" cmp "$WORK/e1/mem.btf" "$WORK/none/centos/7/x86_64/3.10.0-1160.el7.x86_64.btf"

rc=0
"$BTFPACK" embed "$WORK/none" -o "$WORK/dir.c" 2> "$WORK/dir.err" || rc=$?
check "embed of a directory exits 6 (got $rc)" test "$rc" -eq 6
rc=0
"$BTFPACK" embed "$B" -o "$WORK/x.c" --name 'a-b' 2> /dev/null || rc=$?
check "embed --name that is no C name is a usage error (got $rc)" test "$rc" -eq 2
finish
