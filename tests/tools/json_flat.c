// SPDX-License-Identifier: MIT
/* btfpack-json-flat FILE: one line per scalar of a JSON document,
 *   <path>\t<value>
 * where <path> joins object keys and array indexes with dots
 * (kernels.3.relocations.resolved) and <value> is the string as is (tabs
 * and newlines as spaces), the number, true/false or null. The shell tests
 * read index.json and reports through it, with jansson's full JSON rules
 * (\u escapes included) instead of a hand-written tokenizer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

static void put_string(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		putchar(s[i] == '\t' || s[i] == '\n' || s[i] == '\r' ? ' ' : s[i]);
}

static void walk(const json_t *v, char *path, size_t len, size_t cap);

/* path grows in place: key appended, walked, cut back */
static void walk_child(const json_t *v, char *path, size_t len, size_t cap, const char *key)
{
	int n = snprintf(path + len, cap - len, "%s%s", len ? "." : "", key);

	if (n < 0 || (size_t)n >= cap - len) {
		fprintf(stderr, "btfpack-json-flat: path too deep\n");
		exit(1);
	}
	walk(v, path, len + (size_t)n, cap);
	path[len] = '\0';
}

static void walk(const json_t *v, char *path, size_t len, size_t cap)
{
	const char *key;
	char idx[32];
	json_t *x;
	size_t i;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		json_object_foreach((json_t *)v, key, x)
			walk_child(x, path, len, cap, key);
		return;
	case JSON_ARRAY:
		json_array_foreach(v, i, x) {
			snprintf(idx, sizeof(idx), "%zu", i);
			walk_child(x, path, len, cap, idx);
		}
		return;
	default:
		break;
	}
	fputs(path, stdout);
	putchar('\t');
	switch (json_typeof(v)) {
	case JSON_STRING: put_string(json_string_value(v), json_string_length(v)); break;
	case JSON_INTEGER: printf("%" JSON_INTEGER_FORMAT, json_integer_value(v)); break;
	case JSON_REAL: printf("%.17g", json_real_value(v)); break;
	case JSON_TRUE: fputs("true", stdout); break;
	case JSON_FALSE: fputs("false", stdout); break;
	default: fputs("null", stdout); break;
	}
	putchar('\n');
}

int main(int argc, char **argv)
{
	static char path[4096];
	json_error_t jerr;
	json_t *root;

	if (argc != 2) {
		fprintf(stderr, "usage: btfpack-json-flat FILE\n");
		return 2;
	}
	/* keys in document order: btfpack's documents have a fixed order */
	root = json_load_file(argv[1], JSON_DECODE_ANY | JSON_PRESERVE_ORDER, &jerr);
	if (!root) {
		fprintf(stderr, "btfpack-json-flat: %s:%d: %s\n", argv[1], jerr.line, jerr.text);
		return 1;
	}
	walk(root, path, 0, sizeof(path));
	json_decref(root);
	return fflush(stdout) ? 1 : 0;
}
