/* SPDX-License-Identifier: MIT */
/* Whole-file reads with a size cap, and atomic writes (temp file + rename). */
#ifndef BTFPACK_BASE_FILEIO_H
#define BTFPACK_BASE_FILEIO_H

#include <stddef.h>

#include "base/error.h"

/* Largest input file we read whole: far above any kernel BTF or BPF object. */
#define BP_MAX_INPUT_FILE (1024UL * 1024 * 1024)

/* Read all of path into a malloc'ed buffer (freed by the caller). */
int bp_read_file(const char *path, size_t max_size, void **data, size_t *size,
		 struct bp_err *err);

/* A read-only view of a whole file: mapped when possible, else read. */
struct bp_file_view {
	const void *data;
	size_t size;
	void *owned;		/* malloc'ed copy, when not mapped */
	void *map;		/* mmap base, when mapped */
};

int bp_view_file(const char *path, size_t max_size, struct bp_file_view *view,
		 struct bp_err *err);
void bp_unview_file(struct bp_file_view *view);

/* Write all of data to fd, retrying short writes and EINTR; -errno. */
int bp_write_all(int fd, const void *data, size_t size);

/* Write data to path via a temp file in the same directory, fsync, rename,
 * holding path's lock (core/cleanup.h) throughout: -EBUSY when another run
 * is writing path. On failure path is left as it was and the temp file is
 * removed.
 */
int bp_write_file_atomic(const char *path, const void *data, size_t size,
			 struct bp_err *err);

#endif
