// SPDX-License-Identifier: MIT
/* A program outside the tree using an installed libbtfpack, as an
 * application would: built only with `pkg-config --cflags --libs btfpack`.
 *
 *   consumer min KERNEL OUT OBJ...   minimize KERNEL for OBJ..., write OUT
 *   consumer lookup BUNDLE ENTRY OUT write the BTF BUNDLE holds for ENTRY
 *
 * Exit status: 0 done, 1 a library call failed (its message on stderr),
 * 2 usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <btfpack.h>

static int write_out(const char *path, const void *buf, size_t size)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f) {
		perror(path);
		return 1;
	}
	ok = fwrite(buf, 1, size, f) == size;
	ok = !fclose(f) && ok;
	if (!ok)
		fprintf(stderr, "consumer: cannot write %s\n", path);
	return !ok;
}

static void log_line(void *ctx, enum btfpack_log_level level, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "consumer: log %d: %s\n", (int)level, msg);
}

static int run_min(const char *kpath, const char *out, char **paths, int n)
{
	BTFPACK_OPTS(btfpack_minimize_opts, opts, .log_fn = log_line);
	struct btfpack_object **objs = calloc((size_t)n, sizeof(*objs));
	struct btfpack_stats *st = calloc((size_t)n, sizeof(*st));
	struct btfpack_kernel *k = NULL;
	struct btfpack_err err;
	void *buf = NULL;
	size_t size = 0;
	int ret = -1, i;

	if (!objs || !st)
		goto out;
	ret = btfpack_kernel__open_file(kpath, &k, &err);
	for (i = 0; !ret && i < n; i++)
		ret = btfpack_object__open_file(paths[i], &objs[i], &err);
	if (!ret)
		ret = btfpack_kernel__minimize(k, (const struct btfpack_object *const *)objs,
					       (size_t)n, &opts, &buf, &size, st, &err);
	if (ret)
		fprintf(stderr, "consumer: %s\n", err.msg);
	else
		ret = write_out(out, buf, size);
	for (i = 0; !ret && i < n; i++)
		printf("%s: %zu relocations: %zu resolved, %zu unresolved, %zu rejected\n",
		       paths[i], btfpack_object__relo_count(objs[i]), st[i].resolved,
		       st[i].unresolved, st[i].rejected);
out:
	btfpack_free(buf);
	for (i = 0; objs && i < n; i++)
		btfpack_object__free(objs[i]);
	btfpack_kernel__free(k);
	free(objs);
	free(st);
	return ret ? 1 : 0;
}

static int run_lookup(const char *bundle, const char *entry, const char *out)
{
	struct btfpack_err err;
	void *buf;
	size_t size;
	int ret;

	if (btfpack_bundle__lookup(bundle, entry, &buf, &size, &err)) {
		fprintf(stderr, "consumer: %s\n", err.msg);
		return 1;
	}
	ret = write_out(out, buf, size);
	btfpack_free(buf);
	return ret;
}

int main(int argc, char **argv)
{
	printf("libbtfpack %s\n", btfpack_version());
	if (argc >= 5 && !strcmp(argv[1], "min"))
		return run_min(argv[2], argv[3], argv + 4, argc - 4);
	if (argc == 5 && !strcmp(argv[1], "lookup"))
		return run_lookup(argv[2], argv[3], argv[4]);
	fprintf(stderr, "usage: consumer min KERNEL OUT OBJ... | lookup BUNDLE ENTRY OUT\n");
	return 2;
}
