# Shared helpers for the integration scripts (sourced, not run).
#
# Every script takes the same options, as --opt=VALUE or --opt VALUE (all
# optional, environment fallbacks in parentheses; an empty VALUE means unset):
#   --btfpack PATH      btfpack binary                       (BTFPACK)
#   --judge PATH        btfpack-judge binary                 (BTFPACK_JUDGE)
#   --bpftool PATH      bpftool binary                       (BPFTOOL, PATH)
#   --bpf-obj-dir DIR   directory of *.bpf.o test objects    (BTFPACK_BPF_OBJ_DIR)
#   --synth-dir DIR     synthetic kernels: DIR/kernels/*.btf and
#                       DIR/probe_*.bpf.o                    (BTFPACK_SYNTH_DIR)
#   --corpus DIR        btfhub-android corpus (*.btf.tar.xz)  (BTFPACK_CORPUS)
#   --json-flat PATH    btfpack-json-flat (tests/tools)       (BTFPACK_JSON_FLAT)
#   --bcc-reader PATH   btfpack-bcc-reader (tests/readers)    (BTFPACK_BCC_READER)
#   --readers-src DIR   tests/readers, for the Go readers     (BTFPACK_READERS_SRC)
# Exit codes: 0 pass, 1 fail, 77 skip (ctest SKIP_RETURN_CODE).

SKIP=77
T_NAME=$(basename "$0" .sh)

BTFPACK=${BTFPACK:-}
JUDGE=${BTFPACK_JUDGE:-}
BPFTOOL=${BPFTOOL:-}
BPF_OBJ_DIR=${BTFPACK_BPF_OBJ_DIR:-}
SYNTH_DIR=${BTFPACK_SYNTH_DIR:-}
CORPUS=${BTFPACK_CORPUS:-}
JSON_FLAT=${BTFPACK_JSON_FLAT:-}
BCC_READER=${BTFPACK_BCC_READER:-}
READERS_SRC=${BTFPACK_READERS_SRC:-}

log() { printf '%s: %s\n' "$T_NAME" "$*"; }
warn() { printf '%s: %s\n' "$T_NAME" "$*" >&2; }
die() { printf '%s: FAIL: %s\n' "$T_NAME" "$*" >&2; exit 1; }
skip() { printf '%s: SKIP: %s\n' "$T_NAME" "$*"; exit "$SKIP"; }

it_parse_args() {
	local opt val
	while [ $# -gt 0 ]; do
		# --opt=VALUE (VALUE may be empty) or --opt VALUE
		case "$1" in
		--*=*) opt=${1%%=*}; val=${1#*=}; shift ;;
		--*) opt=$1; [ $# -ge 2 ] || die "missing value for $1"; val=$2; shift 2 ;;
		*) die "unexpected argument '$1'" ;;
		esac
		case "$opt" in
		--btfpack) BTFPACK=$val ;;
		--judge) JUDGE=$val ;;
		--bpftool) BPFTOOL=$val ;;
		--bpf-obj-dir) BPF_OBJ_DIR=$val ;;
		--synth-dir) SYNTH_DIR=$val ;;
		--corpus) CORPUS=$val ;;
		--json-flat) JSON_FLAT=$val ;;
		--bcc-reader) BCC_READER=$val ;;
		--readers-src) READERS_SRC=$val ;;
		*) die "unknown option '$opt'" ;;
		esac
	done
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/btfpack-$T_NAME.XXXXXX")
	trap 'rm -rf "$WORK"' EXIT
}

need_exe() { # NAME PATH
	[ -n "$2" ] || die "no path given for $1"
	[ -x "$2" ] || die "$1 not found or not executable: $2"
}

# a usable bpf() syscall (root, or CAP_BPF and friends), or skip
require_bpf() {
	need_exe btfpack-judge "$JUDGE"
	local rc=0 msg who=""
	[ "$(id -u)" -eq 0 ] || who="not root (uid $(id -u)); "
	msg=$("$JUDGE" --check-bpf 2>&1) || rc=$?
	case $rc in
	0) ;;
	"$SKIP") skip "${who}bpf() syscall unavailable, cannot load BPF objects: $msg" ;;
	*) die "btfpack-judge --check-bpf failed ($rc): $msg" ;;
	esac
}

# Fills OBJECTS with the BPF test objects (sorted); skips if not configured.
load_objects() {
	OBJECTS=()
	if [ -z "$BPF_OBJ_DIR" ]; then
		skip "BPF test object directory not configured (BTFPACK_BPF_OBJ_DIR)"
	fi
	[ -d "$BPF_OBJ_DIR" ] || die "BPF test object directory missing: $BPF_OBJ_DIR (not built?)"
	local f
	for f in "$BPF_OBJ_DIR"/*.bpf.o; do
		[ -e "$f" ] && OBJECTS+=("$f")
	done
	[ ${#OBJECTS[@]} -gt 0 ] || die "no *.bpf.o in $BPF_OBJ_DIR (not built?)"
}

# Fills SYNTH_KERNELS and SYNTH_PROBES; both empty (with a message) when the
# synthetic kernels are not configured or not built.
load_synth() {
	SYNTH_KERNELS=()
	SYNTH_PROBES=()
	if [ -z "$SYNTH_DIR" ]; then
		log "synthetic kernels not configured (BTFPACK_SYNTH_DIR): skipping that part"
		return 0
	fi
	local f
	for f in "$SYNTH_DIR"/kernels/*.btf; do
		[ -e "$f" ] && SYNTH_KERNELS+=("$f")
	done
	for f in "$SYNTH_DIR"/probe_*.bpf.o; do
		[ -e "$f" ] && SYNTH_PROBES+=("$f")
	done
	if [ ${#SYNTH_KERNELS[@]} -eq 0 ] || [ ${#SYNTH_PROBES[@]} -eq 0 ]; then
		die "synthetic dir $SYNTH_DIR has ${#SYNTH_KERNELS[@]} kernels/*.btf and ${#SYNTH_PROBES[@]} probe_*.bpf.o (not built?)"
	fi
}

# need_synth: btfpack and the synthetic kernels, or skip (scripts that run
# btfpack on hubs made from them)
need_synth() {
	need_exe btfpack "$BTFPACK"
	load_synth
	[ ${#SYNTH_KERNELS[@]} -gt 0 ] || skip "synthetic kernels not configured"
}

# Fills ARCHIVES with the corpus archives; empty (with a message) if absent.
load_corpus() {
	ARCHIVES=()
	if [ -z "$CORPUS" ] || [ ! -d "$CORPUS" ]; then
		log "corpus not found at '${CORPUS:-<unset>}': skipping the corpus kernels"
		return 0
	fi
	local f
	while IFS= read -r -d '' f; do
		ARCHIVES+=("$f")
	done < <(find "$CORPUS" -name '*.btf.tar.xz' -print0 | sort -z)
	[ ${#ARCHIVES[@]} -gt 0 ] || log "no *.btf.tar.xz under $CORPUS: skipping the corpus kernels"
}

# extract_btf ARCHIVE DIR: unpack the archive's single .btf into DIR (fresh)
# and print its path.
extract_btf() {
	local archive=$1 dir=$2 f
	rm -rf "$dir"
	mkdir -p "$dir"
	tar -xJf "$archive" -C "$dir" || die "cannot extract $archive"
	f=$(find "$dir" -type f -name '*.btf' | head -n 1)
	[ -n "$f" ] || die "no .btf inside $archive"
	printf '%s\n' "$f"
}

# Kernel label for messages: archive/BTF file name without extensions.
kernel_label() {
	local b
	b=$(basename "$1")
	b=${b%.tar.xz}
	printf '%s\n' "${b%.btf}"
}

# run_judges JOBFILE [FLAG...]: JOBFILE holds NUL-separated triples
# OBJ BTF OUTFILE; the judge runs on each (two at a time) with the given
# flags, leaving OUTFILE, OUTFILE.err and OUTFILE.rc. Skips the test if the
# judge reports bpf() unavailable, fails on any other judge error.
run_judges() {
	local jobs=$1 rc obj btf out bad=0
	shift
	[ -s "$jobs" ] || return 0
	# shellcheck disable=SC2016
	JUDGE_BIN=$JUDGE JUDGE_FLAGS_STR="$*" xargs -0 -n 3 -P 2 sh -c \
		'"$JUDGE_BIN" $JUDGE_FLAGS_STR "$0" "$1" > "$2" 2> "$2.err"; echo $? > "$2.rc"' \
		< "$jobs" || die "xargs failed running the judge"
	while IFS= read -r -d '' obj && IFS= read -r -d '' btf && IFS= read -r -d '' out; do
		rc=$(cat "$out.rc" 2>/dev/null || echo missing)
		case $rc in
		0) ;;
		"$SKIP") skip "bpf() unavailable for btfpack-judge: $(head -n 1 "$out.err")" ;;
		*)
			warn "btfpack-judge $* $obj $btf exited $rc:"
			sed 's/^/    /' "$out.err" >&2
			bad=1
			;;
		esac
	done < "$jobs"
	[ "$bad" -eq 0 ] || die "btfpack-judge errors (see above)"
}

# add_job JOBFILE OBJ BTF OUTFILE
add_job() { printf '%s\0%s\0%s\0' "$2" "$3" "$4" >> "$1"; }

file_size() { stat -c %s "$1"; }

# Counting checks, for scripts that go on after a failed case and report
# all of them: pass/fail/check, then finish to print the tally and exit.
n_pass=0 n_fail=0 n_skip=0
pass() { n_pass=$((n_pass + 1)); log "ok: $*"; }
fail() { n_fail=$((n_fail + 1)); warn "FAIL: $*"; }
skip_case() { n_skip=$((n_skip + 1)); log "skipped: $*"; }
check() { # DESCRIPTION COMMAND...: pass if COMMAND succeeds
	local d=$1
	shift
	if "$@"; then pass "$d"; else fail "$d"; fi
}
finish() {
	log "$n_pass passed, $n_fail failed, $n_skip skipped"
	[ "$n_fail" -eq 0 ] || exit 1
	exit 0
}

# not_a_crash RC: true unless RC is a signal death (>= 128), a timeout
# (124) or a sanitizer report (99, set by ctest)
not_a_crash() { [ "$1" -lt 124 ] && [ "$1" -ne 99 ]; }
