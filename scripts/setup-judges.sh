#!/usr/bin/env bash
# Fetch the loaders the CO-RE judges are built against that Debian 12 does
# not carry: libbpf 1.5.0 and cilium/ebpf 0.11.0 (with the Go packages it
# needs) from trixie, with `apt-get download` under a private apt config,
# unpacked with `dpkg -x` into a private prefix. The system's apt sources,
# state and libbpf are never touched.
#
#   scripts/setup-judges.sh [PREFIX]     (default: $BTFPACK_JUDGE_PREFIX,
#                                         else /var/cache/btfpack/judges)
#
# Leaves PREFIX/root (the unpacked packages: usr/lib/x86_64-linux-gnu/libbpf.a,
# usr/include/bpf, usr/share/gocode/src/...), PREFIX/versions ("PACKAGE
# VERSION" lines, read by tests/judge/CMakeLists.txt) and PREFIX/stamp. Safe to run
# again: does nothing when the stamp matches. Needs a Debian mirror (apt);
# exits 1 with the reason when trixie cannot be fetched.
set -euo pipefail

prefix=${1:-${BTFPACK_JUDGE_PREFIX:-/var/cache/btfpack/judges}}
mirror=${BTFPACK_DEBIAN_MIRROR:-http://deb.debian.org/debian}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
# package=version pins: a judge's loader version is part of its name
pkgs=(
	libbpf1=1:1.5.0-3 libbpf-dev=1:1.5.0-3
	golang-github-cilium-ebpf-dev
	golang-golang-x-sys-dev golang-golang-x-exp-dev
)
stamp="trixie ${pkgs[*]} (versions)"

if [ -f "$prefix/stamp" ] && [ "$(cat "$prefix/stamp")" = "$stamp" ]; then
	exit 0
fi
command -v dpkg > /dev/null || { echo "setup-judges: dpkg not found" >&2; exit 1; }
[ -r "$keyring" ] || { echo "setup-judges: $keyring missing (debian-archive-keyring)" >&2; exit 1; }

apt=$prefix/apt
rm -rf "$apt" "$prefix/root" "$prefix/debs"
mkdir -p "$apt/etc/sources.list.d" "$apt/etc/preferences.d" "$apt/lists/partial" \
	"$apt/cache/archives/partial" "$prefix/debs" "$prefix/root"
: > "$apt/status"
printf 'deb [signed-by=%s] %s trixie main\n' "$keyring" "$mirror" > "$apt/etc/sources.list"

aptopts=(
	-o "Dir::Etc::SourceList=$apt/etc/sources.list"
	-o "Dir::Etc::SourceParts=$apt/etc/sources.list.d"
	-o "Dir::Etc::Preferences=$apt/etc/preferences"
	-o "Dir::Etc::PreferencesParts=$apt/etc/preferences.d"
	-o "Dir::State=$apt"
	-o "Dir::State::Lists=$apt/lists"
	-o "Dir::State::status=$apt/status"
	-o "Dir::Cache=$apt/cache"
	-o "APT::Architecture=$(dpkg --print-architecture)"
	-o "APT::Architectures::=$(dpkg --print-architecture)"
	-o "Debug::NoLocking=1"
)
if ! apt-get "${aptopts[@]}" update -qq > "$apt/update.log" 2>&1; then
	echo "setup-judges: apt-get update of trixie ($mirror) failed:" >&2
	sed 's/^/    /' "$apt/update.log" >&2
	exit 1
fi
if ! (cd "$prefix/debs" && apt-get "${aptopts[@]}" download "${pkgs[@]}") > "$apt/download.log" 2>&1; then
	echo "setup-judges: apt-get download from trixie failed:" >&2
	sed 's/^/    /' "$apt/download.log" >&2
	exit 1
fi
: > "$prefix/versions.new"
for d in "$prefix"/debs/*.deb; do
	dpkg -x "$d" "$prefix/root"
	dpkg-deb --showformat='${Package} ${Version}\n' -W "$d" >> "$prefix/versions.new"
done
mv "$prefix/versions.new" "$prefix/versions"
printf '%s\n' "$stamp" > "$prefix/stamp"
echo "setup-judges: $(ls "$prefix/debs" | tr '\n' ' ')-> $prefix/root"
