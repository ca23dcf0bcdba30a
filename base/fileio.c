// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/fileio.h"

int bp_read_file(const char *path, size_t max_size, void **data, size_t *size,
		 struct bp_err *err)
{
	struct stat st;
	size_t done = 0;
	char *buf;
	int fd, ret;

	*data = NULL;
	*size = 0;
	/* O_NONBLOCK: opening a FIFO must not wait for a writer; it is then
	 * refused as not a regular file (the flag means nothing for those)
	 */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return bp_err_set(err, errno, "%s: cannot open: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0) {
		ret = bp_err_set(err, errno, "%s: cannot stat: %s", path, strerror(errno));
		goto out_close;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = bp_err_set(err, EINVAL, "%s: not a regular file", path);
		goto out_close;
	}
	if ((unsigned long long)st.st_size > max_size) {
		ret = bp_err_set(err, EFBIG, "%s: file is %lld bytes, above the %zu-byte limit",
				 path, (long long)st.st_size, max_size);
		goto out_close;
	}
	/* +1 so an empty file still gets a valid, distinct allocation */
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		ret = bp_err_set(err, ENOMEM, "%s: out of memory", path);
		goto out_close;
	}
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + done, (size_t)st.st_size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = bp_err_set(err, errno, "%s: read failed: %s", path, strerror(errno));
			free(buf);
			goto out_close;
		}
		if (n == 0)
			break; /* file shrank under us: use what we got */
		done += (size_t)n;
	}
	*data = buf;
	*size = done;
	ret = 0;
out_close:
	close(fd);
	return ret;
}

int bp_view_file(const char *path, size_t max_size, struct bp_file_view *view,
		 struct bp_err *err)
{
	struct stat st;
	void *map;
	int fd, ret;

	*view = (struct bp_file_view){ 0 };
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return bp_err_set(err, errno, "%s: cannot open: %s", path, strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (unsigned long long)st.st_size <= max_size) {
		/* private and read-only: a file truncated under us could still
		 * fault, which the batch accepts as it accepts any I/O error
		 */
		map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE,
			   fd, 0);
		if (map != MAP_FAILED) {
			close(fd);
			view->map = map;
			view->data = map;
			view->size = (size_t)st.st_size;
			return 0;
		}
	}
	close(fd);
	/* empty, special or unmappable files: read them (and report limits) */
	ret = bp_read_file(path, max_size, &view->owned, &view->size, err);
	view->data = view->owned;
	return ret;
}

void bp_unview_file(struct bp_file_view *view)
{
	if (view->map)
		munmap(view->map, view->size);
	free(view->owned);
	*view = (struct bp_file_view){ 0 };
}

int bp_write_all(int fd, const void *data, size_t size)
{
	const char *p = data;

	while (size) {
		ssize_t n = write(fd, p, size);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		size -= (size_t)n;
	}
	return 0;
}

int bp_write_file_atomic(const char *path, const void *data, size_t size,
			 struct bp_err *err)
{
	struct bp_out_lock lk;
	char *tmp;
	int fd, ret;

	ret = bp_out_lock(path, &lk, err);
	if (ret)
		return ret;
	ret = bp_temp_file(path, &tmp, &fd, err);
	if (ret)
		goto out_unlock;
	ret = bp_write_all(fd, data, size);
	if (!ret && fchmod(fd, 0644) < 0)
		ret = -errno;
	if (!ret && fsync(fd) < 0)
		ret = -errno;
	if (close(fd) < 0 && !ret)
		ret = -errno;
	if (!ret) {
		bp_test_pause_before_commit();
		ret = bp_temp_commit(tmp, path);
	}
	if (ret) {
		bp_temp_discard(tmp);
		ret = bp_err_set(err, -ret, "%s: cannot write: %s", path, strerror(-ret));
	}
	free(tmp);
out_unlock:
	bp_out_unlock(&lk);
	return ret;
}
