// SPDX-License-Identifier: MIT
/* btfpack-btf-poke IN OUT STRUCT MEMBER DELTA: copy raw BTF IN to OUT with
 * the bit offset of STRUCT's member MEMBER moved by DELTA bytes, so a test
 * can corrupt one bundle entry the way a wrong minimizer would.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>

static int poke(struct btf *btf, const char *sname, const char *mname, long delta)
{
	__s32 id = btf__find_by_name_kind(btf, sname, BTF_KIND_STRUCT);
	struct btf_member *m;
	struct btf_type *t;
	__u32 bits, i;

	/* btf__add_str makes the BTF modifiable (types in their own buffer);
	 * the name is there already, so the strings stay as they are
	 */
	if (id < 0 || btf__add_str(btf, sname) < 0)
		return fprintf(stderr, "btf-poke: no struct %s\n", sname), -1;
	t = (struct btf_type *)btf__type_by_id(btf, (__u32)id);
	m = btf_members(t);
	for (i = 0; i < btf_vlen(t); i++, m++) {
		if (strcmp(btf__name_by_offset(btf, m->name_off), mname))
			continue;
		bits = btf_kflag(t) ? BTF_MEMBER_BIT_OFFSET(m->offset) : m->offset;
		bits = (__u32)((long)bits + delta * 8);
		m->offset = btf_kflag(t) ? (m->offset & 0xff000000u) | (bits & 0xffffffu) : bits;
		return 0;
	}
	fprintf(stderr, "btf-poke: struct %s has no member %s\n", sname, mname);
	return -1;
}

int main(int argc, char **argv)
{
	struct btf *btf;
	const void *raw;
	__u32 size;
	FILE *f;
	int ret;

	if (argc != 6) {
		fprintf(stderr, "usage: btfpack-btf-poke IN OUT STRUCT MEMBER DELTA_BYTES\n");
		return 2;
	}
	btf = btf__parse_raw(argv[1]);
	if (!btf) {
		fprintf(stderr, "btf-poke: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	ret = poke(btf, argv[3], argv[4], strtol(argv[5], NULL, 0));
	raw = ret ? NULL : btf__raw_data(btf, &size);
	f = raw ? fopen(argv[2], "wb") : NULL;
	if (!ret && (!f || fwrite(raw, 1, size, f) != size))
		ret = -1;
	if (f && fclose(f))
		ret = -1;
	if (ret && raw)
		fprintf(stderr, "btf-poke: cannot write %s\n", argv[2]);
	btf__free(btf);
	return ret ? 1 : 0;
}
