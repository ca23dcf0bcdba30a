/* SPDX-License-Identifier: MIT */
/* Shared by the fuzz harnesses and their replay driver. Each harness is one
 * LLVMFuzzerTestOneInput (plus LLVMFuzzerInitialize), linked either with
 * libFuzzer (BTFPACK_FUZZ, clang) or with replay_main.c (every build), which
 * feeds it the committed seeds and regression inputs under ctest.
 */
#ifndef BTFPACK_TESTS_FUZZ_H
#define BTFPACK_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An oracle failed: print why and abort, which both libFuzzer and ctest
 * report as a crash with this input.
 */
void fuzz_finding(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

struct relo_event;

/* Engine event oracle, a relo_visit_fn: a rejected relocation must say why
 * (btfpack prints the reason in its warning).
 */
int fuzz_check_event(void *ctx, const struct relo_event *ev);

/* A harness cannot run at all (missing fixture): print and exit(2). */
void fuzz_setup_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Paths of a ':'-separated list from environment variable env, or else from
 * fallback (baked in at configure time). Free with fuzz_paths_free().
 */
struct fuzz_paths {
	char *buf;
	char **v;
	size_t cnt;
};

void fuzz_paths_get(const char *env, const char *fallback, struct fuzz_paths *p);
void fuzz_paths_free(struct fuzz_paths *p);

#endif
