/* SPDX-License-Identifier: MIT */
/* index.json (bundle catalogue) and the coverage report, rendered with
 * jansson, keys in a fixed order, so equal inputs give equal bytes. The
 * layouts are specified in docs/index-format.md.
 */
#ifndef BTFPACK_DEDUP_INDEX_JSON_H
#define BTFPACK_DEDUP_INDEX_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/error.h"
#include "dedup/hash.h"

#define BTFPACK_INDEX_FORMAT 2
#define BTFPACK_REPORT_FORMAT 2

struct index_object {
	const char *name;	/* as given on the command line, or relative to --obj DIR */
	const char *arch;	/* NULL: all architectures (--obj), else --obj-arch's */
	char hash[33];		/* xxh128 of the object file ("": not in the index) */
	char relo[33];		/* its relocation digest (core/relo_digest.h) */
	size_t relocations;	/* CO-RE records */
};

/* Per kernel x object outcome of the engine. */
struct index_coverage {
	size_t resolved;
	size_t unresolved;
	size_t rejected;
};

struct index_kernel {
	const char *path;	/* bundle path: <distro>/<version>/<arch>/<kernel>.btf */
	const char *source;	/* input path relative to the hub root */
	const char *distro;
	const char *version;
	const char *arch;
	const char *release;	/* <kernel>, the file name without .btf... */
	const char *status;	/* "ok" or "failed" (anything else is -EINVAL) */
	const char *error;	/* NULL when ok; required when failed */
	char blob[33];		/* xxh128 of the minimized BTF ("" when failed) */
	size_t size;		/* minimized BTF bytes */
	char source_hash[33];	/* xxh128 of the input file as stored ("": unread, null) */
	const char *carried_from; /* --keep-from: id of the bundle it came from, or NULL */
	size_t resolved;	/* totals over objects */
	size_t unresolved;
	size_t rejected;
	const struct index_coverage *coverage; /* obj_cnt entries, or NULL */
};

/* A shard's partial bundle (build --shard K/N) says which part it is. */
#define INDEX_PART_MAX 4096u	/* most shards a build may be split into */
struct index_part {
	unsigned int shard;	/* K, 1-based */
	unsigned int of;	/* N */
};

/* Where a bundle came from (docs/index-format.md, "provenance"). */
struct index_provenance {
	char object_set[33];	/* object-set digest (batch/obj_set.h) */
	unsigned int output_format; /* BTFPACK_OUTPUT_FORMAT of the minimizer */
	/* --loader: whose rules the BTF serves ("all", "libbpf", "cilium");
	 * a part of what decides the output, like output_format
	 */
	char loader[16];
};

/* --aliases: one more key for an entry's bytes. */
struct index_alias {
	const char *path;	/* the alias key */
	const char *entry;	/* the entry's path */
};

struct index_doc {
	const char *btfpack_version;
	const char *profile;	/* "native", "bcc", "tree", "btfhub" (NULL: native) */
	const char *dedup;	/* native: "symlink", "hardlink", "index", "none"; else NULL */
	const struct index_part *part; /* NULL: a whole bundle */
	const struct index_provenance *provenance; /* NULL: no "provenance" key */
	const struct index_alias *aliases;
	size_t alias_cnt;
	const struct index_object *objects;
	size_t obj_cnt;
	const struct index_kernel *kernels;
	size_t kernel_cnt;
};

/* Render index.json (compact: what lookup and verification need; the rest
 * is the report's) into a malloc'ed, NUL-terminated string ending in a
 * newline. Hash fields must be 32 lowercase hex digits and names/paths
 * valid UTF-8 (else -EINVAL/-EILSEQ); bytes of error messages that are not
 * UTF-8 become '?'. On error *out is NULL.
 */
int index_json_render(const struct index_doc *doc, char **out, struct bp_err *err);

/* The bundle id: xxh3-128 of every ok kernel's bundle path and blob hash,
 * in index order (what a loader can get out of the bundle). -ENOMEM only.
 */
int index_bundle_id(const struct index_doc *doc, struct bp_hash *out);

/* The coverage report: JSON (every kernel's full record and its kernel x
 * object counts) or a readable table.
 * The table marks objects whose arch differs from the kernel's, and ok
 * kernels without coverage, with "-". Returns 0, -ENOMEM, or -EIO when
 * writing to out failed.
 */
int report_json_render(const struct index_doc *doc, char **out, struct bp_err *err);
int report_table_write(const struct index_doc *doc, FILE *out);

/* The blob (hash, hex) that index.json document json maps the kernel
 * entry (or alias) want to; format 1 documents are read too. 0 with *listed false when no entry has that path; -ENOENT
 * when the entry has no blob (the message says why: it failed to build);
 * -EBADMSG for a document that is not an index. name is for messages.
 */
int index_json_find_blob(const void *json, size_t size, const char *name, const char *want,
			 bool *listed, char hex[BP_HASH_HEX_LEN + 1], struct bp_err *err);

/* The object names (malloc'ed array of malloc'ed strings) and the dedup
 * mode (malloc'ed, or NULL) an index.json document records; -EBADMSG when
 * it is not JSON.
 */
int index_json_describe(const void *json, size_t size, const char *name, char ***objects,
			size_t *obj_cnt, char **dedup, struct bp_err *err);

/* The bundle paths index.json maps to blobs: format 1's kernels with a
 * blob, format 2's entries and aliases of the native profile (malloc'ed
 * array of malloc'ed strings, in index order); -EBADMSG when it is not an
 * index.
 */
int index_json_kernel_paths(const void *json, size_t size, const char *name, char ***paths,
			    size_t *cnt, struct bp_err *err);
/* An index.json read back: the inverse of index_json_render() for what the
 * index carries (no coverage, no counts, no object file hashes). A kernel's
 * distro, version, arch and release come from its path. Strings point into
 * the parsed document or into names, and live until index_parsed_free().
 * generator is "btfpack <version>".
 */
struct index_parsed {
	const char *generator;
	struct index_doc doc;	/* btfpack_version NULL: set by whoever renders */
	struct index_part part;	/* doc.part points here when the index has one */
	struct index_provenance prov; /* doc.provenance points here when it has one */
	struct index_object *objects;
	struct index_kernel *kernels;
	char **names;		/* per kernel: its path split at '/' */
	void *root;		/* the document (jansson), owner of the strings */
};

/* -EBADMSG naming name and the key for anything that is not a btfpack
 * index of format 1 or BTFPACK_INDEX_FORMAT; -ENOMEM. Without a provenance
 * (format 1, or a format 2 index from before it) doc.provenance is NULL
 * and, in format 2, every kernel's source is NULL.
 */
int index_json_parse(const void *json, size_t size, const char *name, struct index_parsed *out,
		     struct bp_err *err);
void index_parsed_free(struct index_parsed *ix);

#endif
