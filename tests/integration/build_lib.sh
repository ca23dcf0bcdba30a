# Helpers shared by the `btfpack build` integration scripts (sourced after
# lib.sh, not run, not a test).
#
# JSON is read through json_flat FILE, which prints one line per scalar:
#   <path>\t<value>
# where <path> joins object keys and array indexes with dots
# (kernels.3.relocations.resolved) and <value> is the string as is, a number,
# true/false or null. It uses python3 if installed, else jq, else a small awk
# tokenizer (enough for the JSON btfpack writes). The three give the same
# lines for btfpack's documents (build_synth.sh checks that).

# json_flat_py FILE / json_flat_jq FILE / json_flat_awk FILE
json_flat_py() {
	python3 - "$1" <<'EOF'
import json, sys

def walk(path, v):
    if isinstance(v, dict):
        for k, x in v.items():
            walk(path + [k], x)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            walk(path + [str(i)], x)
    else:
        if v is None:
            s = "null"
        elif isinstance(v, bool):
            s = "true" if v else "false"
        else:
            s = str(v)
        s = s.replace("\t", " ").replace("\n", " ")
        sys.stdout.write(".".join(path) + "\t" + s + "\n")

with open(sys.argv[1], encoding="utf-8") as f:
    walk([], json.load(f))
EOF
}

json_flat_jq() {
	jq -r 'paths(type != "object" and type != "array") as $p
	       | ($p | map(tostring) | join(".")) + "\t"
	         + (getpath($p) | tostring | gsub("[\t\n]"; " "))' "$1"
}

json_flat_awk() {
	awk '
	{ s = s $0 "\n" }
	function path(   d, p) {
		p = ""
		for (d = 1; d <= depth; d++)
			p = p (d > 1 ? "." : "") (typ[d] == "{" ? key[d] : idx[d])
		return p
	}
	END {
		n = length(s); i = 1; depth = 0
		while (i <= n) {
			c = substr(s, i, 1)
			if (c == "{" || c == "[") {
				depth++; typ[depth] = c; idx[depth] = 0; want_key[depth] = (c == "{")
				i++; continue
			}
			if (c == "}" || c == "]") { depth--; i++; continue }
			if (c == ",") {
				if (typ[depth] == "[") idx[depth]++; else want_key[depth] = 1
				i++; continue
			}
			if (c == ":") { want_key[depth] = 0; i++; continue }
			if (c == " " || c == "\t" || c == "\n" || c == "\r") { i++; continue }
			v = ""
			if (c == "\"") {
				j = i + 1
				while (j <= n) {
					ch = substr(s, j, 1)
					if (ch == "\"") break
					if (ch == "\\") {
						nx = substr(s, j + 1, 1)
						if (nx == "n" || nx == "t" || nx == "r") v = v " "
						else if (nx == "b" || nx == "f") v = v " "
						else if (nx == "u") { v = v "?"; j += 4 }
						else v = v nx
						j += 2
						continue
					}
					v = v ch
					j++
				}
				i = j + 1
			} else {
				j = i
				while (j <= n) {
					ch = substr(s, j, 1)
					if (ch == "," || ch == "}" || ch == "]" || ch == " " || ch == "\n" || ch == "\t" || ch == "\r")
						break
					j++
				}
				v = substr(s, i, j - i)
				i = j
			}
			if (typ[depth] == "{" && want_key[depth]) { key[depth] = v; continue }
			printf "%s\t%s\n", path(), v
		}
	}' "$1"
}

json_flat() {
	if command -v python3 > /dev/null 2>&1; then
		json_flat_py "$1"
	elif command -v jq > /dev/null 2>&1; then
		json_flat_jq "$1"
	else
		json_flat_awk "$1"
	fi
}

# jget FLAT KEY: the value of KEY in a json_flat output file (empty if absent)
jget() { awk -F '\t' -v k="$2" '$1 == k { print substr($0, length(k) + 2); exit }' "$1"; }

# jcount FLAT PREFIX: number of array elements under PREFIX (e.g. "kernels")
jcount() {
	awk -F '\t' -v p="$2." '
		index($1, p) == 1 { r = substr($1, length(p) + 1); sub(/\..*/, "", r); seen[r] = 1 }
		END { n = 0; for (r in seen) n++; print n }' "$1"
}

# kernels_tsv FLAT: one line per index.json kernel, tab separated:
#   path status blob size link source arch resolved unresolved rejected error
# with "-" for absent optional keys.
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
