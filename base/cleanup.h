/* SPDX-License-Identifier: MIT */
/* What a run leaves next to its output while it writes, and who removes it.
 *
 * Every output (a `min`/`lookup` file, a bundle) is written as
 *   <out>.btfpack-lock      an empty file, flock()ed for the whole write
 *   <out>.tmp.<pid>.XXXXXX  the temp file or directory, renamed on commit
 * Both are in a process-wide registry. SIGINT, SIGTERM and SIGHUP are
 * blocked in every thread and taken by one thread with sigwait(), which
 * removes what the registry holds and then dies of the same signal (exit
 * status 130, 143, 129), so no removal runs in a signal handler. The
 * registry lock is held around commits: the cleaner never sees half a
 * commit.
 *
 * SIGKILL and crashes leave both behind. The next run for the same output
 * takes the lock and then removes temps of that output whose pid is dead:
 * a temp only exists while its writer holds the lock, so one found by the
 * lock holder is dead by definition (the pid check is a second guard). Not
 * on network filesystems (NFS, SMB, FUSE, Ceph, 9p): their locks may not
 * reach other hosts, and a pid says nothing there. Where flock() is not
 * supported at all, the write goes on unlocked and sweeps nothing.
 */
#ifndef BTFPACK_BASE_CLEANUP_H
#define BTFPACK_BASE_CLEANUP_H

#include <stdbool.h>

#include "base/error.h"

/* Block SIGINT, SIGTERM and SIGHUP in the calling thread, so in every
 * thread made after, and start the thread that waits for them. Call once,
 * from main, before any other thread exists. On failure the mask is
 * restored (the signals keep their default action) and -errno returned.
 */
int bp_signals_start(void);

/* The lock on one output. A second run for the same output fails at once
 * with -EBUSY and a message naming it, instead of waiting: nothing may
 * block on a run it cannot see, and runs that wait on each other's
 * outputs (a bundle and a report) could deadlock.
 */
struct bp_out_lock {
	int fd;			/* -1: not locked (flock unsupported) */
	char *path;		/* NULL when not locked */
};

/* Take the lock on out, then remove out's dead temps. */
int bp_out_lock(const char *out, struct bp_out_lock *lk, struct bp_err *err);
/* Remove the lock file and release it; a no-op on a zeroed or unlocked lk. */
void bp_out_unlock(struct bp_out_lock *lk);

/* Create a registered temp next to out (a file opened O_RDWR, or a 0700
 * directory). *tmp is malloc'ed, freed by the caller after
 * bp_temp_commit() or bp_temp_discard().
 */
int bp_temp_file(const char *out, char **tmp, int *fd, struct bp_err *err);
int bp_temp_dir(const char *out, char **tmp, struct bp_err *err);

/* rename(tmp, dest) and forget tmp, as one step for the cleaner: -errno. */
int bp_temp_commit(const char *tmp, const char *dest);
/* Swap the directory tmp with the existing dest in one step (the old
 * bundle is then at tmp, still registered). Where the filesystem cannot
 * exchange, dest goes aside to <dest>.old.<pid>.XXXXXX, tmp comes in, the
 * aside goes; a crash between those two renames leaves the old bundle
 * aside, which the next run puts back. -errno.
 */
int bp_temp_exchange(const char *tmp, const char *dest);
/* Remove tmp (file or tree) and forget it. */
void bp_temp_discard(const char *tmp);

/* Held around anything that creates entries inside a registered temp
 * directory, so the cleaner never races with it.
 */
void bp_cleanup_hold(void);
void bp_cleanup_release(void);

/* Test-only: with BTFPACK_TEST_PAUSE_BEFORE_COMMIT=FILE in the environment,
 * create FILE just before committing an output and wait until it is
 * removed, so tests can signal or kill a run at that exact point, or start
 * a second run while the first holds its lock. Not for production use.
 */
void bp_test_pause_before_commit(void);

#endif
