# Helpers for memory tests and benchmarks (sourced after lib.sh, not run).

# le32 N: N as 4 little-endian bytes on stdout
le32() {
	printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(($1 & 255)) $(($1 >> 8 & 255)) \
		$(($1 >> 16 & 255)) $(($1 >> 24 & 255)))"
}

# big_strings SRC OUT EXTRA: the raw little-endian BTF SRC with EXTRA zero
# bytes appended to its string section (trailing empty strings: still valid
# BTF with the same types). The zeros are a hole, so OUT is sparse on disk.
big_strings() {
	local src=$1 out=$2 extra=$3 magic hl to tl so sl
	read -r magic hl to tl so sl < <(od -A n -w24 -t u4 -N 24 "$src")
	[ $((magic & 0xffff)) -eq $((0xeb9f)) ] || die "big_strings: $src is not little-endian raw BTF"
	[ $((hl + so + sl)) -eq "$(stat -c %s "$src")" ] || die "big_strings: $src does not end with its strings"
	{
		le32 "$magic"
		le32 "$hl"
		le32 "$to"
		le32 "$tl"
		le32 "$so"
		le32 $((sl + extra))
		tail -c +25 "$src"
	} > "$out"
	truncate -s "+$extra" "$out"
}

# xz_member SRC OUT: OUT = a .tar.xz holding SRC as its only member (fast
# preset: the members here are mostly zeros)
xz_member() {
	tar -C "$(dirname "$1")" -cf - "$(basename "$1")" | xz -1 -T1 > "$2"
}

# peak_rss_kb FILE CMD...: run CMD, peak RSS in KiB into FILE; CMD's status
peak_rss_kb() {
	local f=$1
	shift
	/usr/bin/time -f '%M' -o "$f.time" "$@"
	local rc=$?
	tail -n 1 "$f.time" > "$f"
	rm -f "$f.time"
	return $rc
}
