// SPDX-License-Identifier: MIT
/* Known answers for the engine: every relocation of every synthetic probe
 * against every single-variant synthetic kernel, checked against the host
 * compiler's layout of the same kernel source (synth_layout). A field that
 * the variant lacks must come out unresolved; one it has, with exactly the
 * offset, size, signedness, bitfield shifts, type size or enum value the
 * compiler laid out. Then the same against the minimized BTF: the engine
 * must give the same answers there too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <bpf/btf.h>

#include "core/objfile.h"
#include "core/btf_util.h"
#include "core/cand_index.h"
#include "core/core_init.h"
#include "core/minimize_run.h"
#include "core/relo_engine.h"
#include "core/source_btf.h"
#include "synth_expect.h"

struct tally {
	const struct synth_layout *layout;
	const char *kernel;
	size_t checked;
	size_t untabulated;
	size_t wrong;
};

/* "task_struct.sched_info.pcount", "rlimit[3].rlim_max": the key of the
 * local spec, flavor suffix dropped from the root type name
 */
static void spec_key(const struct core_spec *spec, char *buf, size_t size)
{
	const struct btf_type *t = btf__type_by_id(spec->btf, spec->root_type_id);
	const char *name = btf_str(spec->btf, t->name_off);
	size_t len = core_essential_name_len(name), used;
	int i;

	used = (size_t)snprintf(buf, size, "%.*s", (int)len, name);
	for (i = 0; i < spec->len && used < size; i++) {
		if (spec->spec[i].name)
			used += (size_t)snprintf(buf + used, size - used, ".%s", spec->spec[i].name);
		else if (i > 0 || spec->spec[i].idx > 0)
			used += (size_t)snprintf(buf + used, size - used, "[%u]", spec->spec[i].idx);
	}
}

static void wrong(struct tally *t, const struct relo_event *ev, const char *key,
		  unsigned long long want)
{
	t->wrong++;
	print_error("%s on %s: sec '%s' relo #%zu <%s> %s: engine %s %llu, layout says %llu\n",
		    ev->obj->name, t->kernel, ev->sec->name, ev->sec_rec,
		    core_kind_str((enum core_kind)ev->rec->kind), key,
		    ev->status == RELO_RESOLVED ? "resolved" : "unresolved",
		    (unsigned long long)ev->res.new_val, want);
}

/* Compare a resolved-or-not outcome and value with the layout's. */
static void expect(struct tally *t, const struct relo_event *ev, const char *key, int present,
		   unsigned long long want)
{
	bool exists_kind = ev->rec->kind == CORE_FIELD_EXISTS ||
			   ev->rec->kind == CORE_TYPE_EXISTS ||
			   ev->rec->kind == CORE_ENUMVAL_EXISTS;

	t->checked++;
	if (exists_kind)
		want = present ? 1 : 0;
	if ((ev->status == RELO_RESOLVED) != !!present)
		wrong(t, ev, key, want);
	else if ((present || exists_kind) && ev->res.new_val != want)
		wrong(t, ev, key, want);
}

static void check_field(struct tally *t, const struct relo_event *ev, const char *key)
{
	const struct synth_field *f = synth_field(t->layout, key);
	struct synth_bitfield bf;

	if (synth_bitfield(t->layout, key, &bf) == 0) {
		unsigned long long v[] = {
			[CORE_FIELD_BYTE_OFFSET] = bf.byte_offset,
			[CORE_FIELD_BYTE_SIZE] = bf.byte_size,
			[CORE_FIELD_EXISTS] = 1,
			[CORE_FIELD_SIGNED] = (unsigned long long)bf.is_signed,
			[CORE_FIELD_LSHIFT_U64] = bf.lshift,
			[CORE_FIELD_RSHIFT_U64] = bf.rshift,
		};

		expect(t, ev, key, 1, v[ev->rec->kind]);
		return;
	}
	if (!f) {
		t->untabulated++;
		return;
	}
	switch (ev->rec->kind) {
	case CORE_FIELD_BYTE_OFFSET: expect(t, ev, key, f->present, f->offset); break;
	case CORE_FIELD_BYTE_SIZE: expect(t, ev, key, f->present, f->size); break;
	case CORE_FIELD_EXISTS: expect(t, ev, key, f->present, 1); break;
	case CORE_FIELD_SIGNED:
		expect(t, ev, key, f->present, (unsigned long long)f->is_signed);
		break;
	default: t->untabulated++; break;
	}
}

static void check_type(struct tally *t, const struct relo_event *ev)
{
	const struct btf_type *lt = btf__type_by_id(ev->local->btf, ev->local->root_type_id);
	const char *name = btf_str(ev->local->btf, lt->name_off);
	const char *kind = btf_is_struct(lt) ? "struct" : btf_is_union(lt) ? "union" :
			   btf_is_typedef(lt) ? "typedef" : btf_is_any_enum(lt) ? "enum" : NULL;
	const struct synth_type *ty;
	char key[256];

	if (!kind) {
		t->untabulated++;
		return;
	}
	snprintf(key, sizeof(key), "%s %.*s", kind, (int)core_essential_name_len(name), name);
	ty = synth_type(t->layout, key);
	if (!ty) {
		t->untabulated++;
		return;
	}
	expect(t, ev, key, ty->present, ev->rec->kind == CORE_TYPE_SIZE ? ty->size : 1);
}

static void check_enumval(struct tally *t, const struct relo_event *ev)
{
	const char *name = ev->local->spec[0].name;
	char key[256];
	const struct synth_enumval *e;

	snprintf(key, sizeof(key), "%.*s", (int)core_essential_name_len(name), name);
	e = synth_enumval(t->layout, key);
	if (!e) {
		t->untabulated++;
		return;
	}
	expect(t, ev, key, e->present, synth_enumval_relo_value(e));
}

static int check_event(void *ctx, const struct relo_event *ev)
{
	struct tally *t = ctx;
	enum core_kind kind = (enum core_kind)ev->rec->kind;
	char key[512];

	if (!ev->local || ev->status == RELO_REJECTED) {
		t->untabulated++;
		return 0;
	}
	if (core_kind_is_field(kind)) {
		spec_key(ev->local, key, sizeof(key));
		check_field(t, ev, key);
	} else if (kind == CORE_TYPE_EXISTS || kind == CORE_TYPE_SIZE) {
		check_type(t, ev);
	} else if (core_kind_is_enumval(kind)) {
		check_enumval(t, ev);
	} else {
		t->untabulated++; /* ids and TYPE_MATCHES: covered by the oracle test */
	}
	return 0;
}

static void run_kernel(const struct synth_kernel *k, struct tally *total)
{
	struct tally t = { .layout = synth_layout_get(k->parts[0]), .kernel = k->name };
	struct cand_index *idx = NULL, *min_idx = NULL;
	struct btf *btf = NULL, *min = NULL;
	struct minimize_stats *stats;
	struct objfile **objs;
	char path[4096];
	struct bp_err err;
	size_t p;

	assert_true(synth_kernel_path(path, sizeof(path), k->name) > 0);
	if (source_btf_load_file(path, &btf, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(cand_index_build(btf, &idx, &err), 0);
	objs = calloc(synth_nr_probes, sizeof(*objs));
	stats = calloc(synth_nr_probes, sizeof(*stats));
	assert_non_null(objs);
	assert_non_null(stats);
	for (p = 0; p < synth_nr_probes; p++) {
		assert_true(synth_probe_path(path, sizeof(path), synth_probes[p]) > 0);
		if (objfile_load_file(path, &objs[p], &err))
			fail_msg("%s", err.msg);
		assert_int_equal(relo_engine_run(objs[p], btf, idx, check_event, &t, &err), 0);
	}
	/* the minimized BTF must give the very same known answers */
	assert_int_equal(minimize_run(btf, idx, objs, synth_nr_probes, stats, NULL, NULL, false, MIN_LOADER_ALL, &min,
				       &err), 0);
	assert_int_equal(cand_index_build(min, &min_idx, &err), 0);
	for (p = 0; p < synth_nr_probes; p++)
		assert_int_equal(relo_engine_run(objs[p], min, min_idx, check_event, &t, &err), 0);

	print_message("%-12s %zu answers checked, %zu not tabulated, %zu wrong\n", k->name,
		      t.checked, t.untabulated, t.wrong);
	total->checked += t.checked;
	total->wrong += t.wrong;
	for (p = 0; p < synth_nr_probes; p++)
		objfile_free(objs[p]);
	free(objs);
	free(stats);
	cand_index_free(min_idx);
	cand_index_free(idx);
	btf__free(min);
	btf__free(btf);
}

static void test_known_answers(void **state)
{
	struct tally total = { 0 };
	size_t k;

	(void)state;
	for (k = 0; k < synth_nr_kernels; k++) {
		if (synth_kernels[k].nr_parts == 1)
			run_kernel(&synth_kernels[k], &total);
	}
	assert_int_equal(total.wrong, 0);
	/* guard against a vacuous pass: most relocations have a known answer */
	assert_true(total.checked > 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_answers),
	};

	core_init(false);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
