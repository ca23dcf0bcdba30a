// SPDX-License-Identifier: MIT
/* btfpack diff [--json] OLD NEW: what a nightly rebuild changed, as lines
 * for a change log or one JSON document. Exit status as diff(1)'s.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "archive/bundle_diff.h"
#include "base/text.h"
#include "cmd/commands.h"

enum { DIFF_SAME = 0, DIFF_DIFFER = 1, DIFF_TROUBLE = 2 };

void cmd_diff_usage(FILE *out)
{
	fprintf(out,
		"Usage: btfpack diff [--json] OLD NEW\n"
		"\n"
		"Compare two bundles by their index.json: kernels added, removed and\n"
		"changed (status, minimized BTF, or carried by --keep-from), objects added,\n"
		"removed and changed (relocation digest). One line each, sorted\n"
		"by path:\n"
		"  + PATH                 added        - PATH   removed\n"
		"  ~ PATH: OLD -> NEW     changed (blob hash, or 'failed')\n"
		"with ', carried from ID' where NEW keeps the kernel from bundle ID,\n"
		"then 'object' lines the same way, and a count line.\n"
		"\n"
		"  --json       one JSON document on stdout instead\n"
		"  -h, --help   show this help\n"
		"\n"
		"Exit status (as diff(1)): 0 same, 1 different, 2 trouble (unreadable\n"
		"bundle, usage error).\n");
}

static const char *kernel_state(const struct index_kernel *k)
{
	return strcmp(k->status, "ok") ? "failed" : k->blob;
}

static void print_kernel(const struct diff_kernel *c)
{
	const struct index_kernel *k = c->new_k ? c->new_k : c->old_k;

	fputs(c->kind == DIFF_ADDED ? "+ " : c->kind == DIFF_REMOVED ? "- " : "~ ", stdout);
	bp_fputs_escaped(k->path, stdout);
	if (c->kind == DIFF_CHANGED)
		printf(": %s -> %s", kernel_state(c->old_k), kernel_state(c->new_k));
	if (c->new_k && c->new_k->carried_from)
		printf(", carried from %s", c->new_k->carried_from);
	putchar('\n');
}

/* The relocation digest (format 2), else the file hash (format 1). */
static const char *object_state(const struct index_object *o)
{
	return o->relo[0] ? o->relo : o->hash;
}

static void print_object(const struct diff_object *c)
{
	const struct index_object *o = c->new_o ? c->new_o : c->old_o;

	fputs(c->kind == DIFF_ADDED ? "+ object " : c->kind == DIFF_REMOVED ? "- object " :
									       "~ object ",
	      stdout);
	bp_fputs_escaped(o->name, stdout);
	if (o->arch) {
		fputs(" (", stdout);
		bp_fputs_escaped(o->arch, stdout);
		putchar(')');
	}
	if (c->kind == DIFF_CHANGED)
		printf(": %s -> %s", object_state(c->old_o), object_state(c->new_o));
	putchar('\n');
}

static void print_text(const struct bundle_diff *d)
{
	size_t i;

	for (i = 0; i < d->kernel_cnt; i++)
		print_kernel(&d->kernels[i]);
	for (i = 0; i < d->obj_cnt; i++)
		print_object(&d->objects[i]);
	printf("kernels: %zu added, %zu removed, %zu changed; objects: %zu changed\n", d->added,
	       d->removed, d->changed, d->obj_cnt);
}

static const char *kind_name(enum diff_kind k)
{
	return k == DIFF_ADDED ? "added" : k == DIFF_REMOVED ? "removed" : "changed";
}

static json_t *kernel_json(const struct diff_kernel *c)
{
	const struct index_kernel *k = c->new_k ? c->new_k : c->old_k;

	return json_pack("{s:s, s:s, s:s?, s:s?, s:s?}", "change", kind_name(c->kind), "path",
			 k->path, "old", c->old_k ? kernel_state(c->old_k) : NULL, "new",
			 c->new_k ? kernel_state(c->new_k) : NULL, "carried_from",
			 c->new_k ? c->new_k->carried_from : NULL);
}

static json_t *object_json(const struct diff_object *c)
{
	const struct index_object *o = c->new_o ? c->new_o : c->old_o;

	return json_pack("{s:s, s:s, s:s?, s:s?, s:s?}", "change", kind_name(c->kind), "name",
			 o->name, "arch", o->arch, "old", c->old_o ? object_state(c->old_o) : NULL,
			 "new", c->new_o ? object_state(c->new_o) : NULL);
}

static int print_json(const struct bundle_diff *d)
{
	json_t *root, *ks = json_array(), *os = json_array();
	size_t i;

	for (i = 0; ks && i < d->kernel_cnt; i++)
		json_array_append_new(ks, kernel_json(&d->kernels[i]));
	for (i = 0; os && i < d->obj_cnt; i++)
		json_array_append_new(os, object_json(&d->objects[i]));
	root = json_pack("{s:b, s:o, s:o, s:{s:I, s:I, s:I}}", "same",
			 !d->kernel_cnt && !d->obj_cnt, "kernels", ks, "objects", os, "counts",
			 "added", (json_int_t)d->added, "removed", (json_int_t)d->removed,
			 "changed", (json_int_t)d->changed);
	return cmd_put_json(root);
}

int cmd_diff(int argc, char **argv)
{
	struct bundle_diff d;
	struct bp_err err;
	bool json;
	int c, ret;

	c = cmd_parse_json_flag(argc, argv, &json);
	if (c) {
		cmd_diff_usage(c == 'h' ? stdout : stderr);
		return c == 'h' ? DIFF_SAME : DIFF_TROUBLE;
	}
	if (argc - optind != 2) {
		bp_print_error("diff: expected OLD NEW");
		cmd_diff_usage(stderr);
		return DIFF_TROUBLE;
	}
	if (bundle_diff(argv[optind], argv[optind + 1], &d, &err)) {
		bp_print_error(err.msg);
		return DIFF_TROUBLE;
	}
	ret = 0;
	if (json)
		ret = print_json(&d);
	else
		print_text(&d);
	c = d.kernel_cnt || d.obj_cnt ? DIFF_DIFFER : DIFF_SAME;
	bundle_diff_free(&d);
	if (ret || fflush(stdout)) {
		bp_print_error("cannot write to stdout");
		return DIFF_TROUBLE;
	}
	return c;
}
