#!/usr/bin/env bash
# Install btfpack's build and test dependencies (Debian 12 packages only).
# Safe to run again; skips apt when everything is already installed.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libbpf-dev libelf-dev libarchive-dev libxxhash-dev libjansson-dev libcmocka-dev zlib1g-dev libzstd-dev
  clang-19 llvm-19 bpftool
  libclang-rt-19-dev  # libFuzzer and sanitizer runtimes for bench/fuzz.sh
  xz-utils zstd gzip tar libarchive-tools time strace
  golang-go golang-github-cilium-ebpf-dev golang-golang-x-sys-dev  # the cilium/ebpf 0.9.1 judge
)

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# the loaders Debian 12 lacks (libbpf 1.5.0, cilium/ebpf 0.11.0), unpacked
# from trixie into a private prefix for tests/judge
$sudo bash "$(dirname "$0")/setup-judges.sh"
# the BPF objects of Debian's libbpf-tools, for tests/integration/judges.sh
$sudo bash "$(dirname "$0")/fetch-libbpf-tools-objs.sh"
