#!/usr/bin/env bash
# profiles: `btfpack build --profile native|bcc|tree|btfhub --aliases` on a
# hub made of the synthetic kernels under real distro keys (CentOS 7, RHEL 8
# arm64, Fedora, Debian 11, Amazon Linux 1, Ubuntu, and this host), read
# back the way consumers read them:
#   every profile with GNU tar, bsdtar and Python's tarfile (stdlib only);
#   bcc with a C reader written to bcc libbpf-tools' rules (name field only,
#   entry type ignored) on every member and on the keys bcc computes from
#   real os-release files (quoted IDs, unquoted VERSION_ID, aarch64, 8.6),
#   and with a Go reader as Inspektor Gadget has it (archive/tar, gzip,
#   io.ReadAll); the tree go:embedded into a Go program that finds this
#   host's entry from os-release and uname as tracee does.
# Every entry and alias has the bytes `btfpack lookup` gives for its kernel
# in the native bundle, and no member is empty. Also: bcc is plain ustar,
# regular files only, names within 99 bytes (a kernel whose name cannot fit
# fails alone), equal blobs adjacent; all profiles reproducible; profile/
# output/--dedup combinations that make no sense are usage errors. With the
# corpus, the same for its bcc and tree bundles.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/build_lib.sh"
it_parse_args "$@"

need_synth
need_exe btfpack-bcc-reader "$BCC_READER"
tar --version 2> /dev/null | grep -q 'GNU tar' || die "GNU tar not found"
for t in bsdtar python3 go sha256sum xz; do
	command -v "$t" > /dev/null || die "$t not found (scripts/setup.sh installs it)"
done
[ -d "$READERS_SRC/go" ] || die "Go reader sources not found: --readers-src '$READERS_SRC'"

K=$SYNTH_DIR/kernels
OBJ_ARGS=()
for p in "${SYNTH_PROBES[@]}"; do OBJ_ARGS+=(--obj "$p"); done

# ---- the hub: releases are unique, so a member's file name names its kernel

HUB=$WORK/hub
declare -A KEY_OF=()	# release -> entry key
add() { # KEY KERNEL
	local rel
	mkdir -p "$HUB/$(dirname "$1")"
	cp "$K/$2.btf" "$HUB/$1"
	rel=$(basename "$1" .btf)
	KEY_OF[$rel]=$1
}
add centos/7/x86_64/3.10.0-1160.el7.x86_64.btf base
add rhel/8/arm64/4.18.0-372.9.1.el8.aarch64.btf no_leading
add fedora/34/x86_64/5.11.12-300.fc34.x86_64.btf base
add debian/11/x86_64/5.10.0-8-amd64.btf enum_added
add amzn/1/x86_64/4.14.106-79.86.amzn1.x86_64.btf renamed
add ubuntu/20.04/arm64/5.4.0-1009-aws.btf retyped
add ubuntu/20.04/x86_64/5.4.0-42-generic.btf base
# this host, keyed as tracee computes it
host_id=$(. /etc/os-release && printf '%s' "${ID:-}")
host_ver=$(. /etc/os-release && printf '%s' "${VERSION_ID:-}")
host_arch=$(uname -m)
[ "$host_arch" = aarch64 ] && host_arch=arm64
HOST_KEY=$host_id/$host_ver/$host_arch/$(uname -r).btf
[ -n "$host_id" ] && [ -n "$host_ver" ] || die "/etc/os-release has no ID or VERSION_ID"
[ -z "${KEY_OF[$(uname -r)]:-}" ] || die "host release $(uname -r) clashes with the test kernels"
add "$HOST_KEY" renamed
# bcc's name field cannot hold this one: it fails alone in the bcc profile
LONG_REL=5.4.0-$(printf '%070d' 0)-generic
add "ubuntu/20.04/x86_64/$LONG_REL.btf" dup_same
log "hub: ${#KEY_OF[@]} kernels, host entry $HOST_KEY"

# build NAME PROFILE OUT [ARGS...]: RC, stderr in $WORK/NAME.err
build() {
	local name=$1 profile=$2 out=$3
	shift 3
	RC=0
	"$BTFPACK" build -q -j2 --profile "$profile" --aliases -o "$out" "${OBJ_ARGS[@]}" "$@" \
		"$HUB" 2> "$WORK/$name.err" || RC=$?
}

# ---- the expectation: btfpack lookup on the native bundle ------------------

NATIVE=$WORK/native.tar.xz
build native native "$NATIVE"
[ "$RC" -eq 0 ] || die "native build: exit $RC: $(head -n 3 "$WORK/native.err")"
mkdir -p "$WORK/expect"
for rel in "${!KEY_OF[@]}"; do
	"$BTFPACK" lookup "$NATIVE" "${KEY_OF[$rel]}" "$WORK/expect/$rel.btf" ||
		die "btfpack lookup $NATIVE ${KEY_OF[$rel]} failed"
	[ -s "$WORK/expect/$rel.btf" ] || die "btfpack lookup gave an empty ${KEY_OF[$rel]}"
done

# same_as_kernel FILE NAME: FILE is non-empty and has the bytes of the kernel
# whose release NAME's base name carries (NAME: member or file name)
same_as_kernel() {
	local rel
	rel=$(basename "$2")
	rel=${rel%.tar.xz}
	rel=${rel%.btf}
	[ -n "${KEY_OF[$rel]:-}" ] || { warn "  $2: no kernel $rel"; return 1; }
	[ -s "$1" ] || { warn "  $2: empty"; return 1; }
	cmp -s "$1" "$WORK/expect/$rel.btf" || { warn "  $2: bytes differ from ${KEY_OF[$rel]}"; return 1; }
}

# check_dir DIR WHAT: every regular file but index.json is a kernel's bytes;
# no links; prints the file count to $WORK/count
check_dir() {
	local dir=$1 what=$2 f n=0 bad=0
	if [ -n "$(find "$dir" -type l)" ]; then
		warn "  $what: has symlinks"
		bad=1
	fi
	while IFS= read -r -d '' f; do
		[ "$f" = "$dir/index.json" ] && continue
		n=$((n + 1))
		same_as_kernel "$f" "${f#"$dir"/}" || bad=1
		if [ "$(stat -c %h "$f")" -ne 1 ]; then
			warn "  $what: ${f#"$dir"/} is a hard link"
			bad=1
		fi
	done < <(find "$dir" -type f -print0)
	echo "$n" > "$WORK/count"
	[ "$n" -gt 0 ] || { warn "  $what: no files"; bad=1; }
	[ "$bad" -eq 0 ]
}

# dir_holds DIR WHAT N: check_dir, and N files
dir_holds() { check_dir "$1" "$2" && [ "$(cat "$WORK/count")" -eq "$3" ]; }

# extract3 ARCHIVE TAG: unpack with GNU tar, bsdtar and Python into
# $WORK/TAG.{gnu,bsd,py}
extract3() {
	local a=$1 tag=$2
	rm -rf "$WORK/$tag".{gnu,bsd,py}
	mkdir -p "$WORK/$tag".{gnu,bsd,py}
	tar -C "$WORK/$tag.gnu" -xf "$a" || return 1
	bsdtar -C "$WORK/$tag.bsd" -xf "$a" || return 1
	python3 - "$a" "$WORK/$tag.py" << 'PY' || return 1
import sys, tarfile, os
with tarfile.open(sys.argv[1]) as t:
    for m in t.getmembers():
        if not m.isfile() and not m.isdir():
            f = t.extractfile(m)  # follows links inside the archive
            if f is None:
                continue
            dst = os.path.join(sys.argv[2], m.name)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            with open(dst, "wb") as o:
                o.write(f.read())
        elif m.isfile():
            t.extract(m, sys.argv[2])
PY
}

# ---- native ----------------------------------------------------------------

if extract3 "$NATIVE" native; then
	# links read back as files: GNU tar and bsdtar keep symlinks, so
	# dereference through find -L
	for r in gnu bsd py; do
		d=$WORK/native.$r
		ok=1
		while IFS= read -r -d '' f; do
			[ "$f" = "$d/index.json" ] && continue
			same_as_kernel "$f" "${f#"$d"/}" || ok=0
		done < <(find -L "$d" -type f -print0)
		check "native read back by $r: every entry and alias has its kernel's bytes" test "$ok" -eq 1
	done
else
	fail "native: an unpacker failed"
fi
bundle_index "$NATIVE" "$WORK/native.json"
json_flat "$WORK/native.json" > "$WORK/native.flat"
n_alias=$(awk -F '\t' 'index($1, "aliases.") == 1' "$WORK/native.flat" | wc -l)
check "native index.json: format 2, profile native, $n_alias aliases" \
	test "$(jget "$WORK/native.flat" format) $(jget "$WORK/native.flat" profile)" = "2 native"
check "native index.json maps \"rhel\"/8.6/aarch64 to the rhel/8/arm64 entry" \
	test "$(jget "$WORK/native.flat" 'aliases."rhel"/8.6/aarch64/4.18.0-372.9.1.el8.aarch64.btf')" = \
	rhel/8/arm64/4.18.0-372.9.1.el8.aarch64.btf
"$BTFPACK" lookup "$NATIVE" '"centos"/7/x86_64/3.10.0-1160.el7.x86_64.btf' "$WORK/alias.btf" &&
	check "btfpack lookup of a native alias" same_as_kernel "$WORK/alias.btf" 3.10.0-1160.el7.x86_64.btf ||
	fail "btfpack lookup of a native alias"
for mode in index none hardlink; do
	RC=0
	"$BTFPACK" build -q -j2 --aliases --dedup "$mode" -o "$WORK/n_$mode.tar" "${OBJ_ARGS[@]}" "$HUB" \
		2> "$WORK/n_$mode.err" || RC=$?
	ok=$([ "$RC" -eq 0 ] && echo 1 || echo 0)
	for key in 'rhel/8.6/aarch64/4.18.0-372.9.1.el8.aarch64.btf' 'debian/bullseye/x86_64/5.10.0-8-amd64.btf'; do
		"$BTFPACK" lookup "$WORK/n_$mode.tar" "$key" "$WORK/alias.btf" 2> /dev/null &&
			same_as_kernel "$WORK/alias.btf" "$key" || ok=0
	done
	check "native --dedup $mode --aliases: aliases look up to their kernel's bytes" test "$ok" -eq 1
done

# ---- bcc -------------------------------------------------------------------

BCC=$WORK/bcc.tar.gz
build bcc bcc "$BCC"
check "bcc: exit 3, the kernel whose name cannot fit fails alone" test "$RC" -eq 3
check "bcc: the error names it and says why" \
	grep -q "$LONG_REL.btf.*over 99 bytes" "$WORK/bcc.err"
"$BCC_READER" "$BCC" --list > "$WORK/bcc.list" || fail "bcc-reader --list failed"
# members, in tar order: size name
n_bcc=$(wc -l < "$WORK/bcc.list")
check "bcc: $n_bcc members, no empty one" test "$n_bcc" -gt 0 -a -z "$(awk '$1 == 0' "$WORK/bcc.list")"
check "bcc: no member for the kernel that failed" sh -c "! grep -q '$LONG_REL' '$WORK/bcc.list'"
check "bcc: every name starts with ./ and fits 99 bytes" \
	test -z "$(awk '{ n = substr($0, index($0, " ") + 1) } n !~ /^\.\// || length(n) > 99' "$WORK/bcc.list")"
# plain ustar, regular files only: typeflag '0' and "ustar\0" magic on every header
python3 - "$BCC" << 'PY' > "$WORK/bcc.types" || fail "bcc: cannot read the headers"
import gzip, sys
d = gzip.open(sys.argv[1]).read()
off = 0
while off + 512 <= len(d) and d[off] != 0:
    h = d[off:off + 512]
    size = int(h[124:136].split(b"\0")[0].strip() or b"0", 8)
    print(chr(h[156]), h[257:263].hex())
    off += 512 + (size + 511) // 512 * 512
PY
check "bcc: every header is a ustar regular file (no pax, GNU or link entries)" \
	test "$(sort -u "$WORK/bcc.types")" = "0 757374617200"
# every member, by the C reader (name field, type ignored) and by the Go reader
mkdir -p "$WORK/go" && cp -r "$READERS_SRC/go/igreader" "$READERS_SRC/go/embedtree" "$WORK/go/"
export HOME=$WORK GOCACHE=$WORK/go/cache GOPATH=$WORK/go/path GOFLAGS=-mod=mod GOPROXY=off GO111MODULE=on
(cd "$WORK/go/igreader" && go build -o "$WORK/igreader" .) > "$WORK/go.log" 2>&1 ||
	die "go build igreader failed: $(head -n 5 "$WORK/go.log")"
ok_c=1 ok_go=1
while read -r size name; do
	"$BCC_READER" "$BCC" --name "$name" "$WORK/m.btf" && same_as_kernel "$WORK/m.btf" "$name" || ok_c=0
	"$WORK/igreader" "$BCC" "$name" "$WORK/g.btf" && same_as_kernel "$WORK/g.btf" "$name" || ok_go=0
done < "$WORK/bcc.list"
check "bcc: the C reader (bcc's rules) finds all $n_bcc members with their kernel's bytes" test "$ok_c" -eq 1
check "bcc: the Go reader (Inspektor Gadget's) finds all $n_bcc members with their kernel's bytes" test "$ok_go" -eq 1
# the keys bcc computes on real hosts: os-release, uname -r, uname -m
osrel() { printf '%s\n' "$@" > "$WORK/os-release"; }
bcc_host() { # DESCRIPTION RELEASE MACHINE: after osrel
	if "$BCC_READER" "$BCC" --os-release "$WORK/os-release" --release "$2" --machine "$3" \
		"$WORK/h.btf" 2> "$WORK/h.err" && same_as_kernel "$WORK/h.btf" "$2.btf"; then
		pass "bcc's key on $1 finds its kernel"
	else
		fail "bcc's key on $1: $(cat "$WORK/h.err")"
	fi
}
osrel 'NAME="CentOS Linux"' 'VERSION="7 (Core)"' 'ID="centos"' 'ID_LIKE="rhel fedora"' 'VERSION_ID="7"'
bcc_host "CentOS 7 (ID=\"centos\")" 3.10.0-1160.el7.x86_64 x86_64
osrel 'NAME="Red Hat Enterprise Linux"' 'ID="rhel"' 'VERSION_ID="8.6"'
bcc_host "RHEL 8.6 aarch64" 4.18.0-372.9.1.el8.aarch64 aarch64
osrel 'NAME="Fedora Linux"' 'ID=fedora' 'VERSION_ID=34'
bcc_host "Fedora 34 (VERSION_ID unquoted)" 5.11.12-300.fc34.x86_64 x86_64
osrel 'PRETTY_NAME="Debian GNU/Linux 11 (bullseye)"' 'ID=debian' 'VERSION_ID="11"' 'VERSION_CODENAME=bullseye'
bcc_host "Debian 11" 5.10.0-8-amd64 x86_64
osrel 'NAME="Amazon Linux AMI"' 'ID="amzn"' 'VERSION_ID="2018.03"'
bcc_host "Amazon Linux 1 (2018.03)" 4.14.106-79.86.amzn1.x86_64 x86_64
osrel 'NAME="Ubuntu"' 'ID=ubuntu' 'VERSION_ID="20.04"'
bcc_host "Ubuntu 20.04 aarch64" 5.4.0-1009-aws aarch64
# equal blobs adjacent: each content's members form one run
awk '{ print $2 }' "$WORK/bcc.list" | while read -r name; do
	"$BCC_READER" "$BCC" --name "$name" "$WORK/a.btf" && sha_of "$WORK/a.btf"
done > "$WORK/bcc.shas"
check "bcc: members with equal bytes are adjacent ($(sort -u "$WORK/bcc.shas" | wc -l) runs)" \
	test "$(uniq "$WORK/bcc.shas" | wc -l)" -eq "$(sort -u "$WORK/bcc.shas" | wc -l)"
if extract3 "$BCC" bcc; then
	for r in gnu bsd py; do
		check "bcc read back by $r: $n_bcc files, each its kernel's bytes" \
			dir_holds "$WORK/bcc.$r" "bcc.$r" "$n_bcc"
	done
else
	fail "bcc: an unpacker failed"
fi
check "bcc: no index.json in the tar" sh -c "! grep -q ' ./index.json$' '$WORK/bcc.list'"

# ---- tree ------------------------------------------------------------------

TREE=$WORK/tree
build tree tree "$TREE"
check "tree: exit 0" test "$RC" -eq 0
check "tree: regular files only, each its kernel's bytes" check_dir "$TREE" tree
n_tree=$(cat "$WORK/count")
check "tree: no quoted names (go:embed would drop them)" test -z "$(find "$TREE" -name '*"*')"
rm -rf "$WORK/go/embedtree/btfs"
cp -r "$TREE" "$WORK/go/embedtree/btfs"
(cd "$WORK/go/embedtree" && go build -o "$WORK/embedtree" .) > "$WORK/go.log" 2>&1 ||
	die "go build embedtree failed: $(head -n 5 "$WORK/go.log")"
check "tree: go:embed took all $n_tree files" test "$("$WORK/embedtree" --count)" -eq $((n_tree + 1))
if key=$("$WORK/embedtree" --host /etc/os-release "$WORK/e.btf" 2> "$WORK/e.err") &&
	same_as_kernel "$WORK/e.btf" "$(uname -r).btf"; then
	pass "tree: the go:embed program finds this host's entry $key with its bytes"
else
	fail "tree: the go:embed program on this host: $(cat "$WORK/e.err")"
fi
ok=1
while IFS= read -r -d '' f; do
	k=${f#"$TREE"/}
	[ "$k" = index.json ] && continue
	"$WORK/embedtree" --get "$k" "$WORK/e.btf" && same_as_kernel "$WORK/e.btf" "$k" || ok=0
done < <(find "$TREE" -type f -print0)
check "tree: every embedded file read back with its kernel's bytes" test "$ok" -eq 1
check "tree: debian/bullseye and rhel/8.6/aarch64 aliases are there" \
	test -f "$TREE/debian/bullseye/x86_64/5.10.0-8-amd64.btf" -a \
	-f "$TREE/rhel/8.6/aarch64/4.18.0-372.9.1.el8.aarch64.btf"

# ---- btfhub ----------------------------------------------------------------

# check_btfhub DIR TAG: every <release>.btf.tar.xz holds exactly <release>.btf
# with its kernel's bytes, by GNU tar, bsdtar and Python
check_btfhub() {
	local dir=$1 f rel n=0 bad=0
	while IFS= read -r -d '' f; do
		n=$((n + 1))
		rel=$(basename "$f" .btf.tar.xz)
		[ "$(tar -tJf "$f")" = "$rel.btf" ] || { warn "  $f: members $(tar -tJf "$f" | tr '\n' ' ')"; bad=1; }
		tar -xOJf "$f" > "$WORK/x.btf" && same_as_kernel "$WORK/x.btf" "$rel" || bad=1
		bsdtar -xOf "$f" > "$WORK/x.btf" && same_as_kernel "$WORK/x.btf" "$rel" || bad=1
		python3 -c 'import sys, tarfile; t = tarfile.open(sys.argv[1]); sys.stdout.buffer.write(t.extractfile(t.getmembers()[0]).read())' \
			"$f" > "$WORK/x.btf" && same_as_kernel "$WORK/x.btf" "$rel" || bad=1
	done < <(find "$dir" -type f -name '*.btf.tar.xz' -print0)
	[ "$n" -gt 0 ] && [ -z "$(find "$dir" -type l)" ] && [ "$bad" -eq 0 ]
}
build btfhub btfhub "$WORK/btfhub"
check "btfhub directory: exit 0" test "$RC" -eq 0
check "btfhub directory: each <release>.btf.tar.xz holds <release>.btf (GNU tar, bsdtar, Python)" \
	check_btfhub "$WORK/btfhub"
check "btfhub directory: amzn/2018 alias" test -f "$WORK/btfhub/amzn/2018/x86_64/4.14.106-79.86.amzn1.x86_64.btf.tar.xz"
build btfhub_xz btfhub "$WORK/btfhub.tar.xz"
check "btfhub .tar.xz: exit 0" test "$RC" -eq 0
if extract3 "$WORK/btfhub.tar.xz" hx; then
	for r in gnu bsd py; do
		check "btfhub .tar.xz read back by $r" check_btfhub "$WORK/hx.$r"
		check "btfhub .tar.xz by $r: the same files as the directory" \
			diff -r "$WORK/hx.$r" "$WORK/btfhub"
	done
else
	fail "btfhub .tar.xz: an unpacker failed"
fi

# ---- reproducible, and usage errors ------------------------------------------

for p in bcc:b2.tar.gz tree:t2 btfhub:h2.tar.xz; do
	prof=${p%%:*} out=$WORK/${p#*:}
	RC=0
	"$BTFPACK" build -q -j1 --profile "$prof" --aliases -o "$out" "${OBJ_ARGS[@]}" "$HUB" 2> /dev/null || RC=$?
	case $prof in
	bcc) check "bcc: -j1 and -j2 give the same bytes" cmp -s "$out" "$BCC" ;;
	tree) check "tree: -j1 and -j2 give the same tree" diff -r "$out" "$TREE" ;;
	btfhub) check "btfhub: -j1 and -j2 give the same bytes" cmp -s "$out" "$WORK/btfhub.tar.xz" ;;
	esac
done
TZ=UTC SOURCE_DATE_EPOCH=1700000000 "$BTFPACK" build -q --profile bcc -o "$WORK/sde.tar.gz" "${OBJ_ARGS[@]}" "$HUB" 2> /dev/null || true
check "bcc: SOURCE_DATE_EPOCH sets every mtime, owner 0" \
	test "$(TZ=UTC tar -tvzf "$WORK/sde.tar.gz" --numeric-owner | awk '{ print $2, $4, $5 }' | sort -u)" = "0/0 2023-11-14 22:13"
usage() { # DESCRIPTION ARGS...: exit 2, nothing written
	local rc=0 d=$1
	shift
	"$BTFPACK" build -q -o "$WORK/u.out" "$@" "${OBJ_ARGS[@]}" "$HUB" > /dev/null 2> "$WORK/u.err" || rc=$?
	check "usage error: $d (exit $rc: $(head -n 1 "$WORK/u.err"))" test "$rc" -eq 2 -a ! -e "$WORK/u.out"
}
usage "--profile bcc --dedup index" --profile bcc --dedup index
usage "--profile tree --dedup symlink" --profile tree --dedup symlink
usage "--profile nope" --profile nope
RC=0
"$BTFPACK" build -q --profile bcc -o "$WORK/u.tar.xz" "${OBJ_ARGS[@]}" "$HUB" 2> "$WORK/u.err" || RC=$?
check "usage error: --profile bcc -o .tar.xz (exit $RC)" test "$RC" -eq 2 -a ! -e "$WORK/u.tar.xz"
RC=0
"$BTFPACK" build -q --profile tree -o "$WORK/u.tar" "${OBJ_ARGS[@]}" "$HUB" 2> "$WORK/u.err" || RC=$?
check "usage error: --profile tree -o .tar (exit $RC)" test "$RC" -eq 2 -a ! -e "$WORK/u.tar"

# ---- the corpus --------------------------------------------------------------

load_corpus
if [ ${#ARCHIVES[@]} -gt 0 ] && [ -n "$BPF_OBJ_DIR" ] && [ -d "$BPF_OBJ_DIR" ]; then
	ok=1
	"$BTFPACK" build -q -j2 -o "$WORK/c.tar.xz" --obj "$BPF_OBJ_DIR" "$CORPUS" 2> "$WORK/c.err" || ok=0
	"$BTFPACK" build -q -j2 --profile bcc --aliases -o "$WORK/c.tar.gz" --obj "$BPF_OBJ_DIR" "$CORPUS" 2>> "$WORK/c.err" || ok=0
	check "corpus: native and bcc bundles built" test "$ok" -eq 1
	"$BCC_READER" "$WORK/c.tar.gz" --list > "$WORK/c.list" || fail "corpus: bcc-reader --list"
	ok=1 n=0
	while read -r size name; do
		n=$((n + 1))
		"$BCC_READER" "$WORK/c.tar.gz" --name "$name" "$WORK/m.btf" || { ok=0; continue; }
		key=${name#./}
		key=${key/\/aarch64\//\/arm64\/}
		"$BTFPACK" lookup "$WORK/c.tar.xz" "$key" "$WORK/l.btf" 2> /dev/null &&
			[ -s "$WORK/m.btf" ] && cmp -s "$WORK/m.btf" "$WORK/l.btf" || { warn "  corpus: $name"; ok=0; }
	done < "$WORK/c.list"
	check "corpus: bcc-reader finds all $n members (${#ARCHIVES[@]} kernels and their aliases) with btfpack lookup's bytes" \
		test "$ok" -eq 1 -a "$n" -gt "${#ARCHIVES[@]}"
else
	skip_case "corpus or BPF test objects not present: corpus bundles not read back"
fi

finish
