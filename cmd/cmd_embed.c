// SPDX-License-Identifier: MIT
/* btfpack embed BUNDLE -o FILE.c [--name SYMBOL]: a tar bundle as C source
 * (FILE.c with the bytes, FILE.h declaring them) for a program that looks
 * its kernel's BTF up with btfpack_bundle__open_mem() at run time.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "archive/bundle_embed.h"
#include "archive/bundle_host.h"
#include "archive/bundle_reader.h"
#include "base/fileio.h"
#include "base/text.h"
#include "cmd/commands.h"

void cmd_embed_usage(FILE *out)
{
	fprintf(out,
		"Usage: btfpack embed BUNDLE -o FILE.c [--name SYMBOL]\n"
		"\n"
		"Write BUNDLE (a tar of any compression, of any profile) as C source:\n"
		"FILE.c defines `const unsigned char SYMBOL[]` (64-byte aligned) and\n"
		"`const size_t SYMBOL_len`, FILE.h declares them and shows the\n"
		"btfpack_bundle__open_mem() call. SYMBOL defaults to FILE's base name\n"
		"with every character a C name cannot hold turned into '_'. The output\n"
		"depends only on the bundle's bytes, its base name and SYMBOL.\n"
		"\n"
		"Exit status: 0 written, 5 BUNDLE cannot be read, 6 it is not a btfpack\n"
		"bundle, 1 other errors, 2 usage error.\n");
}

struct embed_opts {
	const char *bundle;
	const char *out;
	const char *symbol;
};

static int parse_args(int argc, char **argv, struct embed_opts *o)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "output", required_argument, NULL, 'o' },
		{ "name", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	size_t n;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "ho:n:", longopts, NULL)) != -1) {
		if (c == 'h') {
			cmd_embed_usage(stdout);
			return EXIT_OK;
		}
		if (c == 'o')
			o->out = optarg;
		else if (c == 'n')
			o->symbol = optarg;
		else
			goto usage;
	}
	if (argc - optind != 1 || !o->out) {
		bp_print_error("embed: expected BUNDLE -o FILE.c");
		goto usage;
	}
	n = strlen(o->out);
	if (n < 3 || strcmp(o->out + n - 2, ".c")) {
		bp_print_error("embed: -o names a .c file (its header goes beside it as .h)");
		goto usage;
	}
	o->bundle = argv[optind];
	return CMD_RUN;
usage:
	cmd_embed_usage(stderr);
	return EXIT_USAGE;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

/* FILE.c's base name as a C identifier. */
static void default_symbol(const char *out, char *sym, size_t cap)
{
	const char *b = base_name(out);
	size_t i, n = strlen(b) - 2, k = 0;

	if (!n || !((b[0] >= 'a' && b[0] <= 'z') || (b[0] >= 'A' && b[0] <= 'Z')))
		k = (size_t)snprintf(sym, cap, "bundle_");
	for (i = 0; i < n && k + 1 < cap; i++, k++) {
		char ch = b[i];

		sym[k] = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			 (ch >= '0' && ch <= '9') ? ch : '_';
	}
	sym[k] = '\0';
}

/* The bundle's bytes, checked to be a bundle libbtfpack opens. */
static int read_bundle(const char *path, void **data, size_t *size, struct bp_err *err)
{
	struct bundle_src src = { .name = path };
	struct bundle_cat *cat;
	struct stat st;
	int ret;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return bp_err_set(err, EBADMSG, "%s: a directory cannot be embedded; build a tar "
				  "bundle (-o NAME.tar.xz)", path);
	ret = bp_read_file(path, BUNDLE_EMBED_MAX, data, size, err);
	if (ret)
		return ret == -EFBIG ? ret : -EIO;
	src.mem = *data;
	src.mem_size = *size;
	ret = bundle_find_errno(bundle_cat_open(&src, &cat, err), true);
	if (!ret)
		ret = bundle_find_check(cat, err);
	bundle_cat_free(cat);
	if (ret) {
		free(*data);
		*data = NULL;
	}
	return ret;
}

static int write_outputs(const struct embed_opts *o, const void *data, size_t size,
			 const char *symbol, struct bp_err *err)
{
	struct bundle_embed e;
	char *h_path;
	int ret;

	h_path = strdup(o->out);
	if (!h_path)
		return bp_err_set(err, ENOMEM, "embed: out of memory");
	h_path[strlen(h_path) - 1] = 'h';
	ret = bundle_embed_render(data, size, base_name(o->bundle), symbol, base_name(h_path), &e,
				  err);
	if (!ret)
		ret = bp_write_file_atomic(h_path, e.h_src, e.h_len, err);
	if (!ret)
		ret = bp_write_file_atomic(o->out, e.c_src, e.c_len, err);
	bundle_embed_free(&e);
	free(h_path);
	return ret;
}

int cmd_embed(int argc, char **argv)
{
	struct embed_opts o = { 0 };
	char symbol[80];
	struct bp_err err;
	void *data = NULL;
	size_t size;
	int ret;

	ret = parse_args(argc, argv, &o);
	if (ret != CMD_RUN)
		return ret;
	if (o.symbol)
		snprintf(symbol, sizeof(symbol), "%s", o.symbol);
	else
		default_symbol(o.out, symbol, sizeof(symbol));
	if (!bundle_embed_symbol_ok(o.symbol ? o.symbol : symbol)) {
		bp_print_errorf("embed: --name %s: not a C identifier of at most 64 bytes "
				"(letters, digits, '_'; not starting with a digit or '_')",
				o.symbol ? o.symbol : symbol);
		return EXIT_USAGE;
	}
	ret = read_bundle(o.bundle, &data, &size, &err);
	if (!ret)
		ret = write_outputs(&o, data, size, symbol, &err);
	free(data);
	if (!ret)
		return EXIT_OK;
	bp_print_error(err.msg);
	return ret == -EIO ? EXIT_UNREADABLE : ret == -EBADMSG ? EXIT_NOT_BUNDLE : EXIT_ERROR;
}
