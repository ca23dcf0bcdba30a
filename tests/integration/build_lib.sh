# Helpers shared by the `btfpack build` integration scripts (sourced after
# lib.sh, not run, not a test).
#
# JSON is read through json_flat FILE, which prints one line per scalar:
#   <path>\t<value>
# where <path> joins object keys and array indexes with dots
# (kernels.3.relocations.resolved) and <value> is the string as is, a number,
# true/false or null: btfpack-json-flat (tests/tools), jansson underneath.
json_flat() {
	need_exe btfpack-json-flat "$JSON_FLAT"
	"$JSON_FLAT" "$1"
}

# jget FLAT KEY: the value of KEY in a json_flat output file (empty if absent)
jget() { awk -F '\t' -v k="$2" '$1 == k { print substr($0, length(k) + 2); exit }' "$1"; }

# jcount FLAT PREFIX: number of array elements under PREFIX (e.g. "kernels")
jcount() {
	awk -F '\t' -v p="$2." '
		index($1, p) == 1 { r = substr($1, length(p) + 1); sub(/\..*/, "", r); seen[r] = 1 }
		END { n = 0; for (r in seen) n++; print n }' "$1"
}

# kernels_tsv FLAT: one line per kernel of a --report JSON (the full
# records; index.json format 2 keeps only entries), tab separated:
#   path status blob size link source arch resolved unresolved rejected error
# with "-" for absent optional keys (link is never in a report: add_links).
kernels_tsv() {
	awk -F '\t' '
		$1 ~ /^kernels\.[0-9]+\./ {
			split($1, a, ".")
			i = a[2] + 0
			if (i + 1 > n) n = i + 1
			f = substr($1, length(a[1]) + length(a[2]) + 3)
			v[i, f] = substr($0, length($1) + 2)
			has[i, f] = 1
		}
		function g(i, f) { return has[i, f] ? v[i, f] : "-" }
		END {
			for (i = 0; i < n; i++)
				printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
					g(i, "path"), g(i, "status"), g(i, "blob"), g(i, "size"),
					g(i, "link"), g(i, "source"), g(i, "arch"),
					g(i, "relocations.resolved"), g(i, "relocations.unresolved"),
					g(i, "relocations.rejected"), g(i, "error")
		}' "$1"
}

# add_links MODE: kernels_tsv rows on stdin with the link column filled as
# --dedup symlink/hardlink stores them: a kernel whose blob an earlier ok
# kernel had links to that first one. Other modes pass rows through.
add_links() {
	awk -F '\t' -v OFS='\t' -v mode="$1" '
		mode == "symlink" || mode == "hardlink" {
			if ($2 == "ok") {
				if ($3 in first) $5 = first[$3]
				else first[$3] = $1
			}
		}
		{ print }'
}

# index_entries FLAT: "path<TAB>xxh128<TAB>size" per entry of an index.json
# (format 2) flattened by json_flat, sorted. Paths hold dots, so the key is
# cut at its known prefix and suffix.
index_entries() {
	awk -F '\t' '
		index($1, "entries.") == 1 && $1 ~ /\.xxh128$/ {
			p = substr($1, 9, length($1) - 8 - 7); h[p] = $2 }
		index($1, "entries.") == 1 && $1 ~ /\.size$/ {
			p = substr($1, 9, length($1) - 8 - 5); z[p] = $2 }
		END { for (p in h) printf "%s\t%s\t%s\n", p, h[p], z[p] }' "$1" | sort
}

# index_kernels FLAT: kernels an index.json (format 2) names: its entries
# and its failed inputs
index_kernels() {
	echo $(($(index_entries "$1" | wc -l) + $(jcount "$1" failed)))
}

# bundle_index BUNDLE OUTFILE: index.json of a bundle (tar of any
# compression or a directory), copied to OUTFILE
bundle_index() {
	if [ -d "$1" ]; then
		cp "$1/index.json" "$2"
	else
		tar -xOf "$1" index.json > "$2"
	fi
}

# sha_of FILE: its sha256, hex only
sha_of() { sha256sum "$1" | cut -d ' ' -f 1; }
