// SPDX-License-Identifier: MIT
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/magic.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include "base/cleanup.h"

#define LOCK_SUFFIX ".btfpack-lock"
#define LOCK_TRIES 100

enum reg_kind {
	REG_FILE,
	REG_DIR,
	REG_LOCK,
};

struct reg_entry {
	char *path;
	enum reg_kind kind;
	int fd;			/* REG_LOCK: the locked fd, else -1 */
};

/* The registry: what the cleaner removes. Small (a few live outputs). */
static pthread_mutex_t reg_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct reg_entry *reg;
static size_t reg_cnt, reg_cap;

static sigset_t sig_set;

/* Callers hold reg_mutex. */
static int reg_add(const char *path, enum reg_kind kind, int fd)
{
	struct reg_entry *n;
	char *copy;

	if (reg_cnt == reg_cap) {
		size_t cap = reg_cap ? reg_cap * 2 : 8;

		n = realloc(reg, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		reg = n;
		reg_cap = cap;
	}
	copy = strdup(path);
	if (!copy)
		return -ENOMEM;
	reg[reg_cnt++] = (struct reg_entry){ .path = copy, .kind = kind, .fd = fd };
	return 0;
}

static void reg_forget(const char *path)
{
	size_t i;

	for (i = 0; i < reg_cnt; i++) {
		if (strcmp(reg[i].path, path))
			continue;
		free(reg[i].path);
		reg[i] = reg[--reg_cnt];
		return;
	}
}

static int rm_one(const char *fpath, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	/* best effort: keep going so as much as possible goes away */
	if (flag == FTW_DP)
		rmdir(fpath);
	else
		unlink(fpath);
	return 0;
}

/* Never follows symlinks nor leaves the filesystem of path. */
static void remove_tree(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

/* Unlink a lock file only while it is still the inode locked through fd. */
static void unlink_lock(const char *path, int fd)
{
	struct stat a, b;

	if (fstat(fd, &a) == 0 && lstat(path, &b) == 0 && a.st_dev == b.st_dev &&
	    a.st_ino == b.st_ino)
		unlink(path);
}

/* Temps first: a lock file must outlive the temps it guards. */
static void remove_registered(void)
{
	size_t i;

	for (i = 0; i < reg_cnt; i++) {
		if (reg[i].kind == REG_FILE)
			unlink(reg[i].path);
		else if (reg[i].kind == REG_DIR)
			remove_tree(reg[i].path);
	}
	for (i = 0; i < reg_cnt; i++)
		if (reg[i].kind == REG_LOCK)
			unlink_lock(reg[i].path, reg[i].fd);
}

/* Not a handler: a plain thread, so anything may be called here. The
 * registry stays locked until the process is gone, so no commit can start.
 */
static _Noreturn void die_of(int sig)
{
	sigset_t one;

	pthread_mutex_lock(&reg_mutex);
	remove_registered();
	/* die of the signal itself, as a shell expects of an interrupted job */
	signal(sig, SIG_DFL);
	sigemptyset(&one);
	sigaddset(&one, sig);
	pthread_sigmask(SIG_UNBLOCK, &one, NULL);
	raise(sig);
	_exit(128 + sig);
}

static void *signal_thread(void *arg)
{
	int sig;

	(void)arg;
	for (;;) {
		if (sigwait(&sig_set, &sig) == 0)
			die_of(sig);
	}
	return NULL;
}

int bp_signals_start(void)
{
	pthread_attr_t attr;
	sigset_t old;
	pthread_t t;
	int ret;

	sigemptyset(&sig_set);
	sigaddset(&sig_set, SIGINT);
	sigaddset(&sig_set, SIGTERM);
	sigaddset(&sig_set, SIGHUP);
	ret = pthread_sigmask(SIG_BLOCK, &sig_set, &old);
	if (ret)
		return -ret;
	ret = pthread_attr_init(&attr);
	if (!ret) {
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		ret = pthread_create(&t, &attr, signal_thread, NULL);
		pthread_attr_destroy(&attr);
	}
	if (ret) {
		/* nobody would take them: blocked signals would be lost */
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		return -ret;
	}
	return 0;
}

void bp_cleanup_hold(void)
{
	pthread_mutex_lock(&reg_mutex);
}

void bp_cleanup_release(void)
{
	pthread_mutex_unlock(&reg_mutex);
}

/* ---- stale temps ---- */

/* Filesystems whose locks may not reach other hosts and where a pid
 * names nothing: nothing is swept there.
 */
static int is_network_fs(int fd)
{
	static const long magic[] = {
		NFS_SUPER_MAGIC, SMB_SUPER_MAGIC, (long)CIFS_SUPER_MAGIC,
		(long)SMB2_SUPER_MAGIC, FUSE_SUPER_MAGIC, CEPH_SUPER_MAGIC, V9FS_MAGIC,
		AFS_SUPER_MAGIC, AFS_FS_MAGIC,
	};
	struct statfs sf;
	size_t i;

	if (fstatfs(fd, &sf) < 0)
		return 1;	/* unknown: assume the worst */
	for (i = 0; i < sizeof(magic) / sizeof(magic[0]); i++)
		if ((unsigned int)sf.f_type == (unsigned int)magic[i])
			return 1;
	return 0;
}

/* The pid in "<base>.<kind>.<pid>.XXXXXX" (mkstemp's six letters and
 * digits), or 0 when name is not exactly that.
 */
static long temp_pid(const char *name, const char *base, const char *kind)
{
	size_t n = strlen(base), k = strlen(kind), i;
	const char *p;
	long pid = 0;

	if (strncmp(name, base, n) || name[n] != '.' || strncmp(name + n + 1, kind, k) ||
	    name[n + 1 + k] != '.')
		return 0;
	p = name + n + k + 2;
	/* pid_max is at most 2^22: nine digits cannot overflow a long */
	for (i = 0; i < 9 && isdigit((unsigned char)p[i]); i++)
		pid = pid * 10 + (p[i] - '0');
	if (!i || p[i] != '.' || pid <= 0)
		return 0;
	p += i + 1;
	for (i = 0; i < 6; i++)
		if (!isalnum((unsigned char)p[i]))
			return 0;
	return p[6] ? 0 : pid;
}

static int pid_dead(long pid)
{
	return pid != (long)getpid() && kill((pid_t)pid, 0) < 0 && errno == ESRCH;
}

static int has_index(const char *dir)
{
	struct stat st;
	char *index;
	int ret;

	if (asprintf(&index, "%s/index.json", dir) < 0)
		return 0;
	ret = lstat(index, &st) == 0 && S_ISREG(st.st_mode);
	free(index);
	return ret;
}

/* A dead run's temp goes; a dead run's aside (the old bundle of a
 * two-rename replace) goes back to out when out is missing, else goes.
 */
static void sweep_one(const char *dir, const char *name, const char *out, int aside)
{
	struct stat st;
	char *full;

	if (asprintf(&full, "%s/%s", dir, name) < 0)
		return;
	if (lstat(full, &st) == 0) {
		if (aside && S_ISDIR(st.st_mode) && lstat(out, &st) < 0 && errno == ENOENT &&
		    has_index(full) && rename(full, out) == 0)
			;	/* put back */
		else if (S_ISDIR(st.st_mode))
			remove_tree(full);
		else if (S_ISREG(st.st_mode))
			unlink(full);
	}
	free(full);
}

static void sweep(const char *out)
{
	const char *slash = strrchr(out, '/');
	const char *base = slash ? slash + 1 : out;
	struct dirent *de;
	char *dir;
	DIR *dh;

	dir = slash ? strndup(out, (size_t)(slash - out)) : strdup(".");
	if (dir && !*dir) {
		free(dir);
		dir = strdup("/");
	}
	if (!dir)
		return;
	dh = opendir(dir);
	while (dh && (de = readdir(dh))) {
		long pid = temp_pid(de->d_name, base, "tmp");
		int aside = 0;

		if (!pid) {
			pid = temp_pid(de->d_name, base, "old");
			aside = 1;
		}
		if (pid && pid_dead(pid))
			sweep_one(dir, de->d_name, out, aside);
	}
	if (dh)
		closedir(dh);
	free(dir);
}

/* ---- the output lock ---- */

enum { LOCKED, RETRY, UNSUPPORTED };

/* One attempt, under reg_mutex so a signal never leaves the file unnamed
 * in the registry: LOCKED, RETRY (the holder removed it as we opened it),
 * UNSUPPORTED, or -errno.
 */
static int lock_once(const char *out, const char *path, int *fdp, struct bp_err *err)
{
	struct stat a, b;
	int fd, e;

	fd = open(path, O_RDONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return bp_err_set(err, errno, "%s: cannot create lock file %s: %s", out, path,
				  strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		e = errno;
		if (e == EWOULDBLOCK) {
			close(fd);
			return bp_err_set(err, EBUSY,
					  "%s: another btfpack run is writing it (it holds %s); not waiting",
					  out, path);
		}
		if (e == ENOLCK || e == EOPNOTSUPP || e == EINVAL) {
			/* nobody can lock here: the file guards nothing */
			unlink_lock(path, fd);
			close(fd);
			return UNSUPPORTED;
		}
		close(fd);
		return bp_err_set(err, e, "%s: cannot lock %s: %s", out, path, strerror(e));
	}
	if (fstat(fd, &a) < 0 || lstat(path, &b) < 0 || a.st_dev != b.st_dev ||
	    a.st_ino != b.st_ino) {
		close(fd);
		return RETRY;
	}
	if (reg_add(path, REG_LOCK, fd)) {
		unlink(path);
		close(fd);
		return bp_err_set(err, ENOMEM, "%s: out of memory", out);
	}
	*fdp = fd;
	return LOCKED;
}

int bp_out_lock(const char *out, struct bp_out_lock *lk, struct bp_err *err)
{
	char *path;
	int tries, fd = -1, ret = RETRY;

	*lk = (struct bp_out_lock){ .fd = -1 };
	if (asprintf(&path, "%s" LOCK_SUFFIX, out) < 0)
		return bp_err_set(err, ENOMEM, "%s: out of memory", out);
	for (tries = 0; tries < LOCK_TRIES && ret == RETRY; tries++) {
		pthread_mutex_lock(&reg_mutex);
		ret = lock_once(out, path, &fd, err);
		pthread_mutex_unlock(&reg_mutex);
	}
	if (ret == RETRY)
		ret = bp_err_set(err, EAGAIN, "%s: lock file %s keeps being replaced", out,
				 path);
	if (ret != LOCKED) {
		free(path);
		return ret == UNSUPPORTED ? 0 : ret;
	}
	lk->fd = fd;
	lk->path = path;
	if (!is_network_fs(fd))
		sweep(out);
	return 0;
}

void bp_out_unlock(struct bp_out_lock *lk)
{
	if (lk->fd >= 0) {
		/* unlinked while still held: a waiter on this inode sees it is
		 * gone and retries on a fresh file
		 */
		pthread_mutex_lock(&reg_mutex);
		unlink_lock(lk->path, lk->fd);
		reg_forget(lk->path);
		close(lk->fd);
		pthread_mutex_unlock(&reg_mutex);
	}
	free(lk->path);
	*lk = (struct bp_out_lock){ .fd = -1 };
}

/* ---- temps ---- */

static char *temp_name(const char *out, const char *kind)
{
	char *s;

	if (asprintf(&s, "%s.%s.%ld.XXXXXX", out, kind, (long)getpid()) < 0)
		return NULL;
	return s;
}

/* A temp file (fd set) or directory (fd NULL) next to out, made and
 * registered under the registry lock, so a signal never sees it half-born.
 */
static int temp_create(const char *out, char **tmp, int *fd, struct bp_err *err)
{
	char *name = temp_name(out, "tmp");
	bool made;
	int ret = 0;

	*tmp = NULL;
	if (fd)
		*fd = -1;
	if (!name)
		return bp_err_set(err, ENOMEM, "%s: out of memory", out);
	pthread_mutex_lock(&reg_mutex);
	if (fd)
		made = (*fd = mkostemp(name, O_CLOEXEC)) >= 0;
	else
		made = mkdtemp(name) != NULL;
	if (!made) {
		ret = bp_err_set(err, errno, "%s: cannot create temp %s: %s", out,
				 fd ? "file" : "directory", strerror(errno));
	} else if (reg_add(name, fd ? REG_FILE : REG_DIR, -1)) {
		if (fd) {
			unlink(name);
			close(*fd);
			*fd = -1;
		} else {
			rmdir(name);
		}
		ret = bp_err_set(err, ENOMEM, "%s: out of memory", out);
	}
	pthread_mutex_unlock(&reg_mutex);
	if (ret)
		free(name);
	else
		*tmp = name;
	return ret;
}

int bp_temp_file(const char *out, char **tmp, int *fd, struct bp_err *err)
{
	return temp_create(out, tmp, fd, err);
}

int bp_temp_dir(const char *out, char **tmp, struct bp_err *err)
{
	return temp_create(out, tmp, NULL, err);
}

int bp_temp_commit(const char *tmp, const char *dest)
{
	int ret = 0;

	pthread_mutex_lock(&reg_mutex);
	if (rename(tmp, dest) < 0)
		ret = -errno;
	else
		reg_forget(tmp);
	pthread_mutex_unlock(&reg_mutex);
	return ret;
}

/* dest aside, tmp in, the aside to tmp: the end state of an exchange, in
 * three renames. Only the first two matter: in between, out is missing and
 * the aside (named so a later sweep puts it back) holds the old bundle.
 */
static int exchange_by_renames(const char *tmp, const char *dest)
{
	char *aside = temp_name(dest, "old");
	int ret = 0;

	if (!aside)
		return -ENOMEM;
	if (!mkdtemp(aside)) {
		ret = -errno;
	} else if (rename(dest, aside) < 0) {
		ret = -errno;
		rmdir(aside);
	} else if (rename(tmp, dest) < 0) {
		ret = -errno;
		rename(aside, dest);
	} else if (rename(aside, tmp) < 0) {
		remove_tree(aside);
	}
	free(aside);
	return ret;
}

int bp_temp_exchange(const char *tmp, const char *dest)
{
	int ret = 0;

	pthread_mutex_lock(&reg_mutex);
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dest, RENAME_EXCHANGE) < 0) {
		ret = -errno;
		/* filesystems and kernels that cannot exchange */
		if (ret == -EINVAL || ret == -ENOSYS || ret == -EOPNOTSUPP)
			ret = exchange_by_renames(tmp, dest);
	}
	pthread_mutex_unlock(&reg_mutex);
	return ret;
}

void bp_temp_discard(const char *tmp)
{
	struct stat st;

	pthread_mutex_lock(&reg_mutex);
	if (lstat(tmp, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			remove_tree(tmp);
		else
			unlink(tmp);
	}
	reg_forget(tmp);
	pthread_mutex_unlock(&reg_mutex);
}

/* ---- tests ---- */

void bp_test_pause_before_commit(void)
{
	const char *flag = getenv("BTFPACK_TEST_PAUSE_BEFORE_COMMIT");
	struct timespec ts = { .tv_nsec = 10 * 1000 * 1000 };
	int fd;

	if (!flag || !*flag)
		return;
	fd = open(flag, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	close(fd);
	while (access(flag, F_OK) == 0)
		nanosleep(&ts, NULL);
}
