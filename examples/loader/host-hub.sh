#!/bin/sh
# host-hub.sh HUB [VMLINUX]: a one-kernel BTFHub-style tree of this host's
# BTF (VMLINUX, default /sys/kernel/btf/vmlinux) at
# HUB/<ID>/<VERSION_ID>/<arch>/<uname -r>.btf, the key btfpack_host__detect()
# computes here, so the loader finds it when it ignores the kernel's BTF.
set -eu
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: host-hub.sh HUB [VMLINUX]" >&2; exit 2; }
hub=$1 vmlinux=${2:-/sys/kernel/btf/vmlinux}
[ -r "$vmlinux" ] || { echo "host-hub.sh: cannot read $vmlinux" >&2; exit 1; }
osr=/etc/os-release
[ -r "$osr" ] || osr=/usr/lib/os-release
# the value of KEY= in os-release, quotes removed ("" without the file)
field() {
	[ -r "$osr" ] || return 0
	sed -n "s/^$1=//p" "$osr" | head -n 1 | sed -e 's/^"\(.*\)"$/\1/' -e "s/^'\(.*\)'\$/\1/"
}
# os-release's own default for ID; a host without VERSION_ID (Debian
# testing, Arch) is found by codename or by (arch, release) alone
id=$(field ID | tr '[:upper:]' '[:lower:]')
id=${id:-linux}
ver=$(field VERSION_ID)
ver=${ver:-$(field VERSION_CODENAME)}
ver=${ver:-unknown}
case $(uname -m) in
aarch64 | arm64) arch=arm64 ;;
x86_64 | amd64) arch=x86_64 ;;
*) arch=$(uname -m) ;;
esac
dir=$hub/$id/$ver/$arch
mkdir -p "$dir"
cp "$vmlinux" "$dir/$(uname -r).btf"
echo "$id/$ver/$arch/$(uname -r).btf"
