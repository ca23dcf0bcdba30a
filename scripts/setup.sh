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
  golang-go python3  # tests/readers: the Go readers (Go 1.19, stdlib only); tarfile
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
