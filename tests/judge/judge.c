/*
 * btfpack-judge: report libbpf's own CO-RE relocation decisions for one BPF
 * object against one target BTF, in a normalized, deterministic form.
 *
 *   btfpack-judge [--load-report] [--raw] OBJ BTF
 *   btfpack-judge --check-bpf | --version
 *
 * The object is opened with bpf_object_open_opts.btf_custom_path = BTF and
 * loaded; libbpf's debug log is captured through libbpf_set_print() and the
 * lines that record CO-RE decisions are printed to stdout, normalized so
 * that a run against a minimized BTF can be diffed with a run against the
 * full BTF it was cut from:
 *
 *   - target type ids ("[1234]"), raw accessor lists ("0:12:3") and
 *     candidate numbers ("#2") are dropped from candidate specs, since a
 *     minimized BTF legitimately renumbers types and members;
 *   - "non-matching candidate" and candidate-discovery lines are dropped;
 *   - the matching-candidate lines of one relocation are sorted and
 *     de-duplicated (their order follows target type ids);
 *   - the new value patched for <target_type_id> relocations is printed as
 *     "id" (non-zero) or "0";
 *   - the two values of an ambiguity warning are printed in sorted order.
 *
 * The first line names the loader: "judge: libbpf 1.5.0 (v1.5)", the package
 * version the judge was built against and the runtime's own version string
 * (the same judge.c is built against libbpf 1.1 and 1.5).
 * The last line is the load outcome: "load: ok", "load: failed (ENAME)" or
 * "load: failed before CO-RE (ENAME)" when the object has CO-RE
 * relocations but libbpf failed before it got to them (maps, BTF, ...).
 * With --load-report, every program is then loaded on its own and one line
 * "prog NAME: loaded|rejected" is printed per program.
 * With --raw, the unfiltered libbpf log goes to stderr.
 *
 * --check-bpf only checks that BPF maps can be created (exit 0 or 77).
 *
 * Exit status: 0 when the judge ran (whatever the load outcome), 77 when the
 * bpf() syscall is unavailable or not permitted, 1 on any other error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gelf.h>
#include <libelf.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#define EXIT_SKIP 77

/* "libbpf 1.1.2": set by tests/judge/CMakeLists.txt from the .pc file */
#ifndef JUDGE_LOADER
#error "JUDGE_LOADER must name the libbpf package version built against"
#endif

/* ---- growable list of owned strings ---------------------------------- */

struct strlist {
	char **v;
	size_t n, cap;
};

static void *xrealloc(void *p, size_t sz)
{
	void *q = realloc(p, sz ? sz : 1);

	if (!q) {
		fprintf(stderr, "btfpack-judge: out of memory\n");
		exit(1);
	}
	return q;
}

static char *xstrdup(const char *s)
{
	size_t len = strlen(s) + 1;

	return memcpy(xrealloc(NULL, len), s, len);
}

static void strlist_push(struct strlist *l, char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = s;
}

static void strlist_clear(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	l->n = 0;
}

static void strlist_free(struct strlist *l)
{
	strlist_clear(l);
	free(l->v);
	l->v = NULL;
	l->cap = 0;
}

static char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0) {
		fprintf(stderr, "btfpack-judge: out of memory\n");
		exit(1);
	}
	va_end(ap);
	return s;
}

/* ---- log capture and normalization ----------------------------------- */

struct judge {
	bool raw;              /* echo the unfiltered log to stderr */
	bool quiet;            /* discard the log */
	bool scan;             /* per-program pass: only look for load markers */
	bool prog_load_failed; /* scan: "prog 'X': failed to load: ..." seen */
	bool slot_init_failed; /* scan: prog array slot initialization failed */
	bool core_seen;        /* any CO-RE relocation line was seen */
	char *partial;         /* log text not yet terminated by '\n' */
	size_t partial_len;
	struct strlist out;    /* normalized output lines, in order */
	struct strlist cands;  /* pending matching-candidate lines */
	/* kind of the relocation whose lines are being read */
	char cur_prog[128];
	long cur_relo;
	bool cur_type_id_target;
};

static struct judge J;

static const char LIBBPF_PFX[] = "libbpf: ";

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort the buffered matching-candidate lines, drop duplicates, emit them. */
static void flush_cands(void)
{
	if (!J.cands.n)
		return;
	qsort(J.cands.v, J.cands.n, sizeof(*J.cands.v), cmp_str);
	for (size_t i = 0; i < J.cands.n; i++) {
		if (i > 0 && strcmp(J.cands.v[i], J.cands.v[i - 1]) == 0) {
			free(J.cands.v[i]);
			continue;
		}
		strlist_push(&J.out, J.cands.v[i]);
	}
	J.cands.n = 0;
}

static void emit(char *s)
{
	flush_cands();
	strlist_push(&J.out, s);
}

static bool all_digits(const char *s, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/*
 * Normalize a candidate spec as printed by bpf_core_format_spec():
 *   "<kind> [ID] KINDSTR NAME[.a.b] (0:1:2 @ offset N)"
 * becomes
 *   "<kind> KINDSTR NAME[.a.b] (@ offset N)"
 */
static char *norm_cand_spec(const char *spec)
{
	char *s = xstrdup(spec), *p, *q;

	/* drop the " [ID]" following "<kind>" */
	p = strstr(s, "> [");
	if (p) {
		q = strchr(p + 3, ']');
		if (q && all_digits(p + 3, (size_t)(q - (p + 3)))) {
			q++;
			if (*q == ' ')
				q++;
			memmove(p + 2, q, strlen(q) + 1);
		}
	}
	/* drop the raw accessor list in " (0:1:2 @ offset N)" */
	p = strstr(s, " @ offset ");
	if (p) {
		q = p;
		while (q > s && ((q[-1] >= '0' && q[-1] <= '9') || q[-1] == ':'))
			q--;
		if (q > s && q[-1] == '(')
			memmove(q, p + 1, strlen(p + 1) + 1);
	}
	return s;
}

/* "A != B" with unsigned numbers: print them in ascending order */
static char *norm_offset_ambiguity(const char *head, const char *rest)
{
	unsigned long long a, b;

	if (sscanf(rest, "%llu != %llu", &a, &b) != 2)
		return xasprintf("%s%s", head, rest);
	if (a > b) {
		unsigned long long t = a;

		a = b;
		b = t;
	}
	return xasprintf("%sfield offset ambiguity: %llu != %llu", head, a, b);
}

/* "success 12 != failure 0": sort the two (word, value) pairs */
static char *norm_decision_ambiguity(const char *head, const char *rest,
				     bool type_id_target)
{
	char w1[16], w2[16], v1[32], v2[32];
	unsigned long long a, b;
	int cmp;

	if (sscanf(rest, "%15s %llu != %15s %llu", w1, &a, w2, &b) != 4)
		return xasprintf("%srelocation decision ambiguity: %s", head, rest);
	if (type_id_target) {
		snprintf(v1, sizeof(v1), "%s", a ? "id" : "0");
		snprintf(v2, sizeof(v2), "%s", b ? "id" : "0");
	} else {
		snprintf(v1, sizeof(v1), "%llu", a);
		snprintf(v2, sizeof(v2), "%llu", b);
	}
	cmp = strcmp(w1, w2);
	if (cmp > 0 || (cmp == 0 && b < a))
		return xasprintf("%srelocation decision ambiguity: %s %s != %s %s",
				 head, w2, v2, w1, v1);
	return xasprintf("%srelocation decision ambiguity: %s %s != %s %s",
			 head, w1, v1, w2, v2);
}

/* For <target_type_id>: replace a trailing "-> N" by "-> id" or "-> 0". */
static char *norm_new_type_id(const char *line)
{
	const char *arrow = strstr(line, "-> ");
	const char *last = NULL;

	while (arrow) {
		last = arrow;
		arrow = strstr(arrow + 3, "-> ");
	}
	if (!last || !all_digits(last + 3, strlen(last + 3)))
		return xstrdup(line);
	return xasprintf("%.*s-> %s", (int)(last - line), line,
			 strtoull(last + 3, NULL, 10) ? "id" : "0");
}

static bool starts_with(const char *s, const char *pfx)
{
	return strncmp(s, pfx, strlen(pfx)) == 0;
}

/* Is (prog NAME, relo IDX) the <target_type_id> relocation being read? */
static bool is_cur_type_id_target(const char *name, const char *name_end, long idx)
{
	size_t nlen = (size_t)(name_end - name);

	return J.cur_type_id_target && J.cur_relo == idx && strlen(J.cur_prog) == nlen &&
	       strncmp(J.cur_prog, name, nlen) == 0;
}

/*
 * "prog 'NAME': relo #N: BODY" (see relo_core.c / libbpf.c).
 * Returns true if the line had that shape and was handled.
 */
static bool handle_relo_line(const char *line)
{
	const char *name, *name_end, *p, *body;
	char *head;
	char *end;
	long idx;

	if (!starts_with(line, "prog '"))
		return false;
	name = line + 6;
	name_end = strstr(name, "': relo #");
	if (!name_end)
		return false;
	p = name_end + 9;
	idx = strtol(p, &end, 10);
	if (end == p || strncmp(end, ": ", 2) != 0)
		return false;
	body = end + 2;
	head = xasprintf("%.*s", (int)(body - line), line);
	J.core_seen = true;

	if (body[0] == '<') {
		/* local spec line: "<kind> [id] ...": starts a relocation */
		size_t nlen = (size_t)(name_end - name);

		if (nlen >= sizeof(J.cur_prog))
			nlen = sizeof(J.cur_prog) - 1;
		memcpy(J.cur_prog, name, nlen);
		J.cur_prog[nlen] = '\0';
		J.cur_relo = idx;
		J.cur_type_id_target = starts_with(body, "<target_type_id>");
		emit(xstrdup(line));
	} else if (starts_with(body, "non-matching candidate ")) {
		/* dropped */
	} else if (starts_with(body, "matching candidate #")) {
		const char *spec = strchr(body + 20, ' ');
		char *n = norm_cand_spec(spec ? spec + 1 : "");

		strlist_push(&J.cands, xasprintf("%smatching candidate %s", head, n));
		free(n);
	} else if (starts_with(body, "error matching candidate #")) {
		const char *spec = strchr(body + 26, ' ');
		char *n = norm_cand_spec(spec ? spec + 1 : "");

		emit(xasprintf("%serror matching candidate %s", head, n));
		free(n);
	} else if (starts_with(body, "field offset ambiguity: ")) {
		emit(norm_offset_ambiguity(head, body + 24));
	} else if (starts_with(body, "relocation decision ambiguity: ")) {
		bool tid = is_cur_type_id_target(name, name_end, idx);

		emit(norm_decision_ambiguity(head, body + 31, tid));
	} else {
		bool tid = is_cur_type_id_target(name, name_end, idx);

		/* patched/unexpected insn lines carry the target id last */
		if (tid && strstr(body, "-> "))
			emit(norm_new_type_id(line));
		else
			emit(xstrdup(line));
	}
	free(head);
	return true;
}

static void handle_line(const char *line)
{
	if (starts_with(line, LIBBPF_PFX))
		line += sizeof(LIBBPF_PFX) - 1;

	if (J.scan) {
		if (starts_with(line, "prog '") && strstr(line, "': failed to load: "))
			J.prog_load_failed = true;
		if (starts_with(line, "map '") && strstr(line, "': failed to initialize slot ["))
			J.slot_init_failed = true;
		return;
	}

	if (handle_relo_line(line))
		return;

	if (starts_with(line, "CO-RE relocating ")) {
		/* candidate discovery: "... found target candidate [id] ..." */
		J.core_seen = true;
		return;
	}
	if (starts_with(line, "sec '") && strstr(line, " CO-RE relocation")) {
		/* "found N CO-RE relocations", "skipping CO-RE relocation #N ..." */
		J.core_seen = true;
		emit(xstrdup(line));
		return;
	}
	if (starts_with(line, "failed to perform CO-RE relocations") ||
	    starts_with(line, "failed to parse target BTF")) {
		J.core_seen = true;
		emit(xstrdup(line));
		return;
	}
	if (starts_with(line, "unexpected kind ") && strstr(line, " relocated, local [")) {
		/* "..., target [ID]": the target id is renumbered by minimization */
		const char *t = strstr(line, ", target [");

		emit(t ? xasprintf("%.*s, target [id]", (int)(t - line), line)
		       : xstrdup(line));
		return;
	}
	if (starts_with(line, "prog '") &&
	    (strstr(line, "': relo for [") || strstr(line, "can't be applied to array access") ||
	     strstr(line, "can't be satisfied for bitfield"))) {
		/* spec parsing / calc warnings; local data only */
		emit(xstrdup(line));
		return;
	}
}

static int print_fn(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char *msg, *start, *nl;
	size_t len;

	(void)level;
	if (J.quiet)
		return 0;
	if (vasprintf(&msg, fmt, ap) < 0)
		return 0;
	if (J.raw)
		fputs(msg, stderr);

	len = strlen(msg);
	J.partial = xrealloc(J.partial, J.partial_len + len + 1);
	memcpy(J.partial + J.partial_len, msg, len + 1);
	J.partial_len += len;
	free(msg);

	start = J.partial;
	while ((nl = strchr(start, '\n'))) {
		*nl = '\0';
		/* libbpf sometimes leaves a stray blank after a newline */
		while (*start == ' ')
			start++;
		if (*start)
			handle_line(start);
		start = nl + 1;
	}
	len = strlen(start);
	memmove(J.partial, start, len + 1);
	J.partial_len = len;
	return 0;
}

static void flush_partial(void)
{
	if (J.partial_len) {
		char *s = J.partial;

		while (*s == ' ')
			s++;
		if (*s)
			handle_line(s);
	}
	J.partial_len = 0;
	if (J.partial)
		J.partial[0] = '\0';
	flush_cands();
}

/* ---- helpers --------------------------------------------------------- */

/* "ENOENT", or for libbpf's own codes (4000+) "E4001 Invalid BPF object format" */
static const char *errname(int err)
{
	static char buf[160];
	char msg[128];
	const char *n;

	if (err < 0)
		err = -err;
	n = strerrorname_np(err);
	if (n)
		return n;
	if (libbpf_strerror(err, msg, sizeof(msg)) == 0)
		snprintf(buf, sizeof(buf), "E%d %s", err, msg);
	else
		snprintf(buf, sizeof(buf), "E%d", err);
	return buf;
}

static uint32_t rd32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Raw contents of section NAME of the ELF file at PATH (malloc'd), or NULL. */
static unsigned char *read_elf_section(const char *path, const char *name, size_t *size)
{
	unsigned char *buf = NULL;
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	Elf *elf;
	int fd;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_getshdrstrndx(elf, &shstrndx) != 0)
		goto out;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *sname;
		Elf_Data *data;

		if (!gelf_getshdr(scn, &sh))
			break;
		sname = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!sname || strcmp(sname, name) != 0)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data || !data->d_buf)
			break;
		buf = xrealloc(NULL, data->d_size);
		memcpy(buf, data->d_buf, data->d_size);
		*size = data->d_size;
		break;
	}
out:
	if (elf)
		elf_end(elf);
	close(fd);
	return buf;
}

/*
 * Number of CO-RE relocation records in OBJ's .BTF.ext (0 if the object has
 * none or no .BTF.ext at all); -1 if .BTF.ext is malformed.
 * Layout: header {u16 magic; u8 version, flags; u32 hdr_len; u32 func_info
 * off/len; u32 line_info off/len; u32 core_relo off/len}, offsets relative
 * to the end of the header; core_relo = u32 rec_size, then per section
 * {u32 sec_name_off; u32 num_info; num_info * rec_size bytes}.
 */
static long count_core_relos(const char *obj_path)
{
	const unsigned char *p, *end;
	unsigned char *raw;
	uint32_t hdr_len, off, len, rec_size;
	size_t size = 0;
	long total = 0;

	raw = read_elf_section(obj_path, ".BTF.ext", &size);
	if (!raw)
		return 0;
	if (size < 8 || raw[0] != 0x9f || raw[1] != 0xeb) {
		total = -1;
		goto out;
	}
	hdr_len = rd32(raw + 4);
	if (hdr_len < 32 || hdr_len > size)
		goto out; /* header without a core_relo part */
	off = rd32(raw + 24);
	len = rd32(raw + 28);
	if (!len)
		goto out;
	if ((uint64_t)hdr_len + off + len > size || len < 4) {
		total = -1;
		goto out;
	}
	p = raw + hdr_len + off;
	end = p + len;
	rec_size = rd32(p);
	p += 4;
	while (p + 8 <= end) {
		uint32_t n = rd32(p + 4);

		p += 8;
		if ((uint64_t)n * rec_size > (uint64_t)(end - p)) {
			total = -1;
			goto out;
		}
		p += (size_t)n * rec_size;
		total += n;
	}
out:
	free(raw);
	return total;
}

static struct bpf_object *open_obj(const char *obj_path, const char *btf_path)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .btf_custom_path = btf_path);
	struct bpf_object *obj;

	obj = bpf_object__open_file(obj_path, &opts);
	if (!obj) {
		int err = errno;
		char msg[128];

		flush_partial();
		libbpf_strerror(err, msg, sizeof(msg));
		fprintf(stderr, "btfpack-judge: cannot open %s: %s\n", obj_path, msg);
	}
	return obj;
}

/* Can this process create BPF maps? 0 yes, EXIT_SKIP no, 1 other error. */
static int check_bpf_available(void)
{
	int fd, err;

	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "judge_probe", 4, 4, 1, NULL);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	err = errno;
	if (err == EPERM || err == EACCES || err == ENOSYS || err == EOPNOTSUPP) {
		fprintf(stderr,
			"btfpack-judge: bpf() syscall unavailable (%s: %s); "
			"needs root/CAP_BPF and a kernel with bpf()\n",
			errname(err), strerror(err));
		return EXIT_SKIP;
	}
	fprintf(stderr, "btfpack-judge: bpf_map_create probe failed: %s\n", strerror(err));
	return 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: btfpack-judge [--load-report] [--raw] OBJ BTF\n"
		"       btfpack-judge --check-bpf | --version\n"
		"  Load OBJ with libbpf using BTF for CO-RE relocation and print\n"
		"  libbpf's CO-RE decisions, normalized, then the load outcome.\n"
		"  --load-report  also load each program alone and print\n"
		"                 'prog NAME: loaded|rejected'\n"
		"  --raw          copy libbpf's unfiltered log to stderr\n"
		"  --check-bpf    only check that the bpf() syscall is usable\n"
		"  --version      print the loader and its version\n"
		"exit: 0 ran, 77 bpf() unavailable, 1 error\n");
}

static void print_loader(const char *pfx)
{
	printf("%s" JUDGE_LOADER " (%s)\n", pfx, libbpf_version_string());
}

/* ---- main ------------------------------------------------------------- */

int main(int argc, char **argv)
{
	const char *obj_path = NULL, *btf_path = NULL;
	bool load_report = false, check_only = false;
	struct strlist progs = {0};
	struct bpf_object *obj;
	struct bpf_program *prog;
	long core_relos;
	int i, err, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--load-report") == 0) {
			load_report = true;
		} else if (strcmp(argv[i], "--check-bpf") == 0) {
			check_only = true;
		} else if (strcmp(argv[i], "--raw") == 0) {
			J.raw = true;
		} else if (strcmp(argv[i], "--version") == 0) {
			print_loader("btfpack-judge: ");
			return fflush(stdout) == 0 ? 0 : 1;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "btfpack-judge: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return 1;
		} else if (!obj_path) {
			obj_path = argv[i];
		} else if (!btf_path) {
			btf_path = argv[i];
		} else {
			usage(stderr);
			return 1;
		}
	}
	if (check_only) {
		if (obj_path) {
			usage(stderr);
			return 1;
		}
		libbpf_set_print(print_fn);
		J.quiet = true;
		return check_bpf_available();
	}
	if (!obj_path || !btf_path) {
		usage(stderr);
		return 1;
	}
	if (access(obj_path, R_OK) != 0) {
		fprintf(stderr, "btfpack-judge: %s: %s\n", obj_path, strerror(errno));
		return 1;
	}
	if (access(btf_path, R_OK) != 0) {
		fprintf(stderr, "btfpack-judge: %s: %s\n", btf_path, strerror(errno));
		return 1;
	}

	libbpf_set_print(print_fn);

	J.quiet = true;
	rc = check_bpf_available();
	if (rc)
		return rc;
	core_relos = count_core_relos(obj_path);
	J.quiet = false;

	obj = open_obj(obj_path, btf_path);
	if (!obj)
		return 1;
	bpf_object__for_each_program(prog, obj)
		strlist_push(&progs, xstrdup(bpf_program__name(prog)));

	err = bpf_object__load(obj);
	flush_partial();
	J.quiet = true;
	bpf_object__close(obj);

	print_loader("judge: ");
	for (size_t k = 0; k < J.out.n; k++)
		printf("%s\n", J.out.v[k]);
	if (!err)
		printf("load: ok\n");
	else if (!J.core_seen && core_relos != 0)
		printf("load: failed before CO-RE (%s)\n", errname(err));
	else
		printf("load: failed (%s)\n", errname(err));

	if (load_report) {
		/* each program alone: one load outcome per program */
		for (size_t k = 0; k < progs.n; k++) {
			struct bpf_program *p;
			int lerr;

			obj = open_obj(obj_path, btf_path);
			if (!obj) {
				strlist_free(&progs);
				strlist_free(&J.out);
				return 1;
			}
			bpf_object__for_each_program(p, obj)
				bpf_program__set_autoload(p, strcmp(bpf_program__name(p),
								    progs.v[k]) == 0);
			J.quiet = false;
			J.scan = true;
			J.prog_load_failed = J.slot_init_failed = false;
			lerr = bpf_object__load(obj);
			flush_partial();
			J.quiet = true;
			J.scan = false;
			bpf_object__close(obj);
			/*
			 * A program that passed the verifier but whose object
			 * then failed to fill a prog array slot with a program
			 * not loaded in this pass still counts as loaded.
			 */
			if (lerr && J.slot_init_failed && !J.prog_load_failed)
				lerr = 0;
			printf("prog %s: %s\n", progs.v[k], lerr ? "rejected" : "loaded");
		}
	}

	if (fflush(stdout) != 0) {
		perror("btfpack-judge: stdout");
		rc = 1;
	}
	strlist_free(&progs);
	strlist_free(&J.out);
	strlist_free(&J.cands);
	free(J.partial);
	return rc;
}
