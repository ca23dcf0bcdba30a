// SPDX-License-Identifier: MIT
/* bundle_find(): the entry of a bundle's catalogue that is a host's, by
 * distro, version (with the tries of bundle_keys.c), arch and release,
 * else by (arch, release) alone when that is unambiguous; and when there
 * is none, the message names what the bundle has nearby.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "archive/bundle_host.h"
#include "archive/hub_member.h"
#include "dedup/index_json.h"

#define BTF_SUFFIX ".btf"
#define HUB_SUFFIX ".btf.tar.xz"	/* btfhub profile: one tar.xz per kernel */

/* A kernel entry: <distro>/<version>/<arch>/<release>.btf[.tar.xz]. */
struct kent {
	char *path;
	const char *distro, *version, *arch_raw, *release;	/* into buf */
	char arch[BUNDLE_HOST_FIELD_MAX];			/* normalized */
	char *buf;
};

struct kents {
	struct kent *v;
	size_t cnt, cap;
};

static bool ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n > k && !memcmp(s + n - k, suffix, k);
}

/* Split path into k's fields: 1, or 0 when it is not a kernel entry. */
static int kent_parse(const char *path, struct kent *k)
{
	char *part[4], *p, *slash;
	size_t i, n;

	k->buf = strdup(path);
	if (!k->buf)
		return -ENOMEM;
	p = k->buf;
	for (i = 0; i < 3; i++) {
		slash = strchr(p, '/');
		if (!slash || slash == p)
			goto no;
		*slash = '\0';
		part[i] = p;
		p = slash + 1;
	}
	part[3] = p;
	n = strlen(p);
	if (strchr(p, '/'))
		goto no;
	if (ends_with(p, n, HUB_SUFFIX))
		p[n - strlen(HUB_SUFFIX)] = '\0';
	else if (ends_with(p, n, BTF_SUFFIX))
		p[n - strlen(BTF_SUFFIX)] = '\0';
	else
		goto no;
	k->distro = part[0];
	k->version = part[1];
	k->arch_raw = part[2];
	k->release = part[3];
	bundle_arch_normalize(k->arch_raw, k->arch);
	return 1;
no:
	free(k->buf);
	k->buf = NULL;
	return 0;
}

static int kents_add(struct kents *ks, const char *path)
{
	struct kent k = { .path = NULL }, *v;
	size_t cap;
	int ret;

	ret = kent_parse(path, &k);
	if (ret <= 0)
		return ret;
	k.path = strdup(path);
	if (!k.path) {
		free(k.buf);
		return -ENOMEM;
	}
	if (ks->cnt == ks->cap) {
		cap = ks->cap ? ks->cap * 2 : 64;
		v = realloc(ks->v, cap * sizeof(*v));
		if (!v) {
			free(k.path);
			free(k.buf);
			return -ENOMEM;
		}
		ks->v = v;
		ks->cap = cap;
	}
	ks->v[ks->cnt++] = k;
	return 0;
}

static void kents_free(struct kents *ks)
{
	size_t i;

	for (i = 0; i < ks->cnt; i++) {
		free(ks->v[i].path);
		free(ks->v[i].buf);
	}
	free(ks->v);
}

static int cmp_kent(const void *a, const void *b)
{
	return strcmp(((const struct kent *)a)->path, ((const struct kent *)b)->path);
}

/* Entries and index rows, sorted, each path once. */
static int kents_sort(struct kents *ks)
{
	size_t i, out = 0;

	if (ks->cnt > 1)
		qsort(ks->v, ks->cnt, sizeof(*ks->v), cmp_kent);
	for (i = 0; i < ks->cnt; i++) {
		if (out && !strcmp(ks->v[out - 1].path, ks->v[i].path)) {
			free(ks->v[i].path);
			free(ks->v[i].buf);
			continue;
		}
		ks->v[out++] = ks->v[i];
	}
	ks->cnt = out;
	return 0;
}

static int index_kents(const struct bundle_cat *cat, struct kents *ks, struct bp_err *err)
{
	const void *json;
	char **paths;
	size_t size, n, i;
	int ret;

	json = bundle_cat_index(cat, &size);
	if (!json)
		return 0;
	ret = index_json_kernel_paths(json, size, bundle_cat_name(cat), &paths, &n, err);
	if (ret)
		return ret;
	for (i = 0; i < n; i++) {
		if (!ret && kents_add(ks, paths[i]))
			ret = bp_err_set(err, ENOMEM, "%s: out of memory", bundle_cat_name(cat));
		free(paths[i]);
	}
	free(paths);
	return ret;
}

static int kents_load(const struct bundle_cat *cat, struct kents *ks, struct bp_err *err)
{
	enum bundle_entry_type type;
	const char *path;
	size_t i;
	int ret;

	*ks = (struct kents){ .v = NULL };
	for (i = 0; i < bundle_cat_count(cat); i++) {
		path = bundle_cat_path(cat, i, &type);
		if (type != BUNDLE_ENTRY_DIR && kents_add(ks, path))
			return bp_err_set(err, ENOMEM, "%s: out of memory", bundle_cat_name(cat));
	}
	ret = index_kents(cat, ks, err);
	return ret ? ret : kents_sort(ks);
}

/* The kernel BTF an entry holds: itself, or the member of a .btf.tar.xz. */
static int kent_read(const struct bundle_cat *cat, const struct kent *k, void **data,
		     size_t *size, struct bp_err *err)
{
	struct hub_member m;
	int ret;

	ret = bundle_cat_get(cat, k->path, data, size, err);
	if (ret || !ends_with(k->path, strlen(k->path), HUB_SUFFIX))
		return ret;
	ret = hub_member_read(*data, *size, k->path, HUB_MEMBER_DEFAULT_CAP, &m, err);
	free(*data);
	*data = NULL;
	*size = 0;
	if (ret) {
		bp_err_prefix(err, bundle_cat_name(cat));
		return ret;
	}
	*data = m.data;
	*size = m.size;
	return 0;
}

static bool same_kernel(const struct kent *k, const struct bundle_host *h)
{
	return !strcmp(k->arch, h->arch) && !strcmp(k->release, h->release);
}

static const struct kent *match_key(const struct kents *ks, const struct bundle_host *h,
				    const char *version)
{
	size_t i;

	for (i = 0; i < ks->cnt; i++)
		if (!strcasecmp(ks->v[i].distro, h->id) && !strcmp(ks->v[i].version, version) &&
		    same_kernel(&ks->v[i], h))
			return &ks->v[i];
	return NULL;
}

/* The first entry for h's arch and release that the alias table reaches
 * from <h->id>/<version>.
 */
static const struct kent *match_alias(const struct kents *ks, const struct bundle_host *h,
				      const char *version)
{
	size_t i;

	for (i = 0; i < ks->cnt; i++)
		if (same_kernel(&ks->v[i], h) &&
		    bundle_alias_reaches(ks->v[i].distro, ks->v[i].version, ks->v[i].arch, h,
					 version))
			return &ks->v[i];
	return NULL;
}

/* ---- the message when nothing matches ---- */

static bool near_version(const struct kent *k, const struct bundle_host *h,
			 const struct bundle_try *tries, size_t n)
{
	size_t i;

	if (strcasecmp(k->distro, h->id))
		return false;
	for (i = 0; i < n; i++)
		if (!strcmp(k->version, tries[i].version))
			return true;
	return false;
}

enum near { NEAR_VERSION, NEAR_KERNEL, NEAR_DISTRO, NEAR_NONE };

static bool is_near(const struct kent *k, const struct bundle_host *h,
		    const struct bundle_try *tries, size_t n, enum near how)
{
	if (how == NEAR_VERSION)
		return near_version(k, h, tries, n);
	if (how == NEAR_KERNEL)
		return same_kernel(k, h);
	return *h->id && !strcasecmp(k->distro, h->id);
}

static const char *const near_what[] = {
	[NEAR_VERSION] = "for that distro/version",
	[NEAR_KERNEL] = "for that arch and release",
	[NEAR_DISTRO] = "for that distro",
};

/* "it has <near_what>: a, b, c (+N more)" into buf: the first of the
 * three kinds of neighbour the bundle has.
 */
static void nearest(const struct kents *ks, const struct bundle_host *h,
		    const struct bundle_try *tries, size_t n, char *buf, size_t cap)
{
	size_t i, shown = 0, more = 0, len = 0;
	enum near how;

	for (how = NEAR_VERSION; how < NEAR_NONE && !shown && !more; how++) {
		len = (size_t)snprintf(buf, cap, "it has %s: ", near_what[how]);
		for (i = 0; i < ks->cnt; i++) {
			if (!is_near(&ks->v[i], h, tries, n, how))
				continue;
			if (shown < 4 && len + strlen(ks->v[i].path) + 32 < cap) {
				len += (size_t)snprintf(buf + len, cap - len, "%s%s",
							shown ? ", " : "", ks->v[i].path);
				shown++;
			} else {
				more++;
			}
		}
	}
	if (!shown && !more)
		snprintf(buf, cap, "nothing close to it among its %zu kernels", ks->cnt);
	else if (more)
		snprintf(buf + len, cap - len, " (+%zu more)", more);
}

static int not_found(const struct bundle_cat *cat, const struct kents *ks,
		     const struct bundle_host *h, const struct bundle_try *tries, size_t n,
		     const char *why, struct bp_err *err)
{
	char near[BP_ERR_MSG_MAX] = "";

	nearest(ks, h, tries, n, near, sizeof(near));
	return bp_err_set(err, ENOENT, "%s: no entry for %s/%s/%s/%s%s; %s", bundle_cat_name(cat),
			  *h->id ? h->id : "(no os-release)", *h->version_id ? h->version_id : "-",
			  h->arch, h->release, why, near);
}

/* ---- (arch, release) alone ---- */

/* Whether c[0..n) all hold one BTF. Entries that resolve to one file
 * (links, index rows) are equal unread; the others are read and compared.
 */
static int same_bytes(const struct bundle_cat *cat, const struct kent *const *c, size_t n,
		      bool *same, struct bp_err *err)
{
	void *first = NULL, *d = NULL;
	size_t fsize = 0, dsize, i, j;
	char **fin;
	int ret = 0;

	*same = true;
	fin = calloc(n, sizeof(*fin));
	if (!fin)
		return bp_err_set(err, ENOMEM, "%s: out of memory", bundle_cat_name(cat));
	for (i = 0; !ret && *same && i < n; i++) {
		ret = bundle_cat_resolve(cat, c[i]->path, &fin[i], err);
		for (j = 0; !ret && j < i && strcmp(fin[j], fin[i]); j++)
			;
		if (ret || j < i)
			continue;	/* the same file as an earlier one */
		ret = kent_read(cat, c[i], i ? &d : &first, i ? &dsize : &fsize, err);
		if (!ret && i)
			*same = dsize == fsize && !memcmp(d, first, fsize);
		free(d);
		d = NULL;
	}
	for (i = 0; i < n; i++)
		free(fin[i]);
	free(fin);
	free(first);
	return ret;
}

/* The entries with h's arch and release, when they all hold one BTF. */
static int match_kernel(const struct bundle_cat *cat, const struct kents *ks,
			const struct bundle_host *h, const struct kent **found, size_t *cnt,
			struct bp_err *err)
{
	const struct kent **c;
	size_t i, n = 0;
	bool same;
	int ret;

	*found = NULL;
	*cnt = 0;
	c = calloc(ks->cnt + 1, sizeof(*c));
	if (!c)
		return bp_err_set(err, ENOMEM, "%s: out of memory", bundle_cat_name(cat));
	for (i = 0; i < ks->cnt; i++)
		if (same_kernel(&ks->v[i], h))
			c[n++] = &ks->v[i];
	*cnt = n;
	ret = n > 1 ? same_bytes(cat, c, n, &same, err) : 0;
	if (!ret && n && (n == 1 || same))
		*found = c[0];
	free(c);
	return ret;
}

static int deliver(const struct bundle_cat *cat, const struct kent *k, const char *rule,
		   void **data, size_t *size, char **entry, char **rule_out, struct bp_err *err)
{
	int ret = kent_read(cat, k, data, size, err);

	if (ret)
		return ret;
	if (entry)
		*entry = strdup(k->path);
	if (rule_out)
		*rule_out = strdup(rule);
	if ((entry && !*entry) || (rule_out && !*rule_out)) {
		free(*data);
		*data = NULL;
		if (entry) {
			free(*entry);
			*entry = NULL;
		}
		if (rule_out) {
			free(*rule_out);
			*rule_out = NULL;
		}
		return bp_err_set(err, ENOMEM, "%s: out of memory", bundle_cat_name(cat));
	}
	return 0;
}

static int find_in(const struct bundle_cat *cat, const struct kents *ks,
		   const struct bundle_host *h, void **data, size_t *size, char **entry,
		   char **rule, struct bp_err *err)
{
	struct bundle_try tries[BUNDLE_TRIES_MAX];
	const struct kent *k;
	char why[128];
	size_t n, i, cnt;
	int ret;

	n = bundle_version_tries(h, tries);
	for (i = 0; i < n; i++) {
		k = match_key(ks, h, tries[i].version);
		if (k)
			return deliver(cat, k, tries[i].rule, data, size, entry, rule, err);
	}
	for (i = 0; i < n; i++) {
		k = match_alias(ks, h, tries[i].version);
		if (!k)
			continue;
		snprintf(why, sizeof(why), "alias table (%.24s/%.24s -> %.24s/%.24s)", h->id,
			 tries[i].version, k->distro, k->version);
		return deliver(cat, k, why, data, size, entry, rule, err);
	}
	ret = match_kernel(cat, ks, h, &k, &cnt, err);
	if (ret)
		return ret;
	if (k) {
		snprintf(why, sizeof(why), cnt == 1 ? "arch and release alone (the only entry)" :
			 "arch and release alone (%zu entries, identical bytes)", cnt);
		return deliver(cat, k, why, data, size, entry, rule, err);
	}
	if (cnt > 1)
		snprintf(why, sizeof(why), " (%zu entries have that arch and release, with different BTF)",
			 cnt);
	else
		why[0] = '\0';
	return not_found(cat, ks, h, tries, n, why, err);
}

int bundle_find(const struct bundle_cat *cat, const struct bundle_host *h, void **data,
		size_t *size, char **entry, char **rule, struct bp_err *err)
{
	struct kents ks;
	int ret;

	*data = NULL;
	*size = 0;
	if (entry)
		*entry = NULL;
	if (rule)
		*rule = NULL;
	ret = kents_load(cat, &ks, err);
	if (!ret)
		ret = find_in(cat, &ks, h, data, size, entry, rule, err);
	kents_free(&ks);
	return bundle_find_errno(ret, false);
}

int bundle_find_check(const struct bundle_cat *cat, struct bp_err *err)
{
	struct kents ks;
	size_t idx_size;
	int ret;

	ret = kents_load(cat, &ks, err);
	if (!ret && !ks.cnt && !bundle_cat_index(cat, &idx_size))
		ret = bp_err_set(err, EBADMSG,
				 "%s: not a btfpack bundle: no index.json and no "
				 "<distro>/<version>/<arch>/<release>.btf entries",
				 bundle_cat_name(cat));
	kents_free(&ks);
	return bundle_find_errno(ret, true);
}

int bundle_find_errno(int ret, bool opening)
{
	switch (ret) {
	case 0:
	case -EIO:
	case -EBADMSG:
	case -ENOMEM:
		return ret;
	case -EINVAL:	/* unsafe names, a FIFO */
	case -EILSEQ:
	case -EFBIG:
		return -EBADMSG;
	case -ENOENT:	/* at open, the bundle itself is missing */
		return opening ? -EIO : ret;
	case -ELOOP:	/* resolving a path inside the bundle */
	case -EPERM:
	case -EISDIR:
	case -ENOTDIR:
		return opening ? -EIO : -EBADMSG;
	default:
		return ret < 0 ? -EIO : ret;
	}
}
