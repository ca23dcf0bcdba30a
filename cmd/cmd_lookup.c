// SPDX-License-Identifier: MIT
/* btfpack lookup: the BTF a bundle holds for one kernel, named by its path
 * (BUNDLE PATH [OUT]) or found for this host or given host values by the
 * rules of docs/lookup.md, following symlinks, hard links and index.json
 * blob mappings whatever --dedup mode or profile built the bundle.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive/bundle_host.h"
#include "archive/bundle_reader.h"
#include "cmd/commands.h"
#include "base/fileio.h"
#include "base/text.h"

void cmd_lookup_usage(FILE *out)
{
	fprintf(out,
		"Usage: btfpack lookup [-v] BUNDLE PATH [OUT]\n"
		"       btfpack lookup [-v] BUNDLE --host [--root DIR] [-o OUT]\n"
		"       btfpack lookup [-v] BUNDLE [--os-release FILE] [--release R] [--arch A]\n"
		"                      [--root DIR] [-o OUT]\n"
		"\n"
		"Write the BTF stored in BUNDLE (a tar of any compression, or a directory,\n"
		"of any profile) to OUT, or to stdout when OUT is omitted or '-'. The first\n"
		"form names the entry (<distro>/<version>/<arch>/<kernel>.btf). The others\n"
		"find this host's entry (docs/lookup.md): os-release, uname -r and uname -m,\n"
		"each replaced by the option given; --root DIR reads DIR/etc/os-release\n"
		"(then DIR/usr/lib/os-release), as for a host mounted at /host.\n"
		"\n"
		"  -o, --output OUT    where to write the BTF\n"
		"  -v, --verbose       say on stderr which entry matched and why\n"
		"\n"
		"Exit status: 0 found, 4 no such entry (the message names the nearest),\n"
		"5 BUNDLE cannot be read, 6 BUNDLE is not a btfpack bundle (corrupt,\n"
		"truncated, foreign), 1 other errors, 2 usage error.\n");
}

struct lookup_opts {
	const char *bundle;
	const char *entry;	/* NULL: find by host */
	const char *out;	/* NULL: stdout */
	struct bundle_host_src host;
	bool by_host;
	bool verbose;
};

enum { OPT_HOST = 256, OPT_ROOT, OPT_OS_RELEASE, OPT_RELEASE, OPT_ARCH };

static int parse_opt(int c, struct lookup_opts *o)
{
	switch (c) {
	case 'h':
		cmd_lookup_usage(stdout);
		return EXIT_OK;
	case 'o':
		o->out = optarg;
		return CMD_RUN;
	case 'v':
		o->verbose = true;
		return CMD_RUN;
	case OPT_HOST:
		break;
	case OPT_ROOT:
		o->host.root = optarg;
		break;
	case OPT_OS_RELEASE:
		o->host.os_release_path = optarg;
		break;
	case OPT_RELEASE:
		o->host.release = optarg;
		break;
	case OPT_ARCH:
		o->host.arch = optarg;
		break;
	default:
		cmd_lookup_usage(stderr);
		return EXIT_USAGE;
	}
	o->by_host = true;
	return CMD_RUN;
}

static int usage_error(const char *msg)
{
	bp_print_error(msg);
	cmd_lookup_usage(stderr);
	return EXIT_USAGE;
}

static int parse_args(int argc, char **argv, struct lookup_opts *o)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "output", required_argument, NULL, 'o' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "host", no_argument, NULL, OPT_HOST },
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "os-release", required_argument, NULL, OPT_OS_RELEASE },
		{ "release", required_argument, NULL, OPT_RELEASE },
		{ "arch", required_argument, NULL, OPT_ARCH },
		{ NULL, 0, NULL, 0 },
	};
	int c, ret, n;

	optind = 1;
	while ((c = getopt_long(argc, argv, "ho:v", longopts, NULL)) != -1) {
		ret = parse_opt(c, o);
		if (ret != CMD_RUN)
			return ret;
	}
	n = argc - optind;
	if (o->by_host && n != 1)
		return usage_error("lookup: expected BUNDLE alone with --host and its options");
	if (!o->by_host && (n < 2 || n > 3 || (n == 3 && o->out)))
		return usage_error("lookup: expected BUNDLE PATH [OUT], or BUNDLE --host");
	o->bundle = argv[optind];
	if (!o->by_host)
		o->entry = argv[optind + 1];
	if (n == 3)
		o->out = argv[optind + 2];
	if (o->out && !strcmp(o->out, "-"))
		o->out = NULL;
	return CMD_RUN;
}

/* The exit status for a lookup error (see the usage). */
static int lookup_exit(int ret)
{
	if (ret == -ENOENT)
		return EXIT_NO_ENTRY;
	if (ret == -EIO)
		return EXIT_UNREADABLE;
	if (ret == -EBADMSG)
		return EXIT_NOT_BUNDLE;
	return EXIT_ERROR;
}

static int find_by_host(const struct bundle_cat *cat, const struct lookup_opts *o, void **data,
			size_t *size, struct bp_err *err)
{
	char *entry = NULL, *rule = NULL;
	struct bundle_host h;
	int ret;

	ret = bundle_host_detect(&o->host, &h, err);
	if (ret)
		return ret == -EIO ? -EINVAL : ret;	/* the host, not the bundle */
	ret = bundle_find(cat, &h, data, size, &entry, &rule, err);
	if (!ret && o->verbose)
		bp_print_errorf("lookup: host %s/%s/%s/%s (codename %s): %s matched, by %s",
				*h.id ? h.id : "-", *h.version_id ? h.version_id : "-", h.arch,
				h.release, *h.codename ? h.codename : "-", entry, rule);
	free(entry);
	free(rule);
	return ret;
}

static int fetch(const struct lookup_opts *o, void **data, size_t *size, struct bp_err *err)
{
	struct bundle_src src = { .name = o->bundle, .path = o->bundle };
	struct bundle_cat *cat;
	int ret;

	ret = bundle_find_errno(bundle_cat_open(&src, &cat, err), true);
	if (ret)
		return ret;
	if (o->entry) {
		ret = bundle_find_errno(bundle_cat_get(cat, o->entry, data, size, err), false);
		if (!ret && o->verbose)
			bp_print_errorf("lookup: %s: entry %s", o->bundle, o->entry);
	} else {
		ret = bundle_find_check(cat, err);
		if (!ret)
			ret = find_by_host(cat, o, data, size, err);
	}
	bundle_cat_free(cat);
	return ret;
}

int cmd_lookup(int argc, char **argv)
{
	struct lookup_opts o = { 0 };
	struct bp_err err;
	size_t size;
	void *data;
	int ret;

	ret = parse_args(argc, argv, &o);
	if (ret != CMD_RUN)
		return ret;
	ret = fetch(&o, &data, &size, &err);
	if (ret) {
		bp_print_error(err.msg);
		return lookup_exit(ret);
	}
	if (o.out) {
		ret = bp_write_file_atomic(o.out, data, size, &err);
		if (ret)
			bp_print_error(err.msg);
	} else if (fwrite(data, 1, size, stdout) != size || fflush(stdout)) {
		bp_print_error("cannot write to stdout");
		ret = -1;
	}
	free(data);
	return ret ? EXIT_ERROR : EXIT_OK;
}
