// SPDX-License-Identifier: MIT
/* btfpack build: command-line parsing; the work is in build_driver.c. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive/hub_member.h"
#include "batch/build.h"
#include "cmd/commands.h"
#include "batch/mem_budget.h"
#include "core/core_init.h"
#include "core/minimize.h"
#include "base/text.h"

void cmd_build_usage(FILE *out)
{
	fprintf(out,
		"Usage: btfpack build [OPTIONS] -o BUNDLE --obj FILE|DIR... HUB\n"
		"\n"
		"Minimize every kernel BTF of a BTFHub-style tree HUB\n"
		"(<distro>/<version>/<arch>/<kernel>.btf.tar.xz, also .tar.gz, .tar.zst,\n"
		"plain .btf and vmlinux ELF files) for the given BPF objects, and write one\n"
		"deduplicated, reproducible bundle with an index.json.\n"
		"\n"
		"Inputs:\n"
		"  --obj FILE|DIR           BPF object(s) for every architecture (repeatable;\n"
		"                           DIR: every *.o in it)\n"
		"  --obj-arch ARCH=FILE|DIR objects for one architecture only (repeatable)\n"
		"  --arch ARCH              only these architectures (repeatable; x86_64/amd64/x86,\n"
		"                           arm64/aarch64 are aliases)\n"
		"  --distro NAME            only these distros (repeatable)\n"
		"  --match GLOB             only inputs whose hub path matches (repeatable)\n"
		"  --max-member-size SIZE   refuse archive members above SIZE (K/M/G suffixes;\n"
		"                           default 256M): decompression bombs\n"
		"  --follow-symlinks        follow symlinks that lead outside the hub (by\n"
		"                           default only those resolving inside it are)\n"
		"  --max-memory SIZE        memory for kernels in flight across all workers\n"
		"                           (K/M/G; default half of RAM or of the cgroup's\n"
		"                           memory.max, whichever is less); workers wait for\n"
		"                           it, an input that alone needs more fails\n"
		"Output:\n"
		"  -o, --output BUNDLE      .tar.xz, .tar.gz, .tar.zst, .tar, or a directory\n"
		"  --profile NAME           native (default: btfpack's bundle and index.json),\n"
		"                           bcc (tar.gz of ustar regular files ./<key>.btf, as\n"
		"                           bcc's libbpf-tools and Inspektor Gadget read it),\n"
		"                           tree (a directory of regular files, for go:embed),\n"
		"                           btfhub (<key>.btf.tar.xz per kernel; a directory or\n"
		"                           one .tar.xz)\n"
		"  --aliases                also store each kernel under the keys consumers\n"
		"                           compute (quoted IDs, aarch64, minor versions,\n"
		"                           codenames; docs/lookup.md)\n"
		"  --dedup MODE             native only: symlink (default), hardlink, index\n"
		"                           (blobs/<xxh128>.btf), none (plain copies)\n"
		"  --report FILE|-          coverage per kernel x object: JSON file, or a table on\n"
		"                           stdout for '-'\n"
		"  --shard K/N              build only shard K of N (1 <= K <= N <= 4096), chosen\n"
		"                           by a hash of each input's bundle path; the bundle is a\n"
		"                           part for 'btfpack merge'\n"
		"  --keep-from OLD_BUNDLE   keep OLD_BUNDLE's entries whose source is gone from\n"
		"                           HUB, marked \"carried_from\" in index.json\n"
		"Behaviour:\n"
		"  -j, --jobs N             worker threads (default: online CPUs)\n"
		"  --cache DIR              reuse results and decoded kernels from DIR (made if\n"
		"                           missing; may be shared by concurrent runs)\n"
		"  --cache-max SIZE         after the run, evict least recently used cache\n"
		"                           entries until DIR holds at most SIZE (K/M/G)\n"
		"  --no-verify              do not re-decide every relocation against each\n"
		"                           minimized BTF (on by default; --verify is accepted)\n"
		"  --loader L               whose CO-RE rules the BTF must serve: libbpf (1.1\n"
		"                           to 1.5), cilium (cilium/ebpf) or all (default)\n"
		"  --strict                 any failed kernel fails the run (no bundle)\n"
		"  -q, --quiet              no progress line or summary\n"
		"  -h, --help               show this help\n"
		"\n"
		"Timestamps in the bundle come from SOURCE_DATE_EPOCH (default 0).\n"
		"Exit status: 0 all kernels ok, 3 bundle written but some kernels failed,\n"
		"1 error (no bundle written), 2 usage error.\n");
}

enum {
	OPT_OBJ = 256,
	OPT_OBJ_ARCH,
	OPT_ARCH,
	OPT_DISTRO,
	OPT_MATCH,
	OPT_DEDUP,
	OPT_MAX_MEMBER,
	OPT_MAX_MEMORY,
	OPT_REPORT,
	OPT_VERIFY,
	OPT_NO_VERIFY,
	OPT_STRICT,
	OPT_FOLLOW_SYMLINKS,
	OPT_SHARD,
	OPT_KEEP_FROM,
	OPT_CACHE,
	OPT_CACHE_MAX,
	OPT_PROFILE,
	OPT_ALIASES,
	OPT_LOADER,
};

struct pending_obj {
	const char *path;
	char *arch;
};

struct parse_state {
	struct pending_obj *objs;
	size_t obj_cnt;
	char **arches, **distros, **globs;
	size_t arch_cnt, distro_cnt, glob_cnt;
	bool dedup_given;
};

static int push_str(char ***list, size_t *cnt, const char *s)
{
	char **l = realloc(*list, (*cnt + 2) * sizeof(*l));

	if (!l)
		return -ENOMEM;
	*list = l;
	l[*cnt] = strdup(s);
	if (!l[*cnt])
		return -ENOMEM;
	l[++*cnt] = NULL;
	return 0;
}

static int push_obj(struct parse_state *ps, const char *arg, bool per_arch)
{
	struct pending_obj *p = realloc(ps->objs, (ps->obj_cnt + 1) * sizeof(*p));
	const char *eq;

	if (!p)
		return -ENOMEM;
	ps->objs = p;
	p = &ps->objs[ps->obj_cnt];
	p->arch = NULL;
	p->path = arg;
	if (per_arch) {
		eq = strchr(arg, '=');
		if (!eq || eq == arg || !eq[1]) {
			bp_print_errorf("build: --obj-arch wants ARCH=FILE|DIR, got '%s'", arg);
			return -EINVAL;
		}
		p->arch = strndup(arg, (size_t)(eq - arg));
		if (!p->arch)
			return -ENOMEM;
		p->path = eq + 1;
	}
	ps->obj_cnt++;
	return 0;
}

static int parse_size(const char *s, size_t *out)
{
	unsigned long long v, mult = 1;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -EINVAL;
	if (*end == 'K' || *end == 'k')
		mult = 1ULL << 10;
	else if (*end == 'M' || *end == 'm')
		mult = 1ULL << 20;
	else if (*end == 'G' || *end == 'g')
		mult = 1ULL << 30;
	else if (*end)
		return -EINVAL;
	if (mult != 1 && end[1])
		return -EINVAL;
	if (!v || v > SIZE_MAX / mult)
		return -EINVAL;
	*out = (size_t)(v * mult);
	return 0;
}

#define SHARD_MAX INDEX_PART_MAX

/* "K/N", plain decimal numbers. */
static int parse_shard(const char *s, unsigned int *k, unsigned int *n)
{
	unsigned long a, b;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	a = strtoul(s, &end, 10);
	if (errno || *end != '/' || end[1] < '0' || end[1] > '9')
		return -EINVAL;
	b = strtoul(end + 1, &end, 10);
	if (errno || *end || !a || a > b || b > SHARD_MAX)
		return -EINVAL;
	*k = (unsigned int)a;
	*n = (unsigned int)b;
	return 0;
}

int cmd_parse_epoch(const char *cmd, time_t *mtime)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;

	*mtime = 0;
	if (!s || !*s)
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < 0) {
		bp_print_errorf("%s: SOURCE_DATE_EPOCH '%s' is not a time in seconds", cmd, s);
		return -EINVAL;
	}
	*mtime = (time_t)v;
	return 0;
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	char msg[BP_PRINT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	bp_print_errorf("build: %s", msg);
	cmd_build_usage(stderr);
	return EXIT_USAGE;
}

static const struct option build_longopts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "obj", required_argument, NULL, OPT_OBJ },
	{ "obj-arch", required_argument, NULL, OPT_OBJ_ARCH },
	{ "arch", required_argument, NULL, OPT_ARCH },
	{ "distro", required_argument, NULL, OPT_DISTRO },
	{ "match", required_argument, NULL, OPT_MATCH },
	{ "dedup", required_argument, NULL, OPT_DEDUP },
	{ "max-member-size", required_argument, NULL, OPT_MAX_MEMBER },
	{ "max-memory", required_argument, NULL, OPT_MAX_MEMORY },
	{ "report", required_argument, NULL, OPT_REPORT },
	{ "verify", no_argument, NULL, OPT_VERIFY },
	{ "no-verify", no_argument, NULL, OPT_NO_VERIFY },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "follow-symlinks", no_argument, NULL, OPT_FOLLOW_SYMLINKS },
	{ "shard", required_argument, NULL, OPT_SHARD },
	{ "keep-from", required_argument, NULL, OPT_KEEP_FROM },
	{ "cache", required_argument, NULL, OPT_CACHE },
	{ "cache-max", required_argument, NULL, OPT_CACHE_MAX },
	{ "profile", required_argument, NULL, OPT_PROFILE },
	{ "aliases", no_argument, NULL, OPT_ALIASES },
	{ "loader", required_argument, NULL, OPT_LOADER },
	{ NULL, 0, NULL, 0 },
};

/* Options that take a value to check; CMD_RUN or an exit code. */
static int parse_value(int c, const char *arg, struct build_opts *o, struct parse_state *ps)
{
	long jobs;
	char *end;
	int ret = 0;

	switch (c) {
	case 'j':
		errno = 0;
		jobs = strtol(arg, &end, 10);
		if (errno || *end || jobs < 1 || jobs > 1024)
			return usage_error("-j wants a number from 1 to 1024, got '%s'", arg);
		o->jobs = (unsigned int)jobs;
		break;
	case OPT_OBJ:
	case OPT_OBJ_ARCH:
		ret = push_obj(ps, arg, c == OPT_OBJ_ARCH);
		if (ret == -EINVAL)
			return EXIT_USAGE;
		break;
	case OPT_ARCH: ret = push_str(&ps->arches, &ps->arch_cnt, arch_canonical(arg)); break;
	case OPT_DISTRO: ret = push_str(&ps->distros, &ps->distro_cnt, arg); break;
	case OPT_MATCH: ret = push_str(&ps->globs, &ps->glob_cnt, arg); break;
	case OPT_DEDUP:
		if (dedup_mode_parse(arg, &o->dedup))
			return usage_error("--dedup wants symlink, hardlink, index or none, got '%s'",
					   arg);
		ps->dedup_given = true;
		break;
	case OPT_PROFILE:
		if (bundle_profile_parse(arg, &o->profile))
			return usage_error("--profile wants native, bcc, tree or btfhub, got '%s'",
					   arg);
		break;
	case OPT_MAX_MEMBER:
		if (parse_size(arg, &o->member_cap))
			return usage_error("--max-member-size wants a size like 64M, got '%s'", arg);
		break;
	case OPT_MAX_MEMORY:
		if (parse_size(arg, &o->max_memory))
			return usage_error("--max-memory wants a size like 2G, got '%s'", arg);
		break;
	case OPT_LOADER:
		if (min_loader_parse(arg, &o->loaders))
			return usage_error("--loader wants libbpf, cilium or all, got '%s'", arg);
		break;
	case OPT_SHARD:
		if (parse_shard(arg, &o->shard, &o->shard_of))
			return usage_error("--shard wants K/N with 1 <= K <= N <= %u, got '%s'",
					   SHARD_MAX, arg);
		break;
	case OPT_CACHE_MAX:
		if (parse_size(arg, &o->cache_max) || !o->cache_max)
			return usage_error("--cache-max wants a size like 2G, got '%s'", arg);
		break;
	default:
		cmd_build_usage(stderr);
		return EXIT_USAGE;
	}
	if (ret == -ENOMEM) {
		bp_print_error("out of memory");
		return EXIT_ERROR;
	}
	return CMD_RUN;
}

static int parse_args(int argc, char **argv, struct build_opts *o, struct parse_state *ps)
{
	int c, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:j:qh", build_longopts, NULL)) != -1) {
		switch (c) {
		case 'o': o->output = optarg; break;
		case 'q': o->quiet = true; break;
		case 'h': cmd_build_usage(stdout); return EXIT_OK;
		case OPT_VERIFY: o->verify = true; break;
		case OPT_NO_VERIFY: o->verify = false; break;
		case OPT_STRICT: o->strict = true; break;
		case OPT_FOLLOW_SYMLINKS: o->filter.follow_symlinks = true; break;
		case OPT_REPORT: o->report = optarg; break;
		case OPT_KEEP_FROM: o->keep_from = optarg; break;
		case OPT_CACHE: o->cache_dir = optarg; break;
		case OPT_ALIASES: o->aliases = true; break;
		default:
			ret = parse_value(c, optarg, o, ps);
			if (ret != CMD_RUN)
				return ret;
		}
	}
	if (argc - optind != 1)
		return usage_error("expected exactly one HUB directory");
	if (!o->output)
		return usage_error("-o BUNDLE is required");
	if (!ps->obj_cnt)
		return usage_error("give BPF objects with --obj or --obj-arch");
	if (o->cache_max && !o->cache_dir)
		return usage_error("--cache-max needs --cache DIR");
	if (ps->dedup_given && o->profile != PROFILE_NATIVE)
		return usage_error("--dedup applies to --profile native only: %s holds plain files",
				   bundle_profile_name(o->profile));
	if (o->shard_of && o->profile != PROFILE_NATIVE)
		return usage_error("--shard writes a part for btfpack merge, always --profile native: give --profile %s to merge",
				   bundle_profile_name(o->profile));
	o->hub = argv[optind];
	o->filter.arches = ps->arches;
	o->filter.distros = ps->distros;
	o->filter.globs = ps->globs;
	return CMD_RUN;
}

/* path, absolute and with symlinks resolved as far as it exists (the rest
 * as written); NULL when nothing of it resolves.
 */
static char *resolve_output(const char *path)
{
	char *copy = strdup(path), *slash, *dir_real, *out = NULL;
	const char *dir, *base;

	if (!copy)
		return NULL;
	while (strlen(copy) > 1 && copy[strlen(copy) - 1] == '/')
		copy[strlen(copy) - 1] = '\0';
	slash = strrchr(copy, '/');
	if (slash) {
		*slash = '\0';
		dir = slash == copy ? "/" : copy;
		base = slash + 1;
	} else {
		dir = ".";
		base = copy;
	}
	dir_real = realpath(dir, NULL);
	/* a directory the run will create: resolve what exists above it */
	if (!dir_real && errno == ENOENT && strcmp(dir, "/") && strcmp(dir, "."))
		dir_real = resolve_output(dir);
	if (dir_real && asprintf(&out, "%s/%s", strcmp(dir_real, "/") ? dir_real : "", base) < 0)
		out = NULL;
	free(dir_real);
	free(copy);
	return out;
}

static bool path_within(const char *inner, const char *outer)
{
	size_t n = strlen(outer);

	return !strncmp(inner, outer, n) && (inner[n] == '/' || inner[n] == '\0');
}

/* A directory bundle inside the hub would be read back as input next time;
 * one containing the hub would swallow it. The report must not be the
 * bundle, nor lie inside it.
 */
static int check_output_location(const struct build_opts *o)
{
	char *hub = realpath(o->hub, NULL), *out = resolve_output(o->output);
	char *report = o->report && strcmp(o->report, "-") ? resolve_output(o->report) : NULL;
	int ret = 0;

	if (o->format == BUNDLE_DIR && hub && out &&
	    (path_within(out, hub) || path_within(hub, out))) {
		bp_print_errorf("build: output directory %s %s the hub %s; choose an output outside it",
				o->output, path_within(out, hub) ? "is inside" : "contains", o->hub);
		ret = -1;
	} else if (report && out && path_within(report, out)) {
		/* the report comes after the bundle: it would replace it, or
		 * land inside a directory bundle
		 */
		bp_print_errorf("build: --report %s %s the bundle %s; choose another path",
				o->report, strcmp(report, out) ? "is inside" : "is", o->output);
		ret = -1;
	}
	free(report);
	free(hub);
	free(out);
	return ret;
}

/* A name that promises an archive format we do not write must not quietly
 * become a directory.
 */
bool cmd_unsupported_archive_name(const char *path)
{
	static const char *const suffixes[] = {
		".bz2", ".tbz", ".tbz2", ".zip", ".lz4", ".lzma", ".lz", ".tlz", ".7z",
		".rar", ".Z", ".cpio", ".iso",
	};
	size_t n = strlen(path), i;

	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t k = strlen(suffixes[i]);

		if (n > k && !strcmp(path + n - k, suffixes[i]))
			return true;
	}
	return false;
}

static void free_list(char **l)
{
	char **p;

	for (p = l; p && *p; p++)
		free(*p);
	free(l);
}

static int load_objects(struct build_opts *o, const struct parse_state *ps)
{
	struct bp_err err;
	size_t i;

	for (i = 0; i < ps->obj_cnt; i++) {
		if (obj_set_add(&o->objs, ps->objs[i].path, ps->objs[i].arch, o->quiet, &err)) {
			bp_print_error(err.msg);
			return -1;
		}
	}
	return 0;
}

static int exit_code(enum build_outcome outcome)
{
	switch (outcome) {
	case BUILD_OK: return EXIT_OK;
	case BUILD_PARTIAL: return EXIT_PARTIAL;
	default: return EXIT_ERROR;
	}
}

int cmd_build(int argc, char **argv)
{
	struct build_opts o = {
		.dedup = DEDUP_SYMLINK,
		.member_cap = HUB_MEMBER_DEFAULT_CAP,
		/* costs ~1 % of a build (bench/verify.sh): on unless asked */
		.verify = true,
		.loaders = MIN_LOADER_ALL,
	};
	struct parse_state ps = { 0 };
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t i;
	int code;

	o.jobs = cpus > 0 ? (unsigned int)cpus : 1;
	o.max_memory = mem_budget_default();
	code = parse_args(argc, argv, &o, &ps);
	if (code == CMD_RUN && cmd_parse_epoch("build", &o.mtime))
		code = EXIT_USAGE;
	if (code == CMD_RUN) {
		struct bp_err err = { { 0 } };

		if (bundle_profile_output(o.profile, o.output, &o.format, &o.out_flags, &err))
			code = usage_error("-o %s", err.msg);
		else if (o.format == BUNDLE_DIR && cmd_unsupported_archive_name(o.output))
			code = usage_error("-o %s: unsupported bundle format (use .tar, .tar.gz, .tar.xz, .tar.zst or a directory)",
					   o.output);
		else if (check_output_location(&o))
			code = EXIT_USAGE;
	}
	if (code == CMD_RUN) {
		core_init(false);
		code = load_objects(&o, &ps) ? EXIT_ERROR : exit_code(build_run(&o));
	}
	obj_set_free(&o.objs);
	for (i = 0; i < ps.obj_cnt; i++)
		free(ps.objs[i].arch);
	free(ps.objs);
	free_list(ps.arches);
	free_list(ps.distros);
	free_list(ps.globs);
	return code;
}
