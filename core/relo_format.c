// SPDX-License-Identifier: MIT
/* Render a spec the way libbpf's debug log does, so a btfpack trace can be
 * read side by side with libbpf's.
 */
#include <stdarg.h>
#include <stdio.h>

#include "core/btf_util.h"
#include "core/relo_engine.h"

struct out_buf {
	char *p;
	size_t left;
	int len;
};

static void append(struct out_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void append(struct out_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(b->p, b->left, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	b->len += n;
	if ((size_t)n >= b->left)
		n = b->left ? (int)b->left - 1 : 0;
	b->p += n;
	b->left -= (size_t)n;
}

static void append_enumval(struct out_buf *b, const struct core_spec *spec)
{
	const struct btf_type *t = btf_skip_mods(spec->btf, spec->root_type_id, NULL);
	__u32 i = (__u32)spec->raw_spec[0];

	if (!t || i >= btf_vlen(t))
		return;
	if (btf_is_enum(t)) {
		const struct btf_enum *e = btf_enum(t) + i;

		if (btf_kflag(t))
			append(b, "::%s = %d", btf_str(spec->btf, e->name_off), e->val);
		else
			append(b, "::%s = %u", btf_str(spec->btf, e->name_off), (__u32)e->val);
	} else if (btf_is_enum64(t)) {
		const struct btf_enum64 *e = btf_enum64(t) + i;

		if (btf_kflag(t))
			append(b, "::%s = %lld", btf_str(spec->btf, e->name_off),
			       (long long)btf_enum64_value(e));
		else
			append(b, "::%s = %llu", btf_str(spec->btf, e->name_off),
			       (unsigned long long)btf_enum64_value(e));
	}
}

int relo_spec_format(char *buf, size_t size, const struct core_spec *spec)
{
	struct out_buf b = { .p = buf, .left = size };
	const struct btf_type *t = btf__type_by_id(spec->btf, spec->root_type_id);
	const char *name = t ? btf_str(spec->btf, t->name_off) : NULL;
	int i;

	if (size)
		buf[0] = '\0';
	append(&b, "<%s> [%u] %s %s", core_kind_str(spec->kind), spec->root_type_id,
	       t ? btf_kind_name(t) : "?", str_empty(name) ? "<anon>" : name);
	if (core_kind_is_type(spec->kind) || !t)
		return b.len;
	if (core_kind_is_enumval(spec->kind)) {
		append_enumval(&b, spec);
		return b.len;
	}
	for (i = 0; i < spec->len; i++) {
		if (spec->spec[i].name)
			append(&b, ".%s", spec->spec[i].name);
		else if (i > 0 || spec->spec[i].idx > 0)
			append(&b, "[%u]", spec->spec[i].idx);
	}
	append(&b, " (");
	for (i = 0; i < spec->raw_len; i++)
		append(&b, "%s%d", i == 0 ? "" : ":", spec->raw_spec[i]);
	if (spec->bit_offset % 8)
		append(&b, " @ offset %u.%u)", spec->bit_offset / 8, spec->bit_offset % 8);
	else
		append(&b, " @ offset %u)", spec->bit_offset / 8);
	return b.len;
}
