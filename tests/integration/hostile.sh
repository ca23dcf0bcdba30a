#!/usr/bin/env bash
# hostile: the defects hostile testing found in `btfpack build`, `min` and
# `lookup` (issue 6), each run as a user runs the tool: without -q, so the
# progress line and the summary run too. Every case checks that the
# command did not crash (no signal, no sanitizer report, no timeout), what
# it said, what it left where the user reads output, and that the rest of
# the batch was built.
#
# Inputs are small hubs of raw synthetic kernels made at test time.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/build_lib.sh"
it_parse_args "$@"

need_synth
KDIR=$SYNTH_DIR/kernels
PROBE=${SYNTH_PROBES[0]}
OBJ_DIR=$WORK/objs
mkdir -p "$OBJ_DIR"
cp "${SYNTH_PROBES[@]}" "$OBJ_DIR/"

# run NAME CMD...: RC, and stdout/stderr in $WORK/NAME.{out,err}; a 60 s
# timeout turns a hang into exit 124
run() {
	local name=$1
	shift
	RC=0
	timeout 60 "$@" > "$WORK/$name.out" 2> "$WORK/$name.err" < /dev/null || RC=$?
	LAST=$name
}

# expect RC_WANT DESCRIPTION: the last run exited RC_WANT (and did not crash);
# false otherwise, so "expect ... && check ..." skips what cannot hold
expect() {
	if [ "$RC" -eq "$1" ]; then
		pass "$2 (exit $RC)"
		return 0
	fi
	if not_a_crash "$RC"; then
		fail "$2: expected exit $1, got $RC"
	else
		fail "$2: CRASHED (exit $RC; 124 timeout, 99 sanitizer, >=128 signal)"
	fi
	sed 's/^/    stderr: /' "$WORK/$LAST.err" | head -n 12 >&2
	return 1
}

said() { grep -qF -- "$1" "$WORK/$LAST.err"; }	# stderr of the last run has TEXT

# a hub of N raw kernels under good/1/x86_64 (what each case adds to)
new_hub() {
	local h=$WORK/$1 i=0 k
	rm -rf "$h"
	mkdir -p "$h/good/1/x86_64"
	for k in base renamed enum_added; do
		cp "$KDIR/$k.btf" "$h/good/1/x86_64/k$i.btf"
		i=$((i + 1))
	done
	printf '%s\n' "$h"
}

# index_status BUNDLE SOURCE: ok when index.json has an entry for SOURCE,
# failed when it lists SOURCE among its failures, else absent (the inputs
# here are plain .btf files or directories: bundle path == source)
index_status() {
	local flat=$WORK/status.flat
	bundle_index "$1" "$WORK/status.json" 2> /dev/null || { echo none; return; }
	json_flat "$WORK/status.json" > "$flat"
	if index_entries "$flat" | cut -f 1 | grep -qxF "$2"; then
		echo ok
	elif awk -F '\t' -v s="$2" '$1 ~ /^failed\.[0-9]+\.path$/ && $2 == s { f = 1 } END { exit !f }' "$flat"; then
		echo failed
	else
		echo absent
	fi
}

# the three good kernels are in the bundle, ok
good_built() {
	local b=$1 i
	for i in 0 1 2; do
		[ "$(index_status "$b" good/1/x86_64/k$i.btf)" = ok ] || return 1
	done
}

no_leftovers() { # DIR: nothing but the expected names (no temp or .old)
	! find "$1" -maxdepth 1 -name '*.tmp.*' -o -maxdepth 1 -name '*.old.*' | grep -q .
}

# ---- 1. common mistakes, without -q ------------------------------------------

mkdir -p "$WORK/empty" "$WORK/out1"
run missing "$BTFPACK" build -o "$WORK/out1/b.tar" --obj "$PROBE" "$WORK/no-such-hub"
expect 1 "missing hub" && check "missing hub: error names the hub" said "no-such-hub"
run empty "$BTFPACK" build -o "$WORK/out1/b.tar" --obj "$PROBE" "$WORK/empty"
expect 1 "empty hub" && check "empty hub: says no kernel was found" said "no kernel BTF found"
HUB=$(new_hub typo)
run typo "$BTFPACK" build -o "$WORK/out1/b.tar" --obj "$PROBE" --arch x86-64 "$HUB"
expect 1 "--arch typo" && check "--arch typo: names what the hub has" said "architectures there: x86_64"
check "nothing written after the mistakes" test ! -e "$WORK/out1/b.tar"
check "no temp left after the mistakes" no_leftovers "$WORK/out1"

run normal "$BTFPACK" build -o "$WORK/out1/b.tar" --obj "$PROBE" "$HUB"
expect 0 "a normal build without -q" && check "the summary is printed" said "3 kernels: 3 ok"
if command -v script > /dev/null 2>&1; then
	# a terminal on stderr: the progress line runs too
	run tty script -qec "'$BTFPACK' build -o '$WORK/out1/tty.tar' --obj '$PROBE' '$HUB'" /dev/null
	expect 0 "a build on a terminal (progress line)" || :
else
	skip_case "progress line on a terminal (no script(1))"
fi

# ---- 2. one odd entry does not abort the batch -------------------------------

# runs BUNDLE CASE: exit 3, the good kernels built, the odd one failed
odd_entry() {
	local name=$1 source=$2 why=$3 st
	shift 3
	run "$name" "$BTFPACK" build -o "$WORK/$name.tar" --obj "$PROBE" "$@"
	expect 3 "$name: bundle written, one entry failed" || return 0
	check "$name: the good kernels are built" good_built "$WORK/$name.tar"
	st=$(index_status "$WORK/$name.tar" "$source")
	check "$name: $source is a failed entry (got $st)" test "$st" = failed
	check "$name: the error says why ($why)" said "$why"
}

HUB=$(new_hub deep)
d=$HUB/good/1/x86_64
for i in $(seq 1 17); do d=$d/d; done
mkdir -p "$d"
cp "$KDIR/base.btf" "$d/x.btf"
deep_rel=good/1/x86_64$(for i in $(seq 1 14); do printf /d; done)
odd_entry deep "$deep_rel" "levels deep" "$HUB"

HUB=$(new_hub idx)
mkdir -p "$HUB/index.json/1/x86_64"
cp "$KDIR/base.btf" "$HUB/index.json/1/x86_64/k.btf"
odd_entry index_dir index.json/1/x86_64/k.btf "where the bundle keeps index.json" "$HUB"

HUB=$(new_hub unreadable)
mkdir -p "$HUB/locked/1/x86_64"
cp "$KDIR/base.btf" "$HUB/locked/1/x86_64/k.btf"
chmod 000 "$HUB/locked"
if [ "$(id -u)" -eq 0 ]; then
	# root reads anything: run as nobody, on a copy nobody may read
	if command -v setpriv > /dev/null 2>&1; then
		chmod 755 "$WORK" "$HUB" "$OBJ_DIR"
		chmod -R a+rX "$HUB/good" "$OBJ_DIR"
		mkdir -p "$WORK/nobody" && chmod 777 "$WORK/nobody"
		run unreadable setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$BTFPACK" build -o "$WORK/nobody/b.tar" --obj "$OBJ_DIR/$(basename "$PROBE")" "$HUB"
		expect 3 "unreadable directory: bundle written, one entry failed" &&
			check "unreadable directory: the good kernels are built" good_built "$WORK/nobody/b.tar" &&
			check "unreadable directory: failed entry" test "$(index_status "$WORK/nobody/b.tar" locked)" = failed &&
			check "unreadable directory: the error says why" said "Permission denied"
	else
		skip_case "unreadable directory (root, and no setpriv to drop it)"
	fi
else
	odd_entry unreadable locked "Permission denied" "$HUB"
fi
chmod 755 "$HUB/locked"

# an entry that vanishes between readdir and lstat, every time: in
# /proc/self/fd the walk's own directory stream is listed, then closed
if [ -d /proc/self/fd ]; then
	run vanish_fd "$BTFPACK" build -o "$WORK/fd.tar" --obj "$PROBE" /proc/self/fd
	expect 1 "a hub whose entry vanishes after readdir (no inputs in it)" &&
		check "the vanished entry is passed over, not fatal" said "no kernel BTF found"
fi

# a file that vanishes mid-walk: files appear and disappear while builds
# run; every build must still finish with the good kernels
HUB=$(new_hub vanish)
mkdir -p "$HUB/churn/1/x86_64"
(
	end=$((SECONDS + 20))
	while [ $SECONDS -lt $end ] && [ ! -e "$WORK/stop-churn" ]; do
		touch "$HUB"/churn/1/x86_64/c{1..300}.btf
		rm -f "$HUB"/churn/1/x86_64/c*.btf
	done
) &
churn=$!
bad=0
for i in $(seq 1 15); do
	run vanish "$BTFPACK" build -o "$WORK/vanish.tar" --obj "$PROBE" "$HUB"
	# 0 when no churn file was seen, 3 when some were (empty files fail)
	if [ "$RC" -ne 0 ] && [ "$RC" -ne 3 ]; then bad=1; break; fi
	good_built "$WORK/vanish.tar" || { bad=1; break; }
done
touch "$WORK/stop-churn"
wait "$churn" || true
if [ "$bad" -eq 0 ]; then pass "files vanishing mid-walk: 15 builds, all finished with the good kernels"
else expect 3 "files vanishing mid-walk" || true; fi

# ---- 3. nothing blocks on a FIFO ---------------------------------------------

mkfifo "$WORK/fifo.btf"
run fifo_min "$BTFPACK" min "$WORK/fifo.btf" "$WORK/fifo-out.btf" "$PROBE"
expect 1 "min on a FIFO source" && check "min on a FIFO: says why" said "not a regular file"
check "min on a FIFO: no output" test ! -e "$WORK/fifo-out.btf"
mkdir -p "$WORK/fifo-objs"
cp "$PROBE" "$WORK/fifo-objs/"
mkfifo "$WORK/fifo-objs/zz.o"
HUB=$(new_hub fifo)
run fifo_obj "$BTFPACK" build -o "$WORK/fifo.tar" --obj "$WORK/fifo-objs" "$HUB"
expect 1 "a FIFO *.o in --obj DIR" && check "FIFO object: named" said "zz.o"
mkfifo "$HUB/good/1/x86_64/fifo.btf"
odd_entry fifo_hub good/1/x86_64/fifo.btf "not a regular file" "$HUB"

# ---- 4. symlinks stay inside the hub -----------------------------------------

HUB=$(new_hub links)
secret=$WORK/outside-secret
printf 'not for the index\n' > "$secret"
ln -s "$secret" "$HUB/good/1/x86_64/leak.btf"
odd_entry symlink_out good/1/x86_64/leak.btf "outside the hub" "$HUB"
flat=$WORK/links.flat
bundle_index "$WORK/symlink_out.tar" "$WORK/links.json" && json_flat "$WORK/links.json" > "$flat"
secret_hash=$(xxhsum -H2 "$secret" 2> /dev/null | cut -d ' ' -f 1 || true)
if [ -n "$secret_hash" ]; then
	check "the outside file's hash is not published" sh -c "! grep -q '$secret_hash' '$WORK/links.json'"
fi
run follow "$BTFPACK" build -o "$WORK/follow.tar" --follow-symlinks --obj "$PROBE" "$HUB"
expect 3 "--follow-symlinks reads it (and it is no BTF)" &&
	check "--follow-symlinks: the error is about its content" said "not valid BTF"
rm "$HUB/good/1/x86_64/leak.btf"
# BTFHub-style codename link inside the hub, and a loop
mkdir -p "$HUB/amzn/2018/x86_64"
cp "$KDIR/base.btf" "$HUB/amzn/2018/x86_64/a.btf"
ln -s 2018 "$HUB/amzn/1"
ln -s .. "$HUB/amzn/2018/x86_64/up"
odd_entry symlink_in amzn/2018/x86_64/up "symlink loop" "$HUB"
check "codename link: amzn/1 is built through the link" \
	test "$(index_status "$WORK/symlink_in.tar" amzn/1/x86_64/a.btf)" = ok
check "codename link: amzn/2018 is built" \
	test "$(index_status "$WORK/symlink_in.tar" amzn/2018/x86_64/a.btf)" = ok

# ---- 5. names cannot steer the terminal or forge lines ------------------------

HUB=$(new_hub escapes)
evil=$'evil\e[2J\n3 kernels: 3 ok\r'
cp "$KDIR/base.btf" "$HUB/good/1/x86_64/$evil.btf.tar.xz"	# not an archive: fails
run escapes "$BTFPACK" build -o "$WORK/escapes.tar" --report - --obj "$PROBE" "$HUB"
expect 3 "a name with escapes and newlines" || :
esc=$(printf '\033')
cr=$(printf '\r')
check "no raw ESC on stderr or in the report" sh -c "! grep -q '$esc' '$WORK/escapes.err' '$WORK/escapes.out'"
check "no raw CR on stderr or in the report" sh -c "! grep -q '$cr' '$WORK/escapes.err' '$WORK/escapes.out'"
check "the forged line is not a line of its own" sh -c "! grep -qx '3 kernels: 3 ok.*' '$WORK/escapes.out' '$WORK/escapes.err'"
check "the name is shown escaped" said 'evil\x1b[2J\x0a3 kernels'
check "the report's own count is there" grep -q '^4 kernels: 3 ok, 1 failed$' "$WORK/escapes.out"

# ---- 10. smaller ones --------------------------------------------------------

HUB=$(new_hub objnames)
run obj_abs "$BTFPACK" build -o "$WORK/abs.tar" --obj "$OBJ_DIR" "$HUB"
expect 0 "--obj /absolute/dir" || :
(cd "$WORK" && timeout 60 "$BTFPACK" build -q -o "$WORK/rel.tar" --obj objs "$HUB") || fail "--obj relative dir failed"
check "--obj /abs/dir and --obj dir give the same bundle bytes" cmp -s "$WORK/abs.tar" "$WORK/rel.tar"
cp "$PROBE" "$WORK/dup.o"
run obj_dup "$BTFPACK" build -o "$WORK/dup.tar" --obj "$OBJ_DIR" --obj "$OBJ_DIR/$(basename "$PROBE")" "$HUB"
expect 1 "two objects of one name" && check "two objects of one name: said" said "another object is named"

# minimize-stage and load errors name the kernel by its hub path
HUB=$(new_hub v2)
cp "$KDIR/base.btf" "$HUB/good/1/x86_64/v2.btf"
printf '\002' | dd of="$HUB/good/1/x86_64/v2.btf" bs=1 seek=2 conv=notrunc status=none
cp "$KDIR/base.btf" "$HUB/good/1/x86_64/flags.btf"
printf '\001' | dd of="$HUB/good/1/x86_64/flags.btf" bs=1 seek=3 conv=notrunc status=none
run v2 "$BTFPACK" build -o "$WORK/v2.tar" --obj "$PROBE" "$HUB"
expect 3 "BTF version 2 and unknown header flags are refused" || :
check "version 2: said, with the hub path" said "good/1/x86_64/v2.btf: raw data has BTF version 2"
check "flags: said, with the hub path" said "good/1/x86_64/flags.btf: raw data has unknown BTF header flags 0x01"

# the report cannot take the bundle's place
HUB=$(new_hub same)
run report_is_out "$BTFPACK" build -o "$WORK/same.tar" --report "$WORK/same.tar" --obj "$PROBE" "$HUB"
expect 2 "--report naming the bundle is a usage error" &&
	check "--report naming the bundle: nothing written" test ! -e "$WORK/same.tar"
run report_in_out "$BTFPACK" build -o "$WORK/samedir" --report "$WORK/samedir/r.json" --obj "$PROBE" "$HUB"
expect 2 "--report inside a directory bundle is a usage error" || :

# lookup on an empty tar
tar -cf "$WORK/empty.tar" -T /dev/null
run lookup_empty "$BTFPACK" lookup "$WORK/empty.tar" a/b/c/d.btf
expect 1 "lookup in an empty tar" && check "lookup in an empty tar: no entry" said "no entry"

# an object whose section names lie: libelf's own words, never "no error"
obj=$WORK/badnames.o
cp "$PROBE" "$obj"
shoff=$(od -An -t u8 -j 40 -N 8 "$obj" | tr -d ' ')
shentsize=$(od -An -t u2 -j 58 -N 2 "$obj" | tr -d ' ')
# sh_name of section 1 far past the string table
printf '\377\377\377\177' | dd of="$obj" bs=1 seek=$((shoff + shentsize)) conv=notrunc status=none
run badnames "$BTFPACK" min "$KDIR/base.btf" "$WORK/badnames.btf" "$obj"
expect 1 "an object with a bad section name offset" || :
check "its error is not 'no error'" sh -c "! grep -q 'no error' '$WORK/badnames.err'"

# --report on a full disk: the finished bundle stays
if [ "$(id -u)" -eq 0 ] && command -v mount > /dev/null && mkdir -p "$WORK/full" &&
	mount -t tmpfs -o size=64k tmpfs "$WORK/full" 2> /dev/null; then
	trap 'umount "$WORK/full" 2> /dev/null || true; rm -rf "$WORK"' EXIT
	dd if=/dev/zero of="$WORK/full/fill" bs=4k count=64 status=none 2> /dev/null || true
	HUB=$(new_hub report)
	run report_full "$BTFPACK" build -o "$WORK/report.tar" --report "$WORK/full/r.json" --obj "$PROBE" "$HUB"
	expect 1 "--report on a full disk fails" || :
	check "--report on a full disk: the bundle is kept" good_built "$WORK/report.tar"
	check "--report on a full disk: says so" said "is written"
	check "--report on a full disk: no report, no temp" sh -c "! ls '$WORK/full' | grep -q '^r\\.json'"
	umount "$WORK/full"
else
	skip_case "--report on a full disk (needs root to mount a small tmpfs)"
fi

finish
