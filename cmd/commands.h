/* SPDX-License-Identifier: MIT */
#ifndef BTFPACK_CMD_COMMANDS_H
#define BTFPACK_CMD_COMMANDS_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

struct json_t;

/* Exit codes shared by every command. */
enum {
	EXIT_OK = 0,
	EXIT_ERROR = 1,
	EXIT_USAGE = 2,
	EXIT_PARTIAL = 3,	/* build: some kernels failed; verify: some unchecked */
	EXIT_NO_ENTRY = 4,	/* lookup: the bundle has no such entry */
	EXIT_UNREADABLE = 5,	/* lookup: the bundle cannot be read */
	EXIT_NOT_BUNDLE = 6,	/* lookup: not a btfpack bundle */
};

/* What a command's argument parser returns to go on and run; any other
 * value is the exit code to stop with (help printed, usage error).
 */
#define CMD_RUN (-1)

int cmd_min(int argc, char **argv);
void cmd_min_usage(FILE *out);
int cmd_build(int argc, char **argv);
void cmd_build_usage(FILE *out);
int cmd_lookup(int argc, char **argv);
void cmd_lookup_usage(FILE *out);
int cmd_ls(int argc, char **argv);
void cmd_ls_usage(FILE *out);
int cmd_embed(int argc, char **argv);
void cmd_embed_usage(FILE *out);
int cmd_verify(int argc, char **argv);
void cmd_verify_usage(FILE *out);
int cmd_merge(int argc, char **argv);
void cmd_merge_usage(FILE *out);
int cmd_diff(int argc, char **argv);
void cmd_diff_usage(FILE *out);

/* Shared by the commands that write bundles (cmd_build.c). */
int cmd_parse_epoch(const char *cmd, time_t *mtime);
bool cmd_unsupported_archive_name(const char *path);
/* cmd_json.c: "[--json] ARGS": 0 (optind at ARGS), 'h' for --help, '?' */
int cmd_parse_json_flag(int argc, char **argv, bool *json);
/* Print root (taken, also when NULL: -1) as indented ASCII JSON; -1 on error. */
int cmd_put_json(struct json_t *root);

#endif
