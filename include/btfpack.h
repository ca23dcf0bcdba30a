/* SPDX-License-Identifier: MIT */
/* libbtfpack: minimize kernel BTF for the CO-RE relocations of BPF objects,
 * and look a kernel's BTF up in a bundle that `btfpack build` wrote.
 *
 * Conventions (libbpf's): handles are btfpack_<obj>__<method>; fallible
 * functions return 0 or a negative errno and, when err is not NULL, fill the
 * caller's struct btfpack_err with one line naming the input. The library
 * keeps no global state: no libbpf print hook is installed (libbpf's own
 * warnings go wherever the host process sent them), logging goes through
 * the callback of each call's opts. Bytes returned through void ** are
 * malloc'ed and released with btfpack_free().
 *
 * Threads: every call takes its state from its arguments. An object is
 * only read after it is opened and may be shared by concurrent
 * btfpack_kernel__minimize() calls (as the batch builder shares them); a
 * kernel handle serves one call at a time.
 */
#ifndef BTFPACK_H
#define BTFPACK_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef BTFPACK_API
#define BTFPACK_API __attribute__((visibility("default")))
#endif

#define BTFPACK_ERR_MSG_MAX 512

/* One line, NUL-terminated, naming the input; bytes from inputs (file names,
 * BTF strings) are as they are: escape them before a terminal sees them.
 */
struct btfpack_err {
	char msg[BTFPACK_ERR_MSG_MAX];
};

/* Levels may be added; a callback passes on those it does not know. */
enum btfpack_log_level {
	BTFPACK_LOG_WARN,	/* a relocation libbpf would reject, an object
				 * without relocations
				 */
};

/* msg is one line without a newline, valid during the call only. */
typedef void (*btfpack_log_fn)(void *ctx, enum btfpack_log_level level, const char *msg);

struct btfpack_kernel;	/* a kernel's BTF and its candidate index */
struct btfpack_object;	/* a BPF object's BTF and CO-RE relocations */

/* "0.1.0": the version of the library in use (not of the header). */
BTFPACK_API const char *btfpack_version(void);

/* Release bytes the library returned (NULL is a no-op). */
BTFPACK_API void btfpack_free(void *buf);

/* Kernel BTF: raw BTF as BTFHub ships it, or an ELF file with .BTF. name is
 * used in messages only; open_mem does not keep data.
 */
BTFPACK_API int btfpack_kernel__open_file(const char *path, struct btfpack_kernel **kernel,
					  struct btfpack_err *err);
BTFPACK_API int btfpack_kernel__open_mem(const void *data, size_t size, const char *name,
					 struct btfpack_kernel **kernel, struct btfpack_err *err);
BTFPACK_API void btfpack_kernel__free(struct btfpack_kernel *kernel);

/* A BPF object file (ELF, little-endian); open_mem does not keep data. One
 * without relocations is valid and adds nothing to a minimization
 * (relo_count 0; minimize logs a warning for it).
 */
BTFPACK_API int btfpack_object__open_file(const char *path, struct btfpack_object **obj,
					  struct btfpack_err *err);
BTFPACK_API int btfpack_object__open_mem(const void *data, size_t size, const char *name,
					 struct btfpack_object **obj, struct btfpack_err *err);
BTFPACK_API size_t btfpack_object__relo_count(const struct btfpack_object *obj);
BTFPACK_API void btfpack_object__free(struct btfpack_object *obj);

/* Per-object outcome of a minimization. Fixed layout: it is an array
 * element, so it cannot grow by an sz field.
 */
struct btfpack_stats {
	size_t resolved;
	size_t unresolved;	/* no candidate: libbpf poisons the instruction */
	size_t rejected;	/* libbpf fails the load on this kernel */
};

/* Options, libbpf style: set sz to sizeof(struct btfpack_minimize_opts) (the
 * BTFPACK_OPTS macro does), so a library newer than the caller's header
 * knows which fields the caller has. NULL opts means all defaults.
 */
/* Whose CO-RE rules a minimized BTF must serve (`--loader`). */
enum btfpack_loader {
	BTFPACK_LOADER_ALL = 0,		/* every loader below (the default) */
	BTFPACK_LOADER_LIBBPF = 1,	/* libbpf 1.1 to 1.5 */
	BTFPACK_LOADER_CILIUM = 2,	/* cilium/ebpf */
};

struct btfpack_minimize_opts {
	size_t sz;
	/* skip re-deciding every relocation against the result (checked by
	 * default, as `btfpack min` does)
	 */
	bool no_verify;
	btfpack_log_fn log_fn;	/* NULL: no log */
	void *log_ctx;
	enum btfpack_loader loader;
	size_t :0;
};

#define BTFPACK_OPTS(type, name, ...)					\
	struct type name = { .sz = sizeof(struct type), __VA_ARGS__ }

/* The part of kernel's BTF that the CO-RE relocations of objs[0..obj_cnt)
 * need, so that libbpf decides every relocation against it exactly as
 * against the full BTF: the bytes `btfpack min` writes for the same inputs.
 * *buf (free with btfpack_free) and *size are set on success. stats, when
 * not NULL, has obj_cnt entries.
 */
BTFPACK_API int btfpack_kernel__minimize(const struct btfpack_kernel *kernel,
					 const struct btfpack_object *const *objs, size_t obj_cnt,
					 const struct btfpack_minimize_opts *opts,
					 void **buf, size_t *size, struct btfpack_stats *stats,
					 struct btfpack_err *err);

/* The BTF a bundle (a tar of any compression, or a directory) holds under
 * entry ("<distro>/<version>/<arch>/<kernel>.btf"), following symlinks,
 * hard links and index.json blob mappings. -ENOENT when it has none.
 */
BTFPACK_API int btfpack_bundle__lookup(const char *bundle, const char *entry,
				       void **buf, size_t *size, struct btfpack_err *err);

/* ---- Finding this host's BTF in a bundle (LIBBTFPACK_0.1) ----
 *
 * A bundle of any profile (native, bcc, tree, btfhub; a tar of any
 * compression, a directory, or the bytes of either embedded in a program)
 * is opened once and searched by host. Error codes are distinct:
 *   -EIO      the bundle cannot be read (missing, unreadable; the message
 *             gives the system's reason)
 *   -EBADMSG  it is not a btfpack bundle (truncated, foreign, corrupt)
 *   -ENOENT   it has no entry for this host (the message names the nearest
 *             entries for the same distro/version or arch)
 *   -EINVAL   bad arguments
 */
struct btfpack_bundle;

BTFPACK_API int btfpack_bundle__open_file(const char *path, struct btfpack_bundle **bundle,
					  struct btfpack_err *err);
/* data must stay valid until btfpack_bundle__free (an embedded bundle is
 * not copied); name is used in messages only.
 */
BTFPACK_API int btfpack_bundle__open_mem(const void *data, size_t size, const char *name,
					 struct btfpack_bundle **bundle, struct btfpack_err *err);
BTFPACK_API void btfpack_bundle__free(struct btfpack_bundle *bundle);

/* What identifies a kernel in a bundle, normalized: id lower-case and
 * unquoted ("centos"), version_id as in os-release ("7", "8.6", "22.04"),
 * codename ("bullseye", may be empty), release = uname -r, arch in BTFHub's
 * spelling ("x86_64", "arm64").
 */
#define BTFPACK_HOST_FIELD_MAX 256
struct btfpack_host {
	char id[BTFPACK_HOST_FIELD_MAX];
	char version_id[BTFPACK_HOST_FIELD_MAX];
	char codename[BTFPACK_HOST_FIELD_MAX];
	char release[BTFPACK_HOST_FIELD_MAX];
	char arch[BTFPACK_HOST_FIELD_MAX];
};

struct btfpack_host_opts {
	size_t sz;
	/* prefix for every host file read ("/host" in a container); NULL: "/" */
	const char *root;
	/* an os-release file to read instead of <root>/etc/os-release, then
	 * <root>/usr/lib/os-release
	 */
	const char *os_release_path;
	/* override uname -r / uname -m (arch is normalized: aarch64 -> arm64) */
	const char *release;
	const char *arch;
	size_t :0;
};

/* Fill host from os-release and uname (or opts' overrides). */
BTFPACK_API int btfpack_host__detect(const struct btfpack_host_opts *opts,
				     struct btfpack_host *host, struct btfpack_err *err);

/* Whether the running kernel exposes its own BTF (<root>/sys/kernel/btf/vmlinux
 * readable), so no bundle is needed. root NULL means "/".
 */
BTFPACK_API bool btfpack_host__has_kernel_btf(const char *root);

/* The BTF bundle holds for host, by the rules of docs/lookup.md
 * (distro/version/arch/release, then minor -> major version, codename,
 * and (arch, release) alone when that is unambiguous). entry, when not
 * NULL, receives the bundle path that matched (free with btfpack_free).
 */
BTFPACK_API int btfpack_bundle__find(const struct btfpack_bundle *bundle,
				     const struct btfpack_host *host, void **buf, size_t *size,
				     char **entry, struct btfpack_err *err);

/* The same, written to a private temp file (mode 0600, O_CLOEXEC, under
 * $TMPDIR or /tmp) for libbpf's btf_custom_path; *path is malloc'ed, and
 * btfpack_tmpfile__remove() unlinks and frees it.
 */
BTFPACK_API int btfpack_bundle__find_to_file(const struct btfpack_bundle *bundle,
					     const struct btfpack_host *host, char **path,
					     struct btfpack_err *err);
BTFPACK_API void btfpack_tmpfile__remove(char *path);

#ifdef __cplusplus
}
#endif

#endif
