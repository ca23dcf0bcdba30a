// SPDX-License-Identifier: MIT
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "batch/hub_walk.h"
#include "batch/obj_set.h"
#include "core/objfile.h"
#include "core/relo_digest.h"
#include "base/fileio.h"
#include "base/text.h"

/* Two objects under one name on one architecture would make the index
 * and the report ambiguous.
 */
static const struct obj_entry *name_taken(const struct obj_set *set, const char *name,
					  const char *arch)
{
	size_t i;

	for (i = 0; i < set->cnt; i++) {
		const struct obj_entry *e = &set->entries[i];

		if (!strcmp(e->name, name) && (!e->arch || !arch || !strcmp(e->arch, arch)))
			return e;
	}
	return NULL;
}

/* path is what to open; name is what the index calls it: the file name,
 * relative to --obj DIR, so bundle bytes do not depend on where the
 * objects were when the bundle was built.
 */
static int add_file(struct obj_set *set, const char *path, const char *name,
		    const char *arch, bool quiet, struct bp_err *err)
{
	const struct obj_entry *taken;
	struct obj_entry *e;
	struct relo_digest digest;
	struct bp_file_view view;
	int ret;

	arch = arch ? arch_canonical(arch) : NULL;
	taken = name_taken(set, name, arch);
	if (taken)
		return bp_err_set(err, EEXIST,
				  "%s: another object is named %s too (%s%s); rename one or give them with --obj-arch for different architectures",
				  path, name, taken->arch ? "for " : "for every architecture",
				  taken->arch ? taken->arch : "");

	e = realloc(set->entries, (set->cnt + 1) * sizeof(*e));
	if (!e)
		return bp_err_set(err, ENOMEM, "%s: out of memory", path);
	set->entries = e;
	e = &set->entries[set->cnt];
	memset(e, 0, sizeof(*e));
	ret = bp_view_file(path, BP_MAX_INPUT_FILE, &view, err);
	if (ret)
		return ret;
	bp_hash_bytes(view.data, view.size, &e->hash);
	ret = objfile_load_mem(view.data, view.size, path, &e->obj, err);
	bp_unview_file(&view);
	if (!ret)
		ret = relo_digest_object(e->obj, &digest, err);
	if (ret) {
		objfile_free(e->obj);
		return ret;
	}
	e->relo.high = digest.high;
	e->relo.low = digest.low;
	e->name = strdup(name);
	e->arch = arch ? strdup(arch) : NULL;
	set->cnt++;
	if (!e->name || (arch && !e->arch))
		return bp_err_set(err, ENOMEM, "%s: out of memory", path);
	if (!e->obj->relo_cnt && !quiet)
		bp_print_errorf("warning: %s: no CO-RE relocations (%s); it adds nothing",
				path, e->obj->has_btf_ext ? "empty in .BTF.ext" : "no .BTF.ext");
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_object_name(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && n > 2 && !strcmp(name + n - 2, ".o");
}

static int add_dir(struct obj_set *set, const char *dir_path, const char *arch, bool quiet,
		   struct bp_err *err)
{
	char **names = NULL, *path;
	size_t cnt = 0, i;
	struct dirent *de;
	DIR *dir;
	int ret = 0;

	dir = opendir(dir_path);
	if (!dir)
		return bp_err_set(err, errno, "%s: cannot open directory: %s", dir_path,
				  strerror(errno));
	while (!ret && (de = readdir(dir))) {
		char **grown;

		if (!is_object_name(de->d_name))
			continue;
		grown = realloc(names, (cnt + 1) * sizeof(*names));
		if (!grown || !(grown[cnt] = strdup(de->d_name))) {
			names = grown ? grown : names;
			ret = bp_err_set(err, ENOMEM, "%s: out of memory", dir_path);
			break;
		}
		names = grown;
		cnt++;
	}
	closedir(dir);
	if (!ret && !cnt)
		ret = bp_err_set(err, ENOENT, "%s: no *.o files in directory", dir_path);
	if (!ret && cnt > 1)
		qsort(names, cnt, sizeof(*names), cmp_names);
	for (i = 0; !ret && i < cnt; i++) {
		if (asprintf(&path, "%s/%s", dir_path, names[i]) < 0) {
			ret = bp_err_set(err, ENOMEM, "%s: out of memory", dir_path);
			break;
		}
		ret = add_file(set, path, names[i], arch, quiet, err);
		free(path);
	}
	for (i = 0; i < cnt; i++)
		free(names[i]);
	free(names);
	return ret;
}

int obj_set_add(struct obj_set *set, const char *path, const char *arch, bool quiet,
		struct bp_err *err)
{
	const char *base;
	struct stat st;

	if (stat(path, &st) < 0)
		return bp_err_set(err, errno, "%s: %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return add_dir(set, path, arch, quiet, err);
	base = strrchr(path, '/');
	return add_file(set, path, base ? base + 1 : path, arch, quiet, err);
}

void obj_set_free(struct obj_set *set)
{
	size_t i;

	for (i = 0; i < set->cnt; i++) {
		objfile_free(set->entries[i].obj);
		free(set->entries[i].name);
		free(set->entries[i].arch);
	}
	free(set->entries);
	set->entries = NULL;
	set->cnt = 0;
}

size_t obj_set_select(const struct obj_set *set, const char *arch, struct objfile **objs,
		      size_t *indexes)
{
	size_t i, n = 0;

	for (i = 0; i < set->cnt; i++) {
		if (set->entries[i].arch && strcmp(set->entries[i].arch, arch))
			continue;
		objs[n] = set->entries[i].obj;
		indexes[n] = i;
		n++;
	}
	return n;
}

/* One object in the digest: its arch ("*" for all) and relocation digest. */
static size_t digest_item(const struct obj_entry *e, unsigned char *p)
{
	const char *arch = e->arch ? e->arch : "*";
	size_t n = strlen(arch) + 1;
	uint64_t words[2] = { e->relo.high, e->relo.low };

	memcpy(p, arch, n);
	memcpy(p + n, words, sizeof(words));
	return n + sizeof(words);
}

int obj_set_digest(const struct obj_set *set, const char *arch, struct bp_hash *out)
{
	static const char tag[] = "btfpack object set 1";
	size_t i, cap = sizeof(tag), n = 0;
	unsigned char *buf;

	for (i = 0; i < set->cnt; i++)
		cap += strlen(set->entries[i].arch ? set->entries[i].arch : "*") + 17;
	buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, tag, sizeof(tag));
	n = sizeof(tag);
	for (i = 0; i < set->cnt; i++) {
		const struct obj_entry *e = &set->entries[i];

		if (arch && e->arch && strcmp(e->arch, arch))
			continue;
		n += digest_item(e, buf + n);
	}
	bp_hash_bytes(buf, n, out);
	free(buf);
	return 0;
}
