#!/usr/bin/env bash
# bench/hostile.sh [BUILD_DIR]: a table of hostile inputs and what btfpack
# does with each: exit code, its first line on stderr, what is left where
# the output was asked for (besides the previous bundle), and peak RSS
# (/usr/bin/time -f %M). Figures only: the regression tests that assert
# these behaviours are tests/integration/{hostile,build_memory,out_*}.sh.
# Inputs are made here from the synthetic kernels and the android corpus.
# Root runs the full-disk row (a 1 MiB tmpfs) and the unreadable-directory
# row as nobody; elsewhere they are marked skipped.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$REPO/tests/integration/mem_lib.sh"
die() { bdie "$*"; }

setup_build "${1:-}"
cmake --build "$BUILD" --target synth_fixtures > /dev/null 2>&1 || bdie "cannot build the synthetic kernels"
KDIR=$BUILD/tests/fixtures/kernels
PROBE=$(ls "$BUILD"/tests/fixtures/probe_*.bpf.o | head -n 1)
[ -x /usr/bin/time ] || bdie "no /usr/bin/time (package time)"
T=$(mktemp -d "${TMPDIR:-/tmp}/btfpack-bench-hostile.XXXXXX")
trap 'umount "$T/full" 2> /dev/null || true; rm -rf "$T"' EXIT
chmod 755 "$T"

# hub NAME: a hub of three good raw kernels; prints its path
hub() {
	local h=$T/$1
	mkdir -p "$h/good/1/x86_64"
	cp "$KDIR/base.btf" "$h/good/1/x86_64/a.btf"
	cp "$KDIR/renamed.btf" "$h/good/1/x86_64/b.btf"
	cp "$KDIR/enum_added.btf" "$h/good/1/x86_64/c.btf"
	printf '%s\n' "$h"
}

printf '| input | exit | first line on stderr | left at the output | peak RSS |\n'
printf '|---|---|---|---|---|\n'

# row LABEL OUTDIR CMD...: run, print one table row. OUTDIR is where the
# output was asked for: its leftovers are listed.
row() {
	local label=$1 outdir=$2 rc=0 msg left rss
	shift 2
	mkdir -p "$outdir"
	peak_rss_kb "$T/rss" timeout 120 "$@" > /dev/null 2> "$T/err" < /dev/null || rc=$?
	msg=$({ grep -v '^btfpack: [0-9]* kernels:' "$T/err" || true; } | head -n 1 | cut -c 1-110 | sed 's/|/\\|/g')
	left=$(cd "$outdir" && find . -mindepth 1 -maxdepth 1 -printf '%f ' | sed 's/ $//')
	rss=$(cat "$T/rss" 2> /dev/null || echo '?')
	printf '| %s | %s | %s | %s | %s KiB |\n' "$label" "$rc" "${msg:--}" "${left:-nothing}" "$rss"
}

O=$T/out
mkdir -p "$T/empty"
row "missing hub" "$O/1" "$BTFPACK" build -o "$O/1/b.tar" --obj "$PROBE" "$T/nope"
row "empty hub" "$O/2" "$BTFPACK" build -o "$O/2/b.tar" --obj "$PROBE" "$T/empty"
H=$(hub typo)
row "--arch typo (x86-64)" "$O/3" "$BTFPACK" build -o "$O/3/b.tar" --obj "$PROBE" --arch x86-64 "$H"

H=$(hub deep)
d=$H/good/1/x86_64
for i in $(seq 1 17); do d=$d/d; done
mkdir -p "$d"
row "directory 21 levels deep" "$O/4" "$BTFPACK" build -o "$O/4/b.tar" --obj "$PROBE" "$H"
H=$(hub idx)
mkdir -p "$H/index.json/1/x86_64" && cp "$KDIR/base.btf" "$H/index.json/1/x86_64/k.btf"
row "distro directory named index.json" "$O/5" "$BTFPACK" build -o "$O/5/b.tar" --obj "$PROBE" "$H"
H=$(hub locked)
mkdir -p "$H/locked/1/x86_64" && chmod 000 "$H/locked"
if [ "$(id -u)" -eq 0 ] && command -v setpriv > /dev/null; then
	chmod -R a+rX "$H/good" && chmod 755 "$H" && mkdir -p "$O/6" && chmod 777 "$O" "$O/6"
	cp "$PROBE" "$T/probe.o" && chmod 644 "$T/probe.o"
	row "unreadable directory (as nobody)" "$O/6" setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$BTFPACK" build -o "$O/6/b.tar" --obj "$T/probe.o" "$H"
elif [ "$(id -u)" -ne 0 ]; then
	row "unreadable directory" "$O/6" "$BTFPACK" build -o "$O/6/b.tar" --obj "$PROBE" "$H"
else
	printf '| unreadable directory | skipped (no setpriv) | | | |\n'
fi
chmod 755 "$H/locked"

mkfifo "$T/fifo.btf"
row "FIFO as min SRC" "$O/7" "$BTFPACK" min "$T/fifo.btf" "$O/7/out.btf" "$PROBE"
mkdir -p "$T/fifo-objs" && cp "$PROBE" "$T/fifo-objs/" && mkfifo "$T/fifo-objs/zz.o"
H=$(hub fifo)
row "FIFO *.o in --obj DIR" "$O/8" "$BTFPACK" build -o "$O/8/b.tar" --obj "$T/fifo-objs" "$H"
H=$(hub shadow)
ln -s /etc/shadow "$H/good/1/x86_64/shadow.btf"
row "hub symlink to /etc/shadow" "$O/9" "$BTFPACK" build -o "$O/9/b.tar" --obj "$PROBE" "$H"
grep -q "$(xxhsum -H2 /etc/shadow 2> /dev/null | cut -d ' ' -f 1 || echo none)" <(tar -xOf "$O/9/b.tar" index.json) &&
	note "WARNING: the hash of /etc/shadow is in index.json" || true
H=$(hub evil)
cp "$KDIR/base.btf" "$H/good/1/x86_64/"$'x\e[2J\n9 kernels: 9 ok.btf.tar.xz'
row "name with ESC and newline, --report -" "$O/10" "$BTFPACK" build -o "$O/10/b.tar" --report - --obj "$PROBE" "$H"

# memory: a 40 KB .tar.xz holding a 255 MiB string section, a sparse 1 GiB .btf
big_strings "$KDIR/base.btf" "$T/bomb.btf" $((255 * 1024 * 1024))
H=$(hub bomb)
xz_member "$T/bomb.btf" "$H/good/1/x86_64/bomb.btf.tar.xz"
rm -f "$T/bomb.btf"
note "bomb archive: $(stat -c %s "$H/good/1/x86_64/bomb.btf.tar.xz") bytes"
row "40 KB .tar.xz, 255 MiB strings, --max-memory 200M -j2" "$O/11" \
	"$BTFPACK" build -j2 --max-memory 200M -o "$O/11/b.tar" --obj "$PROBE" "$H"
row "the same, no budget to speak of (--max-memory 1024G)" "$O/12" \
	"$BTFPACK" build -j2 --max-memory 1024G -o "$O/12/b.tar" --obj "$PROBE" "$H"
H=$(hub sparse)
big_strings "$KDIR/base.btf" "$H/good/1/x86_64/sparse.btf" $((1024 * 1024 * 1024))
row "sparse 1 GiB .btf, --max-memory 200M -j2" "$O/13" \
	"$BTFPACK" build -j2 --max-memory 200M -o "$O/13/b.tar" --obj "$PROBE" "$H"
H=$(hub long)
tar -C "$KDIR" -cf - base.btf | zstd -q --long=31 -o "$H/good/1/x86_64/long.btf.tar.zst"
row "zstd --long=31 archive" "$O/14" "$BTFPACK" build -o "$O/14/b.tar" --obj "$PROBE" "$H"
H=$(hub trunc)
tar -C "$KDIR" -cJf "$T/t.tar.xz" base.btf && head -c 2000 "$T/t.tar.xz" > "$H/good/1/x86_64/trunc.btf.tar.xz"
row "truncated .tar.xz" "$O/15" "$BTFPACK" build -o "$O/15/b.tar" --obj "$PROBE" "$H"
H=$(hub v2)
cp "$KDIR/base.btf" "$H/good/1/x86_64/v2.btf"
printf '\002' | dd of="$H/good/1/x86_64/v2.btf" bs=1 seek=2 conv=notrunc status=none
row "raw BTF with version 2" "$O/16" "$BTFPACK" build -o "$O/16/b.tar" --obj "$PROBE" "$H"
tar -cf "$T/empty.tar" -T /dev/null
row "lookup in an empty tar" "$O/17" "$BTFPACK" lookup "$T/empty.tar" a/b/c/d.btf "$O/17/x.btf"
H=$(hub same)
row "--report naming the bundle" "$O/18" "$BTFPACK" build -o "$O/18/b.tar" --report "$O/18/b.tar" --obj "$PROBE" "$H"

# signals and a full disk, on the android corpus (slow enough to interrupt)
load_archives
CH=$T/corpus
mkdir -p "$CH/android/12/arm64"
cp "${ARCHIVES[@]}" "$CH/android/12/arm64/"
mkdir -p "$O/sig"
"$BTFPACK" build -q -o "$O/sig/b.tar.xz" --obj "$PROBE" "$CH"
before=$(sha256sum "$O/sig/b.tar.xz" | cut -c 1-16)
for s in TERM INT HUP KILL; do
	rc=0
	"$BTFPACK" build -q -j2 -o "$O/sig/b.tar.xz" --obj "$PROBE" "$CH" 2> "$T/sig.err" &
	pid=$!
	sleep 2
	kill -s "$s" "$pid"
	wait "$pid" || rc=$?
	left=$(cd "$O/sig" && { ls | grep -v '^b\.tar\.xz$' || true; } | tr '\n' ' ')
	same=$([ "$(sha256sum "$O/sig/b.tar.xz" | cut -c 1-16)" = "$before" ] && echo intact || echo CHANGED)
	printf '| SIG%s 2 s into a 37-kernel build | %s | %s | previous bundle %s; %s | - |\n' "$s" "$rc" \
		"$(head -n 1 "$T/sig.err" | cut -c 1-80)" "$same" "${left:-nothing else}"
done
row "rerun after SIGKILL" "$O/sig" "$BTFPACK" build -q -o "$O/sig/b.tar.xz" --obj "$PROBE" "$CH"

if [ "$(id -u)" -eq 0 ] && mkdir -p "$T/full" && mount -t tmpfs -o size=1m tmpfs "$T/full" 2> /dev/null; then
	H=$(hub small)
	"$BTFPACK" build -q -o "$T/full/b.tar" --obj "$PROBE" "$H"
	dd if=/dev/zero of="$T/full/fill" bs=4k status=none 2> /dev/null || true
	before=$(sha256sum "$T/full/b.tar" | cut -c 1-16)
	row "full disk (1 MiB tmpfs), previous bundle there" "$T/full" \
		"$BTFPACK" build -o "$T/full/b.tar" --dedup none --obj "$PROBE" "$CH"
	[ "$(sha256sum "$T/full/b.tar" | cut -c 1-16)" = "$before" ] && note "full disk: previous bundle intact" ||
		note "full disk: previous bundle CHANGED"
	umount "$T/full"
else
	printf '| full disk | skipped (needs root for a tmpfs) | | | |\n'
fi
