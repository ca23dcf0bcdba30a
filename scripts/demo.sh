#!/usr/bin/env bash
# The main job on the built-in sample: set up, build btfpack (release),
# generate the sample hub, minimize it into one bundle, print the summary
# and the coverage table, list it, fetch one kernel's BTF back out, and
# write the same result in the bcc profile.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-release -j"$(nproc)" --target btfpack synth_fixtures bpf_test_objects

bash scripts/make-sample-hub.sh build-release build-release/sample-hub
objs=()
for o in build-release/tests/fixtures/probe_*.bpf.o; do
	objs+=(--obj "$o")
done
./build-release/cmd/btfpack build -o build-release/sample-bundle.tar.xz \
	"${objs[@]}" --report - build-release/sample-hub
echo
ls -l build-release/sample-bundle.tar.xz
./build-release/cmd/btfpack ls build-release/sample-bundle.tar.xz | tail -n 4
./build-release/cmd/btfpack lookup build-release/sample-bundle.tar.xz \
	synthos/1.0/x86_64/5.4.0-2-synth.btf build-release/5.4.0-2-synth.btf
echo "extracted synthos/1.0/x86_64/5.4.0-2-synth.btf -> build-release/5.4.0-2-synth.btf"

# The same result as bcc's libbpf-tools embed it (ustar tar.gz of regular
# files), with the aliases for the keys consumers compute by hand.
./build-release/cmd/btfpack build -q --profile bcc --aliases \
	-o build-release/sample-bundle-bcc.tar.gz "${objs[@]}" build-release/sample-hub
ls -l build-release/sample-bundle-bcc.tar.gz
