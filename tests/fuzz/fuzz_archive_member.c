// SPDX-License-Identifier: MIT
/* Harness 3: the input is a hub archive (tar, any compression). Reading its
 * BTF member must succeed or fail with a message; a member it returns is
 * within the cap, named, and a regular file's worth of bytes. The cap is
 * small so the fuzzer reaches the "too big" paths without using memory.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "archive/hub_member.h"
#include "core/core_init.h"
#include "tests/fuzz/fuzz.h"

#define FUZZ_MEMBER_CAP (64 * 1024)

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	core_init(false);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hub_member m = { 0 };
	volatile unsigned int sum = 0;
	struct bp_err err;
	size_t i;

	if (hub_member_read(data, size, "fuzz", FUZZ_MEMBER_CAP, &m, &err)) {
		if (m.data)
			fuzz_finding("failed read left member data behind: %s", err.msg);
		if (!err.msg[0])
			fuzz_finding("failed read without a message");
		return 0;
	}
	if (!m.data || m.size > FUZZ_MEMBER_CAP)
		fuzz_finding("member of %zu bytes returned (cap %d)", m.size, FUZZ_MEMBER_CAP);
	if (!memchr(m.name, '\0', sizeof(m.name)) || !m.name[0])
		fuzz_finding("member returned without a name");
	/* read every byte: ASan checks the whole buffer is the member's */
	for (i = 0; i < m.size; i++)
		sum += ((const unsigned char *)m.data)[i];
	free(m.data);
	return 0;
}
