// SPDX-License-Identifier: MIT
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd/hub_walk.h"

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

/* Strict UTF-8 (no overlongs, surrogates or values past U+10FFFF): what
 * index.json can carry.
 */
static size_t utf8_char_len(const unsigned char *s)
{
	unsigned int c = s[0], need, i, cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		need = 1, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		need = 2, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		need = 3, cp = c & 0x07;
	else
		return 0;
	for (i = 1; i <= need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((need == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (need == 3 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return need + 1;
}

/* Replace every byte that is not part of valid UTF-8 with '?'; true if any. */
static bool utf8_sanitize(char *s)
{
	bool changed = false;
	size_t n;

	while (*s) {
		n = utf8_char_len((unsigned char *)s);
		if (!n) {
			*s++ = '?';
			changed = true;
		} else {
			s += n;
		}
	}
	return changed;
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

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct walker {
	const char *root;
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

static void free_kernel(struct hub_kernel *k)
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
	/* an input at the wrong depth has no arch or distro to filter on */
	if (k->problem && !k->arch[0] && (f->arches || f->distros))
		return false;
	return in_list(f->arches, k->arch) && in_list(f->distros, k->distro) &&
	       matches_globs(f->globs, k->source);
}

static int add_kernel(struct walker *w, const char *rel, const char *abs,
		      const char *file, enum hub_input_kind kind, size_t release_len,
		      const char *problem)
{
	struct hub_kernel *k;
	int ret;

	if (w->out->cnt == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 64;

		k = realloc(w->out->kernels, cap * sizeof(*k));
		if (!k)
			return -ENOMEM;
		w->out->kernels = k;
		w->cap = cap;
	}
	k = &w->out->kernels[w->out->cnt];
	memset(k, 0, sizeof(*k));
	k->kind = kind;
	k->source = strdup(rel);
	k->abs_path = strdup(abs);
	k->problem = problem ? strdup(problem) : NULL;
	w->out->cnt++;
	if (!k->source || !k->abs_path || (problem && !k->problem))
		return -ENOMEM;
	ret = fill_fields(k, rel, release_len, file);
	if (ret)
		return ret;
	if (utf8_sanitize(k->source) && !k->problem)
		k->problem = strdup("file name is not valid UTF-8");
	utf8_sanitize(k->distro);
	utf8_sanitize(k->version);
	utf8_sanitize(k->arch);
	utf8_sanitize(k->release);
	utf8_sanitize(k->bundle_path);
	if (!selected(w->filter, k)) {
		w->out->cnt--;
		free_kernel(k);
	}
	return 0;
}

static int walk_dir(struct walker *w, const char *rel, int depth);

static int visit_entry(struct walker *w, const char *rel_dir, const char *name, int depth)
{
	enum hub_input_kind kind;
	char *rel = NULL, *abs = NULL;
	size_t release_len;
	struct stat st;
	int ret = 0;

	if (asprintf(&rel, "%s%s%s", rel_dir, rel_dir[0] ? "/" : "", name) < 0)
		return -ENOMEM;
	if (asprintf(&abs, "%s/%s", w->root, rel) < 0) {
		free(rel);
		return -ENOMEM;
	}
	if (lstat(abs, &st) < 0) {
		ret = bp_err_set(w->err, errno, "%s: cannot stat: %s", abs, strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		ret = walk_dir(w, rel, depth + 1);
		goto out;
	}
	if (!classify(name, &kind, &release_len))
		goto out;
	/* files may be symlinks (hubs assembled from several sources) */
	if (S_ISLNK(st.st_mode) && stat(abs, &st) < 0)
		ret = add_kernel(w, rel, abs, name, kind, release_len,
				 "dangling symlink");
	else if (!S_ISREG(st.st_mode))
		ret = add_kernel(w, rel, abs, name, kind, release_len, "not a regular file");
	else
		ret = add_kernel(w, rel, abs, name, kind, release_len, NULL);
out:
	free(rel);
	free(abs);
	return ret;
}

static int walk_dir(struct walker *w, const char *rel, int depth)
{
	char *path = NULL, **names = NULL;
	size_t cnt = 0, cap = 0, i;
	struct dirent *de;
	DIR *dir;
	int ret = 0;

	if (depth > HUB_MAX_DEPTH)
		return bp_err_set(w->err, ELOOP, "%s/%s: directory tree too deep", w->root, rel);
	if (asprintf(&path, "%s%s%s", w->root, rel[0] ? "/" : "", rel) < 0)
		return -ENOMEM;
	dir = opendir(path);
	if (!dir) {
		ret = bp_err_set(w->err, errno, "%s: cannot open directory: %s", path,
				 strerror(errno));
		free(path);
		return ret;
	}
	while ((de = readdir(dir))) {
		char **grown;

		if (de->d_name[0] == '.')
			continue; /* ".", "..", hidden files */
		if (cnt == cap) {
			cap = cap ? cap * 2 : 32;
			grown = realloc(names, cap * sizeof(*names));
			if (!grown) {
				ret = -ENOMEM;
				break;
			}
			names = grown;
		}
		names[cnt] = strdup(de->d_name);
		if (!names[cnt]) {
			ret = -ENOMEM;
			break;
		}
		cnt++;
	}
	closedir(dir);
	/* byte order, never the locale's collation: output must not vary */
	if (!ret && cnt > 1)
		qsort(names, cnt, sizeof(*names), cmp_names);
	for (i = 0; !ret && i < cnt; i++)
		ret = visit_entry(w, rel, names[i], depth);
	for (i = 0; i < cnt; i++)
		free(names[i]);
	free(names);
	free(path);
	return ret;
}

int hub_walk(const char *root, const struct hub_filter *filter, struct hub_list *out,
	     struct bp_err *err)
{
	struct walker w = { .root = root, .filter = filter, .out = out, .err = err };
	struct stat st;
	int ret;

	out->kernels = NULL;
	out->cnt = 0;
	if (stat(root, &st) < 0)
		return bp_err_set(err, errno, "%s: %s", root, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return bp_err_set(err, ENOTDIR, "%s: not a directory", root);
	ret = walk_dir(&w, "", 0);
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
		free_kernel(&list->kernels[i]);
	free(list->kernels);
	list->kernels = NULL;
	list->cnt = 0;
}
