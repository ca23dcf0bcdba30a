#!/usr/bin/env bash
# cli: command-line contract of `btfpack min SRC OUT OBJ [OBJ...]`:
#   exit 0 ok, 1 error, 2 usage; --help and --version exit 0; an error names
#   the offending file in one line on stderr; OUT is written atomically (it
#   appears complete or not at all, a previous OUT survives a failure, and
#   no temporary file is left next to it); an object without .BTF.ext is
#   accepted with a warning on stderr.
# Needs no bpf() syscall. Uses clang-19/llvm-objcopy-19 (or CLANG/OBJCOPY)
# for the objects without .BTF.ext; those cases are skipped without them.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
it_parse_args "$@"

need_exe btfpack "$BTFPACK"


# run_bp ARGS...: runs btfpack, sets RC, OUT_TXT (stdout) and ERR_TXT (stderr)
run_bp() {
	RC=0
	"$BTFPACK" "$@" > "$WORK/stdout" 2> "$WORK/stderr" || RC=$?
	OUT_TXT=$(cat "$WORK/stdout")
	ERR_TXT=$(cat "$WORK/stderr")
}

show() { # context for a failure
	printf '    command exit %s\n' "$RC" >&2
	[ -z "$OUT_TXT" ] || printf '%s\n' "$OUT_TXT" | head -n 10 | sed 's/^/    stdout: /' >&2
	[ -z "$ERR_TXT" ] || printf '%s\n' "$ERR_TXT" | head -n 10 | sed 's/^/    stderr: /' >&2
}

expect_rc() { # WANT DESCRIPTION
	if [ "$RC" -eq "$1" ]; then
		pass "$2 (exit $RC)"
		return 0
	fi
	fail "$2: expected exit $1, got $RC"
	show
	return 1
}

# dir_listing DIR: the names in DIR, hidden ones included, one a line
dir_listing() { (cd "$1" && find . -mindepth 1 -maxdepth 1 -printf '%f\n' | sort); }

expect_dir() { # DIR "EXPECTED NAMES (space separated, sorted)" DESCRIPTION
	local got
	got=$(dir_listing "$1" | tr '\n' ' ' | sed 's/ $//')
	if [ "$got" = "$2" ]; then
		pass "$3"
	else
		fail "$3: OUT's directory holds [$got], expected [$2]"
	fi
}

new_outdir() { # fresh empty directory for OUT
	rm -rf "$WORK/out"
	mkdir -p "$WORK/out"
	printf '%s\n' "$WORK/out"
}

# ---- inputs ----------------------------------------------------------------

SRC=
if [ -r /sys/kernel/btf/vmlinux ]; then
	SRC=/sys/kernel/btf/vmlinux
else
	load_synth
	if [ ${#SYNTH_KERNELS[@]} -gt 0 ]; then
		SRC=${SYNTH_KERNELS[0]}
	else
		load_corpus
		[ ${#ARCHIVES[@]} -eq 0 ] || SRC=$(extract_btf "${ARCHIVES[0]}" "$WORK/src")
	fi
fi
[ -n "$SRC" ] || skip "no kernel BTF to minimize (no /sys/kernel/btf/vmlinux, synthetic kernels or corpus)"

CLANG=${CLANG:-$(command -v clang-19 || command -v clang || true)}
OBJCOPY=${OBJCOPY:-$(command -v llvm-objcopy-19 || command -v llvm-objcopy || true)}
mkdir -p "$WORK/obj"

# A small CO-RE object: from the test objects if configured, else compiled.
OBJ=
if [ -n "$BPF_OBJ_DIR" ] && [ -d "$BPF_OBJ_DIR" ]; then
	for f in "$BPF_OBJ_DIR"/*.bpf.o; do
		[ -e "$f" ] && { OBJ=$f; break; }
	done
fi
HDR_INC=()
for d in /usr/include/"$(uname -m)"-linux-gnu /usr/include/x86_64-linux-gnu; do
	[ -d "$d" ] && { HDR_INC=(-I "$d"); break; }
done
if [ -n "$CLANG" ]; then
	cat > "$WORK/obj/core.bpf.c" <<'EOF'
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
struct task_struct {
	int pid;
	int tgid;
} __attribute__((preserve_access_index));
__u64 seen;
SEC("kprobe/do_exit")
int cli_core(void *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	seen = BPF_CORE_READ(t, tgid);
	return 0;
}
char LICENSE[] SEC("license") = "GPL";
EOF
	cat > "$WORK/obj/plain.bpf.c" <<'EOF'
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
__u64 hits;
SEC("kprobe/do_exit")
int cli_plain(void *ctx)
{
	__sync_fetch_and_add(&hits, 1);
	return 0;
}
char LICENSE[] SEC("license") = "GPL";
EOF
	if [ -z "$OBJ" ] &&
		"$CLANG" -target bpf -g -O2 ${HDR_INC[@]+"${HDR_INC[@]}"} \
			-c "$WORK/obj/core.bpf.c" -o "$WORK/obj/core.bpf.o" 2> "$WORK/obj/cc.log"; then
		OBJ=$WORK/obj/core.bpf.o
	fi
	# no -g: neither .BTF nor .BTF.ext
	if ! "$CLANG" -target bpf -O2 ${HDR_INC[@]+"${HDR_INC[@]}"} \
		-c "$WORK/obj/plain.bpf.c" -o "$WORK/obj/nodebug.bpf.o" 2>> "$WORK/obj/cc.log"; then
		warn "could not compile the no -g object: $(head -n 3 "$WORK/obj/cc.log")"
	fi
fi
[ -n "$OBJ" ] || skip "no BPF object: BTFPACK_BPF_OBJ_DIR not built and no clang to compile one"
if [ -n "$OBJCOPY" ]; then
	"$OBJCOPY" --remove-section .BTF.ext "$OBJ" "$WORK/obj/noext.bpf.o" ||
		warn "llvm-objcopy could not strip .BTF.ext from $OBJ"
fi
log "SRC $SRC, OBJ $OBJ"

# ---- help, version, usage errors -------------------------------------------

run_bp --help
if expect_rc 0 "--help"; then
	if [ -n "$OUT_TXT" ]; then pass "--help prints usage on stdout"; else fail "--help printed nothing on stdout"; fi
fi

# help COMMAND: that command's own usage, for every command
for c in min build lookup; do
	run_bp help "$c"
	if expect_rc 0 "help $c"; then
		if printf '%s\n' "$OUT_TXT" | head -n 1 | grep -q "^Usage: btfpack $c "; then
			pass "help $c prints the usage of $c"
		else
			fail "help $c printed: $(printf '%s' "$OUT_TXT" | head -n 1)"
		fi
	fi
done
run_bp help no-such-command
expect_rc 2 "help of an unknown command" || true

run_bp --version
if expect_rc 0 "--version"; then
	if printf '%s\n' "$OUT_TXT" | grep -Eq '[0-9]+\.[0-9]+'; then
		pass "--version prints a version ($(printf '%s' "$OUT_TXT" | head -n 1))"
	else
		fail "--version printed no version number on stdout"
		show
	fi
fi

run_bp
if expect_rc 2 "no arguments"; then
	if [ -n "$ERR_TXT" ]; then pass "no arguments: usage on stderr"; else fail "no arguments: nothing on stderr"; fi
fi

run_bp --no-such-option
expect_rc 2 "unknown option before the command" || true

D=$(new_outdir)
run_bp min --no-such-option "$SRC" "$D/out.btf" "$OBJ"
expect_rc 2 "unknown option of 'min'" || true
expect_dir "$D" "" "unknown option of 'min': no OUT written"

run_bp no-such-command
expect_rc 2 "unknown command" || true

D=$(new_outdir)
run_bp min "$SRC" "$D/out.btf"
expect_rc 2 "'min' without objects" || true
expect_dir "$D" "" "'min' without objects: no OUT written"

run_bp min "$SRC"
expect_rc 2 "'min' without OUT" || true

# ---- errors: exit 1, one line naming the file, no OUT ----------------------

# expect_error DESCRIPTION FILE-TO-NAME -- ARGS...
expect_error() {
	local desc=$1 name=$2 nlines
	shift 3
	run_bp "$@"
	expect_rc 1 "$desc" || return 0
	nlines=$(printf '%s' "$ERR_TXT" | grep -c . || true)
	if [ "$nlines" -eq 1 ] && printf '%s' "$ERR_TXT" | grep -qF -- "$name"; then
		pass "$desc: one-line error naming $name"
	else
		fail "$desc: expected one line on stderr naming $name, got $nlines lines"
		show
	fi
}

D=$(new_outdir)
expect_error "missing SRC" "$WORK/no-such-kernel.btf" -- min "$WORK/no-such-kernel.btf" "$D/out.btf" "$OBJ"
expect_dir "$D" "" "missing SRC: no OUT, no temporary file"

D=$(new_outdir)
expect_error "missing OBJ" "$WORK/no-such-object.bpf.o" -- min "$SRC" "$D/out.btf" "$WORK/no-such-object.bpf.o"
expect_dir "$D" "" "missing OBJ: no OUT, no temporary file"

head -c 4096 /dev/urandom > "$WORK/garbage.btf"
D=$(new_outdir)
run_bp min "$WORK/garbage.btf" "$D/out.btf" "$OBJ"
expect_rc 1 "SRC that is not BTF" || true
expect_dir "$D" "" "SRC that is not BTF: no OUT, no temporary file"

cp "$WORK/garbage.btf" "$WORK/garbage.bpf.o"
D=$(new_outdir)
run_bp min "$SRC" "$D/out.btf" "$WORK/garbage.bpf.o"
expect_rc 1 "OBJ that is not ELF" || true
expect_dir "$D" "" "OBJ that is not ELF: no OUT, no temporary file"

# truncated and damaged inputs: one line naming the file, exit 1, no OUT
obj_size=$(stat -c %s "$OBJ")
head -c $((obj_size / 2)) "$OBJ" > "$WORK/truncated.bpf.o"
D=$(new_outdir)
expect_error "truncated OBJ" "$WORK/truncated.bpf.o" -- min "$SRC" "$D/out.btf" "$WORK/truncated.bpf.o"
expect_dir "$D" "" "truncated OBJ: no OUT, no temporary file"

src_size=$(stat -c %s "$SRC")
head -c $((src_size / 2)) "$SRC" > "$WORK/truncated.btf"
D=$(new_outdir)
expect_error "truncated SRC" "$WORK/truncated.btf" -- min "$WORK/truncated.btf" "$D/out.btf" "$OBJ"
expect_dir "$D" "" "truncated SRC: no OUT, no temporary file"

# a BTF header whose type section claims more bytes than the file has
cp "$SRC" "$WORK/lying.btf"
printf '\377\377\377\177' | dd of="$WORK/lying.btf" bs=1 seek=12 conv=notrunc status=none
D=$(new_outdir)
expect_error "SRC with lying section sizes" "$WORK/lying.btf" -- min "$WORK/lying.btf" "$D/out.btf" "$OBJ"
expect_dir "$D" "" "SRC with lying section sizes: no OUT, no temporary file"

# a failure must leave an existing OUT as it was
D=$(new_outdir)
printf 'previous\n' > "$D/out.btf"
run_bp min "$WORK/no-such-kernel.btf" "$D/out.btf" "$OBJ"
expect_rc 1 "missing SRC with an existing OUT" || true
if [ "$(cat "$D/out.btf")" = previous ]; then
	pass "failure leaves the existing OUT untouched"
else
	fail "failure modified the existing OUT"
fi
expect_dir "$D" "out.btf" "failure with an existing OUT: no temporary file"

D=$(new_outdir)
run_bp min "$SRC" "$D/no-such-dir/out.btf" "$OBJ"
expect_rc 1 "OUT in a missing directory" || true

# ---- success: atomic OUT ---------------------------------------------------

D=$(new_outdir)
run_bp min "$SRC" "$D/out.btf" "$OBJ"
if expect_rc 0 "min SRC OUT OBJ"; then
	expect_dir "$D" "out.btf" "success: OUT and nothing else in its directory"
	if [ -s "$D/out.btf" ]; then
		pass "success: OUT is not empty ($(file_size "$D/out.btf") bytes)"
	else
		fail "success: OUT is empty"
	fi
	if [ -n "$BPFTOOL" ] || BPFTOOL=$(command -v bpftool); then
		if "$BPFTOOL" btf dump file "$D/out.btf" > /dev/null 2>&1; then
			pass "success: OUT parses as BTF (bpftool btf dump)"
		else
			fail "success: bpftool cannot parse OUT as BTF"
		fi
	fi
	cp "$D/out.btf" "$WORK/first.btf"
	printf 'previous\n' > "$D/out.btf"
	run_bp min "$SRC" "$D/out.btf" "$OBJ"
	expect_rc 0 "min over an existing OUT" || true
	expect_dir "$D" "out.btf" "overwrite: no temporary file"
	if cmp -s "$D/out.btf" "$WORK/first.btf"; then
		pass "overwrite: OUT replaced, same bytes as the first run"
	else
		fail "overwrite: OUT differs from the first run (not replaced or not deterministic)"
	fi
	# verify is the default; --verify and --no-verify change no byte
	for opt in --verify --no-verify; do
		d=$(new_outdir)
		run_bp min "$opt" "$SRC" "$d/out.btf" "$OBJ"
		expect_rc 0 "min $opt" || continue
		if cmp -s "$d/out.btf" "$WORK/first.btf"; then
			pass "min $opt: same bytes as the default"
		else
			fail "min $opt: output differs from the default"
		fi
	done
fi

# ---- objects without .BTF.ext: accepted with a warning ---------------------

# expect_warned DESCRIPTION OBJ...
expect_warned() {
	local desc=$1 d
	shift
	d=$(new_outdir)
	run_bp min "$SRC" "$d/out.btf" "$@"
	expect_rc 0 "$desc" || return 0
	if [ -n "$ERR_TXT" ]; then
		pass "$desc: warning on stderr ($(printf '%s' "$ERR_TXT" | head -n 1))"
	else
		fail "$desc: no warning on stderr"
	fi
	expect_dir "$d" "out.btf" "$desc: OUT written, no temporary file"
}

if [ -f "$WORK/obj/noext.bpf.o" ]; then
	expect_warned "object with .BTF but no .BTF.ext" "$WORK/obj/noext.bpf.o"
	expect_warned "no-.BTF.ext object among others" "$OBJ" "$WORK/obj/noext.bpf.o"
	if printf '%s' "$ERR_TXT" | grep -qF noext.bpf.o; then
		pass "the warning names the object without .BTF.ext"
	else
		fail "the warning does not name noext.bpf.o"
		show
	fi
else
	skip_case "object without .BTF.ext (no llvm-objcopy)"
fi
if [ -f "$WORK/obj/nodebug.bpf.o" ]; then
	expect_warned "object compiled without -g (no .BTF, no .BTF.ext)" "$WORK/obj/nodebug.bpf.o"
else
	skip_case "object compiled without -g (no clang)"
fi

finish
log "PASS"
