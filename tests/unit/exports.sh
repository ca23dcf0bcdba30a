#!/usr/bin/env bash
# exports.sh LIBBTFPACK_SO: the shared library's dynamic symbol table
# defines only the public API (btfpack_*, all in version node
# LIBBTFPACK_0.1) and every function include/btfpack.h declares. Any other
# symbol (a stage's bp_*, minimize_*, a libbpf-like name) fails the test.
set -euo pipefail
so=${1:?usage: exports.sh LIBBTFPACK_SO [HEADER]}
hdr=${2:-}
bad=0 n=0
while read -r _ type name; do
	[ -n "${name:-}" ] || { name=$type; type=; }
	# the version node itself is listed as an absolute symbol
	if [ "$type" = A ] && [ "$name" = LIBBTFPACK_0.1 ]; then
		continue
	fi
	n=$((n + 1))
	case $name in
	btfpack_*@@LIBBTFPACK_0.1) ;;
	*)
		echo "exports: $so exports $name ($type): only btfpack_* in LIBBTFPACK_0.1 may be"
		bad=1
		;;
	esac
done < <(nm -D --defined-only "$so")
echo "exports: $n symbols defined"
if [ -n "$hdr" ]; then
	# every public function is really exported
	for fn in $(grep -o '\bbtfpack_[a-z_]*(' "$hdr" | tr -d '(' | sort -u); do
		nm -D --defined-only "$so" | grep -q " T $fn@@LIBBTFPACK_0.1\$" || {
			echo "exports: $fn is declared in $hdr but not exported"
			bad=1
		}
	done
fi
[ "$n" -gt 0 ] && [ "$bad" -eq 0 ]
