// SPDX-License-Identifier: MIT
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "batch/hub_walk.h"
#include "base/text.h"
#include "dedup/hash.h"

#define HUB_MAX_DEPTH 16

static const struct {
	const char *alias;
	const char *canonical;
} arch_aliases[] = {
	{ "amd64", "x86_64" },
	{ "x86", "x86_64" },
	{ "x64", "x86_64" },
	{ "aarch64", "arm64" },
	{ "armv8", "arm64" },
};

const char *arch_canonical(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(arch_aliases) / sizeof(arch_aliases[0]); i++) {
		if (!strcmp(name, arch_aliases[i].alias))
			return arch_aliases[i].canonical;
	}
	return name;
}

static const struct {
	const char *suffix;
	enum hub_input_kind kind;
} input_suffixes[] = {
	{ ".btf.tar.xz", HUB_ARCHIVE },
	{ ".btf.tar.gz", HUB_ARCHIVE },
	{ ".btf.tgz", HUB_ARCHIVE },
	{ ".btf.tar.zst", HUB_ARCHIVE },
	{ ".btf.tar", HUB_ARCHIVE },
	{ ".btf", HUB_RAW },
};

/* Input kind and release name of a file name; false if not an input. */
static bool classify(const char *name, enum hub_input_kind *kind, size_t *release_len)
{
	size_t n = strlen(name), i;

	for (i = 0; i < sizeof(input_suffixes) / sizeof(input_suffixes[0]); i++) {
		size_t s = strlen(input_suffixes[i].suffix);

		if (n > s && !strcmp(name + n - s, input_suffixes[i].suffix)) {
			*kind = input_suffixes[i].kind;
			*release_len = n - s;
			return true;
		}
	}
	if (!strncmp(name, "vmlinux", 7)) {
		*kind = HUB_ELF;
		*release_len = n;
		return true;
	}
	return false;
}

static bool in_list(char **list, const char *s)
{
	if (!list)
		return true;
	for (; *list; list++) {
		if (!strcmp(*list, s))
			return true;
	}
	return false;
}

static bool matches_globs(char **globs, const char *s)
{
	if (!globs)
		return true;
	for (; *globs; globs++) {
		if (!fnmatch(*globs, s, 0))
			return true;
	}
	return false;
}

/* inner is outer or lies below it (both absolute, resolved). */
static bool path_within(const char *inner, const char *outer)
{
	size_t n = strlen(outer);

	if (n == 1 && outer[0] == '/')
		return true;
	return !strncmp(inner, outer, n) && (inner[n] == '/' || inner[n] == '\0');
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct dir_id {
	dev_t dev;
	ino_t ino;
};

struct walker {
	const char *root;
	char *root_real;	/* the hub with symlinks resolved: where links may lead */
	/* the directories being walked, outermost first: entering one of
	 * them again (through a symlink) would walk forever
	 */
	struct dir_id stack[HUB_MAX_DEPTH + 1];
	int stack_len;
	const struct hub_filter *filter;
	struct hub_list *out;
	size_t cap;
	struct bp_err *err;
};

/* Split "a/b/c/d/file" into its path fields. */
static int fill_fields(struct hub_kernel *k, const char *rel, size_t release_len,
		       const char *file)
{
	const char *comp[4] = { "", "", "", "" };
	const char *slash = strrchr(rel, '/');
	char *copy = strdup(rel), *p, *save = NULL;
	size_t n = 0, dir_len = slash ? (size_t)(slash - rel) + 1 : 0;
	int ret = 0;

	if (!copy)
		return -ENOMEM;
	/* the last three directory components are distro/version/arch */
	for (p = strtok_r(copy, "/", &save); p; p = strtok_r(NULL, "/", &save)) {
		comp[0] = comp[1];
		comp[1] = comp[2];
		comp[2] = comp[3];
		comp[3] = p;
		n++;
	}
	k->distro = strdup(n == 4 ? comp[0] : "");
	k->version = strdup(n == 4 ? comp[1] : "");
	k->arch = strdup(n == 4 ? arch_canonical(comp[2]) : "");
	if (n != 4 && !k->problem)
		k->problem = strdup("not at <distro>/<version>/<arch>/<kernel> under the hub");
	if (k->kind == HUB_ELF && !strncmp(file, "vmlinux-", 8) && release_len > 8)
		k->release = strndup(file + 8, release_len - 8);
	else
		k->release = strndup(file, release_len);
	if (k->release &&
	    asprintf(&k->bundle_path, "%.*s%s.btf", (int)dir_len, rel, k->release) < 0)
		k->bundle_path = NULL;
	if (!k->distro || !k->version || !k->arch || !k->release || !k->bundle_path)
		ret = -ENOMEM;
	free(copy);
	return ret;
}

void hub_kernel_free(struct hub_kernel *k)
{
	free(k->source);
	free(k->abs_path);
	free(k->distro);
	free(k->version);
	free(k->arch);
	free(k->release);
	free(k->bundle_path);
	free(k->problem);
}

static bool selected(const struct hub_filter *f, const struct hub_kernel *k)
{
	/* a directory that could not be walked may hold selected inputs: it is
	 * dropped only for what its own path already rules out
	 */
	if (k->kind == HUB_DIR)
		return (!k->distro[0] || in_list(f->distros, k->distro)) &&
		       (!k->arch[0] || in_list(f->arches, k->arch));
	/* an input at the wrong depth has no arch or distro to filter on */
	if (k->problem && !k->arch[0] && (f->arches || f->distros))
		return false;
	return in_list(f->arches, k->arch) && in_list(f->distros, k->distro) &&
	       matches_globs(f->globs, k->source);
}

/* A new zeroed entry at the end of the list, holding its paths. */
static struct hub_kernel *new_entry(struct walker *w, const char *rel, const char *abs,
				    enum hub_input_kind kind)
{
	struct hub_kernel *k;

	if (w->out->cnt == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 64;

		k = realloc(w->out->kernels, cap * sizeof(*k));
		if (!k)
			return NULL;
		w->out->kernels = k;
		w->cap = cap;
	}
	k = &w->out->kernels[w->out->cnt++];
	memset(k, 0, sizeof(*k));
	k->kind = kind;
	k->source = strdup(rel);
	k->abs_path = strdup(abs);
	return k->source && k->abs_path ? k : NULL;
}

/* Remember an architecture the filters left out (a handful per hub). */
static int note_filtered_arch(struct hub_list *l, const char *arch)
{
	char **grown;
	size_t i;

	if (!arch[0])
		return 0;
	for (i = 0; i < l->filtered_arch_cnt; i++)
		if (!strcmp(l->filtered_arches[i], arch))
			return 0;
	grown = realloc(l->filtered_arches, (l->filtered_arch_cnt + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	l->filtered_arches = grown;
	grown[l->filtered_arch_cnt] = strdup(arch);
	if (!grown[l->filtered_arch_cnt])
		return -ENOMEM;
	l->filtered_arch_cnt++;
	return 0;
}

/* Make the text fields valid UTF-8, then drop the entry unless selected. */
static int keep_if_selected(struct walker *w, struct hub_kernel *k)
{
	if (bp_utf8_sanitize(k->source) && !k->problem &&
	    !(k->problem = strdup("file name is not valid UTF-8")))
		return -ENOMEM;
	bp_utf8_sanitize(k->distro);
	bp_utf8_sanitize(k->version);
	bp_utf8_sanitize(k->arch);
	bp_utf8_sanitize(k->release);
	bp_utf8_sanitize(k->bundle_path);
	if (!selected(w->filter, k)) {
		int ret = note_filtered_arch(w->out, k->arch);

		w->out->filtered_out++;
		w->out->cnt--;
		hub_kernel_free(k);
		return ret;
	}
	return 0;
}

static int add_kernel(struct walker *w, const char *rel, const char *abs,
		      const char *file, enum hub_input_kind kind, size_t release_len,
		      const char *problem)
{
	struct hub_kernel *k = new_entry(w, rel, abs, kind);
	int ret;

	if (!k)
		return -ENOMEM;
	if (problem && !(k->problem = strdup(problem)))
		return -ENOMEM;
	ret = fill_fields(k, rel, release_len, file);
	return ret ? ret : keep_if_selected(w, k);
}

/* A directory the walk could not enter is one failed entry: the rest of
 * the hub is still built, and the index says what was left out. Its path
 * fields are its first three components, as deep as it goes.
 */
static int add_dir_problem(struct walker *w, const char *rel, const char *abs,
			   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int add_dir_problem(struct walker *w, const char *rel, const char *abs,
			   const char *fmt, ...)
{
	const char *comp[3] = { "", "", "" };
	struct hub_kernel *k = new_entry(w, rel, abs, HUB_DIR);
	char *copy, *p, *save = NULL;
	size_t n = 0;
	va_list ap;
	int ret;

	if (!k)
		return -ENOMEM;
	va_start(ap, fmt);
	ret = vasprintf(&k->problem, fmt, ap);
	va_end(ap);
	if (ret < 0) {
		k->problem = NULL;
		return -ENOMEM;
	}
	copy = strdup(rel);
	if (!copy)
		return -ENOMEM;
	for (p = strtok_r(copy, "/", &save); p && n < 3; p = strtok_r(NULL, "/", &save))
		comp[n++] = p;
	k->distro = strdup(comp[0]);
	k->version = strdup(comp[1]);
	k->arch = strdup(arch_canonical(comp[2]));
	k->release = strdup("");
	k->bundle_path = strdup(rel);
	free(copy);
	if (!k->distro || !k->version || !k->arch || !k->release || !k->bundle_path)
		return -ENOMEM;
	return keep_if_selected(w, k);
}

static int walk_dir(struct walker *w, const char *rel, const char *abs, int depth);

/* Where a symlink may lead: inside the hub, unless the caller opted out.
 * Returns a problem text (static) or NULL; *real is the resolved target.
 */
static const char *check_symlink(const struct walker *w, const char *abs, char **real)
{
	*real = realpath(abs, NULL);
	if (!*real)
		return "symlink cannot be resolved";
	if (!w->filter->follow_symlinks && !path_within(*real, w->root_real))
		return "symlink leads outside the hub (--follow-symlinks allows it)";
	return NULL;
}

static int visit_entry(struct walker *w, const char *rel_dir, const char *name, int depth)
{
	const char *problem = NULL;
	enum hub_input_kind kind;
	char *rel = NULL, *abs = NULL, *real = NULL;
	size_t release_len;
	bool is_input;
	struct stat st;
	int ret = 0;

	if (asprintf(&rel, "%s%s%s", rel_dir, rel_dir[0] ? "/" : "", name) < 0)
		return -ENOMEM;
	if (asprintf(&abs, "%s/%s", w->root, rel) < 0) {
		free(rel);
		return -ENOMEM;
	}
	is_input = classify(name, &kind, &release_len);
	if (lstat(abs, &st) < 0) {
		/* gone since readdir: nothing to build, unless it was an input */
		if (is_input)
			ret = add_kernel(w, rel, abs, name, kind, release_len,
					 errno == ENOENT ? "vanished during the walk"
							 : "cannot be examined (lstat failed)");
		else if (errno != ENOENT)
			ret = add_dir_problem(w, rel, abs, "cannot examine: %s", strerror(errno));
		goto out;
	}
	if (S_ISLNK(st.st_mode)) {
		if (stat(abs, &st) < 0) {
			/* a dangling link is an input only by its name */
			if (is_input)
				ret = add_kernel(w, rel, abs, name, kind, release_len,
						 "dangling symlink");
			goto out;
		}
		if (!is_input && !S_ISDIR(st.st_mode))
			goto out;	/* a link to some other file: not ours */
		problem = check_symlink(w, abs, &real);
		if (problem && !is_input) {
			ret = add_dir_problem(w, rel, abs, "%s", problem);
			goto out;
		}
	}
	if (!problem && S_ISDIR(st.st_mode)) {
		ret = walk_dir(w, rel, abs, depth + 1);
		goto out;
	}
	if (!is_input)
		goto out;
	if (!problem && !S_ISREG(st.st_mode))
		problem = "not a regular file";
	ret = add_kernel(w, rel, abs, name, kind, release_len, problem);
out:
	free(real);
	free(rel);
	free(abs);
	return ret;
}

/* Names in dir, sorted byte-wise (never by the locale: output must not
 * vary), hidden ones left out.
 */
static int list_dir(DIR *dir, char ***names_out, size_t *cnt_out)
{
	char **names = NULL, **grown;
	size_t cnt = 0, cap = 0;
	struct dirent *de;

	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue; /* ".", "..", hidden files */
		if (cnt == cap) {
			cap = cap ? cap * 2 : 32;
			grown = realloc(names, cap * sizeof(*names));
			if (!grown)
				goto nomem;
			names = grown;
		}
		names[cnt] = strdup(de->d_name);
		if (!names[cnt])
			goto nomem;
		cnt++;
	}
	if (cnt > 1)
		qsort(names, cnt, sizeof(*names), cmp_names);
	*names_out = names;
	*cnt_out = cnt;
	return 0;
nomem:
	while (cnt)
		free(names[--cnt]);
	free(names);
	return -ENOMEM;
}

static int walk_dir(struct walker *w, const char *rel, const char *abs, int depth)
{
	char **names = NULL;
	size_t cnt = 0, i;
	struct stat st;
	DIR *dir;
	int ret;

	if (depth > HUB_MAX_DEPTH)
		return add_dir_problem(w, rel, abs, "directory more than %d levels deep; not walked",
				       HUB_MAX_DEPTH);
	dir = opendir(abs);
	if (!dir) {
		if (!depth)
			return bp_err_set(w->err, errno, "%s: cannot open directory: %s", abs,
					  strerror(errno));
		return add_dir_problem(w, rel, abs, "cannot open directory: %s", strerror(errno));
	}
	if (fstat(dirfd(dir), &st) < 0) {
		closedir(dir);
		return add_dir_problem(w, rel, abs, "cannot examine: %s", strerror(errno));
	}
	for (i = 0; i < (size_t)w->stack_len; i++) {
		if (w->stack[i].dev == st.st_dev && w->stack[i].ino == st.st_ino) {
			closedir(dir);
			return add_dir_problem(w, rel, abs,
					       "symlink loop: the directory holds this path already");
		}
	}
	w->stack[w->stack_len++] = (struct dir_id){ st.st_dev, st.st_ino };
	ret = list_dir(dir, &names, &cnt);
	closedir(dir);
	for (i = 0; !ret && i < cnt; i++)
		ret = visit_entry(w, rel, names[i], depth);
	w->stack_len--;
	for (i = 0; i < cnt; i++)
		free(names[i]);
	free(names);
	return ret;
}

int hub_walk(const char *root, const struct hub_filter *filter, struct hub_list *out,
	     struct bp_err *err)
{
	struct walker w = { .root = root, .filter = filter, .out = out, .err = err };
	struct stat st;
	int ret;

	*out = (struct hub_list){ 0 };
	if (stat(root, &st) < 0)
		return bp_err_set(err, errno, "%s: %s", root, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return bp_err_set(err, ENOTDIR, "%s: not a directory", root);
	w.root_real = realpath(root, NULL);
	if (!w.root_real)
		return bp_err_set(err, errno, "%s: %s", root, strerror(errno));
	ret = walk_dir(&w, "", root, 0);
	free(w.root_real);
	if (!ret && out->filtered_arch_cnt > 1)
		qsort(out->filtered_arches, out->filtered_arch_cnt, sizeof(char *), cmp_names);
	if (ret == -ENOMEM)
		ret = bp_err_set(err, ENOMEM, "%s: out of memory while walking", root);
	if (ret)
		hub_list_free(out);
	return ret;
}

void hub_list_free(struct hub_list *list)
{
	size_t i;

	for (i = 0; i < list->cnt; i++)
		hub_kernel_free(&list->kernels[i]);
	for (i = 0; i < list->filtered_arch_cnt; i++)
		free(list->filtered_arches[i]);
	free(list->filtered_arches);
	free(list->kernels);
	*list = (struct hub_list){ 0 };
}

int hub_source_cmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;

	while (*p && *p == *q) {
		p++;
		q++;
	}
	if (*p == *q)
		return 0;
	/* the end of a component sorts before any byte of a longer name */
	if (!*p || *p == '/')
		return -1;
	if (!*q || *q == '/')
		return 1;
	return *p < *q ? -1 : 1;
}

unsigned int hub_shard_of(const char *bundle_path, unsigned int n)
{
	struct bp_hash h;

	bp_hash_bytes(bundle_path, strlen(bundle_path), &h);
	return (unsigned int)(h.low % n);
}

void hub_list_keep_shard(struct hub_list *list, unsigned int k, unsigned int n)
{
	size_t i, kept = 0;

	for (i = 0; i < list->cnt; i++) {
		if (hub_shard_of(list->kernels[i].bundle_path, n) == k)
			list->kernels[kept++] = list->kernels[i];
		else
			hub_kernel_free(&list->kernels[i]);
	}
	list->cnt = kept;
}

bool hub_filter_selects(const struct hub_filter *filter, const struct hub_kernel *k)
{
	return selected(filter, k);
}

int hub_list_insert(struct hub_list *list, struct hub_kernel *extra, size_t n)
{
	struct hub_kernel *all;
	size_t i = 0, j = 0, o = 0;

	if (!n)
		return 0;
	all = malloc((list->cnt + n) * sizeof(*all));
	if (!all)
		return -ENOMEM;
	while (i < list->cnt || j < n) {
		if (j == n || (i < list->cnt &&
			       hub_source_cmp(list->kernels[i].source, extra[j].source) <= 0))
			all[o++] = list->kernels[i++];
		else
			all[o++] = extra[j++];
	}
	free(list->kernels);
	list->kernels = all;
	list->cnt = o;
	return 0;
}
