/* SPDX-License-Identifier: MIT */
/* What the tracer's BPF program sends to user space for each exec. */
#ifndef TRACER_H
#define TRACER_H

#define TRACER_COMM_LEN 16
#define TRACER_FILE_LEN 128

struct exec_event {
	int pid;			/* the process that called exec */
	int ppid;			/* its parent (task->real_parent->tgid) */
	unsigned int uid;		/* task->cred->uid */
	char comm[TRACER_COMM_LEN];	/* task->comm after the exec */
	char filename[TRACER_FILE_LEN];	/* what was executed */
};

#endif
