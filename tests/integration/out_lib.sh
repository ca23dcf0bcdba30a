# Helpers for the output-safety tests (out_signals, out_crash, out_enospc);
# sourced after lib.sh and it_parse_args, not run, not a test.
#
# out_setup makes a small hub from the synthetic kernels (plain .btf files)
# and two object sets, OLD_OBJS (one probe) and NEW_OBJS (all probes), so an
# "old" and a "new" output of each kind differ. Each kind writes to its own
# directory, so that directory's listing shows anything left next to it:
#   dir     btfpack build -o DIR
#   tar     btfpack build -o FILE.tar.xz
#   min     btfpack min KERNEL OUT OBJ...
#   lookup  btfpack lookup BUNDLE PATH OUT (BUNDLE: an old or a new bundle)

out_setup() {
	need_synth
	local i=0 k
	HUB=$WORK/hub
	for k in "${SYNTH_KERNELS[@]:0:4}"; do
		i=$((i + 1))
		mkdir -p "$HUB/synthos/1.0/x86_64"
		cp "$k" "$HUB/synthos/1.0/x86_64/5.4.0-$i-synth.btf"
	done
	KERNEL=${SYNTH_KERNELS[0]}
	LOOKUP_PATH=synthos/1.0/x86_64/5.4.0-1-synth.btf
	OLD_OBJS=("${SYNTH_PROBES[0]}")
	NEW_OBJS=("${SYNTH_PROBES[@]}")
	REF_OLD=$WORK/ref/old
	REF_NEW=$WORK/ref/new
	mkdir -p "$WORK/ref"
	out_build "$REF_OLD" "${OLD_OBJS[@]}" || die "cannot build the old reference bundle"
	out_build "$REF_NEW" "${NEW_OBJS[@]}" || die "cannot build the new reference bundle"
}

out_build() { # OUT OBJ...: btfpack build of the hub
	out_cmd_build "$@"
	"${CMD[@]}"
}

out_cmd_build() { # OUT OBJ...: CMD=(the build command line)
	local out=$1 o
	shift
	CMD=("$BTFPACK" build -q -j2 -o "$out")
	for o in "$@"; do
		CMD+=(--obj "$o")
	done
	CMD+=("$HUB")
}

# The output path of KIND under ROOT (default $WORK/o).
out_of() { # KIND [ROOT]
	local root=${2:-$WORK/o}
	case $1 in
	dir) printf '%s\n' "$root/dir/out" ;;
	tar) printf '%s\n' "$root/tar/out.tar.xz" ;;
	min | lookup) printf '%s\n' "$root/$1/out.btf" ;;
	*) die "unknown kind $1" ;;
	esac
}

# out_cmd KIND old|new [ROOT]: CMD=(the command writing KIND's output with
# old or new content); its directory is made.
out_cmd() {
	local kind=$1 which=$2 out objs ref
	out=$(out_of "$kind" "${3:-}")
	mkdir -p "$(dirname "$out")"
	objs=("${OLD_OBJS[@]}")
	ref=$REF_OLD
	if [ "$which" = new ]; then
		objs=("${NEW_OBJS[@]}")
		ref=$REF_NEW
	fi
	case $kind in
	dir | tar) out_cmd_build "$out" "${objs[@]}" ;;
	min) CMD=("$BTFPACK" min "$KERNEL" "$out" "${objs[@]}") ;;
	lookup) CMD=("$BTFPACK" lookup "$ref" "$LOOKUP_PATH" "$out") ;;
	esac
}

# write_out KIND old|new [ROOT]: run out_cmd's command (stderr to
# $WORK/last.err); its exit status.
write_out() {
	out_cmd "$@"
	"${CMD[@]}" 2> "$WORK/last.err"
}

# Content fingerprint of a file or a tree: names, types, link targets and
# file bytes (not times), or "missing".
fp() { # PATH
	if [ -d "$1" ]; then
		(cd "$1" && find . -printf '%y %p %l\n' | LC_ALL=C sort &&
			find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum) |
			sha256sum | cut -d' ' -f1
	elif [ -e "$1" ] || [ -L "$1" ]; then
		sha256sum < "$1" | cut -d' ' -f1
	else
		echo missing
	fi
}

# Everything in the directory of OUT, one name a line, sorted.
listing() { # OUT
	(cd "$(dirname "$1")" && LC_ALL=C ls -A)
}

# Fails unless OUT's directory holds exactly OUT.
expect_alone() { # OUT WHAT
	local l
	l=$(listing "$1")
	[ "$l" = "$(basename "$1")" ] || die "$2: left next to $1: $(echo "$l" | tr '\n' ' ')"
}

# start_paused FLAG CMD...: run CMD in the background with the test-only
# hook BTFPACK_TEST_PAUSE_BEFORE_COMMIT=FLAG and wait until it pauses just
# before its commit (FLAG appears); PID is its pid. Removing FLAG lets it go
# on. Dies if the run ends without pausing.
start_paused() {
	local flag=$1 rc
	shift
	rm -f "$flag"
	BTFPACK_TEST_PAUSE_BEFORE_COMMIT=$flag "$@" > "$WORK/bg.out" 2> "$WORK/bg.err" &
	PID=$!
	while [ ! -e "$flag" ]; do
		if ! kill -0 "$PID" 2> /dev/null; then
			rc=0
			wait "$PID" || rc=$?
			die "$* exited ($rc) without pausing before its commit: $(head -c 300 "$WORK/bg.err")"
		fi
		sleep 0.02
	done
}

# wait_rc PID: RC=its exit status (128+N when killed by signal N).
# shellcheck disable=SC2034 # RC is read by the caller
wait_rc() {
	RC=0
	wait "$1" || RC=$?
}
