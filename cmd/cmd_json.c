// SPDX-License-Identifier: MIT
/* What the commands with a --json view share: the flag and the printing. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "cmd/commands.h"

int cmd_parse_json_flag(int argc, char **argv, bool *json)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*json = false;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c != 'J')
			return c == 'h' ? 'h' : '?';
		*json = true;
	}
	return 0;
}

int cmd_put_json(json_t *root)
{
	char *text;
	int ret = 0;

	/* JSON_ENSURE_ASCII: names that are not UTF-8 cannot break the document */
	text = root ? json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII) :
		      NULL;
	if (!text || puts(text) == EOF)
		ret = -1;
	free(text);
	json_decref(root);
	return ret;
}
