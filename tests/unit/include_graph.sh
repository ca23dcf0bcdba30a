#!/usr/bin/env bash
# include_graph SRC_DIR: every product file includes only its own folder and
# the folders before it in the pipeline (docs/architecture.md):
#   base <- core, dedup <- archive <- batch <- lib, cmd
# include/ (the public header) includes no stage; lib/ (libbtfpack, its
# implementation) may include every stage and the public header.
# An arrow against the pipeline (core including batch/, base including
# core/) fails the test with the file and line.
set -euo pipefail
src=${1:?usage: include_graph.sh SRC_DIR}
declare -A allowed=(
	[base]="base"
	[core]="base core"
	[dedup]="base dedup"
	[archive]="base dedup archive"
	[batch]="base core dedup archive batch"
	[lib]="base core dedup archive batch include lib"
	[cmd]="base core dedup archive batch cmd"
	[include]=""
)
bad=0 files=0
for dir in "${!allowed[@]}"; do
	for f in "$src/$dir"/*.[ch]; do
		[ -e "$f" ] || continue
		files=$((files + 1))
		while IFS=: read -r line inc; do
			folder=${inc%%/*}
			case " ${allowed[$dir]} " in
			*" $folder "*) ;;
			*)
				echo "include_graph: $dir/${f##*/}:$line includes \"$inc\": $dir may include only ${allowed[$dir]}"
				bad=1
				;;
			esac
		done < <(awk -F '"' '/^#include "/ { print NR ":" $2 }' "$f")
	done
done
echo "include_graph: $files product files checked"
[ "$bad" -eq 0 ]
