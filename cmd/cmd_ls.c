// SPDX-License-Identifier: MIT
/* btfpack ls BUNDLE [--json]: what a bundle holds, so a release job (or a
 * person) can see which kernels it carries, how they are stored and how
 * much deduplication saved, without unpacking it.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "archive/bundle_list.h"
#include "base/text.h"
#include "cmd/commands.h"

void cmd_ls_usage(FILE *out)
{
	fprintf(out,
		"Usage: btfpack ls [--json] BUNDLE\n"
		"\n"
		"List what BUNDLE (a tar of any compression, or a directory) holds: every\n"
		"file with its size and xxh3-128, every link with its target, then the\n"
		"dedup figures and the objects its index.json was built for.\n"
		"\n"
		"  --json       one JSON document on stdout instead of the table\n"
		"  -h, --help   show this help\n"
		"\n"
		"Exit status: 0 listed, 1 unreadable, 2 usage error.\n");
}

static const char *type_name(enum bundle_entry_type t)
{
	switch (t) {
	case BUNDLE_ENTRY_FILE: return "file";
	case BUNDLE_ENTRY_SYMLINK: return "symlink";
	case BUNDLE_ENTRY_HARDLINK: return "hardlink";
	default: return "dir";
	}
}

/* Names come from the bundle: escaped, as every name btfpack prints. */
static void print_table(const struct bundle_list *l)
{
	size_t i;

	for (i = 0; i < l->cnt; i++) {
		const struct bundle_list_entry *e = &l->entries[i];

		if (e->type == BUNDLE_ENTRY_FILE)
			printf("%10zu  %s  ", e->size, e->hash);
		else
			printf("%10s  %-32s  ", e->type == BUNDLE_ENTRY_SYMLINK ? "symlink" : "hardlink",
			       "");
		bp_fputs_escaped(e->path, stdout);
		if (e->target) {
			fputs(e->type == BUNDLE_ENTRY_SYMLINK ? " -> " : " => ", stdout);
			bp_fputs_escaped(e->target, stdout);
		}
		putchar('\n');
	}
	printf("\n%zu files (%zu bytes), %zu distinct (%zu bytes), %zu symlinks, %zu hard links",
	       l->files, l->file_bytes, l->unique_files, l->unique_bytes, l->symlinks,
	       l->hardlinks);
	if (l->dedup) {
		fputs("; dedup ", stdout);
		bp_fputs_escaped(l->dedup, stdout);
	}
	putchar('\n');
	for (i = 0; i < l->obj_cnt; i++) {
		fputs(i ? ", " : "objects: ", stdout);
		bp_fputs_escaped(l->objects[i], stdout);
	}
	if (l->obj_cnt)
		putchar('\n');
}

static json_t *entry_json(const struct bundle_list_entry *e)
{
	json_t *o = json_object();

	if (!o)
		return NULL;
	json_object_set_new(o, "path", json_string(e->path));
	json_object_set_new(o, "type", json_string(type_name(e->type)));
	if (e->type == BUNDLE_ENTRY_FILE) {
		json_object_set_new(o, "size", json_integer((json_int_t)e->size));
		json_object_set_new(o, "xxh128", json_string(e->hash));
	} else {
		json_object_set_new(o, "target", json_string(e->target ? e->target : ""));
	}
	return o;
}

static int print_json(const struct bundle_list *l)
{
	json_t *root = json_object(), *entries = json_array(), *objs = json_array();
	size_t i;

	if (!root || !entries || !objs) {
		json_decref(root);
		json_decref(entries);
		json_decref(objs);
		return -1;
	}
	for (i = 0; i < l->cnt; i++)
		json_array_append_new(entries, entry_json(&l->entries[i]));
	for (i = 0; i < l->obj_cnt; i++)
		json_array_append_new(objs, json_string(l->objects[i]));
	json_object_set_new(root, "entries", entries);
	json_object_set_new(root, "files", json_integer((json_int_t)l->files));
	json_object_set_new(root, "file_bytes", json_integer((json_int_t)l->file_bytes));
	json_object_set_new(root, "unique_files", json_integer((json_int_t)l->unique_files));
	json_object_set_new(root, "unique_bytes", json_integer((json_int_t)l->unique_bytes));
	json_object_set_new(root, "symlinks", json_integer((json_int_t)l->symlinks));
	json_object_set_new(root, "hardlinks", json_integer((json_int_t)l->hardlinks));
	json_object_set_new(root, "dedup", l->dedup ? json_string(l->dedup) : json_null());
	json_object_set_new(root, "objects", objs);
	return cmd_put_json(root);
}

int cmd_ls(int argc, char **argv)
{
	struct bundle_list l;
	struct bp_err err;
	bool json;
	int c, ret;

	c = cmd_parse_json_flag(argc, argv, &json);
	if (c) {
		cmd_ls_usage(c == 'h' ? stdout : stderr);
		return c == 'h' ? EXIT_OK : EXIT_USAGE;
	}
	if (argc - optind != 1) {
		bp_print_error("ls: expected one BUNDLE");
		cmd_ls_usage(stderr);
		return EXIT_USAGE;
	}
	if (bundle_list(argv[optind], &l, &err)) {
		bp_print_error(err.msg);
		return EXIT_ERROR;
	}
	ret = json ? print_json(&l) : 0;
	if (!json)
		print_table(&l);
	bundle_list_free(&l);
	if (ret || fflush(stdout)) {
		bp_print_error("cannot write to stdout");
		return EXIT_ERROR;
	}
	return EXIT_OK;
}
