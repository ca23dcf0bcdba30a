// SPDX-License-Identifier: MIT
/* btfpack_object: a BPF object's local BTF and CO-RE relocation records. */
#include <errno.h>
#include <stdlib.h>

#include "core/objfile.h"
#include "include/btfpack.h"
#include "lib/lib_priv.h"

static int object_new(struct objfile *obj, struct btfpack_object **out, struct bp_err *e)
{
	struct btfpack_object *o = calloc(1, sizeof(*o));

	if (!o) {
		bp_err_set(e, ENOMEM, "%s: out of memory", obj->name);
		objfile_free(obj);
		return -ENOMEM;
	}
	o->obj = obj;
	*out = o;
	return 0;
}

int btfpack_object__open_mem(const void *data, size_t size, const char *name,
			     struct btfpack_object **obj, struct btfpack_err *err)
{
	struct bp_err e = { .msg = "" };
	struct objfile *of;
	int ret;

	*obj = NULL;
	if (!data || !name)
		return lib_err(bp_err_set(&e, EINVAL, "BPF object: no data or name"), &e, err);
	ret = objfile_load_mem(data, size, name, &of, &e);
	if (!ret)
		ret = object_new(of, obj, &e);
	return lib_err(ret, &e, err);
}

int btfpack_object__open_file(const char *path, struct btfpack_object **obj,
			      struct btfpack_err *err)
{
	struct bp_err e = { .msg = "" };
	struct objfile *of;
	int ret;

	*obj = NULL;
	if (!path)
		return lib_err(bp_err_set(&e, EINVAL, "BPF object: no path"), &e, err);
	ret = objfile_load_file(path, &of, &e);
	if (!ret)
		ret = object_new(of, obj, &e);
	return lib_err(ret, &e, err);
}

size_t btfpack_object__relo_count(const struct btfpack_object *obj)
{
	return obj ? obj->obj->relo_cnt : 0;
}

void btfpack_object__free(struct btfpack_object *obj)
{
	if (!obj)
		return;
	objfile_free(obj->obj);
	free(obj);
}
